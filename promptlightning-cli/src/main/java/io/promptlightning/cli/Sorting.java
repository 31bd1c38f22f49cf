package io.promptlightning.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Ids in one order everywhere: by code point, which is LMDB's key order (bytewise UTF-8). */
final class Sorting {
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private Sorting() {
    }

    static List<String> sortedIds(Collection<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(CODE_POINT_ORDER);
        return sorted;
    }
}
