package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods templates may call on strings, lists and dicts ({@code s.upper()}, {@code d.items()},
 * {@code xs.append(x)}), plus the methods of the engine's own objects. Nothing else is callable.
 */
final class Methods {
    /** Returned by {@link #call} when the receiver has no such method. */
    static final Object NOT_A_METHOD = new Object();

    private static final Set<String> STR_METHODS = Set.of("upper", "lower", "title", "capitalize", "swapcase",
            "casefold", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "center", "ljust", "rjust",
            "zfill", "find", "rfind", "index", "rindex", "count", "startswith", "endswith", "replace", "join",
            "format", "format_map", "partition", "rpartition", "isalpha", "isdigit", "isalnum", "isspace",
            "isupper", "islower", "istitle", "isnumeric", "isdecimal", "isascii", "isprintable", "isidentifier",
            "removeprefix", "removesuffix", "expandtabs", "encode");
    private static final Set<String> INT_METHODS = Set.of("bit_length", "conjugate");
    private static final Set<String> FLOAT_METHODS = Set.of("is_integer", "conjugate");
    private static final Set<String> LIST_METHODS = Set.of("append", "extend", "insert", "pop", "remove", "index",
            "count", "reverse", "sort", "copy", "clear");
    private static final Set<String> TUPLE_METHODS = Set.of("index", "count");
    private static final Set<String> DICT_METHODS = Set.of("keys", "values", "items", "get", "pop", "popitem",
            "update", "copy", "clear", "setdefault");

    private Methods() {
    }

    static boolean isStrMethod(String name) {
        return STR_METHODS.contains(name);
    }

    static boolean isListMethod(String name) {
        return LIST_METHODS.contains(name);
    }

    static boolean isTupleMethod(String name) {
        return TUPLE_METHODS.contains(name);
    }

    static boolean isDictMethod(String name) {
        return DICT_METHODS.contains(name);
    }

    static boolean isNumberMethod(Object number, String name) {
        return Py.isFloat(number) ? FLOAT_METHODS.contains(name) : INT_METHODS.contains(name);
    }

    /** A method bound to its receiver, as {@code s.upper} without the call gives. */
    static final class Bound implements PyCallable {
        final Object receiver;
        final String name;

        Bound(Object receiver, String name) {
            this.receiver = receiver;
            this.name = name;
        }

        @Override
        public String typeName() {
            return "builtin_function_or_method";
        }

        @Override
        public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
            Object result = Methods.call(state, receiver, name, args.toArray(), kwargs);
            if (result == NOT_A_METHOD) {
                throw Errors.typeError("'" + Py.typeName(receiver) + "' object has no method '" + name + "'");
            }
            return result;
        }
    }

    static Object call(RenderState state, Object receiver, String name, Object[] args, Map<String, Object> kwargs) {
        if (receiver instanceof String || receiver instanceof Markup) {
            return STR_METHODS.contains(name) ? strMethod(state, receiver, name, args, kwargs) : NOT_A_METHOD;
        }
        if (receiver instanceof Map) {
            return DICT_METHODS.contains(name) ? dictMethod(receiver, name, args, kwargs) : NOT_A_METHOD;
        }
        if (receiver instanceof PyTuple || receiver instanceof PyRange || receiver instanceof DictView) {
            return TUPLE_METHODS.contains(name) ? listMethod(receiver, name, args, kwargs) : NOT_A_METHOD;
        }
        if (receiver instanceof List) {
            return LIST_METHODS.contains(name) ? listMethod(receiver, name, args, kwargs) : NOT_A_METHOD;
        }
        if (Py.isNumeric(receiver)) {
            return isNumberMethod(receiver, name) ? numberMethod(receiver, name, args, kwargs) : NOT_A_METHOD;
        }
        if (receiver instanceof HasMethods) {
            return ((HasMethods) receiver).callMethod(state, name, args, kwargs);
        }
        if (receiver instanceof Undefined) {
            throw ((Undefined) receiver).error();
        }
        return NOT_A_METHOD;
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static void arity(String name, Object[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            if (max == 0) {
                throw Errors.typeError(name + "() takes no arguments (" + args.length + " given)");
            }
            throw Errors.typeError(name + "() takes " + (min == max ? "exactly " + min : "at most " + max)
                    + " argument" + (max == 1 ? "" : "s") + " (" + args.length + " given)");
        }
    }

    private static Object numberMethod(Object n, String name, Object[] a, Map<String, Object> kw) {
        Params.noKwargs(name, kw);
        arity(name, a, 0, 0);
        switch (name) {
            case "bit_length": return (long) Py.asBig(n).abs().bitLength();
            case "is_integer": {
                double d = Py.asDouble(n);
                return !Double.isInfinite(d) && d == Math.rint(d);
            }
            default: return Py.pos(n); // conjugate of a real number
        }
    }

    private static Object strMethod(RenderState state, Object receiver, String name, Object[] a,
            Map<String, Object> kw) {
        String s = receiver.toString();
        boolean markup = receiver instanceof Markup;
        if (markup) {
            // Markup's methods escape the strings they are given (MarkupSafe's escaping wrappers).
            a = escapeStrings(a);
            if (name.equals("join") && a.length == 1) {
                a = new Object[] {Arrays.asList(escapeStrings(Py.toList(a[0]).toArray()))};
            }
        }
        if (name.equals("format")) {
            return PyFormat.strFormat(s, Arrays.asList(a), kw);
        }
        if (name.equals("format_map")) {
            arity(name, a, 1, 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) requireMap(name, a[0]);
            return PyFormat.strFormat(s, List.of(), m);
        }
        Object result;
        switch (name) {
            case "split":
            case "rsplit": {
                Object[] p = Params.bind(name, a, kw, "sep", null, "maxsplit", -1L);
                String sep = p[0] == null ? null : Params.toStr(name, p[0]);
                int max = Params.toInt(name, p[1]);
                result = new ArrayList<Object>(name.equals("split") ? PyStrings.split(s, sep, max)
                        : PyStrings.rsplit(s, sep, max));
                return result;
            }
            case "splitlines": {
                Object[] p = Params.bind(name, a, kw, "keepends", false);
                return new ArrayList<Object>(PyStrings.splitlines(s, Py.isTrue(p[0])));
            }
            case "replace": {
                Params.noKwargs(name, kw);
                arity(name, a, 2, 3);
                int count = a.length > 2 ? Params.toInt(name, a[2]) : -1;
                result = replace(state, s, Params.toStr(name, a[0]), Params.toStr(name, a[1]), count);
                break;
            }
            case "join": {
                Params.noKwargs(name, kw);
                arity(name, a, 1, 1);
                result = PyStrings.join(s, Py.toList(a[0]));
                break;
            }
            case "startswith":
            case "endswith": {
                Params.noKwargs(name, kw);
                arity(name, a, 1, 3);
                Integer start = Params.toIntOrNull(name, arg(a, 1));
                Integer end = Params.toIntOrNull(name, arg(a, 2));
                return name.equals("startswith") ? PyStrings.startswith(s, a[0], start, end)
                        : PyStrings.endswith(s, a[0], start, end);
            }
            case "find":
            case "rfind":
            case "index":
            case "rindex":
            case "count": {
                Params.noKwargs(name, kw);
                arity(name, a, 1, 3);
                String sub = Params.toStr(name, a[0]);
                Integer start = Params.toIntOrNull(name, arg(a, 1));
                Integer end = Params.toIntOrNull(name, arg(a, 2));
                switch (name) {
                    case "find": return (long) PyStrings.find(s, sub, start, end);
                    case "rfind": return (long) PyStrings.rfind(s, sub, start, end);
                    case "index": return (long) PyStrings.index(s, sub, start, end);
                    case "rindex": return (long) PyStrings.rindex(s, sub, start, end);
                    default: return (long) PyStrings.count(s, sub, start, end);
                }
            }
            case "strip":
            case "lstrip":
            case "rstrip": {
                Params.noKwargs(name, kw);
                arity(name, a, 0, 1);
                String chars = arg(a, 0) == null ? null : Params.toStr(name, a[0]);
                result = name.equals("strip") ? PyStrings.strip(s, chars)
                        : name.equals("lstrip") ? PyStrings.lstrip(s, chars) : PyStrings.rstrip(s, chars);
                break;
            }
            case "center":
            case "ljust":
            case "rjust": {
                Params.noKwargs(name, kw);
                arity(name, a, 1, 2);
                int width = Params.toInt(name, a[0]);
                state.checkSize(width, name + "()");
                String fill = a.length > 1 ? Params.toStr(name, a[1]) : " ";
                if (fill.codePointCount(0, fill.length()) != 1) {
                    throw Errors.typeError("The fill character must be exactly one character long");
                }
                result = name.equals("center") ? PyStrings.center(s, width, fill)
                        : name.equals("ljust") ? PyStrings.ljust(s, width, fill) : PyStrings.rjust(s, width, fill);
                break;
            }
            case "zfill":
                arity(name, a, 1, 1);
                state.checkSize(Params.toInt(name, a[0]), name + "()");
                result = PyStrings.zfill(s, Params.toInt(name, a[0]));
                break;
            case "partition":
            case "rpartition":
                arity(name, a, 1, 1);
                return name.equals("partition") ? PyStrings.partition(s, Params.toStr(name, a[0]))
                        : PyStrings.rpartition(s, Params.toStr(name, a[0]));
            case "removeprefix": {
                arity(name, a, 1, 1);
                String p = Params.toStr(name, a[0]);
                result = s.startsWith(p) ? s.substring(p.length()) : s;
                break;
            }
            case "removesuffix": {
                arity(name, a, 1, 1);
                String p = Params.toStr(name, a[0]);
                result = s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
                break;
            }
            case "expandtabs": {
                Object[] p = Params.bind(name, a, kw, "tabsize", 8L);
                result = PyStrings.expandtabs(s, Params.toInt(name, p[0]));
                break;
            }
            case "encode":
                throw Errors.typeError("bytes are not supported in templates");
            default:
                Params.noKwargs(name, kw);
                arity(name, a, 0, 0);
                return noArgStrMethod(s, name, markup);
        }
        return markup && result instanceof String ? new Markup((String) result) : result;
    }

    /** str.replace, refused before it allocates a result beyond the output limit. */
    static String replace(RenderState state, String s, String old, String replacement, int count) {
        if (replacement.length() > old.length()) {
            long occurrences = PyStrings.count(s, old, null, null);
            if (count >= 0) {
                occurrences = Math.min(occurrences, count);
            }
            state.checkSize(s.length() + occurrences * (replacement.length() - old.length()), "replace()");
        }
        return PyStrings.replace(s, old, replacement, count);
    }

    private static Object[] escapeStrings(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof String) {
                out[i] = Markup.escape(out[i]).text;
            }
        }
        return out;
    }

    private static Object noArgStrMethod(String s, String name, boolean markup) {
        Object result;
        switch (name) {
            case "upper": result = PyStrings.upper(s); break;
            case "lower": result = PyStrings.lower(s); break;
            case "title": result = PyStrings.title(s); break;
            case "capitalize": result = PyStrings.capitalize(s); break;
            case "swapcase": result = PyStrings.swapcase(s); break;
            case "casefold": result = PyStrings.casefold(s); break;
            case "isalpha": return PyStrings.isalpha(s);
            case "isdigit": return PyStrings.isdigit(s);
            case "isalnum": return PyStrings.isalnum(s);
            case "isspace": return PyStrings.isspace(s);
            case "isupper": return PyStrings.isupper(s);
            case "islower": return PyStrings.islower(s);
            case "istitle": return PyStrings.istitle(s);
            case "isnumeric": return PyStrings.isnumeric(s);
            case "isdecimal": return PyStrings.isdecimal(s);
            case "isascii": return PyStrings.isascii(s);
            case "isprintable": return PyStrings.isprintable(s);
            case "isidentifier": return PyStrings.isidentifier(s);
            default: throw new IllegalStateException(name);
        }
        return markup ? new Markup((String) result) : result;
    }

    private static Map<?, ?> requireMap(String name, Object v) {
        if (v instanceof Map) {
            return (Map<?, ?>) v;
        }
        if (v instanceof Undefined) {
            throw ((Undefined) v).error();
        }
        throw Errors.typeError(name + "() argument must be a mapping, not " + Py.typeName(v));
    }

    @SuppressWarnings("unchecked")
    private static Object dictMethod(Object receiver, String name, Object[] a, Map<String, Object> kw) {
        Map<Object, Object> d = (Map<Object, Object>) receiver;
        switch (name) {
            case "keys":
                arity(name, a, 0, 0);
                return new DictView("dict_keys", new ArrayList<>(d.keySet()));
            case "values":
                arity(name, a, 0, 0);
                return new DictView("dict_values", new ArrayList<>(d.values()));
            case "items": {
                arity(name, a, 0, 0);
                List<Object> items = new ArrayList<>(d.size());
                for (Map.Entry<Object, Object> e : d.entrySet()) {
                    items.add(new PyTuple(e.getKey(), e.getValue()));
                }
                return new DictView("dict_items", items);
            }
            case "get": {
                arity(name, a, 1, 2);
                Object v = Access.getitem(d, a[0]);
                if (v instanceof Undefined || v instanceof Methods.Bound) {
                    Object key = Access.dictKey(a[0]);
                    return d.containsKey(key) ? d.get(key) : arg(a, 1);
                }
                return v;
            }
            case "pop": {
                arity(name, a, 1, 2);
                Object key = Access.dictKey(a[0]);
                if (d.containsKey(key)) {
                    return d.remove(key);
                }
                if (a.length > 1) {
                    return a[1];
                }
                throw Errors.valueError(Py.repr(a[0]));
            }
            case "popitem": {
                arity(name, a, 0, 0);
                if (d.isEmpty()) {
                    throw Errors.valueError("'popitem(): dictionary is empty'");
                }
                Object last = null;
                for (Object k : d.keySet()) {
                    last = k;
                }
                return new PyTuple(last, d.remove(last));
            }
            case "setdefault": {
                arity(name, a, 1, 2);
                Object key = Access.dictKey(a[0]);
                if (!d.containsKey(key)) {
                    d.put(key, arg(a, 1));
                }
                return d.get(key);
            }
            case "update": {
                arity(name, a, 0, 1);
                if (a.length == 1) {
                    d.putAll((Map<Object, Object>) requireMap(name, a[0]));
                }
                d.putAll(kw);
                return null;
            }
            case "copy":
                arity(name, a, 0, 0);
                return new LinkedHashMap<>(d);
            case "clear":
                arity(name, a, 0, 0);
                d.clear();
                return null;
            default:
                throw new IllegalStateException(name);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object listMethod(Object receiver, String name, Object[] a, Map<String, Object> kw) {
        List<Object> list = (List<Object>) receiver;
        if (name.equals("sort")) {
            Object[] p = Params.bind(name, a, kw, "reverse", false);
            arity(name, a, 0, 0);
            java.util.Comparator<Object> order = (x, y) -> Py.compare(x, y, "<");
            list.sort(Py.isTrue(p[0]) ? order.reversed() : order);
            return null;
        }
        Params.noKwargs(name, kw);
        switch (name) {
            case "append":
                arity(name, a, 1, 1);
                list.add(a[0]);
                return null;
            case "extend":
                arity(name, a, 1, 1);
                list.addAll(Py.toList(a[0]));
                return null;
            case "insert": {
                arity(name, a, 2, 2);
                int i = Params.toInt(name, a[0]);
                int n = list.size();
                i = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
                list.add(i, a[1]);
                return null;
            }
            case "pop": {
                arity(name, a, 0, 1);
                if (list.isEmpty()) {
                    throw Errors.valueError("pop from empty list");
                }
                int i = a.length == 0 ? -1 : Params.toInt(name, a[0]);
                int idx = i < 0 ? i + list.size() : i;
                if (idx < 0 || idx >= list.size()) {
                    throw Errors.valueError("pop index out of range");
                }
                return list.remove(idx);
            }
            case "remove":
                arity(name, a, 1, 1);
                for (int i = 0; i < list.size(); i++) {
                    if (Py.eq(list.get(i), a[0])) {
                        list.remove(i);
                        return null;
                    }
                }
                throw Errors.valueError("list.remove(x): x not in list");
            case "index":
                arity(name, a, 1, 1);
                for (int i = 0; i < list.size(); i++) {
                    if (Py.eq(list.get(i), a[0])) {
                        return (long) i;
                    }
                }
                throw Errors.valueError(Py.repr(a[0]) + " is not in list");
            case "count": {
                arity(name, a, 1, 1);
                long c = 0;
                for (Object o : list) {
                    if (Py.eq(o, a[0])) {
                        c++;
                    }
                }
                return c;
            }
            case "reverse":
                arity(name, a, 0, 0);
                java.util.Collections.reverse(list);
                return null;
            case "copy":
                arity(name, a, 0, 0);
                return new ArrayList<>(list);
            case "clear":
                arity(name, a, 0, 0);
                list.clear();
                return null;
            default:
                throw new IllegalStateException(name);
        }
    }
}
