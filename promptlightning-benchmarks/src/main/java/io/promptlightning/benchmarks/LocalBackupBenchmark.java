package io.promptlightning.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
import io.promptlightning.RegistryStats;
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
 * The backup of {@link LmdbBackupBenchmark} of a prompt directory: time of one {@link LocalRegistry#backup(Path)}
 * (a copy of the template files and their history) of a directory of 10,000 templates (the nine example templates
 * in turn) with 3 versions each, a {@code production} label on the second version of each and a {@code staging}
 * label on the latest version of every other one. Each invocation writes to a new directory, deleted at the end of
 * the trial, untimed. Building the directory takes minutes, so there are few invocations.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalBackupBenchmark {
    static final int TEMPLATES = LmdbBackupBenchmark.TEMPLATES;
    static final int VERSIONS = LmdbBackupBenchmark.VERSIONS;

    Path dir;
    LocalRegistry registry;
    RegistryStats stats;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("local-backup");
        registry = LocalRegistry.open(dir);
        stats = RegistryFixtures.saveLabelledVersions(registry, TEMPLATES, VERSIONS);
        Destination check = new Destination();
        check.choose(this);
        registry.backup(check.path);
        try (LocalRegistry copy = LocalRegistry.builder(check.path).readOnly(true).build()) {
            RegistryFixtures.requireSameContent(registry, stats, copy, RegistryFixtures.id(TEMPLATES - 1));
        }
        System.out.printf("%ntemplate and history files: %,d bytes%n", stats.usedBytes());
        check.delete();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
        RegistryFixtures.deleteDeferred();
    }

    /** A directory that does not exist yet, for one backup, deleted at the end of the trial. */
    @State(Scope.Thread)
    public static class Destination {
        Path path;

        @Setup(Level.Invocation)
        public void choose(LocalBackupBenchmark bench) {
            path = RegistryFixtures.tempDir("local-backup-copy").resolve("copy");
        }

        @TearDown(Level.Invocation)
        public void delete() {
            if (!Files.isDirectory(path.resolve(LocalRegistry.HISTORY_DIRECTORY))) {
                throw new IllegalStateException("no history in the backup");
            }
            RegistryFixtures.deleteLater(path.getParent());
        }
    }

    @Benchmark
    public void backup(Destination destination) {
        registry.backup(destination.path);
    }
}
