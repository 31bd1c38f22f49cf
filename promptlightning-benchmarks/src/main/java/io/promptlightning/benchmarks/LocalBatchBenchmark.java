package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
import io.promptlightning.SaveOptions;
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
 * The batch saves of {@link LmdbBatchBenchmark} into a prompt directory: time of one {@link LocalRegistry#saveAll}
 * of 10,000 templates (the nine example templates in turn), each invocation in a directory of its own, opened
 * before it and closed after it, untimed, and deleted at the end of the trial: {@code saveAllNew} into an empty
 * directory, {@code saveAllNewVersions} a new version of each template of a directory that holds them (saved by an
 * untimed {@code saveAll} before the invocation). One invocation takes seconds, so there are few of them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalBatchBenchmark {
    static final int TEMPLATES = LmdbBatchBenchmark.TEMPLATES;

    List<TemplateSpec> firstVersions;
    List<TemplateSpec> secondVersions;

    @Setup(Level.Trial)
    public void prepare() {
        List<TemplateSpec> examples = RegistryFixtures.examples();
        firstVersions = RegistryFixtures.revisions(examples, TEMPLATES, 0);
        secondVersions = RegistryFixtures.revisions(examples, TEMPLATES, 1);
    }

    @TearDown(Level.Trial)
    public void deleteDirectories() {
        RegistryFixtures.deleteDeferred();
    }

    /** A fresh, empty directory for one invocation. */
    @State(Scope.Thread)
    public static class Empty {
        Path dir;
        LocalRegistry registry;

        @Setup(Level.Invocation)
        public void open() {
            dir = RegistryFixtures.tempDir("local-batch");
            registry = LocalRegistry.open(dir);
        }

        @TearDown(Level.Invocation)
        public void check() {
            int templates = registry.listIds().size();
            registry.close();
            RegistryFixtures.deleteLater(dir);
            if (templates != TEMPLATES) {
                throw new IllegalStateException(templates + " templates saved");
            }
        }
    }

    /** A fresh directory holding the first version of every template, for one invocation. */
    @State(Scope.Thread)
    public static class Filled {
        Path dir;
        LocalRegistry registry;

        @Setup(Level.Invocation)
        public void open(LocalBatchBenchmark bench) {
            dir = RegistryFixtures.tempDir("local-batch");
            registry = LocalRegistry.open(dir);
            registry.saveAll(bench.firstVersions, SaveOptions.DEFAULT);
        }

        @TearDown(Level.Invocation)
        public void check() {
            String last = RegistryFixtures.id(TEMPLATES - 1);
            int versions = registry.versions(last).size();
            registry.close();
            RegistryFixtures.deleteLater(dir);
            if (versions != 2) {
                throw new IllegalStateException(last + " has " + versions + " versions");
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
