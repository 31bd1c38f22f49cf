package io.promptlightning.jinja;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attribute ({@code a.b}), item ({@code a[b]}) and slice access with Jinja2's rules: {@code a.b} tries the
 * Python attribute (a method of str, list or dict) before the item, {@code a[b]} the item before the
 * attribute. Only the engine's own value types have attributes: Java objects are never introspected.
 */
final class Access {
    private Access() {
    }

    static Object getattr(Object obj, String name) {
        if (obj instanceof Map) {
            if (Methods.isDictMethod(name)) {
                return new Methods.Bound(obj, name);
            }
            Map<?, ?> map = (Map<?, ?>) obj;
            Object v = map.get(name);
            if (v != null || map.containsKey(name)) {
                return v;
            }
            return Undefined.missing(obj, name);
        }
        if (obj instanceof Undefined) {
            throw ((Undefined) obj).error();
        }
        return attribute(obj, name);
    }

    /** The Python attribute of a non-dict value, or an undefined. */
    private static Object attribute(Object obj, String name) {
        if (obj instanceof String || obj instanceof Markup) {
            return Methods.isStrMethod(name) ? new Methods.Bound(obj, name) : Undefined.missing(obj, name);
        }
        if (obj instanceof PyTuple) {
            PyTuple t = (PyTuple) obj;
            int field = t.fieldIndex(name);
            if (field >= 0) {
                return t.get(field);
            }
            return Methods.isTupleMethod(name) ? new Methods.Bound(obj, name) : Undefined.missing(obj, name);
        }
        if (obj instanceof List && !(obj instanceof PyRange) && !(obj instanceof DictView)) {
            return Methods.isListMethod(name) ? new Methods.Bound(obj, name) : Undefined.missing(obj, name);
        }
        if (obj instanceof Namespace) {
            Map<String, Object> attrs = ((Namespace) obj).attributes;
            Object v = attrs.get(name);
            return v != null || attrs.containsKey(name) ? v : Undefined.missing(obj, name);
        }
        if (Py.isNumeric(obj)) {
            return numberAttribute(obj, name);
        }
        if (obj instanceof HasAttributes) {
            return ((HasAttributes) obj).attribute(name);
        }
        return Undefined.missing(obj, name);
    }

    private static Object numberAttribute(Object n, String name) {
        if (Methods.isNumberMethod(n, name)) {
            return new Methods.Bound(n, name);
        }
        boolean isFloat = Py.isFloat(n);
        switch (name) {
            case "real": return Py.pos(n);
            case "imag": return isFloat ? (Object) 0.0 : (Object) 0L;
            case "numerator": return isFloat ? Undefined.missing(n, name) : Py.pos(n);
            case "denominator": return isFloat ? Undefined.missing(n, name) : (Object) 1L;
            default: return Undefined.missing(n, name);
        }
    }

    static Object getitem(Object obj, Object key) {
        if (obj instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) obj;
            Object k = dictKey(key);
            Object v = map.get(k);
            if (v != null || map.containsKey(k)) {
                return v;
            }
            if (Py.isNumeric(key)) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (Py.isNumeric(e.getKey()) && Py.eq(e.getKey(), key)) {
                        return e.getValue();
                    }
                }
            }
            if (key instanceof String && Methods.isDictMethod((String) key)) {
                return new Methods.Bound(obj, (String) key);
            }
            return Undefined.missing(obj, key);
        }
        if (obj instanceof Undefined) {
            throw ((Undefined) obj).error();
        }
        if (key instanceof Undefined && ((Undefined) key).strict) {
            throw ((Undefined) key).error();
        }
        if (Py.isIntLike(key)) {
            if (obj instanceof List) {
                List<?> list = (List<?>) obj;
                int i = index(key, list.size());
                return i >= 0 ? list.get(i) : Undefined.missing(obj, key);
            }
            if (obj instanceof String || obj instanceof Markup) {
                String s = obj.toString();
                if (!Py.hasSurrogates(s)) {
                    int i = index(key, s.length());
                    return i >= 0 ? String.valueOf(s.charAt(i)) : Undefined.missing(obj, key);
                }
                List<Object> cps = Py.codePoints(s);
                int i = index(key, cps.size());
                return i >= 0 ? cps.get(i) : Undefined.missing(obj, key);
            }
        }
        if (key instanceof String) {
            return attribute(obj, (String) key);
        }
        return Undefined.missing(obj, key);
    }

    /** Python index normalization: negative counts from the end; -1 when out of range. */
    private static int index(Object key, int size) {
        if (key instanceof BigInteger) {
            return -1;
        }
        long i = Py.asLong(key);
        if (i < 0) {
            i += size;
        }
        return i >= 0 && i < size ? (int) i : -1;
    }

    /**
     * Puts into a template-built dict with Python's key identity: keys that compare equal (1, 1.0, True)
     * are one key, which keeps the first spelling and takes the last value.
     */
    static void put(Map<Object, Object> map, Object key, Object value) {
        Py.requireHashable(key);
        Object k = dictKey(key);
        if (Py.isNumeric(k) && !map.containsKey(k)) {
            for (Object existing : map.keySet()) {
                if (Py.isNumeric(existing) && Py.eq(existing, k)) {
                    k = existing;
                    break;
                }
            }
        }
        map.put(k, value);
    }

    /** Keys of template-built dicts: Python ints as Long so equal ints find each other. */
    static Object dictKey(Object key) {
        if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return ((Number) key).longValue();
        }
        if (key instanceof Markup) {
            return key.toString();
        }
        return key;
    }

    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined) {
            throw ((Undefined) obj).error();
        }
        List<Object> items;
        boolean isString = obj instanceof String || obj instanceof Markup;
        if (isString) {
            items = Py.codePoints(obj.toString());
        } else if (obj instanceof List) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) obj;
            items = l;
        } else {
            throw Errors.typeError("'" + Py.typeName(obj) + "' object is not subscriptable");
        }
        int n = items.size();
        long st = step == null ? 1 : sliceInt(step);
        if (st == 0) {
            throw Errors.valueError("slice step cannot be zero");
        }
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(sliceInt(start), n, 0, n);
            hi = stop == null ? n : clamp(sliceInt(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(sliceInt(start), n, -1, n - 1);
            hi = stop == null ? -1 : clamp(sliceInt(stop), n, -1, n - 1);
        }
        if (obj instanceof PyRange) {
            PyRange r = (PyRange) obj;
            return new PyRange(r.start + lo * r.step, r.start + hi * r.step, r.step * st);
        }
        List<Object> out = new ArrayList<>();
        if (st > 0) {
            for (long i = lo; i < hi; i += st) {
                out.add(items.get((int) i));
            }
        } else {
            for (long i = lo; i > hi; i += st) {
                out.add(items.get((int) i));
            }
        }
        if (isString) {
            StringBuilder sb = new StringBuilder();
            for (Object o : out) {
                sb.append((String) o);
            }
            return obj instanceof Markup ? new Markup(sb.toString()) : sb.toString();
        }
        if (obj instanceof PyTuple) {
            return PyTuple.of(out);
        }
        return out;
    }

    private static long sliceInt(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Undefined) {
            throw ((Undefined) v).error();
        }
        if (!Py.isIntLike(v)) {
            throw Errors.typeError("slice indices must be integers or None or have an __index__ method");
        }
        if (v instanceof BigInteger) {
            return ((BigInteger) v).signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        return Py.asLong(v);
    }

    private static long clamp(long i, int n, long min, long max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }
}
