package io.promptlightning.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.promptlightning.Registry;
import io.promptlightning.TemplateSpec;

/**
 * The templates the search benchmarks look through: 100,000 of them (the nine example templates in turn), whose
 * metadata has 2 or 3 of 50 tags (so a tag matches about 5,000 ids) and a {@code team}, one of 10 (about 10,000 ids
 * each), drawn at random with a fixed seed; and the queries, one per tag and one per tag and team.
 */
final class SearchFixture {
    static final int TEMPLATES = 100_000;
    static final List<String> TAGS = List.of("summarization", "classification", "extraction", "translation",
            "sentiment", "chat", "support", "sales", "marketing", "email", "legal", "finance", "medical", "hr",
            "onboarding", "search", "rag", "agent", "planning", "analysis", "report", "code", "review", "sql",
            "json", "qa", "faq", "moderation", "safety", "tone", "rewrite", "outline", "brainstorm", "product",
            "pricing", "research", "news", "social", "seo", "ads", "ecommerce", "travel", "education", "tutor",
            "health", "insurance", "banking", "retail", "logistics", "internal");
    static final List<String> TEAMS = List.of("platform", "growth", "support", "sales", "legal", "finance",
            "research", "education", "operations", "security");
    static final int PAIRS = TAGS.size() * TEAMS.size();

    final List<TemplateSpec> specs = new ArrayList<>(TEMPLATES);
    final List<List<String>> tagQueries = new ArrayList<>();
    final List<Map<String, String>> teamQueries = new ArrayList<>();
    private final int[] tagCounts = new int[TAGS.size()];

    SearchFixture() {
        List<TemplateSpec> examples = RegistryFixtures.examples();
        SplittableRandom random = new SplittableRandom(20_240_501);
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
        for (String tag : TAGS) {
            tagQueries.add(List.of(tag));
        }
        for (String team : TEAMS) {
            teamQueries.add(Map.of("team", team));
        }
    }

    List<String> oneTag(Registry registry, int tag) {
        return registry.search(tagQueries.get(tag), Map.of());
    }

    /** Pair {@code p}: tag {@code p % 50} and team {@code p / 50}. */
    List<String> tagAndTeam(Registry registry, int pair) {
        return registry.search(tagQueries.get(pair % TAGS.size()), teamQueries.get(pair / TAGS.size()));
    }

    /** Checks that every tag finds the ids tagged with it, and prints how many ids the queries find. */
    void check(Registry registry) {
        for (int t = 0; t < TAGS.size(); t++) {
            int found = oneTag(registry, t).size();
            if (found != tagCounts[t]) {
                throw new IllegalStateException(TAGS.get(t) + ": " + found + " ids found, " + tagCounts[t]
                        + " tagged");
            }
        }
        long pairMatches = 0;
        for (int p = 0; p < PAIRS; p++) {
            pairMatches += tagAndTeam(registry, p).size();
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int count : tagCounts) {
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        System.out.printf("%nids per tag: %,d to %,d; per tag and team: %,d on average%n", min, max,
                pairMatches / PAIRS);
    }
}
