package io.promptlightning;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a template is found by in a metadata search: one {@code key\0value} entry per scalar metadata value, and
 * per scalar item of a list value (so each of the {@code tags} is one entry). Values are compared as text:
 * strings as they are, numbers in their usual form, booleans as {@code true}/{@code false}. Maps, nulls and
 * text holding a NUL character (the separator) are not indexed.
 */
final class IndexEntries {
    private IndexEntries() {
    }

    static Set<String> of(TemplateSpec spec) {
        Set<String> entries = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : spec.metadata().entrySet()) {
            Object value = e.getValue();
            if (value instanceof Collection) {
                for (Object item : (Collection<?>) value) {
                    add(entries, e.getKey(), item);
                }
            } else {
                add(entries, e.getKey(), value);
            }
        }
        return entries;
    }

    static String key(String name, String value) {
        return name + '\0' + value;
    }

    private static void add(Set<String> entries, String name, Object value) {
        String text = text(value);
        if (text != null && !hasNul(name) && !hasNul(text) && !name.isEmpty()) {
            entries.add(key(name, text));
        }
    }

    private static String text(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        return null;
    }

    private static boolean hasNul(String s) {
        return s.chars().anyMatch(c -> c == 0);
    }
}
