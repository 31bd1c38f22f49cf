package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
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
 * Average time of {@link LmdbRegistry#search} over the 100,000 templates of {@link SearchFixture}, saved with
 * {@code saveAll} in batches of 10,000:
 * <ul>
 * <li>{@code oneTag}: the ids with one tag (about 5,000), the 50 tags in turn;</li>
 * <li>{@code tagAndTeam}: the ids with one tag and one {@code team} value (about 500), the 500 pairs in turn.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbSearchBenchmark {
    static final int BATCH = 10_000;

    Path dir;
    LmdbRegistry registry;
    SearchFixture fixture;
    int nextTag;
    int nextPair;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new SearchFixture();
        dir = RegistryFixtures.tempDir("lmdb-search");
        registry = LmdbRegistry.builder(dir).mapSize(1L << 30).build();
        RegistryFixtures.saveInBatches(registry, fixture.specs, BATCH);
        fixture.check(registry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public List<String> oneTag() {
        int t = nextTag;
        nextTag = t + 1 == SearchFixture.TAGS.size() ? 0 : t + 1;
        return fixture.oneTag(registry, t);
    }

    @Benchmark
    public List<String> tagAndTeam() {
        int p = nextPair;
        nextPair = p + 1 == SearchFixture.PAIRS ? 0 : p + 1;
        return fixture.tagAndTeam(registry, p);
    }
}
