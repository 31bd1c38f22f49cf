package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
    void numberKeepsIntsAndFloatsAndParsesNumericStrings() {
        assertEquals(3L, InputType.NUMBER.coerce("x", 3));
        assertEquals(2.5, InputType.NUMBER.coerce("x", 2.5));
        assertEquals(2.0, InputType.NUMBER.coerce("x", 2.0));
        assertEquals(42L, InputType.NUMBER.coerce("x", " 42 "));
        assertEquals(4.25, InputType.NUMBER.coerce("x", "4.25"));
        assertEquals(new BigInteger("123456789012345678901234"), InputType.NUMBER.coerce("x", "123456789012345678901234"));
        mismatch(InputType.NUMBER, true);
        mismatch(InputType.NUMBER, "four");
        mismatch(InputType.NUMBER, List.of(1));
    }

    @Test
    void integerAcceptsIntegralValuesOnly() {
        assertEquals(7L, InputType.INTEGER.coerce("x", 7));
        assertEquals(7L, InputType.INTEGER.coerce("x", 7.0));
        assertEquals(7L, InputType.INTEGER.coerce("x", "7"));
        mismatch(InputType.INTEGER, 7.5);
        mismatch(InputType.INTEGER, "7.5");
        mismatch(InputType.INTEGER, false);
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
