package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
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
 * Time of one {@link LmdbRegistry#saveAll} of 10,000 templates (one transaction, committed and synced as LMDB does by
 * default), each invocation on a database of its own, opened (with the default map size) before it and closed and
 * deleted after it, untimed:
 * <ul>
 * <li>{@code saveAllNew}: 10,000 new templates into an empty database;</li>
 * <li>{@code saveAllNewVersions}: a new version of each of 10,000 templates that the database already holds (saved
 * by an untimed {@code saveAll} before the invocation), so each save also reads the previous version, moves
 * {@code latest} and replaces the template's search index entries.</li>
 * </ul>
 * The templates are the nine example templates in turn ({@code templates=examples}) or the long system prompt
 * ({@code templates=large}); {@code compressHistory} stores the versions deflated.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbBatchBenchmark {
    static final int TEMPLATES = 10_000;

    @Param({"false", "true"})
    public boolean compressHistory;

    @Param({"examples", "large"})
    public String templates;

    List<TemplateSpec> firstVersions;
    List<TemplateSpec> secondVersions;

    @Setup(Level.Trial)
    public void prepare() {
        List<TemplateSpec> examples = templates.equals("large") ? List.of(RegistryFixtures.largeTemplate())
                : RegistryFixtures.examples();
        firstVersions = RegistryFixtures.revisions(examples, TEMPLATES, 0);
        secondVersions = RegistryFixtures.revisions(examples, TEMPLATES, 1);
    }

    /** A fresh, empty database for one invocation. */
    @State(Scope.Thread)
    public static class Empty {
        Path dir;
        LmdbRegistry registry;

        @Setup(Level.Invocation)
        public void open(LmdbBatchBenchmark bench) {
            dir = RegistryFixtures.tempDir("lmdb-batch");
            registry = LmdbRegistry.builder(dir).compressHistory(bench.compressHistory).build();
        }

        @TearDown(Level.Invocation)
        public void check() {
            long templates = registry.stats().templates();
            registry.close();
            RegistryFixtures.deleteTree(dir);
            if (templates != TEMPLATES) {
                throw new IllegalStateException(templates + " templates saved");
            }
        }
    }

    /** A fresh database holding the first version of every template, for one invocation. */
    @State(Scope.Thread)
    public static class Filled {
        Path dir;
        LmdbRegistry registry;

        @Setup(Level.Invocation)
        public void open(LmdbBatchBenchmark bench) {
            dir = RegistryFixtures.tempDir("lmdb-batch");
            registry = LmdbRegistry.builder(dir).compressHistory(bench.compressHistory).build();
            registry.saveAll(bench.firstVersions, SaveOptions.DEFAULT);
        }

        @TearDown(Level.Invocation)
        public void check() {
            long versions = registry.stats().versions();
            registry.close();
            RegistryFixtures.deleteTree(dir);
            if (versions != 2 * TEMPLATES) {
                throw new IllegalStateException(versions + " versions saved");
            }
        }
    }

    @Benchmark
    public void saveAllNew(Empty db) {
        db.registry.saveAll(firstVersions, SaveOptions.DEFAULT);
    }

    @Benchmark
    public void saveAllNewVersions(Filled db) {
        db.registry.saveAll(secondVersions, SaveOptions.DEFAULT);
    }
}
