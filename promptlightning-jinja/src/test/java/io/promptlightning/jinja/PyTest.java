package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PyTest {

    /** Python's repr() of thousands of doubles (values/float_repr_cases.json, from gen_float_cases.py). */
    @Test
    void floatReprIsPythonsShortestRoundTrip() {
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (JsonNode c : PyJson.readResource("/values/float_repr_cases.json")) {
            double d = Double.longBitsToDouble(c.get("bits").asLong());
            String expected = c.get("repr").asText();
            String actual = Py.floatRepr(d);
            if (!expected.equals(actual)) {
                mismatches.add(expected + " != " + actual);
            }
            n++;
        }
        assertTrue(n > 5000, "too few cases: " + n);
        assertEquals(List.of(), mismatches);
    }

    @Test
    void intArithmeticOverflowsIntoBigInteger() {
        assertEquals(new BigInteger("9223372036854775808"), Py.add(Long.MAX_VALUE, 1L));
        assertEquals(Long.MIN_VALUE, Py.sub(Py.neg(Long.MAX_VALUE), 1L));
        assertEquals(new BigInteger("85070591730234615847396907784232501249"), Py.mul(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(4L, Py.add(new BigInteger("2"), 2L));
    }

    @Test
    void trueDivisionOfBigIntsRoundsOnce() {
        assertEquals("9007199254740994.0", Py.str(Py.truediv(27021597764222980L, 3L)));
        assertEquals("1.7636684144620812e+19", Py.str(Py.truediv(new BigInteger("123456789012345678901"), 7L)));
    }

    @Test
    void rangeSizeOfExtremeBounds() {
        assertEquals(3, new PyRange(Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE).size());
        assertEquals(0, new PyRange(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE).size());
        assertEquals(3, new PyRange(5, 0, -2).size());
    }

    @Test
    void floorDivisionAndModuloFollowPythonSigns() {
        assertEquals(-4L, Py.floordiv(-7L, 2L));
        assertEquals(2L, Py.mod(-7L, 3L));
        assertEquals(-2L, Py.mod(7L, -3L));
        assertEquals(-4.0, Py.floordiv(-7.5, 2L));
        assertEquals(1.5, Py.mod(-0.5, 2L));
        assertEquals("-0.0", Py.str(Py.mod(0.0, -2.0)));
    }

    @Test
    void hugePowersAreRefusedNotComputed() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class, () -> Py.pow(10L, 10_000_000L));
        assertEquals(TemplateRuntimeException.Kind.LIMIT_EXCEEDED, e.kind());
    }

    @Test
    void stringsCompareByCodePoint() {
        // U+FF61 sorts before U+1F600 by code point, but after its surrogate pair by UTF-16 unit.
        assertTrue(Py.compare("\uff61", "\ud83d\ude00", "<") < 0);
    }
}
