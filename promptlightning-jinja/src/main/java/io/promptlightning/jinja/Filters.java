package io.promptlightning.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** Jinja2's built-in filters, with the semantics of Jinja2 3.1.2. */
final class Filters {
    private Filters() {
    }

    static Map<String, FilterFn> builtins() {
        Map<String, FilterFn> m = new HashMap<>();
        m.put("abs", Filters::abs);
        m.put("attr", Filters::attr);
        m.put("batch", Filters::batch);
        m.put("capitalize", (s, v, a, k) -> textFilter("capitalize", v, a, k, PyStrings::capitalize));
        m.put("center", Filters::center);
        m.put("count", (s, v, a, k) -> (long) Py.length(v));
        m.put("d", Filters::jinjaDefault);
        m.put("default", Filters::jinjaDefault);
        m.put("dictsort", Filters::dictsort);
        m.put("e", (s, v, a, k) -> Markup.escape(defined(v)));
        m.put("escape", (s, v, a, k) -> Markup.escape(defined(v)));
        m.put("filesizeformat", Filters::filesizeformat);
        m.put("first", Filters::first);
        m.put("float", Filters::toFloat);
        m.put("forceescape", (s, v, a, k) -> new Markup(Markup.escapeHtml(Py.str(v))));
        m.put("format", Filters::format);
        m.put("groupby", Filters::groupby);
        m.put("indent", Filters::indent);
        m.put("int", Filters::toInt);
        m.put("items", Filters::items);
        m.put("join", Filters::join);
        m.put("last", Filters::last);
        m.put("length", (s, v, a, k) -> (long) Py.length(v));
        m.put("list", (s, v, a, k) -> new ArrayList<>(Py.toList(v)));
        m.put("lower", (s, v, a, k) -> textFilter("lower", v, a, k, PyStrings::lower));
        m.put("map", Filters::map);
        m.put("max", (s, v, a, k) -> minOrMax(v, a, k, "max"));
        m.put("min", (s, v, a, k) -> minOrMax(v, a, k, "min"));
        m.put("pprint", (s, v, a, k) -> PrettyPrinter.format(defined(v)));
        m.put("random", Filters::random);
        m.put("reject", (s, v, a, k) -> selectOrReject(s, v, a, k, false, false));
        m.put("rejectattr", (s, v, a, k) -> selectOrReject(s, v, a, k, false, true));
        m.put("replace", Filters::replace);
        m.put("reverse", Filters::reverse);
        m.put("round", Filters::round);
        m.put("safe", (s, v, a, k) -> v instanceof Markup ? v : new Markup(Py.str(v)));
        m.put("select", (s, v, a, k) -> selectOrReject(s, v, a, k, true, false));
        m.put("selectattr", (s, v, a, k) -> selectOrReject(s, v, a, k, true, true));
        m.put("slice", Filters::slice);
        m.put("sort", Filters::sort);
        m.put("string", (s, v, a, k) -> v instanceof Markup ? v : Py.str(v));
        m.put("striptags", (s, v, a, k) -> PyStrings.striptags(Py.str(v)));
        m.put("sum", Filters::sum);
        // Jinja2's title joins a list into a plain str, even for Markup.
        m.put("title", (s, v, a, k) -> {
            Params.bind("title", a, k);
            return PyStrings.titleFilter(Py.str(v));
        });
        m.put("tojson", Filters::tojson);
        m.put("trim", Filters::trim);
        m.put("truncate", Filters::truncate);
        m.put("unique", Filters::unique);
        m.put("upper", (s, v, a, k) -> textFilter("upper", v, a, k, PyStrings::upper));
        m.put("urlencode", (s, v, a, k) -> PyStrings.urlencode(defined(v)));
        m.put("wordcount", (s, v, a, k) -> (long) PyStrings.wordcount(Py.str(v)));
        m.put("wordwrap", Filters::wordwrap);
        m.put("xmlattr", Filters::xmlattr);
        return m;
    }

    /** The two filters the original PromptLightning library installs over Jinja2's. */
    static void addPromptLightning(Map<String, FilterFn> filters) {
        filters.put("default", Filters::promptLightningDefault);
        filters.put("yaml", Filters::yaml);
    }

    // ------------------------------------------------------------------ helpers

    static Object defined(Object v) {
        if (v instanceof Undefined && ((Undefined) v).strict) {
            throw ((Undefined) v).error();
        }
        return v;
    }

    private static Object textFilter(String name, Object v, Object[] a, Map<String, Object> k,
            Function<String, String> op) {
        Params.bind(name, a, k);
        String result = op.apply(Py.str(v));
        return v instanceof Markup ? new Markup(result) : result;
    }

    /** Jinja2's make_attrgetter: dotted path, digit parts as int indexes, item-then-attribute lookup. */
    static Function<Object, Object> attrGetter(Object attribute, boolean ignoreCase, Object dflt) {
        List<Object> parts = attributeParts(attribute);
        return item -> {
            Object v = item;
            for (Object part : parts) {
                v = Access.getitem(v, part);
                if (dflt != null && v instanceof Undefined) {
                    v = dflt;
                }
            }
            return ignoreCase ? ignoreCase(v) : v;
        };
    }

    private static List<Object> attributeParts(Object attribute) {
        List<Object> parts = new ArrayList<>();
        if (attribute == null) {
            return parts;
        }
        if (attribute instanceof String) {
            for (String p : ((String) attribute).split("\\.", -1)) {
                parts.add(!p.isEmpty() && p.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(p) : p);
            }
        } else {
            parts.add(attribute);
        }
        return parts;
    }

    private static Object ignoreCase(Object v) {
        return v instanceof String ? PyStrings.lower((String) v) : v;
    }

    private static final Comparator<Object> PY_ORDER = (x, y) -> Py.compare(x, y, "<");

    // ------------------------------------------------------------------ filters

    private static Object abs(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        defined(v);
        if (Py.isFloat(v)) {
            return Math.abs(Py.asDouble(v));
        }
        if (Py.isIntLike(v)) {
            return Py.normalize(Py.asBig(v).abs());
        }
        throw Errors.typeError("bad operand type for abs(): '" + Py.typeName(v) + "'");
    }

    private static Object attr(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("attr", a, k, "name", Params.REQUIRED);
        String name = Py.str(p[0]);
        defined(v);
        if (v instanceof Map) {
            return Methods.isDictMethod(name) ? new Methods.Bound(v, name) : Undefined.missing(v, name);
        }
        return Access.getattr(v, name);
    }

    private static Object batch(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("batch", a, k, "linecount", Params.REQUIRED, "fill_with", null);
        int n = Params.toInt("batch", p[0]);
        List<Object> out = new ArrayList<>();
        List<Object> tmp = new ArrayList<>();
        for (Object item : Py.toList(v)) {
            if (tmp.size() == n) {
                out.add(tmp);
                tmp = new ArrayList<>();
            }
            tmp.add(item);
        }
        if (!tmp.isEmpty()) {
            if (p[1] != null) {
                s.checkSize(n, "batch");
            }
            while (p[1] != null && tmp.size() < n) {
                tmp.add(p[1]);
            }
            out.add(tmp);
        }
        return out;
    }

    private static Object center(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("center", a, k, "width", 80L);
        int width = Params.toInt("center", p[0]);
        s.checkSize(width, "center");
        String result = PyStrings.center(Py.str(v), width, " ");
        return v instanceof Markup ? new Markup(result) : result;
    }

    /** Jinja2's own {@code default}: only an undefined value (or a falsy one with boolean=true) is replaced. */
    private static Object jinjaDefault(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("default", a, k, "default_value", "", "boolean", false);
        if (v instanceof Undefined || (Py.isTrue(p[1]) && !Py.isTrue(v))) {
            return p[0];
        }
        return v;
    }

    /**
     * The original's {@code default(value, fallback="")}: replaces None, "", [] and {}; keeps 0 and False;
     * an undefined value raises (its {@code not in} comparison does under StrictUndefined).
     */
    private static Object promptLightningDefault(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("default", a, k, "dflt", "");
        defined(v);
        boolean empty = v == null || (Py.isString(v) && v.toString().isEmpty())
                || (v instanceof List && !(v instanceof PyTuple) && ((List<?>) v).isEmpty())
                || (v instanceof Map && ((Map<?, ?>) v).isEmpty());
        return empty ? p[0] : v;
    }

    private static Object dictsort(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("dictsort", a, k, "case_sensitive", false, "by", "key", "reverse", false);
        int pos;
        if ("key".equals(p[1])) {
            pos = 0;
        } else if ("value".equals(p[1])) {
            pos = 1;
        } else {
            throw Errors.filterArgument("You can only sort by either \"key\" or \"value\"");
        }
        List<Object> items = itemsOf(v);
        boolean caseSensitive = Py.isTrue(p[0]);
        Comparator<Object> cmp = Comparator.comparing(item -> {
            Object x = ((List<?>) item).get(pos);
            return caseSensitive ? x : ignoreCase(x);
        }, PY_ORDER);
        items.sort(Py.isTrue(p[2]) ? cmp.reversed() : cmp);
        return items;
    }

    private static List<Object> itemsOf(Object v) {
        defined(v);
        if (!(v instanceof Map)) {
            throw Errors.typeError("Can only get item pairs from a mapping.");
        }
        List<Object> items = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            items.add(new PyTuple(e.getKey(), e.getValue()));
        }
        return items;
    }

    private static Object filesizeformat(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("filesizeformat", a, k, "binary", false);
        boolean binary = Py.isTrue(p[0]);
        double bytes = pyFloat(defined(v));
        int base = binary ? 1024 : 1000;
        String[] prefixes = binary ? new String[] {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
                : new String[] {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        if (bytes == 1) {
            return "1 Byte";
        }
        if (bytes < base) {
            return (long) bytes + " Bytes";
        }
        double unit = base;
        for (int i = 0; i < prefixes.length; i++) {
            unit = Math.pow(base, i + 2);
            if (bytes < unit || i == prefixes.length - 1) {
                return PyFormat.percent("%.1f %s", new PyTuple(base * bytes / unit, prefixes[i]));
            }
        }
        throw new IllegalStateException();
    }

    private static Object first(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Params.bind("first", a, k);
        List<Object> items = Py.toList(defined(v));
        return items.isEmpty() ? Undefined.withMessage("No first item, sequence was empty.") : items.get(0);
    }

    private static Object last(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Params.bind("last", a, k);
        List<Object> items = Py.toList(defined(v));
        return items.isEmpty() ? Undefined.withMessage("No last item, sequence was empty.")
                : items.get(items.size() - 1);
    }

    private static Object toFloat(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("float", a, k, "default", 0.0);
        Double d = parseFloat(defined(v));
        return d == null ? p[0] : d;
    }

    /** Python's float(value): TypeError or ValueError where Python raises them. */
    private static double pyFloat(Object v) {
        Double d = parseFloat(v);
        if (d != null) {
            return d;
        }
        if (Py.isString(v)) {
            throw Errors.valueError("could not convert string to float: " + Py.repr(v.toString()));
        }
        throw Errors.typeError("float() argument must be a string or a real number, not '" + Py.typeName(v) + "'");
    }

    /** Python's float(value), or null where it raises TypeError/ValueError. */
    private static Double parseFloat(Object v) {
        if (Py.isNumeric(v)) {
            return Py.asDouble(v);
        }
        if (Py.isString(v)) {
            return PyFloatText.parse(v.toString());
        }
        return null;
    }

    private static Object toInt(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("int", a, k, "default", 0L, "base", 10L);
        defined(v);
        if (Py.isIntLike(v)) {
            return Py.toPyInt(v);
        }
        if (Py.isFloat(v)) {
            return floatToInt(Py.asDouble(v), p[0]);
        }
        if (Py.isString(v)) {
            Object parsed = parseInt(v.toString(), Params.toInt("int", p[1]));
            if (parsed != null) {
                return parsed;
            }
            Double d = parseFloat(v);
            return d == null ? p[0] : floatToInt(d, p[0]);
        }
        return p[0];
    }

    private static Object floatToInt(double d, Object dflt) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return dflt;
        }
        return Py.normalize(new BigDecimal(d).toBigInteger());
    }

    /** Python's int(str, base), or null where it raises ValueError. */
    private static Object parseInt(String s, int base) {
        String t = PyStrings.strip(s, null);
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.startsWith("-");
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (base == 0 || base == 16 || base == 8 || base == 2) {
            int prefixBase = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 0;
            if (prefixBase != 0 && (base == 0 || base == prefixBase)) {
                base = prefixBase;
                t = t.substring(2);
                if (t.startsWith("_")) {
                    t = t.substring(1);
                }
            } else if (base == 0) {
                if (t.length() > 1 && t.chars().allMatch(c -> c == '0' || c == '_')) {
                    return 0L;
                }
                if (t.startsWith("0") && t.length() > 1) {
                    return null;
                }
                base = 10;
            }
        }
        if (base < 2 || base > 36 || t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
            return null;
        }
        try {
            BigInteger b = new BigInteger(t.replace("_", ""), base);
            return Py.normalize(negative ? b.negate() : b);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object format(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        if (a.length > 0 && !k.isEmpty()) {
            throw Errors.filterArgument("can't handle positional and keyword arguments at the same time");
        }
        Object format = v instanceof Markup ? v : Py.str(v);
        return Py.mod(format, k.isEmpty() ? new PyTuple(a.clone()) : new LinkedHashMap<>(k));
    }

    private static Object groupby(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("groupby", a, k, "attribute", Params.REQUIRED, "default", null, "case_sensitive", false);
        boolean caseSensitive = Py.isTrue(p[2]);
        Function<Object, Object> key = attrGetter(p[0], !caseSensitive, p[1]);
        Function<Object, Object> outputKey = attrGetter(p[0], false, p[1]);
        List<Object> sorted = new ArrayList<>(Py.toList(defined(v)));
        sorted.sort(Comparator.comparing(key, PY_ORDER));
        List<Object> out = new ArrayList<>();
        Object currentKey = null;
        List<Object> group = null;
        for (Object item : sorted) {
            Object itemKey = key.apply(item);
            if (group == null || !Py.eq(itemKey, currentKey)) {
                group = new ArrayList<>();
                out.add(PyTuple.named(new String[] {"grouper", "list"}, outputKey.apply(item), group));
                currentKey = itemKey;
            }
            group.add(item);
        }
        return out;
    }

    private static Object indent(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("indent", a, k, "width", 4L, "first", false, "blank", false);
        if (!Py.isString(defined(v))) {
            throw Errors.typeError("unsupported operand type(s) for +=: '" + Py.typeName(v) + "' and 'str'");
        }
        String text = v.toString();
        long lines = text.chars().filter(c -> c == '\n').count() + 2;
        long width = Py.isString(p[0]) ? p[0].toString().length() : Math.max(0, Params.toInt("indent", p[0]));
        s.checkSize(text.length() + lines * width, "indent");
        String indentation = Py.isString(p[0]) ? p[0].toString() : " ".repeat((int) width);
        String result = PyStrings.indent(text, indentation, Py.isTrue(p[1]), Py.isTrue(p[2]));
        return v instanceof Markup ? new Markup(result) : result;
    }

    private static Object items(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        if (v instanceof Undefined) {
            return new ArrayList<>();
        }
        return itemsOf(v);
    }

    private static Object join(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("join", a, k, "d", "", "attribute", null);
        List<Object> items = Py.toList(defined(v));
        Function<Object, Object> getter = p[1] == null ? null : attrGetter(p[1], false, null);
        String sep = Py.str(p[0]);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            Py.appendStr(sb, getter == null ? items.get(i) : getter.apply(items.get(i)));
            if (sb.length() > s.maxOutputLength()) {
                throw Errors.limit("join result exceeds the output limit of " + s.maxOutputLength() + " characters");
            }
        }
        return sb.toString();
    }

    private static Object map(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Function<Object, Object> fn;
        if (a.length == 0 && k.containsKey("attribute")) {
            Map<String, Object> rest = new LinkedHashMap<>(k);
            Object attribute = rest.remove("attribute");
            Object dflt = rest.remove("default");
            if (!rest.isEmpty()) {
                throw Errors.filterArgument("Unexpected keyword argument " + Py.repr(rest.keySet().iterator().next()));
            }
            fn = attrGetter(attribute, false, dflt);
        } else {
            if (a.length == 0) {
                throw Errors.filterArgument("map requires a filter argument");
            }
            String name = Py.str(a[0]);
            FilterFn filter = s.environment.filter(name);
            if (filter == null) {
                throw Errors.runtime("No filter named " + Py.repr(name) + ".");
            }
            Object[] rest = java.util.Arrays.copyOfRange(a, 1, a.length);
            fn = item -> filter.apply(s, item, rest, k);
        }
        List<Object> out = new ArrayList<>();
        for (Object item : Py.toList(defined(v))) {
            out.add(fn.apply(item));
        }
        return out;
    }

    private static Object minOrMax(Object v, Object[] a, Map<String, Object> k, String which) {
        Object[] p = Params.bind(which, a, k, "case_sensitive", false, "attribute", null);
        List<Object> items = Py.toList(defined(v));
        if (items.isEmpty()) {
            return Undefined.withMessage("No aggregated item, sequence was empty.");
        }
        Function<Object, Object> key = attrGetter(p[1], !Py.isTrue(p[0]), null);
        Object best = items.get(0);
        Object bestKey = key.apply(best);
        for (int i = 1; i < items.size(); i++) {
            Object candidateKey = key.apply(items.get(i));
            int c = Py.compare(candidateKey, bestKey, which.equals("max") ? ">" : "<");
            if (which.equals("max") ? c > 0 : c < 0) {
                best = items.get(i);
                bestKey = candidateKey;
            }
        }
        return best;
    }

    private static Object random(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        List<Object> items = Py.toList(defined(v));
        if (items.isEmpty()) {
            throw Errors.valueError("Cannot choose from an empty sequence");
        }
        return items.get(ThreadLocalRandom.current().nextInt(items.size()));
    }

    private static Object replace(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("replace", a, k, "old", Params.REQUIRED, "new", Params.REQUIRED, "count", null);
        int count = p[2] == null ? -1 : Params.toInt("replace", p[2]);
        return Methods.replace(s, Py.str(v), Py.str(p[0]), Py.str(p[1]), count);
    }

    private static Object reverse(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        defined(v);
        if (Py.isString(v)) {
            List<Object> cps = Py.codePoints(v.toString());
            Collections.reverse(cps);
            StringBuilder sb = new StringBuilder();
            for (Object c : cps) {
                sb.append((String) c);
            }
            return sb.toString();
        }
        if (!Py.isIterable(v)) {
            throw Errors.filterArgument("argument must be iterable");
        }
        // Dicts reverse their keys, as reversed(dict) does since Python 3.8.
        List<Object> out = new ArrayList<>(Py.toList(v));
        Collections.reverse(out);
        return out;
    }

    private static Object round(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("round", a, k, "precision", 0L, "method", "common");
        String method = Py.str(p[1]);
        if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
            throw Errors.filterArgument("method must be common, ceil or floor");
        }
        defined(v);
        int precision = Params.toInt("round", p[0]);
        if (!Py.isNumeric(v)) {
            if (method.equals("common")) {
                throw Errors.typeError("type " + Py.typeName(v) + " doesn't define __round__ method");
            }
            throw Errors.typeError("can't multiply sequence by non-int of type 'int'");
        }
        if (method.equals("common")) {
            if (Py.isIntLike(v)) {
                if (precision >= 0) {
                    return Py.toPyInt(v);
                }
                BigDecimal rounded = new BigDecimal(Py.asBig(v)).setScale(precision, RoundingMode.HALF_EVEN);
                return Py.normalize(rounded.toBigInteger());
            }
            double d = Py.asDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d) || precision > 1100) {
                return d; // a double has fewer than 1100 decimal places: rounding there changes nothing
            }
            if (precision < -400) {
                return Math.copySign(0.0, d); // beyond 1e308 every double rounds to zero
            }
            double r = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).doubleValue();
            return r == 0 ? Math.copySign(0.0, d) : r; // round(-0.4) is -0.0 in Python
        }
        Object scale = Py.pow(10L, (long) precision);
        Object scaled = Py.mul(v, scale);
        double f = method.equals("ceil") ? Math.ceil(Py.asDouble(scaled)) : Math.floor(Py.asDouble(scaled));
        return Py.truediv(Py.normalize(new BigDecimal(f).toBigInteger()), scale);
    }

    private static Object selectOrReject(RenderState s, Object v, Object[] a, Map<String, Object> k, boolean select,
            boolean byAttribute) {
        Function<Object, Object> transform = Function.identity();
        int offset = 0;
        if (byAttribute) {
            if (a.length == 0) {
                throw Errors.filterArgument("Missing parameter for attribute name");
            }
            transform = attrGetter(a[0], false, null);
            offset = 1;
        }
        TestFn test = null;
        Object[] testArgs = CallArgs.NO_ARGS;
        if (a.length > offset) {
            String name = Py.str(a[offset]);
            test = s.environment.test(name);
            if (test == null) {
                throw Errors.runtime("No test named " + Py.repr(name) + ".");
            }
            testArgs = java.util.Arrays.copyOfRange(a, offset + 1, a.length);
        }
        List<Object> out = new ArrayList<>();
        for (Object item : Py.toList(defined(v))) {
            Object x = transform.apply(item);
            boolean ok = test == null ? Py.isTrue(x) : test.test(s, x, testArgs, k);
            if (ok == select) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object slice(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("slice", a, k, "slices", Params.REQUIRED, "fill_with", null);
        int slices = Params.toInt("slice", p[0]);
        if (slices == 0) {
            throw Errors.zeroDivision("integer division or modulo by zero");
        }
        if (slices < 0) {
            return new ArrayList<>(); // Python's range(slices) is empty
        }
        List<Object> seq = Py.toList(defined(v));
        int length = seq.size();
        int perSlice = length / slices;
        int withExtra = length % slices;
        int offset = 0;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            int start = offset + i * perSlice;
            if (i < withExtra) {
                offset++;
            }
            int end = offset + (i + 1) * perSlice;
            List<Object> tmp = new ArrayList<>(seq.subList(start, end));
            if (p[1] != null && i >= withExtra) {
                tmp.add(p[1]);
            }
            out.add(tmp);
        }
        return out;
    }

    private static Object sort(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("sort", a, k, "reverse", false, "case_sensitive", false, "attribute", null);
        boolean ignore = !Py.isTrue(p[1]);
        List<Function<Object, Object>> keys = new ArrayList<>();
        if (p[2] instanceof String) {
            for (String part : ((String) p[2]).split(",", -1)) {
                keys.add(attrGetter(part, ignore, null));
            }
        } else {
            keys.add(attrGetter(p[2], ignore, null));
        }
        Comparator<Object> cmp = (x, y) -> {
            for (Function<Object, Object> key : keys) {
                int c = Py.compare(key.apply(x), key.apply(y), "<");
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        List<Object> out = new ArrayList<>(Py.toList(defined(v)));
        // Python's sorted(reverse=True) keeps equal items in their original order, unlike a reversed comparator
        // applied after sorting; Comparator.reversed() on a stable sort matches it.
        out.sort(Py.isTrue(p[0]) ? cmp.reversed() : cmp);
        return out;
    }

    private static Object sum(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("sum", a, k, "attribute", null, "start", 0L);
        Function<Object, Object> getter = p[0] == null ? Function.identity() : attrGetter(p[0], false, null);
        Object total = p[1];
        for (Object item : Py.toList(defined(v))) {
            total = Py.add(total, getter.apply(item));
        }
        return total;
    }

    private static Object tojson(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("tojson", a, k, "indent", null);
        int indent = p[0] == null ? -1 : Params.toInt("tojson", p[0]);
        return new Markup(JsonDumper.htmlSafeDumps(v, indent));
    }

    private static Object trim(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("trim", a, k, "chars", null);
        String result = PyStrings.strip(Py.str(v), p[0] == null ? null : Py.str(p[0]));
        return v instanceof Markup ? new Markup(result) : result;
    }

    private static Object truncate(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("truncate", a, k, "length", 255L, "killwords", false, "end", "...", "leeway", null);
        int leeway = p[3] == null ? 5 : Params.toInt("truncate", p[3]);
        String result = PyStrings.truncate(Py.str(v), Params.toInt("truncate", p[0]), Py.isTrue(p[1]), Py.str(p[2]),
                leeway);
        return v instanceof Markup ? new Markup(result) : result;
    }

    private static Object unique(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("unique", a, k, "case_sensitive", false, "attribute", null);
        Function<Object, Object> key = attrGetter(p[1], !Py.isTrue(p[0]), null);
        java.util.Set<Object> seen = new java.util.HashSet<>();
        List<Object> out = new ArrayList<>();
        for (Object item : Py.toList(defined(v))) {
            if (seen.add(Py.hashKey(key.apply(item)))) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object wordwrap(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("wordwrap", a, k, "width", 79L, "break_long_words", true, "wrapstring", null,
                "break_on_hyphens", true);
        String wrapstring = p[2] == null ? "\n" : Py.str(p[2]);
        return PyStrings.wordwrap(Py.str(v), Params.toInt("wordwrap", p[0]), Py.isTrue(p[1]), wrapstring,
                Py.isTrue(p[3]));
    }

    private static Object xmlattr(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Object[] p = Params.bind("xmlattr", a, k, "autospace", true);
        defined(v);
        if (!(v instanceof Map)) {
            throw Errors.typeError("xmlattr requires a mapping");
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            if (e.getValue() == null || e.getValue() instanceof Undefined) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Markup.escape(e.getKey()).text).append("=\"").append(Markup.escape(e.getValue()).text).append('"');
        }
        if (Py.isTrue(p[0]) && sb.length() > 0) {
            sb.insert(0, ' ');
        }
        return new Markup(sb.toString());
    }

    /** The original's yaml filter: str() for scalars, block YAML (PyYAML safe_dump style) otherwise. */
    private static Object yaml(RenderState s, Object v, Object[] a, Map<String, Object> k) {
        Params.bind("yaml", a, k);
        defined(v);
        if (v == null || v instanceof String || v instanceof Boolean || Py.isNumeric(v) || v instanceof Markup) {
            return Py.str(v);
        }
        return Lexer.rstrip(YamlDumper.dump(v));
    }
}
