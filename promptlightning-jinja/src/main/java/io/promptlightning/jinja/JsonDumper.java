package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, sort_keys=True, indent=indent)}, byte for byte, and Jinja2's
 * {@code |tojson} on top of it.
 */
final class JsonDumper {
    private JsonDumper() {
    }

    private static final int MAX_DEPTH = 200;
    /** Below this many items CPython's list.sort is a plain binary insertion sort after one run scan. */
    private static final int MIN_MERGE = 64;

    /**
     * @param indent spaces per level; negative for Python's {@code indent=None} (one line, {@code ", "} and
     *               {@code ": "} separators)
     */
    static String dumps(Object value, int indent) {
        Encoder encoder = new Encoder(indent);
        encoder.value(value, 0);
        return encoder.out.toString();
    }

    /** Jinja2's {@code htmlsafe_json_dumps}: the JSON is safe to embed in HTML, even in attributes. */
    static String htmlSafeDumps(Object value, int indent) {
        return dumps(value, indent).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("'", "\\u0027");
    }

    private static final class Encoder {
        private final StringBuilder out = new StringBuilder();
        private final int indent;
        /** Containers being encoded, to report a cycle the way Python does instead of recursing forever. */
        private final Map<Object, Boolean> open = new IdentityHashMap<>();

        Encoder(int indent) {
            this.indent = indent;
        }

        void value(Object v, int depth) {
            if (v == null) {
                out.append("null");
            } else if (Py.isString(v)) {
                appendString(v.toString());
            } else if (v instanceof Boolean) {
                out.append((Boolean) v ? "true" : "false");
            } else if (Py.isInt(v)) {
                out.append(Py.str(v));
            } else if (Py.isFloat(v)) {
                out.append(floatText(((Number) v).doubleValue()));
            } else if (v instanceof Map || isJsonArray(v)) {
                container(v, depth);
            } else {
                throw notSerializable(v);
            }
        }

        /** Python's json accepts lists and tuples only: ranges and dict views are not serializable. */
        private static boolean isJsonArray(Object v) {
            if (v instanceof PyRange || v instanceof DictView) {
                return false;
            }
            return v instanceof Collection || v.getClass().isArray();
        }

        private void container(Object v, int depth) {
            if (depth >= MAX_DEPTH) {
                throw Errors.limit("value nested too deeply to convert to JSON (more than " + MAX_DEPTH + " levels)");
            }
            if (v instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) v;
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                enter(v);
                object(map, depth + 1);
            } else {
                List<Object> items = Py.toList(v);
                if (items.isEmpty()) {
                    out.append("[]");
                    return;
                }
                enter(v);
                array(items, depth + 1);
            }
            open.remove(v);
        }

        private void enter(Object container) {
            if (open.put(container, Boolean.TRUE) != null) {
                throw Errors.valueError("Circular reference detected");
            }
        }

        private void array(List<Object> items, int depth) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                separator(i == 0, depth);
                value(items.get(i), depth);
            }
            close(']', depth);
        }

        private void object(Map<?, ?> map, int depth) {
            List<Object[]> items = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                items.add(new Object[] {e.getKey(), e.getValue()});
            }
            PySort.sortItems(items);
            out.append('{');
            boolean first = true;
            for (Object[] item : items) {
                separator(first, depth);
                first = false;
                appendString(keyText(item[0]));
                out.append(": ");
                value(item[1], depth);
            }
            close('}', depth);
        }

        private void separator(boolean first, int depth) {
            if (indent < 0) {
                if (!first) {
                    out.append(", ");
                }
                return;
            }
            if (!first) {
                out.append(',');
            }
            newline(depth);
        }

        private void close(char bracket, int depth) {
            if (indent >= 0) {
                newline(depth - 1);
            }
            out.append(bracket);
        }

        private void newline(int depth) {
            out.append('\n').append(" ".repeat(indent * depth));
        }

        private void appendString(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': out.append("\\\""); break;
                    case '\\': out.append("\\\\"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    case '\b': out.append("\\b"); break;
                    case '\f': out.append("\\f"); break;
                    default:
                        // ensure_ascii: anything outside printable ASCII as \\uXXXX of its UTF-16 units,
                        // which gives surrogate pairs for characters beyond U+FFFF, as Python does.
                        if (c < 0x20 || c > 0x7E) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                }
            }
            out.append('"');
        }
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Py.floatRepr(d);
    }

    /** Python's json turns int, float, bool and None keys into strings; other keys are an error. */
    private static String keyText(Object key) {
        if (Py.isString(key)) {
            return key.toString();
        }
        if (Py.isFloat(key)) {
            return floatText(((Number) key).doubleValue());
        }
        if (key == null || key instanceof Boolean) {
            return key == null ? "null" : ((Boolean) key ? "true" : "false");
        }
        if (Py.isInt(key)) {
            return Py.str(key);
        }
        throw Errors.typeError("keys must be str, int, float, bool or None, not " + Py.typeName(key));
    }

    private static TemplateRuntimeException notSerializable(Object v) {
        return Errors.typeError("Object of type " + Py.typeName(v) + " is not JSON serializable");
    }

    /**
     * {@code sorted(dict.items())} with CPython's comparison order, so that mixed key types fail with the
     * same TypeError, naming the operands in the same order, and ties or NaN keys land where Python puts
     * them. Runs are found and extended by binary insertion exactly as CPython's timsort does; that is the
     * whole algorithm below {@value #MIN_MERGE} items. Longer runs are then merged by a plain stable merge,
     * which gives the same order whenever the keys are totally ordered.
     */
    private static final class PySort {
        private PySort() {
        }

        static void sortItems(List<Object[]> items) {
            int n = items.size();
            if (n < 2) {
                return;
            }
            int minRun = minRun(n);
            List<List<Object[]>> runs = new ArrayList<>();
            int lo = 0;
            while (lo < n) {
                int runLength = countRun(items, lo, n);
                int forced = Math.min(minRun, n - lo);
                if (runLength < forced) {
                    binaryInsertionSort(items, lo, lo + forced, lo + runLength);
                    runLength = forced;
                }
                runs.add(new ArrayList<>(items.subList(lo, lo + runLength)));
                lo += runLength;
            }
            List<Object[]> sorted = runs.get(0);
            for (int i = 1; i < runs.size(); i++) {
                sorted = merge(sorted, runs.get(i));
            }
            for (int i = 0; i < n; i++) {
                items.set(i, sorted.get(i));
            }
        }

        private static int minRun(int n) {
            int low = 0;
            while (n >= MIN_MERGE) {
                low |= n & 1;
                n >>= 1;
            }
            return n + low;
        }

        /** Length of the ascending (or strictly descending, then reversed) run starting at lo. */
        private static int countRun(List<Object[]> items, int lo, int hi) {
            int end = lo + 1;
            if (end == hi) {
                return 1;
            }
            if (less(items.get(end), items.get(lo))) {
                end++;
                while (end < hi && less(items.get(end), items.get(end - 1))) {
                    end++;
                }
                Collections.reverse(items.subList(lo, end));
            } else {
                end++;
                while (end < hi && !less(items.get(end), items.get(end - 1))) {
                    end++;
                }
            }
            return end - lo;
        }

        /** Inserts items[start..hi) into the sorted items[lo..start), each by binary search. */
        private static void binaryInsertionSort(List<Object[]> items, int lo, int hi, int start) {
            for (int i = start; i < hi; i++) {
                Object[] pivot = items.get(i);
                int l = lo;
                int r = i;
                while (l < r) {
                    int p = l + ((r - l) >> 1);
                    if (less(pivot, items.get(p))) {
                        r = p;
                    } else {
                        l = p + 1;
                    }
                }
                items.remove(i);
                items.add(l, pivot);
            }
        }

        private static List<Object[]> merge(List<Object[]> left, List<Object[]> right) {
            List<Object[]> out = new ArrayList<>(left.size() + right.size());
            int i = 0;
            int j = 0;
            while (i < left.size() && j < right.size()) {
                out.add(less(right.get(j), left.get(i)) ? right.get(j++) : left.get(i++));
            }
            out.addAll(left.subList(i, left.size()));
            out.addAll(right.subList(j, right.size()));
            return out;
        }

        /**
         * Python's {@code (key1, value1) < (key2, value2)}: the first unequal elements decide. Values only
         * matter for keys that are distinct in Java but equal in Python, such as {@code 1} and {@code 1.0}.
         */
        private static boolean less(Object[] a, Object[] b) {
            for (int i = 0; i < 2; i++) {
                if (!Py.eq(a[i], b[i])) {
                    return Py.compare(a[i], b[i], "<") < 0;
                }
            }
            return false;
        }
    }
}
