package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptlightning.jinja.TemplateRuntimeException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every reference case made by real Jinja2 3.1.2 with the original library's settings
 * ({@code conformance/cases.json}, written by {@code conformance/gen_cases.py}) and compares the output byte
 * for byte, or the error's type, line and message.
 */
class ConformanceTest {
    private static final Environment ENV = Environment.promptLightning();

    /**
     * Error messages that differ from Jinja2's on purpose, with the reason. The error type and line still match.
     */
    private static final Map<String, String> MESSAGE_DIFFERENCES = Map.of(
            "undef_passed_to_yaml_filter",
            "PyYAML fails with RepresenterError \"('cannot represent an object', Undefined)\"; we raise the"
                    + " UndefinedException of the value itself, which names the variable");

    static Stream<Arguments> cases() {
        return casesIn("/conformance/cases.json");
    }

    static Stream<Arguments> casesIn(String resource) {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : PyJson.readResource(resource).get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesJinja2(String name, JsonNode c) {
        check(ENV, name, c, MESSAGE_DIFFERENCES);
    }

    static void check(Environment env, String name, JsonNode c, Map<String, String> messageDifferences) {
        String source = c.get("template").asText();
        Map<String, Object> context = PyJson.toMap(c.get("context"));
        if (c.has("expected")) {
            String out = env.compile(name, source).render(context);
            assertEquals(c.get("expected").asText(), out, "output of " + name);
            return;
        }
        String error = c.get("error").asText();
        TemplateException e = assertThrows(TemplateException.class,
                () -> env.compile(name, source).render(context), name + " should fail with " + error);
        switch (error) {
            case "TemplateSyntaxError":
            case "TemplateAssertionError":
                assertInstanceOf(TemplateSyntaxException.class, e, e.toString());
                break;
            case "UndefinedError":
            case "RepresenterError":
                assertInstanceOf(UndefinedException.class, e, e.toString());
                break;
            default:
                assertInstanceOf(TemplateRuntimeException.class, e, e.toString());
                assertEquals(kindOf(error), ((TemplateRuntimeException) e).kind(), e.toString());
        }
        if (c.has("error_line")) {
            assertEquals(c.get("error_line").asInt(), e.line(), "line of " + e);
        }
        assertEquals(name, e.templateName());
        if (!messageDifferences.containsKey(name)) {
            assertEquals(c.get("error_message").asText(), e.detail(), "message of " + name);
        }
    }

    private static Kind kindOf(String pythonError) {
        switch (pythonError) {
            case "TypeError": return Kind.TYPE_ERROR;
            case "ValueError": return Kind.VALUE_ERROR;
            case "ZeroDivisionError": return Kind.ZERO_DIVISION;
            case "FilterArgumentError": return Kind.FILTER_ARGUMENT;
            case "TemplateRuntimeError": return Kind.RUNTIME;
            default: throw new AssertionError("no mapping for " + pythonError);
        }
    }

    @Test
    void everyListedDifferenceIsARealCase() {
        List<String> names = new ArrayList<>();
        cases().forEach(a -> names.add((String) a.get()[0]));
        assertTrue(names.containsAll(MESSAGE_DIFFERENCES.keySet()), "stale entries in MESSAGE_DIFFERENCES");
        assertTrue(names.size() >= 195, "the reference corpus shrank: " + names.size());
    }
}
