package io.promptlightning.jinja;

import java.util.Map;

/** Binds positional and keyword arguments to named parameters, as a Python signature would. */
final class Params {
    /** Marks a parameter without default: leaving it out is an error. */
    static final Object REQUIRED = new Object();

    private Params() {
    }

    /**
     * @param spec alternating parameter names and defaults ({@link #REQUIRED} for none)
     */
    static Object[] bind(String function, Object[] args, Map<String, Object> kwargs, Object... spec) {
        int n = spec.length / 2;
        if (args.length > n) {
            throw Errors.typeError(function + "() takes at most " + n + " argument" + (n == 1 ? "" : "s") + " ("
                    + args.length + " given)");
        }
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = i < args.length ? args[i] : spec[2 * i + 1];
        }
        if (!kwargs.isEmpty()) {
            for (Map.Entry<String, Object> e : kwargs.entrySet()) {
                int i = indexOf(spec, e.getKey());
                if (i < 0) {
                    throw Errors.typeError(function + "() got an unexpected keyword argument '" + e.getKey() + "'");
                }
                if (i < args.length) {
                    throw Errors.typeError(function + "() got multiple values for argument '" + e.getKey() + "'");
                }
                out[i] = e.getValue();
            }
        }
        for (int i = 0; i < n; i++) {
            if (out[i] == REQUIRED) {
                throw Errors.typeError(function + "() missing required argument '" + spec[2 * i] + "'");
            }
        }
        return out;
    }

    private static int indexOf(Object[] spec, String name) {
        for (int i = 0; i < spec.length; i += 2) {
            if (spec[i].equals(name)) {
                return i / 2;
            }
        }
        return -1;
    }

    static void noKwargs(String function, Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) {
            throw Errors.typeError(function + "() takes no keyword arguments");
        }
    }

    static int toInt(String function, Object v) {
        if (v instanceof Undefined) {
            throw ((Undefined) v).error();
        }
        if (!Py.isIntLike(v)) {
            throw Errors.typeError("'" + Py.typeName(v) + "' object cannot be interpreted as an integer");
        }
        long l = v instanceof java.math.BigInteger ? (((java.math.BigInteger) v).signum() < 0 ? Integer.MIN_VALUE
                : Integer.MAX_VALUE) : Py.asLong(v);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
    }

    /** An optional int argument; null stays null (Python's None). */
    static Integer toIntOrNull(String function, Object v) {
        return v == null ? null : toInt(function, v);
    }

    static String toStr(String function, Object v) {
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Markup) {
            return v.toString();
        }
        if (v instanceof Undefined) {
            throw ((Undefined) v).error();
        }
        throw Errors.typeError(function + "() argument must be str, not " + Py.typeName(v));
    }
}
