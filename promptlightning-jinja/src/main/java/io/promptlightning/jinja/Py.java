package io.promptlightning.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's value semantics over plain Java values: {@code str()}, {@code repr()}, truthiness, equality,
 * ordering, arithmetic. Python ints are Integer/Long/BigInteger (results are Long, or BigInteger when
 * they do not fit); floats are Double/Float/BigDecimal (results are Double); None is null.
 */
final class Py {
    private Py() {
    }

    static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    // ------------------------------------------------------------------ type checks

    /** A Python int (bool excluded). */
    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    /** A Python int, float or bool (bool is an int subclass in Python). */
    static boolean isNumeric(Object v) {
        return isInt(v) || isFloat(v) || v instanceof Boolean;
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof Markup;
    }
    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (isInt(v)) {
            return "int";
        }
        if (isFloat(v)) {
            return "float";
        }
        if (v instanceof PyTuple) {
            return "tuple";
        }
        if (v instanceof PyRange) {
            return "range";
        }
        if (v instanceof DictView) {
            return ((DictView) v).kind;
        }
        if (v instanceof List || v instanceof Collection || v.getClass().isArray()) {
            return "list";
        }
        if (v instanceof Map) {
            return "dict";
        }
        if (v instanceof Markup) {
            return "Markup";
        }
        if (v instanceof Undefined) {
            return ((Undefined) v).strict ? "StrictUndefined" : "Undefined";
        }
        if (v instanceof PyCallable) {
            return ((PyCallable) v).typeName();
        }
        if (v instanceof Namespace) {
            return "Namespace";
        }
        return v.getClass().getSimpleName();
    }

    /** Python's module-qualified class name, as Jinja2 prints it for objects that are not builtins. */
    static String qualifiedTypeName(Object v) {
        if (v instanceof Namespace) {
            return "jinja2.utils.Namespace";
        }
        if (v instanceof LoopContext) {
            return "jinja2.runtime.LoopContext";
        }
        if (v instanceof Macro) {
            return "jinja2.runtime.Macro";
        }
        if (v instanceof Globals.Cycler) {
            return "jinja2.utils.Cycler";
        }
        if (v instanceof Markup) {
            return "markupsafe.Markup";
        }
        return typeName(v);
    }

    /**
     * A Java key that is equal exactly when Python's hash-and-equality says so: 1, 1.0 and True are one key,
     * Markup and str are one key, tuples compare by their items. Lists and dicts are unhashable.
     */
    static Object hashKey(Object v) {
        requireHashable(v);
        if (v instanceof Boolean) {
            return ((Boolean) v) ? 1L : 0L;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (isFloat(v)) {
            double d = asDouble(v);
            if (d == Math.rint(d) && !Double.isInfinite(d)) {
                return Math.abs(d) < 9.0e18 ? (Object) (long) d : normalize(new BigDecimal(d).toBigIntegerExact());
            }
            return d;
        }
        if (v instanceof Markup) {
            return v.toString();
        }
        if (v instanceof PyTuple) {
            List<Object> items = new ArrayList<>();
            for (Object item : (PyTuple) v) {
                items.add(hashKey(item));
            }
            return items;
        }
        return v;
    }

    /** Python refuses lists and dicts as set members and dict keys. */
    static void requireHashable(Object v) {
        if ((v instanceof List && !(v instanceof PyTuple) && !(v instanceof PyRange)) || v instanceof Map) {
            throw Errors.typeError("unhashable type: '" + typeName(v) + "'");
        }
    }
    // ------------------------------------------------------------------ numbers

    /** An int value as long; caller has checked {@link #isInt} or Boolean, and that it is not BigInteger. */
    static long asLong(Object v) {
        if (v instanceof Boolean) {
            return ((Boolean) v) ? 1 : 0;
        }
        return ((Number) v).longValue();
    }

    static BigInteger asBig(Object v) {
        if (v instanceof BigInteger) {
            return (BigInteger) v;
        }
        return BigInteger.valueOf(asLong(v));
    }

    static double asDouble(Object v) {
        if (v instanceof Boolean) {
            return ((Boolean) v) ? 1 : 0;
        }
        return ((Number) v).doubleValue();
    }

    /** Normalizes an integer result: Long when it fits, BigInteger otherwise. */
    static Object normalize(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    /** Any Python int (or bool) as a Long or BigInteger. */
    static Object toPyInt(Object v) {
        if (v instanceof Long || v instanceof BigInteger) {
            return v;
        }
        return asLong(v);
    }

    static boolean isIntLike(Object v) {
        return isInt(v) || v instanceof Boolean;
    }

    // ------------------------------------------------------------------ str / repr

    static String str(Object v) {
        if (v instanceof String) {
            return (String) v;
        }
        StringBuilder sb = new StringBuilder();
        appendStr(sb, v);
        return sb.toString();
    }

    static void appendStr(StringBuilder sb, Object v) {
        if (v instanceof String) {
            sb.append((String) v);
        } else if (v == null) {
            sb.append("None");
        } else if (v instanceof Boolean) {
            sb.append(((Boolean) v) ? "True" : "False");
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof BigInteger) {
            sb.append(v);
        } else if (isFloat(v)) {
            sb.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Markup) {
            sb.append(((Markup) v).text);
        } else if (v instanceof Undefined) {
            Undefined u = (Undefined) v;
            if (u.strict) {
                throw u.error();
            }
        } else {
            appendRepr(sb, v, 0);
        }
    }

    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        appendRepr(sb, v, 0);
        return sb.toString();
    }

    private static final int MAX_REPR_DEPTH = 200;

    static void appendRepr(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_REPR_DEPTH) {
            throw Errors.limit("value nested too deeply to print (more than " + MAX_REPR_DEPTH + " levels)");
        }
        if (v instanceof String) {
            appendStringRepr(sb, (String) v);
        } else if (v instanceof Markup) {
            sb.append("Markup(");
            appendStringRepr(sb, ((Markup) v).text);
            sb.append(')');
        } else if (v instanceof PyRange) {
            sb.append(v);
        } else if (v instanceof DictView) {
            DictView view = (DictView) v;
            sb.append(view.kind).append('(');
            appendSequence(sb, view, '[', ']', depth);
            sb.append(')');
        } else if (v instanceof PyTuple) {
            PyTuple t = (PyTuple) v;
            if (t.size() == 1) {
                sb.append('(');
                appendRepr(sb, t.get(0), depth + 1);
                sb.append(",)");
            } else {
                appendSequence(sb, t, '(', ')', depth);
            }
        } else if (v instanceof List) {
            appendSequence(sb, (List<?>) v, '[', ']', depth);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                appendRepr(sb, e.getKey(), depth + 1);
                sb.append(": ");
                appendRepr(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Collection || (v != null && v.getClass().isArray())) {
            appendSequence(sb, toList(v), '[', ']', depth);
        } else if (v instanceof Undefined) {
            sb.append(v);
        } else if (v instanceof Namespace) {
            sb.append("<Namespace ");
            appendRepr(sb, ((Namespace) v).attributes, depth + 1);
            sb.append('>');
        } else if (v instanceof PyCallable) {
            sb.append('<').append(((PyCallable) v).typeName()).append('>');
        } else if (v == null || v instanceof Boolean || isNumeric(v)) {
            appendStr(sb, v);
        } else {
            // Opaque Java value (enum, UUID, date...): its own string form; no other access is possible.
            sb.append(v);
        }
    }

    private static void appendSequence(StringBuilder sb, List<?> list, char open, char close, int depth) {
        sb.append(open);
        for (int i = 0, n = list.size(); i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            appendRepr(sb, list.get(i), depth + 1);
        }
        sb.append(close);
    }

    /** Python's repr of a str: picks the quote, escapes backslash, controls and non-printables. */
    static void appendStringRepr(StringBuilder sb, String s) {
        char quote = (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp >= 0x20 && cp < 0x7f) {
                sb.append((char) cp);
            } else if (isPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                sb.append("\\x").append(hex(cp, 2));
            } else if (cp <= 0xffff) {
                sb.append("\\u").append(hex(cp, 4));
            } else {
                sb.append("\\U").append(hex(cp, 8));
            }
        }
        sb.append(quote);
    }

    private static String hex(int value, int width) {
        String h = Integer.toHexString(value);
        return "0".repeat(Math.max(0, width - h.length())) + h;
    }

    /** Python's str.isprintable() for one code point. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in fixed
     * notation for exponents -4..15 and scientific otherwise ({@code 1e+16}, {@code 1e-05}).
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        String digits;
        int decimalExponent; // position of the first digit: 0 for 1.5, -2 for 0.015
        String jdk = Double.toString(Math.abs(d));
        int e = jdk.indexOf('E');
        String mantissa = e < 0 ? jdk : jdk.substring(0, e);
        int point = mantissa.indexOf('.');
        String raw = mantissa.substring(0, point) + mantissa.substring(point + 1);
        int firstNonZero = 0;
        while (firstNonZero < raw.length() - 1 && raw.charAt(firstNonZero) == '0') {
            firstNonZero++;
        }
        int last = raw.length();
        while (last > firstNonZero + 1 && raw.charAt(last - 1) == '0') {
            last--;
        }
        if (last - firstNonZero <= 15 && Math.abs(d) >= Double.MIN_NORMAL) {
            // Two distinct decimals of at most 15 significant digits are more than two ulps apart, so a
            // round-tripping one is the only one: the shortest. Double.toString always round-trips.
            // (Not for subnormals, whose spacing is absolute.)
            digits = raw.substring(firstNonZero, last);
            decimalExponent = point - 1 - firstNonZero + (e < 0 ? 0 : Integer.parseInt(jdk.substring(e + 1)));
        } else {
            // Java 17's Double.toString may print more digits than needed here (fixed in JDK 19).
            BigDecimal shortest = shortestDecimal(d).abs();
            String all = shortest.unscaledValue().toString();
            int len = all.length();
            while (len > 1 && all.charAt(len - 1) == '0') {
                len--;
            }
            decimalExponent = all.length() - shortest.scale() - 1;
            digits = all.substring(0, len);
        }
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (decimalExponent < -4 || decimalExponent >= 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(decimalExponent < 0 ? '-' : '+');
            int abs = Math.abs(decimalExponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
        } else if (decimalExponent < 0) {
            sb.append("0.");
            sb.append("0".repeat(-decimalExponent - 1));
            sb.append(digits);
        } else if (digits.length() <= decimalExponent + 1) {
            sb.append(digits);
            sb.append("0".repeat(decimalExponent + 1 - digits.length()));
            sb.append(".0");
        } else {
            sb.append(digits, 0, decimalExponent + 1).append('.').append(digits, decimalExponent + 1, digits.length());
        }
        return sb.toString();
    }

    private static BigDecimal shortestDecimal(double d) {
        BigDecimal exact = new BigDecimal(d);
        boolean powerOfTwo = (Double.doubleToRawLongBits(d) & 0x000FFFFFFFFFFFFFL) == 0;
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate;
            }
            if (powerOfTwo) {
                // The gap below a power of two is half the gap above it: the nearest candidate may fall
                // outside while the next one up reads back correctly.
                BigDecimal up = candidate.add(BigDecimal.ONE.movePointLeft(candidate.scale()).multiply(
                        BigDecimal.valueOf(d > 0 ? 1 : -1)));
                if (up.doubleValue() == d) {
                    return up;
                }
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    // ------------------------------------------------------------------ truthiness and length

    static boolean isTrue(Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v == null) {
            return false;
        }
        if (v instanceof String) {
            return !((String) v).isEmpty();
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue() != 0;
        }
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue() != 0;
        }
        if (v instanceof BigInteger) {
            return ((BigInteger) v).signum() != 0;
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).signum() != 0;
        }
        if (v instanceof Collection) {
            return !((Collection<?>) v).isEmpty();
        }
        if (v instanceof Map) {
            return !((Map<?, ?>) v).isEmpty();
        }
        if (v instanceof Markup) {
            return !((Markup) v).text.isEmpty();
        }
        if (v instanceof Undefined) {
            Undefined u = (Undefined) v;
            if (u.strict) {
                throw u.error();
            }
            return false;
        }
        if (v.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(v) > 0;
        }
        return true;
    }

    /** Python len(), counting code points for strings. */
    static int length(Object v) {
        if (v instanceof String) {
            String s = (String) v;
            return s.codePointCount(0, s.length());
        }
        if (v instanceof Markup) {
            return length(((Markup) v).text);
        }
        if (v instanceof Collection) {
            return ((Collection<?>) v).size();
        }
        if (v instanceof Map) {
            return ((Map<?, ?>) v).size();
        }
        if (v instanceof Undefined) {
            Undefined u = (Undefined) v;
            if (u.strict) {
                throw u.error();
            }
            return 0;
        }
        if (v != null && v.getClass().isArray()) {
            return java.lang.reflect.Array.getLength(v);
        }
        throw Errors.typeError("object of type '" + typeName(v) + "' has no len()");
    }

    // ------------------------------------------------------------------ iteration

    /**
     * The items a {@code for} loop (or a filter) sees: a list as is, a dict's keys, a string's characters
     * (code points), a collection or array copied.
     */
    @SuppressWarnings("unchecked")
    static List<Object> toList(Object v) {
        if (v instanceof List) {
            return (List<Object>) v;
        }
        if (v instanceof Map) {
            return new ArrayList<>(((Map<Object, ?>) v).keySet());
        }
        if (v instanceof String || v instanceof Markup) {
            return codePoints(v.toString());
        }
        if (v instanceof Collection) {
            return new ArrayList<>((Collection<Object>) v);
        }
        if (v instanceof Undefined) {
            Undefined u = (Undefined) v;
            if (u.strict) {
                throw u.error();
            }
            return List.of();
        }
        if (v != null && v.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(java.lang.reflect.Array.get(v, i));
            }
            return out;
        }
        throw Errors.typeError("'" + typeName(v) + "' object is not iterable");
    }

    static boolean isIterable(Object v) {
        return v instanceof Collection || v instanceof Map || v instanceof String || v instanceof Markup
                || (v != null && v.getClass().isArray());
    }

    static List<Object> codePoints(String s) {
        List<Object> out = new ArrayList<>(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            out.add(s.substring(i, i + n));
            i += n;
        }
        return out;
    }

    // ------------------------------------------------------------------ comparison

    /** Python's {@code ==}; nesting beyond this many levels is refused rather than overflowing the stack. */
    private static final int MAX_COMPARE_DEPTH = 200;

    static boolean eq(Object a, Object b) {
        return eq(a, b, 0);
    }

    private static boolean eq(Object a, Object b, int depth) {
        if (a == b) {
            return !(a instanceof Double && ((Double) a).isNaN());
        }
        if (a instanceof Undefined && ((Undefined) a).strict) {
            throw ((Undefined) a).error();
        }
        if (b instanceof Undefined && ((Undefined) b).strict) {
            throw ((Undefined) b).error();
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof String && b instanceof String) {
            return a.equals(b);
        }
        if (isNumeric(a) && isNumeric(b)) {
            return compareNumbers(a, b) == 0 && !(isNaN(a) || isNaN(b));
        }
        if (isString(a) && isString(b)) {
            return a.toString().equals(b.toString());
        }
        if (a instanceof DictView || b instanceof DictView) {
            return dictViewsEqual(a, b);
        }
        if ((a instanceof List || a instanceof Map) && depth > MAX_COMPARE_DEPTH) {
            throw Errors.limit("values nested too deeply to compare (more than " + MAX_COMPARE_DEPTH + " levels)");
        }
        if (a instanceof List && b instanceof List) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || (a instanceof PyRange) != (b instanceof PyRange)) {
                return false;
            }
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!eq(x.get(i), y.get(i), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> x = (Map<?, ?>) a;
            Map<?, ?> y = (Map<?, ?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        return a.equals(b);
    }

    /** keys() and items() views compare as sets; values() views only equal themselves; none equals a list. */
    private static boolean dictViewsEqual(Object a, Object b) {
        if (!(a instanceof DictView && b instanceof DictView)) {
            return false;
        }
        DictView x = (DictView) a;
        DictView y = (DictView) b;
        if (!x.kind.equals(y.kind) || x.kind.equals("dict_values") || x.size() != y.size()) {
            return false;
        }
        for (Object item : x) {
            if (!contains(y, item)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNaN(Object v) {
        return (v instanceof Double && ((Double) v).isNaN()) || (v instanceof Float && ((Float) v).isNaN());
    }

    /** Numeric comparison across int, bool and float, exact for big ints. */
    static int compareNumbers(Object a, Object b) {
        boolean af = isFloat(a);
        boolean bf = isFloat(b);
        if (!af && !bf) {
            if (a instanceof BigInteger || b instanceof BigInteger) {
                return asBig(a).compareTo(asBig(b));
            }
            return Long.compare(asLong(a), asLong(b));
        }
        double x = asDouble(a);
        double y = asDouble(b);
        Object integer = af ? b : a;
        boolean exactAsDouble = af && bf || (!(integer instanceof BigInteger)
                && Math.abs(asLong(integer)) <= (1L << 53));
        if (exactAsDouble || Double.isInfinite(x) || Double.isInfinite(y) || Double.isNaN(x) || Double.isNaN(y)) {
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        // Python compares an int with a float exactly, not through a rounded double.
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    private static BigDecimal toBigDecimal(Object v) {
        if (v instanceof BigInteger) {
            return new BigDecimal((BigInteger) v);
        }
        if (v instanceof BigDecimal) {
            return (BigDecimal) v;
        }
        if (isFloat(v)) {
            return new BigDecimal(asDouble(v));
        }
        return BigDecimal.valueOf(asLong(v));
    }

    /**
     * Python ordering for {@code < <= > >=}: numbers, strings (by code point), lists and tuples
     * (lexicographic). Anything else is a TypeError naming the operator.
     */
    static int compare(Object a, Object b, String op) {
        return compare(a, b, op, 0);
    }

    private static int compare(Object a, Object b, String op, int depth) {
        if (a instanceof Undefined && ((Undefined) a).strict) {
            throw ((Undefined) a).error();
        }
        if (b instanceof Undefined && ((Undefined) b).strict) {
            throw ((Undefined) b).error();
        }
        if (isNumeric(a) && isNumeric(b)) {
            return compareNumbers(a, b);
        }
        if (isString(a) && isString(b)) {
            return compareStrings(a.toString(), b.toString());
        }
        if (a instanceof List && b instanceof List && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            if (depth > MAX_COMPARE_DEPTH) {
                throw Errors.limit("values nested too deeply to compare (more than " + MAX_COMPARE_DEPTH + " levels)");
            }
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                if (!eq(x.get(i), y.get(i), depth + 1)) {
                    return compare(x.get(i), y.get(i), op, depth + 1);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw Errors.typeError("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    /** Code point order, which differs from {@link String#compareTo} for characters beyond U+FFFF. */
    static int compareStrings(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            char c = x.charAt(i);
            char d = y.charAt(i);
            if (c != d) {
                if (Character.isSurrogate(c) || Character.isSurrogate(d)) {
                    return Integer.compare(x.codePointAt(i), y.codePointAt(i));
                }
                return c - d;
            }
        }
        return x.length() - y.length();
    }

    /** Python's {@code in}: substring, list membership, dict key. */
    static boolean contains(Object container, Object item) {
        if (container instanceof String || container instanceof Markup) {
            if (!isString(item)) {
                throw Errors.typeError("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return container.toString().contains(item.toString());
        }
        if (container instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) container;
            requireHashable(item);
            if (item instanceof String) {
                return m.containsKey(item);
            }
            for (Object k : m.keySet()) {
                if (eq(k, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Undefined) {
            Undefined u = (Undefined) container;
            if (u.strict) {
                throw u.error();
            }
            return false;
        }
        if (container instanceof Collection || (container != null && container.getClass().isArray())) {
            for (Object o : toList(container)) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        throw Errors.typeError("argument of type '" + typeName(container) + "' is not iterable");
    }

    // ------------------------------------------------------------------ arithmetic

    private static void checkDefined(Object a, Object b) {
        if (a instanceof Undefined) {
            throw ((Undefined) a).error();
        }
        if (b instanceof Undefined) {
            throw ((Undefined) b).error();
        }
    }

    private static TemplateRuntimeException unsupported(String op, Object a, Object b) {
        return Errors.typeError("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static Object add(Object a, Object b) {
        if (a instanceof Long && b instanceof Long) {
            long x = (Long) a;
            long y = (Long) b;
            long r = x + y;
            if (((x ^ r) & (y ^ r)) < 0) {
                return normalize(BigInteger.valueOf(x).add(BigInteger.valueOf(y)));
            }
            return r;
        }
        if (a instanceof String && b instanceof String) {
            return (String) a + (String) b;
        }
        checkDefined(a, b);
        if (a instanceof Markup || b instanceof Markup) {
            if (isString(a) && isString(b)) {
                return new Markup(Markup.escape(a).text + Markup.escape(b).text);
            }
        }
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                return asDouble(a) + asDouble(b);
            }
            return normalize(asBig(a).add(asBig(b)));
        }
        if (a instanceof String) {
            throw Errors.typeError("can only concatenate str (not \"" + typeName(b) + "\") to str");
        }
        if (a instanceof PyTuple && b instanceof PyTuple) {
            List<Object> out = new ArrayList<>((PyTuple) a);
            out.addAll((PyTuple) b);
            return PyTuple.of(out);
        }
        if (a instanceof List && b instanceof List && !(a instanceof PyTuple) && !(b instanceof PyTuple)
                && !(a instanceof PyRange) && !(b instanceof PyRange)) {
            List<Object> out = new ArrayList<>(((List<?>) a).size() + ((List<?>) b).size());
            out.addAll((List<?>) a);
            out.addAll((List<?>) b);
            return out;
        }
        if (a instanceof List && !(a instanceof PyTuple) && !(a instanceof PyRange)) {
            throw Errors.typeError("can only concatenate list (not \"" + typeName(b) + "\") to list");
        }
        if (a instanceof PyTuple) {
            throw Errors.typeError("can only concatenate tuple (not \"" + typeName(b) + "\") to tuple");
        }
        throw unsupported("+", a, b);
    }

    static Object sub(Object a, Object b) {
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                return asDouble(a) - asDouble(b);
            }
            if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
                long x = asLong(a);
                long y = asLong(b);
                long r = x - y;
                if (((x ^ y) & (x ^ r)) >= 0) {
                    return r;
                }
            }
            return normalize(asBig(a).subtract(asBig(b)));
        }
        throw unsupported("-", a, b);
    }

    static Object mul(Object a, Object b) {
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                return asDouble(a) * asDouble(b);
            }
            if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
                long x = asLong(a);
                long y = asLong(b);
                long hi = Math.multiplyHigh(x, y);
                long lo = x * y;
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                    return lo;
                }
            }
            return normalize(asBig(a).multiply(asBig(b)));
        }
        if (isString(a) && isIntLike(b)) {
            String r = repeat(a.toString(), b);
            return a instanceof Markup ? new Markup(r) : r;
        }
        if (isIntLike(a) && isString(b)) {
            String r = repeat(b.toString(), a);
            return b instanceof Markup ? new Markup(r) : r;
        }
        if (a instanceof List && isIntLike(b)) {
            return repeatList((List<?>) a, b);
        }
        if (isIntLike(a) && b instanceof List) {
            return repeatList((List<?>) b, a);
        }
        if (isString(a) || isString(b) || a instanceof List || b instanceof List) {
            Object seq = isString(a) || a instanceof List ? a : b;
            Object other = seq == a ? b : a;
            throw Errors.typeError("can't multiply sequence by non-int of type '" + typeName(other) + "'");
        }
        throw unsupported("*", a, b);
    }

    private static int repeatCount(Object n, long unitLength) {
        long times = n instanceof BigInteger ? (((BigInteger) n).signum() > 0 ? Long.MAX_VALUE : 0) : asLong(n);
        if (times <= 0 || unitLength == 0) {
            return 0;
        }
        if (times > Integer.MAX_VALUE / Math.max(1, unitLength)) {
            throw Errors.limit("repetition result too large");
        }
        return (int) times;
    }

    private static String repeat(String s, Object n) {
        return s.repeat(repeatCount(n, s.length()));
    }

    private static Object repeatList(List<?> list, Object n) {
        int times = repeatCount(n, list.size());
        List<Object> out = new ArrayList<>(list.size() * times);
        for (int i = 0; i < times; i++) {
            out.addAll(list);
        }
        return list instanceof PyTuple ? PyTuple.of(out) : out;
    }

    static Object truediv(Object a, Object b) {
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                double y = asDouble(b);
                if (y == 0) {
                    throw Errors.zeroDivision("float division by zero");
                }
                return asDouble(a) / y;
            }
            if (a instanceof BigInteger || b instanceof BigInteger) {
                BigInteger y = asBig(b);
                if (y.signum() == 0) {
                    throw Errors.zeroDivision("division by zero");
                }
                return exactQuotient(asBig(a), y);
            }
            long y = asLong(b);
            if (y == 0) {
                throw Errors.zeroDivision("division by zero");
            }
            long x = asLong(a);
            if (Math.abs(x) < (1L << 53) && Math.abs(y) < (1L << 53)) {
                return (double) x / (double) y;
            }
            return exactQuotient(BigInteger.valueOf(x), BigInteger.valueOf(y));
        }
        throw unsupported("/", a, b);
    }

    /**
     * int / int beyond 2**53: Python rounds the exact quotient once. 60 digits keep a second rounding (to
     * the nearest double) from ever landing on the wrong side.
     */
    private static double exactQuotient(BigInteger x, BigInteger y) {
        return new BigDecimal(x).divide(new BigDecimal(y), new MathContext(60, RoundingMode.HALF_EVEN)).doubleValue();
    }

    static Object floordiv(Object a, Object b) {
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                double y = asDouble(b);
                if (y == 0) {
                    throw Errors.zeroDivision("float floor division by zero");
                }
                return floatFloorDiv(asDouble(a), y);
            }
            BigInteger y = asBig(b);
            if (y.signum() == 0) {
                throw Errors.zeroDivision("integer division or modulo by zero");
            }
            if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
                long x = asLong(a);
                long ly = asLong(b);
                if (!(x == Long.MIN_VALUE && ly == -1)) {
                    return Math.floorDiv(x, ly);
                }
            }
            BigInteger[] qr = asBig(a).divideAndRemainder(y);
            BigInteger q = qr[0];
            if (qr[1].signum() != 0 && (qr[1].signum() != y.signum())) {
                q = q.subtract(BigInteger.ONE);
            }
            return normalize(q);
        }
        throw unsupported("//", a, b);
    }

    /** CPython's float_floor_div: floor of the exact quotient via fmod, not floor(x / y). */
    private static double floatFloorDiv(double x, double y) {
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && ((y < 0) != (mod < 0))) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, x / y);
        }
        double floor = Math.floor(div);
        if (div - floor > 0.5) {
            floor += 1.0;
        }
        return floor;
    }

    private static double floatMod(double x, double y) {
        double m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
            m += y;
        }
        return m;
    }

    static Object mod(Object a, Object b) {
        if (a instanceof Markup) {
            return new Markup(PyFormat.percent(a.toString(), escapeFormatArguments(b)));
        }
        if (isString(a)) {
            return PyFormat.percent(a.toString(), b);
        }
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                double y = asDouble(b);
                if (y == 0) {
                    throw Errors.zeroDivision("float modulo");
                }
                double m = floatMod(asDouble(a), y);
                return m == 0 ? Math.copySign(0.0, y) : m;
            }
            BigInteger y = asBig(b);
            if (y.signum() == 0) {
                throw Errors.zeroDivision("integer modulo by zero");
            }
            if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
                return Math.floorMod(asLong(a), asLong(b));
            }
            BigInteger r = asBig(a).mod(y.abs());
            if (y.signum() < 0 && r.signum() != 0) {
                r = r.add(y);
            }
            return normalize(r);
        }
        throw unsupported("%", a, b);
    }

    /** Markup's {@code %} escapes what it substitutes, as MarkupSafe does; numbers stay numbers for %d. */
    private static Object escapeFormatArguments(Object args) {
        if (args instanceof PyTuple) {
            PyTuple t = (PyTuple) args;
            Object[] escaped = new Object[t.size()];
            for (int i = 0; i < escaped.length; i++) {
                escaped[i] = escapeFormatArgument(t.get(i));
            }
            return new PyTuple(escaped);
        }
        if (args instanceof Map) {
            Map<Object, Object> escaped = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) args).entrySet()) {
                escaped.put(e.getKey(), escapeFormatArgument(e.getValue()));
            }
            return escaped;
        }
        return escapeFormatArgument(args);
    }

    private static Object escapeFormatArgument(Object v) {
        return v == null || v instanceof Boolean || isNumeric(v) ? v : Markup.escape(v);
    }

    static Object pow(Object a, Object b) {
        checkDefined(a, b);
        if (isNumeric(a) && isNumeric(b)) {
            if (isFloat(a) || isFloat(b)) {
                double x = asDouble(a);
                double y = asDouble(b);
                if (x == 0 && y < 0) {
                    throw Errors.zeroDivision("0.0 cannot be raised to a negative power");
                }
                double r = Math.pow(x, y);
                if (Double.isNaN(r) && !Double.isNaN(x) && !Double.isNaN(y)) {
                    throw Errors.valueError("math domain error");
                }
                return r;
            }
            BigInteger exp = asBig(b);
            if (exp.signum() < 0) {
                double x = asDouble(a);
                if (x == 0) {
                    throw Errors.zeroDivision("0.0 cannot be raised to a negative power");
                }
                return Math.pow(x, exp.doubleValue());
            }
            BigInteger base = asBig(a);
            if (base.abs().compareTo(BigInteger.ONE) <= 0) {
                return normalize(base.pow(exp.testBit(0) ? 1 : (base.signum() == 0 && exp.signum() > 0 ? 1 : 0)));
            }
            if (exp.bitLength() > 31 || (long) base.bitLength() * exp.longValue() > 100_000) {
                throw Errors.limit("integer power result too large");
            }
            return normalize(base.pow(exp.intValue()));
        }
        throw unsupported("** or pow()", a, b);
    }

    static Object neg(Object a) {
        if (a instanceof Undefined) {
            throw ((Undefined) a).error();
        }
        if (isFloat(a)) {
            return -asDouble(a);
        }
        if (isIntLike(a)) {
            if (a instanceof BigInteger || asLong(a) == Long.MIN_VALUE) {
                return normalize(asBig(a).negate());
            }
            return -asLong(a);
        }
        throw Errors.typeError("bad operand type for unary -: '" + typeName(a) + "'");
    }

    static Object pos(Object a) {
        if (a instanceof Undefined) {
            throw ((Undefined) a).error();
        }
        if (isFloat(a)) {
            return asDouble(a);
        }
        if (isIntLike(a)) {
            return toPyInt(a);
        }
        throw Errors.typeError("bad operand type for unary +: '" + typeName(a) + "'");
    }

    // ------------------------------------------------------------------ strings by code point

    static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
