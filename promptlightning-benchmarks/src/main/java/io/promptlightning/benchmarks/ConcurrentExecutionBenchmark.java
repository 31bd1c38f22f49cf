package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.promptlightning.ExecutionResult;
import io.promptlightning.TemplateHandle;
import io.promptlightning.Vault;
import io.promptlightning.testing.FakeProviderServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 100 {@link TemplateHandle#executeAsync} calls at once against a {@link FakeProviderServer} that answers each
 * after 200 ms, waited for together, with the vault's {@code maxConcurrency} at 10 and 100: about 200 ms ×
 * ceil(100 / limit), i.e. 2 s and 0.2 s, if the calls overlap as they should.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ConcurrentExecutionBenchmark {
    static final int CALLS = 100;
    static final Duration LATENCY = Duration.ofMillis(200);

    @Param({"10", "100"})
    public int maxConcurrency;

    Path dir;
    FakeProviderServer server;
    Vault vault;
    TemplateHandle handle;
    List<Map<String, Object>> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("concurrent");
        server = FakeProviderServer.start();
        vault = ModelCallFixtures.vault(dir, server).maxConcurrency(maxConcurrency).build();
        handle = vault.get(ModelCallFixtures.TEMPLATE);
        inputs = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            inputs.add(Map.of("input_text", "document number " + i));
        }
    }

    @Setup(Level.Iteration)
    public void resetServer() {
        server.reset();
        server.latency(LATENCY);
    }

    @TearDown(Level.Iteration)
    public void checkLimit() {
        if (server.requests().size() != CALLS || server.peakConcurrency() > maxConcurrency) {
            throw new IllegalStateException(server.requests().size() + " requests, " + server.peakConcurrency()
                    + " at once, with a limit of " + maxConcurrency);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vault.close();
        server.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public List<ExecutionResult> executeAsync100() {
        List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>(CALLS);
        for (Map<String, Object> in : inputs) {
            futures.add(handle.executeAsync(ModelCallFixtures.MODEL, in));
        }
        List<ExecutionResult> results = new ArrayList<>(CALLS);
        for (CompletableFuture<ExecutionResult> future : futures) {
            results.add(future.join());
        }
        return results;
    }
}
