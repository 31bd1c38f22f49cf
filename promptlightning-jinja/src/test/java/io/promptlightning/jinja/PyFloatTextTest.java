package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyFloatTextTest {

    /**
     * What Python's float() makes of thousands of strings, and what Jinja2's float filter renders for them
     * (values/float_text_cases.json, from gen_float_text_cases.py).
     */
    @Test
    void readsEveryStringAsPythonsFloatDoes() {
        Template filter = Environment.promptLightning().compile("t", "{{ x|float }}");
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (JsonNode c : PyJson.readResource("/values/float_text_cases.json")) {
            String text = c.get("text").asText();
            String expected = c.get("float").isNull() ? null : c.get("float").asText();
            Double parsed = PythonValues.parseFloat(text);
            String actual = parsed == null ? null : Py.floatRepr(parsed);
            if (!java.util.Objects.equals(expected, actual)) {
                mismatches.add(Py.repr(text) + ": float() gives " + expected + ", parsed " + actual);
            }
            String rendered = filter.render(Map.of("x", text));
            if (!rendered.equals(expected == null ? "0.0" : expected)) {
                mismatches.add(Py.repr(text) + ": |float gives " + expected + ", rendered " + rendered);
            }
            n++;
        }
        assertTrue(n > 3000, "too few cases: " + n);
        assertEquals(List.of(), mismatches);
    }

    @Test
    void theLiteralIsTheNumberInAsciiWithoutWhitespaceOrUnderscores() {
        assertEquals("1000", PythonValues.floatLiteral(" 1_000\n"));
        assertEquals("-12.5e3", PythonValues.floatLiteral("\u00a0-\u0661\u0662.5e3"));
        assertEquals("99999999999999999999", PythonValues.floatLiteral("99999999999999999999"));
        assertEquals("-inf", PythonValues.floatLiteral("-Inf"));
        assertEquals("+infinity", PythonValues.floatLiteral("+INFINITY"));
        assertEquals("nan", PythonValues.floatLiteral("NaN"));
        assertNull(PythonValues.floatLiteral("1__000"));
        assertNull(PythonValues.floatLiteral("0x10"));
    }
}
