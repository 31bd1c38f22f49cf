package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Average time of {@link LmdbRegistry#listIds()} on a database of 10,000 templates (copies of the example
 * {@code multi-input-template}, ids {@code t00000}...). The list is kept until the next write to the database:
 * {@code listIds} measures an unchanged database (one read transaction to see that nothing changed), and
 * {@code listIdsAfterAWrite} the first listing after a write (a cursor over every key, each decoded to a String);
 * the write, a new version of one template, is made before each operation and not timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbListIdsBenchmark {
    static final int TEMPLATES = 10_000;

    Path dir;
    LmdbRegistry registry;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-list");
        registry = LmdbRegistry.open(dir);
        RegistryFixtures.save(registry, RegistryFixtures.fullTemplate(), TEMPLATES);
        if (registry.listIds().size() != TEMPLATES) {
            throw new IllegalStateException("expected " + TEMPLATES + " ids");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public List<String> listIds() {
        return registry.listIds();
    }

    @Benchmark
    public List<String> listIdsAfterAWrite(Changed changed) {
        return registry.listIds();
    }

    /** Saves a new version of one template before each operation, so that the database has changed. */
    @State(Scope.Thread)
    public static class Changed {
        TemplateSpec[] versions;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            TemplateSpec spec = RegistryFixtures.copy(RegistryFixtures.fullTemplate(), RegistryFixtures.id(0));
            versions = new TemplateSpec[] {spec.withVersion("1.0.1"), spec.withVersion("1.0.2")};
        }

        @Setup(Level.Invocation)
        public void write(LmdbListIdsBenchmark benchmark) {
            benchmark.registry.save(versions[next++ & 1]);
        }
    }
}
