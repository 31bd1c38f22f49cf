package io.promptlightning.jinja;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's built-in tests ({@code x is defined}, {@code n is odd}, ...). */
final class Tests {
    private Tests() {
    }

    static Map<String, TestFn> builtins() {
        Map<String, TestFn> m = new HashMap<>();
        m.put("defined", (s, v, a, k) -> !(v instanceof Undefined));
        m.put("undefined", (s, v, a, k) -> v instanceof Undefined);
        m.put("none", (s, v, a, k) -> v == null);
        m.put("boolean", (s, v, a, k) -> v instanceof Boolean);
        m.put("true", (s, v, a, k) -> Boolean.TRUE.equals(v));
        m.put("false", (s, v, a, k) -> Boolean.FALSE.equals(v));
        m.put("integer", (s, v, a, k) -> Py.isInt(v));
        m.put("float", (s, v, a, k) -> Py.isFloat(v));
        m.put("number", (s, v, a, k) -> Py.isNumeric(v));
        m.put("string", (s, v, a, k) -> Py.isString(v));
        m.put("mapping", (s, v, a, k) -> v instanceof Map);
        // Python's test needs len() and [] support, which dict views lack.
        m.put("sequence", (s, v, a, k) -> (v instanceof Collection && !(v instanceof DictView)) || v instanceof Map
                || Py.isString(v) || (v != null && v.getClass().isArray()));
        m.put("iterable", (s, v, a, k) -> Py.isIterable(v) || v instanceof LoopContext);
        m.put("callable", (s, v, a, k) -> v instanceof PyCallable);
        m.put("escaped", (s, v, a, k) -> v instanceof Markup);
        m.put("lower", (s, v, a, k) -> PyStrings.islower(Py.str(v)));
        m.put("upper", (s, v, a, k) -> PyStrings.isupper(Py.str(v)));
        m.put("odd", (s, v, a, k) -> Py.eq(Py.mod(Filters.defined(v), 2L), 1L));
        m.put("even", (s, v, a, k) -> Py.eq(Py.mod(Filters.defined(v), 2L), 0L));
        m.put("divisibleby", (s, v, a, k) -> Py.eq(Py.mod(Filters.defined(v), arg("divisibleby", a, k, "num")), 0L));
        m.put("sameas", (s, v, a, k) -> sameAs(v, arg("sameas", a, k, "other")));
        m.put("in", (s, v, a, k) -> Py.contains(arg("in", a, k, "seq"), v));
        m.put("filter", (s, v, a, k) -> v instanceof String && s.environment.filter((String) v) != null);
        m.put("test", (s, v, a, k) -> v instanceof String && s.environment.test((String) v) != null);
        TestFn eq = (s, v, a, k) -> Py.eq(v, arg("eq", a, k, "other"));
        TestFn ne = (s, v, a, k) -> !Py.eq(v, arg("ne", a, k, "other"));
        TestFn lt = (s, v, a, k) -> Py.compare(v, arg("lt", a, k, "other"), "<") < 0;
        TestFn le = (s, v, a, k) -> Py.compare(v, arg("le", a, k, "other"), "<=") <= 0;
        TestFn gt = (s, v, a, k) -> Py.compare(v, arg("gt", a, k, "other"), ">") > 0;
        TestFn ge = (s, v, a, k) -> Py.compare(v, arg("ge", a, k, "other"), ">=") >= 0;
        for (String n : List.of("eq", "equalto", "==")) {
            m.put(n, eq);
        }
        for (String n : List.of("ne", "!=")) {
            m.put(n, ne);
        }
        for (String n : List.of("lt", "lessthan", "<")) {
            m.put(n, lt);
        }
        for (String n : List.of("le", "<=")) {
            m.put(n, le);
        }
        for (String n : List.of("gt", "greaterthan", ">")) {
            m.put(n, gt);
        }
        for (String n : List.of("ge", ">=")) {
            m.put(n, ge);
        }
        return m;
    }

    private static Object arg(String test, Object[] a, Map<String, Object> k, String param) {
        return Params.bind(test, a, k, param, Params.REQUIRED)[0];
    }

    /** Python's {@code is}: singletons by value, small ints as CPython caches them, else identity. */
    private static boolean sameAs(Object v, Object other) {
        if (v == null || other == null) {
            return v == other;
        }
        if (v instanceof Boolean || other instanceof Boolean) {
            return v.equals(other);
        }
        if (v instanceof String) {
            return v == other; // identity; the lexer shares the literals CPython would share
        }
        if (Py.isInt(v) && Py.isInt(other) && !(v instanceof BigInteger) && !(other instanceof BigInteger)) {
            long x = Py.asLong(v);
            return x >= -5 && x <= 256 && x == Py.asLong(other);
        }
        return v == other;
    }
}
