package io.promptlightning.jinja;

/**
 * Python's string forms of template values, as templates print them: {@code str(True)} is {@code True},
 * {@code str(2.0)} is {@code 2.0}, {@code str(['a'])} is {@code ['a']}. For code that must agree with what a
 * template would print, such as input coercion.
 */
public final class PythonValues {
    private PythonValues() {
    }

    /** Python's {@code str(value)}. */
    public static String str(Object value) {
        return Py.str(value);
    }

    /** Python's {@code repr(value)}. */
    public static String repr(Object value) {
        return Py.repr(value);
    }

    /**
     * Python's {@code float(text)}: surrounding whitespace, a sign, digits with single underscores between them, a
     * decimal point, an exponent, or {@code inf}, {@code infinity}, {@code nan} in any case ({@code "1_000"} is
     * 1000.0, {@code " -0 "} is -0.0, {@code "1e999"} is infinity).
     *
     * @return the double, or null where Python raises ValueError
     */
    public static Double parseFloat(String text) {
        return PyFloatText.parse(text);
    }

    /**
     * The number {@code text} holds as {@link #parseFloat} reads it, in ASCII without whitespace or underscores
     * ({@code "1_000"} gives {@code 1000}, {@code " +Inf "} gives {@code +inf}): for exact readings, such as a whole
     * number too large for a double. Null where {@code float(text)} raises ValueError.
     */
    public static String floatLiteral(String text) {
        return PyFloatText.literal(text);
    }

    /** Python's {@code ==}: 1 == 1.0 == True, lists and dicts by content. */
    public static boolean equal(Object a, Object b) {
        return Py.eq(a, b);
    }
}
