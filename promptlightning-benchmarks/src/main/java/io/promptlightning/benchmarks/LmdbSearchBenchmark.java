package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Average time of {@link LmdbRegistry#search} over 100,000 templates (the nine example templates in turn, saved with
 * {@code saveAll} in batches of 10,000), whose metadata has 2 or 3 of 50 tags (so a tag matches about 5,000 ids) and
 * a {@code team}, one of 10 (about 10,000 ids each), drawn at random with a fixed seed:
 * <ul>
 * <li>{@code oneTag}: the ids with one tag, the 50 tags in turn;</li>
 * <li>{@code tagAndTeam}: the ids with one tag and one team (about 500), the 500 pairs in turn.</li>
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
    static final int TEMPLATES = 100_000;
    static final int BATCH = 10_000;
    static final List<String> TAGS = List.of("summarization", "classification", "extraction", "translation",
            "sentiment", "chat", "support", "sales", "marketing", "email", "legal", "finance", "medical", "hr",
            "onboarding", "search", "rag", "agent", "planning", "analysis", "report", "code", "review", "sql",
            "json", "qa", "faq", "moderation", "safety", "tone", "rewrite", "outline", "brainstorm", "product",
            "pricing", "research", "news", "social", "seo", "ads", "ecommerce", "travel", "education", "tutor",
            "health", "insurance", "banking", "retail", "logistics", "internal");
    static final List<String> TEAMS = List.of("platform", "growth", "support", "sales", "legal", "finance",
            "research", "education", "operations", "security");

    Path dir;
    LmdbRegistry registry;
    List<List<String>> tagQueries = new ArrayList<>();
    List<Map<String, String>> teamQueries = new ArrayList<>();
    int nextTag;
    int nextPair;

    @Setup(Level.Trial)
    public void setUp() {
        List<TemplateSpec> examples = RegistryFixtures.examples();
        SplittableRandom random = new SplittableRandom(20_240_501);
        int[] tagCounts = new int[TAGS.size()];
        List<TemplateSpec> specs = new ArrayList<>(TEMPLATES);
        for (int i = 0; i < TEMPLATES; i++) {
            TemplateSpec example = examples.get(i % examples.size());
            List<String> tags = new ArrayList<>();
            int howMany = 2 + random.nextInt(2);
            while (tags.size() < howMany) {
                int t = random.nextInt(TAGS.size());
                if (!tags.contains(TAGS.get(t))) {
                    tags.add(TAGS.get(t));
                    tagCounts[t]++;
                }
            }
            Map<String, Object> metadata = new LinkedHashMap<>(example.metadata());
            metadata.put("tags", tags);
            metadata.put("team", TEAMS.get(random.nextInt(TEAMS.size())));
            specs.add(new TemplateSpec(RegistryFixtures.id(i), example.version(), example.description(),
                    example.template(), example.inputs(), metadata));
        }
        dir = RegistryFixtures.tempDir("lmdb-search");
        registry = LmdbRegistry.builder(dir).mapSize(1L << 30).build();
        RegistryFixtures.saveInBatches(registry, specs, BATCH);

        for (int t = 0; t < TAGS.size(); t++) {
            tagQueries.add(List.of(TAGS.get(t)));
            int found = registry.search(tagQueries.get(t), Map.of()).size();
            if (found != tagCounts[t]) {
                throw new IllegalStateException(TAGS.get(t) + ": " + found + " ids found, " + tagCounts[t]
                        + " tagged");
            }
        }
        for (String team : TEAMS) {
            teamQueries.add(Map.of("team", team));
        }
        long pairMatches = 0;
        for (int p = 0; p < TAGS.size() * TEAMS.size(); p++) {
            pairMatches += tagAndTeam(p).size();
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int count : tagCounts) {
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        System.out.printf("%nids per tag: %,d to %,d; per tag and team: %,d on average%n", min, max,
                pairMatches / (TAGS.size() * TEAMS.size()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    private List<String> tagAndTeam(int pair) {
        Collection<String> tag = tagQueries.get(pair % TAGS.size());
        return registry.search(tag, teamQueries.get(pair / TAGS.size()));
    }

    @Benchmark
    public List<String> oneTag() {
        int t = nextTag;
        nextTag = t + 1 == TAGS.size() ? 0 : t + 1;
        return registry.search(tagQueries.get(t), Map.of());
    }

    @Benchmark
    public List<String> tagAndTeam() {
        int p = nextPair;
        nextPair = p + 1 == TAGS.size() * TEAMS.size() ? 0 : p + 1;
        return tagAndTeam(p);
    }
}
