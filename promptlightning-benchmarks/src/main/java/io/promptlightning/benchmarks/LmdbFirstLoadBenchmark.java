package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link LmdbRegistry#load(String, String)} of a version that this process has not decoded since it
 * last changed: the LMDB read, the copy of the stored bytes, the decoding of the stored version (inflating it when
 * stored deflated), of its template record, and the building of the {@link TemplateSpec}.
 *
 * <p>The registry keeps decoded records for reuse until they add up to 64 MiB of stored bytes, then empties that
 * cache. So each operation loads the next version of a cycle over more versions than that (every version of every
 * template, in key order): by the time a version comes round again, the cache has been emptied since its last
 * load, and every load decodes. The database holds templates with 5 versions each, the nine example templates in
 * turn ({@code templates=examples}) or the long system prompt of {@link RegistryFixtures#largeTemplate()}
 * ({@code templates=large}), written with {@code compressHistory} off or on. The cycle's length is chosen from the
 * sizes of the records so that the stored versions add up to at least 1.5 × 64 MiB.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbFirstLoadBenchmark {
    static final int VERSIONS = 5;
    /** The bound of the registry's cache of decoded records ({@code LmdbRegistry.DECODED_CACHE_BYTES}). */
    static final long DECODED_CACHE_BYTES = 64L * 1024 * 1024;
    static final int BATCH = 10_000;

    @Param({"false", "true"})
    public boolean compressHistory;

    @Param({"examples", "large"})
    public String templates;

    Path dir;
    LmdbRegistry registry;
    String[] ids;
    String[] versions;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        List<TemplateSpec> examples = templates.equals("large") ? List.of(RegistryFixtures.largeTemplate())
                : RegistryFixtures.examples();
        long bytesPerRound = 0; // the stored bodies of one revision of each example
        for (TemplateSpec example : examples) {
            bytesPerRound += StorageSizes.body(RegistryFixtures.revision(example, "t00000", 0), compressHistory);
        }
        long versionsNeeded = (long) Math.ceil(1.5 * DECODED_CACHE_BYTES * examples.size() / bytesPerRound);
        int count = (int) ((versionsNeeded + VERSIONS - 1) / VERSIONS);

        dir = RegistryFixtures.tempDir("lmdb-first-load");
        registry = LmdbRegistry.builder(dir).mapSize(2L << 30).compressHistory(compressHistory).build();
        for (int n = 0; n < VERSIONS; n++) {
            RegistryFixtures.saveInBatches(registry, RegistryFixtures.revisions(examples, count, n), BATCH);
        }
        List<String> cycleIds = new ArrayList<>();
        List<String> cycleVersions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int n = 0; n < VERSIONS; n++) {
                cycleIds.add(RegistryFixtures.id(i));
                cycleVersions.add(RegistryFixtures.version(n));
            }
        }
        ids = cycleIds.toArray(new String[0]);
        versions = cycleVersions.toArray(new String[0]);
        TemplateSpec sample = registry.load(ids[ids.length - 1], versions[versions.length - 1]);
        if (!sample.equals(RegistryFixtures.revision(examples.get((count - 1) % examples.size()),
                ids[ids.length - 1], VERSIONS - 1))) {
            throw new IllegalStateException("the last version reads back different");
        }
        System.out.printf("%n%,d templates × %d versions; stored bodies about %,d bytes in all%n", count, VERSIONS,
                bytesPerRound * count * VERSIONS / examples.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public TemplateSpec firstLoad() {
        int i = next;
        next = i + 1 == ids.length ? 0 : i + 1;
        return registry.load(ids[i], versions[i]);
    }
}
