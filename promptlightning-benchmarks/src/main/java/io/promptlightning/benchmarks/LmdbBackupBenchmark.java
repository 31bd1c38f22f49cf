package io.promptlightning.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.RegistryStats;
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
 * Time of one {@link LmdbRegistry#backup(Path)} (LMDB's compacting copy of one snapshot) of a database of 10,000
 * templates (the nine example templates in turn) with 3 versions each, a {@code production} label on the second
 * version of each and a {@code staging} label on the latest version of every other one, with {@code compressHistory}
 * off or on. Each invocation writes to a new directory, deleted after it, untimed. The copy's {@code data.mdb} is
 * written with {@code O_DIRECT}, so the time includes the disk writes.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbBackupBenchmark {
    static final int TEMPLATES = 10_000;
    static final int VERSIONS = 3;

    @Param({"false", "true"})
    public boolean compressHistory;

    Path dir;
    LmdbRegistry registry;
    RegistryStats stats;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-backup");
        registry = LmdbRegistry.builder(dir).compressHistory(compressHistory).build();
        stats = RegistryFixtures.saveLabelledVersions(registry, TEMPLATES, VERSIONS);
        Destination check = new Destination();
        check.choose(this);
        registry.backup(check.path);
        try (LmdbRegistry copy = LmdbRegistry.builder(check.path).readOnly(true).build()) {
            RegistryFixtures.requireSameContent(registry, stats, copy, RegistryFixtures.id(TEMPLATES - 1));
        }
        System.out.printf("%ndatabase %,d bytes in use; compacted copy %,d bytes%n", stats.usedBytes(),
                check.size());
        check.delete();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    /** A directory that does not exist yet, for one backup, deleted after it. */
    @State(Scope.Thread)
    public static class Destination {
        Path path;

        @Setup(Level.Invocation)
        public void choose(LmdbBackupBenchmark bench) {
            path = RegistryFixtures.tempDir("lmdb-backup-copy").resolve("copy");
        }

        long size() {
            try {
                return Files.size(path.resolve("data.mdb"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @TearDown(Level.Invocation)
        public void delete() {
            if (size() == 0) {
                throw new IllegalStateException("empty backup");
            }
            RegistryFixtures.deleteTree(path.getParent());
        }
    }

    @Benchmark
    public void backup(Destination destination) {
        registry.backup(destination.path);
    }
}
