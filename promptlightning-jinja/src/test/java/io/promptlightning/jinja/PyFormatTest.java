package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PyFormat} against CPython 3.11: every case in {@code format/format_cases.json}, written by
 * {@code gen_format_cases.py} (its docstring describes the value encoding), must give Python's output or
 * Python's error, except the {@link #DEVIATIONS} listed below.
 */
class PyFormatTest {
    private static final String CASES = "/format/format_cases.json";

    /** What formatting produced: the text, or the kind of error and its message. */
    private record Outcome(String output, String error, String message) {
        static Outcome output(String text) {
            return new Outcome(text, null, null);
        }

        static Outcome error(String kind, String message) {
            return new Outcome(null, kind, message);
        }
    }

    /**
     * Python's exception class to the engine's error kind. KeyError, IndexError, AttributeError and
     * OverflowError have no kind of their own: PyFormat reports them as ValueError with Python's message.
     */
    private static final Map<String, String> KINDS = Map.of(
            "TypeError", "TYPE_ERROR",
            "ValueError", "VALUE_ERROR",
            "KeyError", "VALUE_ERROR",
            "IndexError", "VALUE_ERROR",
            "AttributeError", "VALUE_ERROR",
            "OverflowError", "VALUE_ERROR",
            "UndefinedError", "UNDEFINED");

    /** Cases where the engine knowingly differs from Python: why, and what the engine does instead. */
    private record Deviation(String reason, Outcome engine) {
    }

    private static final Map<String, Deviation> DEVIATIONS = Map.of(
            "format '{0.a}' ({'a': 1})", new Deviation(
                    "A Java Map stands for a dict and for an object alike, so .name looks up the key; Python "
                            + "only finds a dict's real attributes.",
                    Outcome.output("1")),
            "format '{0.b}' (namespace(a=1))", new Deviation(
                    "An object reaches templates as a Map, so a missing attribute is reported against 'dict' "
                            + "rather than the object's class.",
                    Outcome.error("VALUE_ERROR", "'dict' object has no attribute 'b'")),
            "format '{0.real}' (5)", new Deviation(
                    "Attributes of numbers and strings (int.real, str.upper...) are not modelled.",
                    Outcome.error("VALUE_ERROR", "'int' object has no attribute 'real'")));

    static Stream<Named<JsonNode>> cases() {
        JsonNode all = PyJson.readResource(CASES);
        return StreamSupport.stream(all.spliterator(), false).map(c -> Named.of(c.get("id").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPython(JsonNode c) {
        Deviation deviation = DEVIATIONS.get(c.get("id").asText());
        if (deviation == null) {
            assertEquals(pythonOutcome(c), run(c));
            return;
        }
        assertNotEquals(pythonOutcome(c), deviation.engine(), "listed as a deviation but Python agrees");
        assertEquals(deviation.engine(), run(c), "deviation: " + deviation.reason());
    }

    @Test
    void everyDeviationNamesAnExistingCase() throws IOException {
        List<String> ids = cases().map(Named::getName).toList();
        for (String id : DEVIATIONS.keySet()) {
            assertTrue(ids.contains(id), "no such case: " + id);
        }
    }

    private static Outcome pythonOutcome(JsonNode c) {
        if (c.has("expect")) {
            return Outcome.output(c.get("expect").asText());
        }
        JsonNode error = c.get("error");
        String kind = KINDS.get(error.get("type").asText());
        assertTrue(kind != null, "unmapped Python exception " + error.get("type"));
        return Outcome.error(kind, error.get("message").asText());
    }

    private static Outcome run(JsonNode c) {
        String format = c.get("format").asText();
        try {
            if (c.get("op").asText().equals("percent")) {
                return Outcome.output(PyFormat.percent(format, decode(c.get("args"))));
            }
            @SuppressWarnings("unchecked")
            List<Object> args = (List<Object>) decode(c.get("args"));
            Map<String, Object> kwargs = new LinkedHashMap<>();
            c.get("kwargs").fields().forEachRemaining(e -> kwargs.put(e.getKey(), decode(e.getValue())));
            return Outcome.output(PyFormat.strFormat(format, args, kwargs));
        } catch (TemplateRuntimeException e) {
            return Outcome.error(e.kind().name(), e.detail());
        } catch (UndefinedException e) {
            return Outcome.error("UNDEFINED", e.detail());
        }
    }

    /** A template value from the generator's JSON encoding. */
    private static Object decode(JsonNode node) {
        Object scalar = PyJson.scalar(node);
        if (scalar != PyJson.NOT_SCALAR) {
            return scalar;
        }
        if (node.isArray()) {
            return decodeList(node);
        }
        Iterator<String> names = node.fieldNames();
        String tag = names.hasNext() ? names.next() : "";
        if (!tag.startsWith("$")) {
            return decodeMap(node);
        }
        JsonNode body = node.get(tag);
        switch (tag) {
            case "$float":
                return Double.parseDouble(body.asText().replace("inf", "Infinity").replace("nan", "NaN"));
            case "$tuple":
                return PyTuple.of(decodeList(body));
            case "$markup":
                return new Markup(body.asText());
            case "$dict":
                Map<Object, Object> map = new LinkedHashMap<>();
                body.forEach(pair -> map.put(decode(pair.get(0)), decode(pair.get(1))));
                return map;
            case "$range":
                return new PyRange(body.get(0).longValue(), body.get(1).longValue(), body.get(2).longValue());
            case "$keys":
                return new DictView("dict_keys", decodeList(body));
            case "$namespace":
                return new Namespace(decodeMap(body));
            case "$object":
                return decodeMap(body);
            case "$undefined":
                return body.asText().equals("strict") ? Undefined.variable(node.get("name").asText()) : Undefined.LENIENT;
            default:
                throw new IllegalArgumentException("unknown encoding " + tag);
        }
    }

    private static List<Object> decodeList(JsonNode node) {
        List<Object> list = new ArrayList<>();
        node.forEach(item -> list.add(decode(item)));
        return list;
    }

    private static Map<String, Object> decodeMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), decode(e.getValue())));
        return map;
    }
}
