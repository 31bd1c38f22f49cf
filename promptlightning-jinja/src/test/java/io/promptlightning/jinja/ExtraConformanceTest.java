package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
            "x_flt_default_boolean_kw_error", "filter arity errors name the filter, not Jinja2's Python function",
            "x_flt_missing_required_arg", "filter arity errors name the filter, not Jinja2's Python function",
            "x_flt_too_many_args", "filter arity errors name the filter, not Jinja2's Python function",
            "x_flt_unknown_kwarg", "filter arity errors name the filter, not Jinja2's Python function");

    /**
     * Cases where the engine knowingly behaves differently from Jinja2, with the reason and what the engine does
     * instead (asserted, so an entry that stops being true fails).
     */
    private static final Map<String, Deviation> DEVIATIONS = Map.of(
            "x_block_standalone", Deviation.unsupported("block", "template inheritance is not supported"),
            "x_syn_block_duplicate", Deviation.unsupported("block", "template inheritance is not supported"),
            "x_syn_extends_no_loader", Deviation.unsupported("extends", "template inheritance is not supported"),
            "x_autoescape_block", Deviation.unsupported("autoescape", "autoescaping is not supported"),
            "x_more_urlize", Deviation.error(TemplateSyntaxException.class, "No filter named 'urlize'.",
                    "the urlize filter (HTML links) is not implemented"),
            "x_flt_yaml_markup_value", Deviation.output("- '&lt;b&gt;'",
                    "yaml prints an escaped string as the string it is; PyYAML refuses the Markup subclass"),
            "x_test_sequence_iterable_on_builtins", Deviation.output("True True True False True False True True True"
                    + " False False", "map/select/reject return lists, which are sequences; Jinja2 returns generators"),
            "x_undef_in_call_argument", Deviation.error(UndefinedException.class, "'sep' is undefined",
                    "an undefined argument to a Python method raises the undefined error that names it; Jinja2"
                            + " passes the undefined object on and the method fails with a TypeError"));

    /** What the engine does for a case it deliberately renders differently from Jinja2. */
    private static final class Deviation {
        final String reason;
        final String output;
        final Class<? extends TemplateException> error;
        final String detail;

        private Deviation(String reason, String output, Class<? extends TemplateException> error, String detail) {
            this.reason = reason;
            this.output = output;
            this.error = error;
            this.detail = detail;
        }

        static Deviation output(String output, String reason) {
            return new Deviation(reason, output, null, null);
        }

        static Deviation error(Class<? extends TemplateException> error, String detail, String reason) {
            return new Deviation(reason, null, error, detail);
        }

        static Deviation unsupported(String tag, String reason) {
            return error(TemplateSyntaxException.class, "The '" + tag + "' tag is not supported by this engine.",
                    reason);
        }

        void check(String name, JsonNode node) {
            Template t;
            Map<String, Object> context = PyJson.toMap(node.get("context"));
            if (output != null) {
                t = ENV.compile(name, node.get("template").asText());
                assertEquals(output, t.render(context), reason);
                return;
            }
            TemplateException e = assertThrows(error, () -> ENV.compile(name, node.get("template").asText())
                    .render(context), reason);
            assertEquals(detail, e.detail(), reason);
        }
    }

    static Stream<Arguments> cases() {
        return ConformanceTest.casesIn("/conformance/extra_cases.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesJinja2(String name, JsonNode node) {
        Deviation deviation = DEVIATIONS.get(name);
        if (deviation != null) {
            deviation.check(name, node);
        } else {
            ConformanceTest.check(ENV, name, node, KNOWN_DIFFERENCES);
        }
    }

    @Test
    void everyListedDifferenceIsARealCase() {
        List<String> names = new ArrayList<>();
        cases().forEach(a -> names.add((String) a.get()[0]));
        assertTrue(names.containsAll(KNOWN_DIFFERENCES.keySet()), "stale entries in KNOWN_DIFFERENCES");
        assertTrue(names.containsAll(DEVIATIONS.keySet()), "stale entries in DEVIATIONS");
        assertTrue(names.size() >= 200, "the extra corpus shrank: " + names.size());
    }
}
