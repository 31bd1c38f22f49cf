package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateHandle;
import io.promptlightning.TemplateSpec;
import io.promptlightning.Vault;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Vault#get(String)} when the handle is cached: the registry's generation check and the
 * cache lookup, no load and no compile. The vault is over an LMDB database or a prompt directory of 100 copies
 * of the example {@code multi-input-template}; one vault is shared by the benchmark's threads, and
 * {@code get2Threads} reports the aggregate of both threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class VaultGetBenchmark {
    static final int TEMPLATES = 100;
    static final String ID = RegistryFixtures.id(TEMPLATES / 2);

    @Param({"lmdb", "local"})
    public String registry;

    Path dir;
    Vault vault;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("vault");
        TemplateSpec spec = RegistryFixtures.fullTemplate();
        if (registry.equals("lmdb")) {
            LmdbRegistry lmdb = LmdbRegistry.open(dir);
            RegistryFixtures.save(lmdb, spec, TEMPLATES);
            vault = Vault.builder(lmdb).build();
        } else {
            RegistryFixtures.writeFiles(dir, spec, TEMPLATES);
            vault = Vault.ofPromptDir(dir);
        }
        TemplateHandle first = vault.get(ID);
        if (vault.get(ID) != first) {
            throw new IllegalStateException("the second get did not come from the cache");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vault.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    @Threads(1)
    public TemplateHandle get() {
        return vault.get(ID);
    }

    @Benchmark
    @Threads(2)
    public TemplateHandle get2Threads() {
        return vault.get(ID);
    }
}
