package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
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
 * Time of opening an LMDB database read-only and closing it, as every command of the CLI does: the check of the
 * data file against its meta pages, the walk of every page of the snapshot before LMDB maps the file, the
 * environment and its databases. The database holds {@code templates} templates (the example templates in turn), one
 * version each, saved in batches of 1,000; the file is in the page cache.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LmdbOpenBenchmark {
    @Param({"10000", "100000"})
    public int templates;

    Path dir;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-open");
        try (LmdbRegistry registry = LmdbRegistry.open(dir)) {
            RegistryFixtures.saveInBatches(registry, RegistryFixtures.revisions(RegistryFixtures.examples(),
                    templates, 0), 1_000);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        RegistryFixtures.deleteLater(dir);
        RegistryFixtures.deleteDeferred();
    }

    @Benchmark
    public int openReadOnlyAndClose() {
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).readOnly(true).build()) {
            return registry.path().hashCode();
        }
    }
}
