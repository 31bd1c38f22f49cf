package io.promptlightning;

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
 * Which templates have which metadata values ({@link IndexEntries}, as the LMDB registry indexes them), so that a
 * search looks up sets instead of reading templates. Tags are the items of the {@code tags} list, so a tag is the
 * entry {@code tags=<tag>}.
 *
 * <p>Lookups take no lock; changes come from one thread at a time (the registry's lock).
 */
final class MetadataIndex {
    private static final String TAGS = "tags";

    private final ConcurrentHashMap<String, Set<String>> idsByEntry = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> entriesById = new HashMap<>();

    /** Indexes {@code id} under the metadata of {@code spec}, replacing what it was indexed under; null removes it. */
    void put(String id, TemplateSpec spec) {
        Set<String> now = spec == null ? Set.of() : IndexEntries.of(spec);
        Set<String> before = entriesById.getOrDefault(id, Set.of());
        for (String entry : now) {
            if (!before.contains(entry)) {
                idsByEntry.computeIfAbsent(entry, e -> ConcurrentHashMap.newKeySet()).add(id);
            }
        }
        for (String entry : before) {
            if (!now.contains(entry)) {
                Set<String> ids = idsByEntry.get(entry);
                if (ids != null) {
                    ids.remove(id);
                    if (ids.isEmpty()) {
                        idsByEntry.remove(entry, ids);
                    }
                }
            }
        }
        if (now.isEmpty()) {
            entriesById.remove(id);
        } else {
            entriesById.put(id, now);
        }
    }

    void clear() {
        idsByEntry.clear();
        entriesById.clear();
    }

    /** The ids indexed under every tag and every key/value pair given; null when no criteria are given. */
    Set<String> matching(Collection<String> tags, Map<String, String> metadata) {
        List<String> wanted = new ArrayList<>();
        if (tags != null) {
            for (String tag : tags) {
                wanted.add(IndexEntries.key(TAGS, tag));
            }
        }
        if (metadata != null) {
            metadata.forEach((key, value) -> wanted.add(IndexEntries.key(key, value)));
        }
        if (wanted.isEmpty()) {
            return null;
        }
        List<Set<String>> sets = new ArrayList<>();
        for (String entry : wanted) {
            Set<String> ids = idsByEntry.get(entry);
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
}
