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

    /** Python's {@code ==}: 1 == 1.0 == True, lists and dicts by content. */
    public static boolean equal(Object a, Object b) {
        return Py.eq(a, b);
    }
}
