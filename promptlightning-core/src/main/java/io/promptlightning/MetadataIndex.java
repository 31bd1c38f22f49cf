package io.promptlightning;

import io.promptlightning.jinja.PythonValues;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which templates have which metadata values, so that a search looks up sets instead of reading templates. A
 * value is indexed as text: strings as they are, booleans as {@code true}/{@code false}, numbers as Python
 * writes them ({@code 3}, {@code 0.5}); a list is indexed under each of its items. Tags are the items of the
 * {@code tags} list, so a tag is the metadata pair {@code tags=<tag>}.
 *
 * <p>Lookups take no lock; changes come from one thread at a time (the registry's lock).
 */
final class MetadataIndex {
    static final String TAGS = "tags";

    private record Term(String key, String value) {
    }

    private final ConcurrentHashMap<Term, Set<String>> idsByTerm = new ConcurrentHashMap<>();
    private final Map<String, Set<Term>> termsById = new HashMap<>();

    /** Indexes {@code id} under {@code metadata}, replacing what it was indexed under; null removes it. */
    void put(String id, Map<String, Object> metadata) {
        Set<Term> now = metadata == null ? Set.of() : terms(metadata);
        Set<Term> before = termsById.getOrDefault(id, Set.of());
        for (Term term : now) {
            if (!before.contains(term)) {
                idsByTerm.computeIfAbsent(term, t -> ConcurrentHashMap.newKeySet()).add(id);
            }
        }
        for (Term term : before) {
            if (!now.contains(term)) {
                Set<String> ids = idsByTerm.get(term);
                if (ids != null) {
                    ids.remove(id);
                    if (ids.isEmpty()) {
                        idsByTerm.remove(term, ids);
                    }
                }
            }
        }
        if (now.isEmpty()) {
            termsById.remove(id);
        } else {
            termsById.put(id, now);
        }
    }

    void clear() {
        idsByTerm.clear();
        termsById.clear();
    }

    /** The ids indexed under every tag and every key/value pair given; null when no criteria are given. */
    Set<String> matching(Collection<String> tags, Map<String, String> metadata) {
        List<Term> wanted = new ArrayList<>();
        if (tags != null) {
            for (String tag : tags) {
                wanted.add(new Term(TAGS, tag));
            }
        }
        if (metadata != null) {
            metadata.forEach((key, value) -> wanted.add(new Term(key, value)));
        }
        if (wanted.isEmpty()) {
            return null;
        }
        List<Set<String>> sets = new ArrayList<>();
        for (Term term : wanted) {
            Set<String> ids = idsByTerm.get(term);
            if (ids == null) {
                return Set.of();
            }
            sets.add(ids);
        }
        sets.sort(Comparator.comparingInt(Set::size));
        Set<String> result = new HashSet<>(sets.get(0));
        for (int i = 1; i < sets.size() && !result.isEmpty(); i++) {
            result.retainAll(sets.get(i));
        }
        return result;
    }

    private static Set<Term> terms(Map<String, Object> metadata) {
        Set<Term> terms = new HashSet<>();
        metadata.forEach((key, value) -> {
            if (value instanceof Collection) {
                for (Object item : (Collection<?>) value) {
                    String text = text(item);
                    if (text != null) {
                        terms.add(new Term(key, text));
                    }
                }
            } else {
                String text = text(value);
                if (text != null) {
                    terms.add(new Term(key, text));
                }
            }
        });
        return terms;
    }

    /** A scalar's text as a search compares it, or null for what is not searchable (nothing, maps, lists). */
    static String text(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Number) {
            return PythonValues.str(value);
        }
        return null;
    }
}
