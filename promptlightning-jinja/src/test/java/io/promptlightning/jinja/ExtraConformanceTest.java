package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the extra reference cases made by real Jinja2 3.1.2 ({@code conformance/extra_cases.json}, written by
 * {@code conformance/gen_extra_cases.py}) and compares them exactly like {@link ConformanceTest}.
 */
class ExtraConformanceTest {
    private static final Environment ENV = Environment.promptLightning();

    /** Error messages that differ from Jinja2's on purpose, with the reason. Type and line must still match. */
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.of();

    static Stream<Arguments> cases() {
        return ConformanceTest.casesIn("/conformance/extra_cases.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesJinja2(String name, JsonNode node) {
        ConformanceTest.check(ENV, name, node, KNOWN_DIFFERENCES);
    }

    @Test
    void everyListedDifferenceIsARealCase() {
        List<String> names = new ArrayList<>();
        cases().forEach(a -> names.add((String) a.get()[0]));
        assertTrue(names.containsAll(KNOWN_DIFFERENCES.keySet()), "stale entries in KNOWN_DIFFERENCES");
        assertTrue(names.size() >= 200, "the extra corpus shrank: " + names.size());
    }
}
