package io.promptlightning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Template ids. New ids follow a safe pattern: 1 to 128 characters of ASCII letters, digits, {@code _},
 * {@code -} and {@code .}, starting with a letter or digit, and no {@code ..}. Ids written by the original
 * library may be any non-empty string without control characters (spaces, {@code :}, {@code /}, emoji): those
 * still load, list, export and render.
 */
public final class Ids {
    private static final Pattern NEW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** The order ids are listed in everywhere: by code point, which is LMDB's key order (bytewise UTF-8). */
    public static final Comparator<String> ORDER = (a, b) -> {
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

    private Ids() {
    }

    /** {@code ids} in {@link #ORDER}, as a new list. */
    public static List<String> sorted(Collection<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(ORDER);
        return sorted;
    }

    /** What a {@linkplain #isValidNewId valid new id} is, for messages. */
    public static final String NEW_ID_RULE = "1 to 128 letters, digits, '_', '-' or '.', starting with a letter or"
            + " digit, without '..'";

    /** Whether {@code id} may be used for a template created from now on. */
    public static boolean isValidNewId(String id) {
        return id != null && NEW_ID.matcher(id).matches() && !id.contains("..");
    }

    /** @throws ValidationException unless {@code id} is a valid new id */
    public static String requireValidNewId(String id) {
        if (!isValidNewId(id)) {
            throw new ValidationException("invalid template id " + quoted(id) + ": an id is " + NEW_ID_RULE, null);
        }
        return id;
    }

    /** @throws ValidationException if {@code id} cannot be an id at all: null, empty or with control characters */
    public static String requireReadableId(String id) {
        if (id == null || id.isEmpty()) {
            throw new ValidationException("template id is missing or empty", null);
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new ValidationException("invalid template id " + quoted(id) + ": it contains a control character",
                        null);
            }
        }
        return id;
    }

    static String quoted(String id) {
        return id == null ? "null" : "'" + id.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
    }
}
