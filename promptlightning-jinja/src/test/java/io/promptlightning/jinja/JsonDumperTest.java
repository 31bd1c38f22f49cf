package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptlightning.jinja.TemplateRuntimeException.Kind;
import io.promptlightning.jinja.YamlDumperTest.Cases;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link JsonDumper} against Python's {@code json.dumps(..., sort_keys=True)} and Jinja2's
 * {@code htmlsafe_json_dumps}, as recorded by
 * {@code src/test/resources/serialization/gen_serialization_cases.py}.
 */
class JsonDumperTest {

    static Stream<Arguments> pythonCases() {
        return Cases.read("json_cases.json").map(c -> Arguments.of(c.get("name").textValue(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonCases")
    void matchesPython(String name, JsonNode testCase) {
        Object input = Cases.decode(testCase.get("input"));
        int indent = testCase.get("indent").isNull() ? -1 : testCase.get("indent").intValue();
        if (testCase.has("error")) {
            JsonNode error = testCase.get("error");
            Kind kind = error.get("type").textValue().equals("TypeError") ? Kind.TYPE_ERROR : Kind.VALUE_ERROR;
            TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                    () -> JsonDumper.dumps(input, indent));
            assertEquals(kind, e.kind());
            assertEquals(error.get("message").textValue(), e.detail());
            return;
        }
        assertEquals(testCase.get("expected").textValue(), JsonDumper.dumps(input, indent));
        assertEquals(testCase.get("expected_html").textValue(), JsonDumper.htmlSafeDumps(input, indent));
    }

    @Test
    void excessiveNestingIsALimitNotAStackOverflow() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> JsonDumper.dumps(Cases.nestedLists(100_000), -1));
        assertEquals(Kind.LIMIT_EXCEEDED, e.kind());
        e = assertThrows(TemplateRuntimeException.class, () -> JsonDumper.dumps(Cases.nestedMaps(201), 2));
        assertEquals(Kind.LIMIT_EXCEEDED, e.kind());
    }

    @Test
    void nestingUpToTheLimitIsWritten() {
        assertEquals("[".repeat(199) + "[]" + "]".repeat(199), JsonDumper.dumps(Cases.nestedLists(199), -1));
    }

    @Test
    void cycleThroughJavaArrayIsDetected() {
        Object[] array = new Object[1];
        array[0] = array;
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class, () -> JsonDumper.dumps(array, -1));
        assertEquals(Kind.VALUE_ERROR, e.kind());
        assertEquals("Circular reference detected", e.detail());
    }

    @Test
    void keysThatAreEqualInPythonAreOrderedByValue() {
        // 1 and 1.0 are one key in Python but two in a Java map; the (key, value) comparison decides.
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1.0, "b");
        map.put(1L, "a");
        assertEquals("{\"1\": \"a\", \"1.0\": \"b\"}", JsonDumper.dumps(map, -1));
    }
}
