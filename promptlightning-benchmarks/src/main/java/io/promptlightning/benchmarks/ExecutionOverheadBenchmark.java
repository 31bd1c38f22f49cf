package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.promptlightning.ExecutionResult;
import io.promptlightning.SqliteExecutionLog;
import io.promptlightning.TemplateHandle;
import io.promptlightning.Vault;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import io.promptlightning.providers.LangChainClientFactory;
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
 * What a model call costs on our side. {@code execute} is {@link TemplateHandle#execute} of the example summarizer
 * against a {@link FakeProviderServer} that answers at once (render, validation, routing, the breaker and the call
 * slot, the LangChain4j call over HTTP on 127.0.0.1, the cost, the log record); {@code rawClient} is the same
 * request through the same LangChain4j client alone. The overhead we add is the difference of their medians
 * (SampleTime reports p0.50). The HTTP round trip varies by more than that difference from run to run, so
 * {@code executeWithInstantClient} also measures it alone: the same {@code execute} through a client that answers
 * at once in the same thread, the fake server's answer to this request, with no HTTP.
 *
 * <p>{@code log}: {@code none} (no execution log), {@code empty} (an SQLite log just made) or {@code million} (an
 * SQLite log that already holds 1,000,000 rows, written in setup), to show that logging costs the caller the same
 * whatever the log's size.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ExecutionOverheadBenchmark {
    @Param({"none", "empty", "million"})
    public String log;

    Path dir;
    FakeProviderServer server;
    Vault vault;
    TemplateHandle handle;
    Map<String, Object> inputs;
    LlmClient rawClient;
    LlmRequest rawRequest;
    Vault instantVault;
    TemplateHandle instantHandle;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("execution");
        server = FakeProviderServer.start();
        Vault.Builder builder = ModelCallFixtures.vault(dir, server);
        if (!log.equals("none")) {
            Path db = dir.resolve("runs.db");
            ModelCallFixtures.fillLog(db, log.equals("million") ? 1_000_000 : 0);
            builder.executionLog(SqliteExecutionLog.open(db));
        }
        vault = builder.build();
        handle = vault.get(ModelCallFixtures.TEMPLATE);
        inputs = Examples.context(ModelCallFixtures.TEMPLATE);
        rawClient = new LangChainClientFactory().create(ModelCallFixtures.settings(server));
        rawRequest = new LlmRequest("openai", ModelCallFixtures.MODEL, List.of(ChatMessage.user(handle.render(inputs))),
                LlmParameters.DEFAULT);
        ExecutionResult viaVault = handle.execute(ModelCallFixtures.MODEL, inputs);
        LlmResponse direct = rawClient.complete(rawRequest);
        if (!viaVault.output().equals(direct.output()) || viaVault.tokensIn() != direct.tokensIn()) {
            throw new IllegalStateException("the vault and the raw client did not make the same call");
        }
        Vault.Builder instant = ModelCallFixtures.vault(dir, server).llmClient(new InstantClient(direct));
        if (!log.equals("none")) {
            instant.executionLog(SqliteExecutionLog.open(dir.resolve("runs.db")));
        }
        instantVault = instant.build();
        instantHandle = instantVault.get(ModelCallFixtures.TEMPLATE);
        ExecutionResult viaInstant = instantHandle.execute(ModelCallFixtures.MODEL, inputs);
        if (!viaInstant.output().equals(viaVault.output()) || viaInstant.costUsd() != viaVault.costUsd()) {
            throw new IllegalStateException("the instant client did not answer as the server does");
        }
    }

    /** A client that gives one answer at once, on the calling thread. */
    static final class InstantClient implements LlmClient {
        private final LlmResponse answer;

        InstantClient(LlmResponse answer) {
            this.answer = answer;
        }

        @Override
        public java.util.Set<String> providers() {
            return java.util.Set.of("openai");
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            return answer;
        }
    }

    /** The server records every request: forget them so that memory stays flat. */
    @Setup(Level.Iteration)
    public void forgetRequests() {
        server.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rawClient.close();
        instantVault.close();
        vault.close();
        server.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public ExecutionResult execute() {
        return handle.execute(ModelCallFixtures.MODEL, inputs);
    }

    @Benchmark
    public ExecutionResult executeWithInstantClient() {
        return instantHandle.execute(ModelCallFixtures.MODEL, inputs);
    }

    @Benchmark
    public LlmResponse rawClient() {
        return rawClient.complete(rawRequest);
    }
}
