package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code pprint.pformat} (width 80, indent 1, sorted dict keys), used by the {@code pprint} filter:
 * a structure whose repr fits the remaining width prints on one line, otherwise its items go one per line.
 */
final class PrettyPrinter {
    private static final int WIDTH = 80;

    private final StringBuilder out = new StringBuilder();

    private PrettyPrinter() {
    }

    static String format(Object value) {
        PrettyPrinter p = new PrettyPrinter();
        p.format(value, 0, 0, 0);
        return p.out.toString();
    }

    private void format(Object value, int indent, int allowance, int level) {
        String rep = sortedRepr(value, 0);
        int maxWidth = WIDTH - indent - allowance;
        if (Py.length(rep) <= maxWidth) {
            out.append(rep);
        } else if (value instanceof Map) {
            formatDict((Map<?, ?>) value, indent, allowance);
        } else if (value instanceof PyTuple) {
            PyTuple t = (PyTuple) value;
            String end = t.size() == 1 ? ",)" : ")";
            out.append('(');
            formatItems(t, indent, allowance + end.length());
            out.append(end);
        } else if (value instanceof List && !(value instanceof PyRange) && !(value instanceof DictView)) {
            out.append('[');
            formatItems((List<?>) value, indent, allowance + 1);
            out.append(']');
        } else if (value instanceof String && !((String) value).isEmpty()) {
            formatString((String) value, indent, allowance, level + 1);
        } else {
            out.append(rep);
        }
    }

    private void formatDict(Map<?, ?> map, int indent, int allowance) {
        out.append('{');
        List<Map.Entry<?, ?>> items = sortedEntries(map);
        int inner = indent + 1;
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            String key = sortedRepr(items.get(i).getKey(), 0);
            out.append(key).append(": ");
            format(items.get(i).getValue(), inner + Py.length(key) + 2, last ? allowance + 1 : 1, 1);
            if (!last) {
                out.append(",\n").append(" ".repeat(inner));
            }
        }
        out.append('}');
    }

    private void formatItems(List<?> items, int indent, int allowance) {
        int inner = indent + 1;
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            if (i > 0) {
                out.append(",\n").append(" ".repeat(inner));
            }
            format(items.get(i), inner, last ? allowance : 1, 1);
        }
    }

    /** A long string splits at whitespace into adjacent literals, parenthesized at the top level. */
    private void formatString(String s, int indent, int allowance, int level) {
        List<String> chunks = new ArrayList<>();
        List<Object> lines = PyStrings.splitlines(s, true);
        if (level == 1) {
            indent++;
            allowance++;
        }
        int maxWidth = WIDTH - indent;
        int maxWidth1 = maxWidth;
        String rep = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = (String) lines.get(i);
            rep = Py.repr(line);
            boolean lastLine = i == lines.size() - 1;
            if (lastLine) {
                maxWidth1 -= allowance;
            }
            if (Py.length(rep) <= maxWidth1) {
                chunks.add(rep);
                continue;
            }
            List<String> parts = wordsWithTrailingSpace(line);
            int maxWidth2 = maxWidth;
            String current = "";
            for (int j = 0; j < parts.size(); j++) {
                String candidate = current + parts.get(j);
                if (j == parts.size() - 1 && lastLine) {
                    maxWidth2 -= allowance;
                }
                if (Py.length(Py.repr(candidate)) > maxWidth2) {
                    if (!current.isEmpty()) {
                        chunks.add(Py.repr(current));
                    }
                    current = parts.get(j);
                } else {
                    current = candidate;
                }
            }
            if (!current.isEmpty()) {
                chunks.add(Py.repr(current));
            }
        }
        if (chunks.size() == 1) {
            out.append(rep);
            return;
        }
        if (level == 1) {
            out.append('(');
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                out.append('\n').append(" ".repeat(indent));
            }
            out.append(chunks.get(i));
        }
        if (level == 1) {
            out.append(')');
        }
    }

    /** Python's {@code re.findall(r'\S*\s*', line)} without the final empty match. */
    private static List<String> wordsWithTrailingSpace(String line) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int start = i;
            while (i < line.length() && !PyStrings.isSpace(line.charAt(i))) {
                i++;
            }
            while (i < line.length() && PyStrings.isSpace(line.charAt(i))) {
                i++;
            }
            parts.add(line.substring(start, i));
        }
        return parts;
    }

    /** repr() with every dict's keys sorted, as pprint's safe_repr does. */
    private static String sortedRepr(Object value, int depth) {
        if (!(value instanceof Map) && !(value instanceof List) || value instanceof PyRange
                || value instanceof DictView) {
            return Py.repr(value);
        }
        if (depth > 200) {
            throw Errors.limit("value nested too deeply to print (more than 200 levels)");
        }
        StringBuilder sb = new StringBuilder();
        if (value instanceof Map) {
            sb.append('{');
            List<Map.Entry<?, ?>> entries = sortedEntries((Map<?, ?>) value);
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(sortedRepr(entries.get(i).getKey(), depth + 1)).append(": ")
                        .append(sortedRepr(entries.get(i).getValue(), depth + 1));
            }
            return sb.append('}').toString();
        }
        List<?> list = (List<?>) value;
        boolean tuple = value instanceof PyTuple;
        sb.append(tuple ? '(' : '[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(sortedRepr(list.get(i), depth + 1));
        }
        if (tuple && list.size() == 1) {
            sb.append(',');
        }
        return sb.append(tuple ? ')' : ']').toString();
    }

    /** Sorted by key; keys Python cannot order against each other fall back to their type names. */
    private static List<Map.Entry<?, ?>> sortedEntries(Map<?, ?> map) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        entries.sort((x, y) -> {
            try {
                return Py.compare(x.getKey(), y.getKey(), "<");
            } catch (TemplateRuntimeException e) {
                return Py.typeName(x.getKey()).compareTo(Py.typeName(y.getKey()));
            }
        });
        return entries;
    }
}
