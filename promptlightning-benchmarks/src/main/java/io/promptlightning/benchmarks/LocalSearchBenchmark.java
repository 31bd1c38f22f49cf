package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
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
 * Average time of {@link LocalRegistry#search} over the 100,000 templates of {@link SearchFixture}, as 100,000 YAML
 * files in one directory, written directly (a search reads only the templates' latest versions, which the files
 * hold; saving them through the registry would take minutes) and parsed when the registry opens, in the setup:
 * <ul>
 * <li>{@code oneTag}: the ids with one tag (about 5,000), the 50 tags in turn;</li>
 * <li>{@code tagAndTeam}: the ids with one tag and one {@code team} value (about 500), the 500 pairs in turn.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalSearchBenchmark {
    Path dir;
    LocalRegistry registry;
    SearchFixture fixture;
    int nextTag;
    int nextPair;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new SearchFixture();
        dir = RegistryFixtures.tempDir("local-search");
        RegistryFixtures.writeFiles(dir, fixture.specs);
        registry = LocalRegistry.open(dir);
        if (registry.listIds().size() != SearchFixture.TEMPLATES || !registry.problems().isEmpty()) {
            throw new IllegalStateException(registry.listIds().size() + " ids, problems " + registry.problems());
        }
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
