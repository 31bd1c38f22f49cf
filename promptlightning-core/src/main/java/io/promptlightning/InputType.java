package io.promptlightning;

import io.promptlightning.jinja.PythonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The declared type of a template input, with the original library's coercion rules: a provided value is
 * converted to the type or rejected with {@code type mismatch for 'NAME': expected TYPE}. The original's five
 * types keep their names; {@code integer}, {@code array<number>}, {@code array<object>}, {@code array} and
 * {@code enum} are ours.
 */
public enum InputType {
    STRING("string"),
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    ARRAY_STRING("array<string>"),
    ARRAY_NUMBER("array<number>"),
    ARRAY_OBJECT("array<object>"),
    ARRAY("array"),
    OBJECT("object"),
    /** A string that must be one of the input's {@code enum} values. */
    ENUM("enum");

    private static final Set<String> TRUE_WORDS = Set.of("1", "true", "yes", "y");
    private static final Set<String> FALSE_WORDS = Set.of("0", "false", "no", "n", "off");

    private final String wireName;

    InputType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in template files and records, e.g. {@code array<string>}. */
    public String wireName() {
        return wireName;
    }

    /** @throws ValidationException naming the known types if {@code name} is none of them */
    public static InputType of(String name) {
        for (InputType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        StringBuilder known = new StringBuilder();
        for (InputType t : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(t.wireName);
        }
        throw new ValidationException("unknown input type '" + name + "' (known types: " + known + ")", null);
    }

    /**
     * Converts {@code value} to this type.
     *
     * @param name the input's name, for the error message
     * @throws ValidationException if the value cannot be converted
     */
    public Object coerce(String name, Object value) {
        Object result = convert(value);
        if (result == MISMATCH) {
            throw new ValidationException("type mismatch for '" + name + "': expected " + wireName, null);
        }
        if (result instanceof NotANumber refused) {
            throw new ValidationException("type mismatch for '" + name + "': expected " + wireName + ", got "
                    + PythonValues.repr(refused.text()) + " (" + refused.expected() + ")", null);
        }
        return result;
    }

    private static final Object MISMATCH = new Object();

    /** Text refused by a numeric type; {@code expected} says what it should look like. */
    private record NotANumber(String text, String expected) {
    }

    private static final String NUMBER_SYNTAX = "a number such as 12, -1.5, 1_000, 1e3, inf or nan";
    private static final String WHOLE_NUMBER_SYNTAX = "a whole number such as 12, -3, 1_000 or 1e3";

    private Object convert(Object value) {
        if (value == null) {
            return this == STRING ? "None" : MISMATCH;
        }
        switch (this) {
            case STRING:
            case ENUM:
                return value instanceof String ? value : PythonValues.str(value);
            case NUMBER:
                return number(value);
            case INTEGER:
                return integer(value);
            case BOOLEAN:
                return bool(value);
            case ARRAY_STRING:
                if (value instanceof String) {
                    return List.of(value);
                }
                return listOf(value, v -> v instanceof String ? v : MISMATCH);
            case ARRAY_NUMBER:
                return listOf(value, InputType::number);
            case ARRAY_OBJECT:
                return listOf(value, v -> v instanceof Map ? v : MISMATCH);
            case ARRAY:
                return value instanceof Collection ? new ArrayList<>((Collection<?>) value) : MISMATCH;
            case OBJECT:
                return value instanceof Map ? value : MISMATCH;
            default:
                throw new IllegalStateException(name());
        }
    }

    private interface ElementRule {
        Object convert(Object element);
    }

    private static Object listOf(Object value, ElementRule rule) {
        if (!(value instanceof Collection)) {
            return MISMATCH;
        }
        List<Object> out = new ArrayList<>(((Collection<?>) value).size());
        for (Object element : (Collection<?>) value) {
            Object converted = element == null ? MISMATCH : rule.convert(element);
            if (converted == MISMATCH || converted instanceof NotANumber) {
                return converted;
            }
            out.add(converted);
        }
        return out;
    }

    /**
     * Numbers kept as they are (ints stay ints, floats stay floats), booleans refused, and text read as the
     * original reads it, with Python's {@code float()}: {@code "5"} is 5.0 and renders {@code 5.0}, {@code "1_000"}
     * is 1000.0, {@code "1e999"} is inf. Whole numbers given as text stay whole in an {@code integer} input.
     */
    private static Object number(Object value) {
        if (value instanceof Boolean) {
            return MISMATCH;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String text) {
            Double parsed = PythonValues.parseFloat(text);
            return parsed == null ? new NotANumber(text, NUMBER_SYNTAX) : parsed;
        }
        return MISMATCH;
    }

    /**
     * A number with a whole value, or text holding one in the syntax {@link #number} reads ({@code "12"},
     * {@code "1_000"}, {@code "1e3"}, {@code "12.0"}), read exactly: {@code "99999999999999999999"} stays that
     * number.
     */
    private static Object integer(Object value) {
        if (value instanceof String text) {
            String literal = PythonValues.floatLiteral(text);
            BigInteger whole = literal == null ? null : exactWhole(literal);
            return whole == null ? new NotANumber(text, WHOLE_NUMBER_SYNTAX) : whole.bitLength() < 64
                    ? (Object) whole.longValue() : whole;
        }
        Object n = number(value);
        if (n instanceof Double) {
            double d = (Double) n;
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                return MISMATCH;
            }
            BigInteger i = new BigDecimal(d).toBigInteger();
            return i.bitLength() < 64 ? (Object) i.longValue() : i;
        }
        return n;
    }

    /** Whole numbers past this many digits are refused rather than expanded from an exponent such as 1e999999. */
    private static final int MAX_WHOLE_DIGITS = 4300;

    /** The whole number a {@link PythonValues#floatLiteral} holds exactly, or null (a fraction, inf, nan, huge). */
    private static BigInteger exactWhole(String literal) {
        if (literal.endsWith("inf") || literal.endsWith("infinity") || literal.endsWith("nan")) {
            return null;
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(literal);
        } catch (NumberFormatException exponentOutOfRange) {
            return null;
        }
        if (exact.signum() == 0) {
            return BigInteger.ZERO;
        }
        exact = exact.stripTrailingZeros();
        if (exact.scale() > 0 || exact.precision() - exact.scale() > MAX_WHOLE_DIGITS) {
            return null;
        }
        return exact.toBigIntegerExact();
    }

    /**
     * Booleans kept; numbers true unless zero; strings true for {@code 1/true/yes/y} and false for
     * {@code 0/false/no/n/off} (any case). Any other string is an error: the original silently took it as false.
     */
    private static Object bool(Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue() != 0 || (value instanceof BigInteger
                    && ((BigInteger) value).signum() != 0);
        }
        if (value instanceof String) {
            String word = ((String) value).strip().toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return Boolean.TRUE;
            }
            if (FALSE_WORDS.contains(word)) {
                return Boolean.FALSE;
            }
        }
        return MISMATCH;
    }
}
