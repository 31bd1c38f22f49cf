package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptlightning.jinja.PythonValues;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputTypeTest {

    private static void mismatch(InputType type, Object value) {
        ValidationException e = assertThrows(ValidationException.class, () -> type.coerce("x", value));
        assertEquals("type mismatch for 'x': expected " + type.wireName(), e.detail());
    }

    @Test
    void stringTakesThePythonStringFormOfAnyValue() {
        assertEquals("abc", InputType.STRING.coerce("x", "abc"));
        assertEquals("42", InputType.STRING.coerce("x", 42));
        assertEquals("2.0", InputType.STRING.coerce("x", 2.0));
        assertEquals("True", InputType.STRING.coerce("x", true));
        assertEquals("None", InputType.STRING.coerce("x", null));
        assertEquals("['a', 1]", InputType.STRING.coerce("x", List.of("a", 1)));
    }

    @Test
    void numberKeepsIntsAndFloatsAndReadsTextAsPythonsFloatDoes() {
        assertEquals(3L, InputType.NUMBER.coerce("x", 3));
        assertEquals(2.5, InputType.NUMBER.coerce("x", 2.5));
        assertEquals(2.0, InputType.NUMBER.coerce("x", 2.0));
        assertEquals(new BigInteger("123456789012345678901234"),
                InputType.NUMBER.coerce("x", new BigInteger("123456789012345678901234")));
        assertEquals(42.0, InputType.NUMBER.coerce("x", " 42 "));
        assertEquals(4.25, InputType.NUMBER.coerce("x", "4.25"));
        assertEquals(1.2345678901234568e23, InputType.NUMBER.coerce("x", "123456789012345678901234"));
        assertEquals(1000.0, InputType.NUMBER.coerce("x", "1_000"));
        assertEquals(Double.NEGATIVE_INFINITY, InputType.NUMBER.coerce("x", "-Infinity"));
        mismatch(InputType.NUMBER, true);
        mismatch(InputType.NUMBER, List.of(1));
    }

    /**
     * A number input given as text renders as the original renders it: Python's float() of the text, printed as
     * Python prints a float; numbers given as numbers keep their type. An integer input keeps whole numbers whole.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "number|5|5.0", "number|12|12.0", "number|99999999999999999999|1e+20", "number|1_000|1000.0",
        "number|\" 5 \"|5.0", "number|inf|inf", "number|-Infinity|-inf", "number|NaN|nan", "number|1e3|1000.0",
        "number|-0|-0.0", "number|0.1|0.1", "number|1e-5|1e-05", "number|.5|0.5", "number|1e16|1e+16",
        "integer|5|5", "integer|99999999999999999999|99999999999999999999", "integer|1_000|1000", "integer|1e3|1000",
        "integer|12.0|12", "integer|-0|0", "integer|\" 7 \"|7"})
    void numbersGivenAsTextRenderAsTheOriginalRendersThem(String type, String text, String rendered) {
        TemplateSpec spec = new TemplateSpec("t", null, null, "{{ n }}",
                Map.of("n", InputSpec.of(InputType.of(type), true)), null);
        assertEquals(rendered, spec.compile().render(spec.coerceInputs(Map.of("n", text))));
    }

    @Test
    void numbersGivenAsNumbersKeepTheirType() {
        TemplateSpec spec = new TemplateSpec("t", null, null, "{{ n }}",
                Map.of("n", InputSpec.of(InputType.NUMBER, true)), null);
        assertEquals("5", spec.compile().render(spec.coerceInputs(Map.of("n", 5))));
        assertEquals("5.0", spec.compile().render(spec.coerceInputs(Map.of("n", 5.0))));
        assertEquals("100000000000000000000", spec.compile().render(spec.coerceInputs(Map.of("n",
                new BigInteger("100000000000000000000")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"four", "", " ", "1__000", "_1", "1_", "0x10", "5d", "1,5", "1e", "++5", "infinite", "∞"})
    void textThatPythonsFloatRefusesIsAnErrorNamingTheInput(String text) {
        ValidationException e = assertThrows(ValidationException.class, () -> InputType.NUMBER.coerce("count", text));
        assertEquals("type mismatch for 'count': expected number, got " + PythonValues.repr(text)
                + " (a number such as 12, -1.5, 1_000, 1e3, inf or nan)", e.detail());
    }

    @Test
    void arrayOfNumbersReadsEachTextAsANumber() {
        assertEquals(List.of(1.0, 2.5, 3L), InputType.ARRAY_NUMBER.coerce("x", List.of("1", "2.5", 3)));
        ValidationException e = assertThrows(ValidationException.class,
                () -> InputType.ARRAY_NUMBER.coerce("xs", List.of("1", "two")));
        assertEquals("type mismatch for 'xs': expected array<number>, got 'two' (a number such as 12, -1.5, 1_000,"
                + " 1e3, inf or nan)", e.detail());
    }

    @Test
    void integerAcceptsIntegralValuesOnly() {
        assertEquals(7L, InputType.INTEGER.coerce("x", 7));
        assertEquals(7L, InputType.INTEGER.coerce("x", 7.0));
        assertEquals(7L, InputType.INTEGER.coerce("x", "7"));
        assertEquals(new BigInteger("123456789012345678901234"), InputType.INTEGER.coerce("x",
                "123456789012345678901234"));
        mismatch(InputType.INTEGER, 7.5);
        mismatch(InputType.INTEGER, false);
        for (String text : List.of("7.5", "inf", "nan", "1e-3", "seven", "1e99999")) {
            ValidationException e = assertThrows(ValidationException.class, () -> InputType.INTEGER.coerce("n", text));
            assertEquals("type mismatch for 'n': expected integer, got " + PythonValues.repr(text)
                    + " (a whole number such as 12, -3, 1_000 or 1e3)", e.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "Y", " y "})
    void booleanTrueWords(String word) {
        assertEquals(true, InputType.BOOLEAN.coerce("x", word));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "False", "no", "N", "off"})
    void booleanFalseWords(String word) {
        assertEquals(false, InputType.BOOLEAN.coerce("x", word));
    }

    @Test
    void booleanRefusesOtherWordsWhereTheOriginalSilentlyGaveFalse() {
        mismatch(InputType.BOOLEAN, "maybe");
        mismatch(InputType.BOOLEAN, "");
        mismatch(InputType.BOOLEAN, List.of());
    }

    @Test
    void booleanFromNumbersIsNonZero() {
        assertEquals(true, InputType.BOOLEAN.coerce("x", 2));
        assertEquals(false, InputType.BOOLEAN.coerce("x", 0.0));
        assertEquals(true, InputType.BOOLEAN.coerce("x", true));
    }

    @Test
    void arrayOfStringsWrapsAStringAndKeepsAListOfStrings() {
        assertEquals(List.of("a"), InputType.ARRAY_STRING.coerce("x", "a"));
        assertEquals(List.of("a", "b"), InputType.ARRAY_STRING.coerce("x", List.of("a", "b")));
        mismatch(InputType.ARRAY_STRING, List.of("a", 1));
        mismatch(InputType.ARRAY_STRING, 5);
    }

    @Test
    void arraysOfNumbersObjectsAndAnything() {
        assertEquals(List.of(1L, 2.5), InputType.ARRAY_NUMBER.coerce("x", List.of(1, 2.5)));
        mismatch(InputType.ARRAY_NUMBER, List.of(1, true));
        assertEquals(List.of(Map.of("title", "t")), InputType.ARRAY_OBJECT.coerce("x", List.of(Map.of("title", "t"))));
        mismatch(InputType.ARRAY_OBJECT, List.of("t"));
        assertEquals(List.of(1, "a", List.of()), InputType.ARRAY.coerce("x", List.of(1, "a", List.of())));
        mismatch(InputType.ARRAY, "a");
    }

    @Test
    void objectKeepsAMap() {
        assertEquals(Map.of("k", 1), InputType.OBJECT.coerce("x", Map.of("k", 1)));
        mismatch(InputType.OBJECT, List.of());
    }

    @Test
    void typesByWireName() {
        for (InputType t : InputType.values()) {
            assertEquals(t, InputType.of(t.wireName()));
        }
        ValidationException e = assertThrows(ValidationException.class, () -> InputType.of("list"));
        assertEquals(true, e.detail().startsWith("unknown input type 'list' (known types: string, number"));
    }
}
