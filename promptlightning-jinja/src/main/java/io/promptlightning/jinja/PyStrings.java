package io.promptlightning.jinja;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Python 3.11 {@code str} methods and the string algorithms of Jinja2 3.1.2 filters (with MarkupSafe 2.1 and
 * {@code textwrap}), on {@link String}.
 *
 * <p>Python strings are sequences of code points, so every length, width and index here counts a surrogate
 * pair as one character. Strings without pairs take plain char-index paths: when
 * {@code codePointCount == length()} char and code point indexes coincide. A lone surrogate is one code point
 * in both languages, so it needs no special handling except that a match must never cut a pair in two.
 *
 * <p>Character properties come from {@link Character}, which agrees with Python's {@code unicodedata} for
 * every code point assigned in both Unicode versions (Java 17: Unicode 13, Python 3.11: Unicode 14); the few
 * properties Java lacks (Numeric_Type=Digit, Unihan numerics, full titlecase) are tabled below.
 */
final class PyStrings {
    private PyStrings() {
    }

    // ------------------------------------------------------------------ code point helpers

    static int cpLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Char offset of code point index {@code cp}; identity when the string has no surrogate pairs. */
    private static int offset(String s, int cp, boolean pairs) {
        return pairs ? s.offsetByCodePoints(0, cp) : cp;
    }

    /** Code point index of char offset {@code i}. */
    private static int cpIndex(String s, int i, boolean pairs) {
        return pairs ? s.codePointCount(0, i) : i;
    }

    /** Python {@code s[from:to]} for {@code 0 <= from <= to <= len(s)}. */
    private static String slice(String s, int from, int to) {
        boolean pairs = cpLength(s) != s.length();
        return s.substring(offset(s, from, pairs), offset(s, to, pairs));
    }

    /** True when char offset {@code i} falls between the two halves of a surrogate pair. */
    private static boolean cutsPair(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i))
                && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** First match of {@code sub} lying within chars [from, to) that does not cut a surrogate pair. */
    private static int indexOf(String s, String sub, int from, int to) {
        int last = to - sub.length();
        for (int i = s.indexOf(sub, from); i >= 0 && i <= last; i = s.indexOf(sub, i + 1)) {
            if (!cutsPair(s, i) && !cutsPair(s, i + sub.length())) {
                return i;
            }
        }
        return -1;
    }

    /** Last match of {@code sub} lying within chars [from, to) that does not cut a surrogate pair. */
    private static int lastIndexOf(String s, String sub, int from, int to) {
        for (int i = s.lastIndexOf(sub, to - sub.length()); i >= from; i = s.lastIndexOf(sub, i - 1)) {
            if (!cutsPair(s, i) && !cutsPair(s, i + sub.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allCodePoints(String s, IntPredicate test) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!test.test(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    // ------------------------------------------------------------------ character properties

    /** Python's {@code str.isspace()} for one character (bidi class WS, B or S, or category Zs). */
    static boolean isSpace(int c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r') || c >= 0x1c;
        }
        if (c < 0x85) {
            return false;
        }
        switch (c) {
            case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200a;
        }
    }

    /** The line boundaries of {@code str.splitlines()}; all are single chars, \r\n is handled by the caller. */
    private static boolean isLineBreak(char c) {
        return (c >= '\n' && c <= '\r') || (c >= 0x1c && c <= 0x1e) || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    static boolean isDecimal(int c) {
        return Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER;
    }

    /** Numeric_Type=Digit characters (superscripts, circled digits...), which Java does not expose. */
    private static final int[] DIGIT_RANGES = {
        0x00B2, 0x00B3, 0x00B9, 0x00B9, 0x1369, 0x1371, 0x19DA, 0x19DA, 0x2070, 0x2070, 0x2074, 0x2079,
        0x2080, 0x2089, 0x2460, 0x2468, 0x2474, 0x247C, 0x2488, 0x2490, 0x24EA, 0x24EA, 0x24F5, 0x24FD,
        0x24FF, 0x24FF, 0x2776, 0x277E, 0x2780, 0x2788, 0x278A, 0x2792, 0x10A40, 0x10A43, 0x10E60, 0x10E68,
        0x11052, 0x1105A, 0x1F100, 0x1F10A,
    };

    static boolean isDigit(int c) {
        if (isDecimal(c)) {
            return true;
        }
        if (c < 0xB2 || Character.getType(c) != Character.OTHER_NUMBER) {
            return false;
        }
        for (int i = 0; i < DIGIT_RANGES.length; i += 2) {
            if (c >= DIGIT_RANGES[i] && c <= DIGIT_RANGES[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** CJK ideographs with a Unihan numeric value (一, 三, 萬...): numeric in Python, letters in Java. */
    private static final int[] UNIHAN_NUMERIC = {
        0x3405, 0x3483, 0x382A, 0x3B4D, 0x4E00, 0x4E03, 0x4E07, 0x4E09, 0x4E5D, 0x4E8C, 0x4E94, 0x4E96, 0x4EBF,
        0x4EC0, 0x4EDF, 0x4EE8, 0x4F0D, 0x4F70, 0x5104, 0x5146, 0x5169, 0x516B, 0x516D, 0x5341, 0x5343, 0x5344,
        0x5345, 0x534C, 0x53C1, 0x53C2, 0x53C3, 0x53C4, 0x56DB, 0x58F1, 0x58F9, 0x5E7A, 0x5EFE, 0x5EFF, 0x5F0C,
        0x5F0D, 0x5F0E, 0x5F10, 0x62FE, 0x634C, 0x67D2, 0x6F06, 0x7396, 0x767E, 0x8086, 0x842C, 0x8CAE, 0x8CB3,
        0x8D30, 0x9621, 0x9646, 0x964C, 0x9678, 0x96F6, 0xF96B, 0xF973, 0xF978, 0xF9B2, 0xF9D1, 0xF9D3, 0xF9FD,
        0x20001, 0x20064, 0x200E2, 0x20121, 0x2092A, 0x20983, 0x2098C, 0x2099C, 0x20AEA, 0x20AFD, 0x20B19,
        0x22390, 0x22998, 0x23B1B, 0x2626D, 0x2F890,
    };

    static boolean isNumeric(int c) {
        switch (Character.getType(c)) {
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return true;
            case Character.OTHER_LETTER:
                return c >= 0x3405 && Arrays.binarySearch(UNIHAN_NUMERIC, c) >= 0;
            default:
                return false;
        }
    }

    /** Python's isalnum: isalpha, isdecimal, isdigit or isnumeric; the Unihan numerics are letters anyway. */
    static boolean isAlnum(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        if (Character.isLetter(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** The {@code \w} of Python's {@code re} on str patterns. Combining marks are not word characters. */
    static boolean isWordChar(int c) {
        return c == '_' || isAlnum(c);
    }

    /** Unicode's Cased property, which Java's isUpperCase/isLowerCase follow (Other_Uppercase/Lowercase). */
    static boolean isCased(int c) {
        return Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
    }

    /** Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or Single_Quote. */
    private static boolean isCaseIgnorable(int c) {
        switch (Character.getType(c)) {
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.FORMAT:
            case Character.MODIFIER_LETTER:
            case Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        switch (c) {
            case '\'': case '.': case ':': case 0xb7: case 0x387: case 0x55f: case 0x5f4: case 0x2018: case 0x2019:
            case 0x2024: case 0x2027: case 0xfe13: case 0xfe52: case 0xfe55: case 0xff07: case 0xff0e: case 0xff1a:
                return true;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ case mapping

    /** Full titlecase mappings longer than one code point (SpecialCasing.txt); all keys are BMP chars. */
    private static final String TITLE_SPECIAL_KEYS = "\u00df\u0149\u01f0\u0390\u03b0\u0587\u1e96\u1e97\u1e98"
            + "\u1e99\u1e9a\u1f50\u1f52\u1f54\u1f56\u1fb2\u1fb4\u1fb6\u1fb7\u1fc2\u1fc4\u1fc6\u1fc7\u1fd2\u1fd3"
            + "\u1fd6\u1fd7\u1fe2\u1fe3\u1fe4\u1fe6\u1fe7\u1ff2\u1ff4\u1ff6\u1ff7\ufb00\ufb01\ufb02\ufb03\ufb04"
            + "\ufb05\ufb06\ufb13\ufb14\ufb15\ufb16\ufb17";

    private static final String[] TITLE_SPECIAL_VALUES = {
        "Ss", "\u02bcN", "J\u030c", "\u0399\u0308\u0301", "\u03a5\u0308\u0301", "\u0535\u0582", "H\u0331",
        "T\u0308", "W\u030a", "Y\u030a", "A\u02be", "\u03a5\u0313", "\u03a5\u0313\u0300", "\u03a5\u0313\u0301",
        "\u03a5\u0313\u0342", "\u1fba\u0345", "\u0386\u0345", "\u0391\u0342", "\u0391\u0342\u0345",
        "\u1fca\u0345", "\u0389\u0345", "\u0397\u0342", "\u0397\u0342\u0345", "\u0399\u0308\u0300",
        "\u0399\u0308\u0301", "\u0399\u0342", "\u0399\u0308\u0342", "\u03a5\u0308\u0300", "\u03a5\u0308\u0301",
        "\u03a1\u0313", "\u03a5\u0342", "\u03a5\u0308\u0342", "\u1ffa\u0345", "\u038f\u0345", "\u03a9\u0342",
        "\u03a9\u0342\u0345", "Ff", "Fi", "Fl", "Ffi", "Ffl", "St", "St", "\u0544\u0576", "\u0544\u0565",
        "\u0544\u056b", "\u054e\u0576", "\u0544\u056d",
    };

    private static final char CAPITAL_SIGMA = '\u03a3';

    private static void appendTitle(StringBuilder sb, int c) {
        int special = c < 0xdf || c > 0xfb17 ? -1 : TITLE_SPECIAL_KEYS.indexOf(c);
        if (special >= 0) {
            sb.append(TITLE_SPECIAL_VALUES[special]);
        } else {
            sb.appendCodePoint(Character.toTitleCase(c));
        }
    }

    /** Python's full uppercase of one code point (ß → SS); the conditional mappings of Java are locale-only. */
    private static void appendUpper(StringBuilder sb, String s, int i, int c) {
        if (c < 0x80) {
            sb.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c));
        } else {
            sb.append(s.substring(i, i + Character.charCount(c)).toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Python's full lowercase of the code point {@code c} at char offset {@code i} of {@code s}: İ becomes
     * i + combining dot, and Σ becomes ς at the end of a word by Python's Final_Sigma rule, which looks at the
     * whole string (Java's own rule stops at word-break boundaries and disagrees on e.g. "A1Σ").
     */
    private static void appendLower(StringBuilder sb, String s, int i, int c) {
        if (c == CAPITAL_SIGMA) {
            sb.append(isFinalSigma(s, i) ? '\u03c2' : '\u03c3');
        } else if (c == 0x130) {
            sb.append("i\u0307");
        } else {
            sb.appendCodePoint(Character.toLowerCase(c));
        }
    }

    /** Preceded by a cased letter and not followed by one, skipping case-ignorable characters both ways. */
    private static boolean isFinalSigma(String s, int i) {
        int j = i;
        int before = -1;
        while (j > 0) {
            before = s.codePointBefore(j);
            if (!isCaseIgnorable(before)) {
                break;
            }
            j -= Character.charCount(before);
        }
        if (j == 0 || !isCased(before)) {
            return false;
        }
        for (int k = i + 1; k < s.length(); ) {
            int after = s.codePointAt(k);
            if (!isCaseIgnorable(after)) {
                return !isCased(after);
            }
            k += Character.charCount(after);
        }
        return true;
    }

    /** Appends the lowercase of {@code s[from:]} (char offset), Σ judged in the context of all of {@code s}. */
    private static void appendLower(StringBuilder sb, String s, int from) {
        if (s.indexOf(CAPITAL_SIGMA, from) < 0) {
            sb.append(s.substring(from).toLowerCase(Locale.ROOT));
            return;
        }
        for (int i = from; i < s.length(); ) {
            int c = s.codePointAt(i);
            appendLower(sb, s, i, c);
            i += Character.charCount(c);
        }
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        if (s.indexOf(CAPITAL_SIGMA) < 0) {
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(s.length());
        appendLower(sb, s, 0);
        return sb.toString();
    }

    /** Python's str.title: titlecase after an uncased character, lowercase after a cased one. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c < 0x80) {
                boolean lowerCase = c >= 'a' && c <= 'z';
                boolean upperCase = c >= 'A' && c <= 'Z';
                if (previousCased && upperCase) {
                    c += 32;
                } else if (!previousCased && lowerCase) {
                    c -= 32;
                }
                sb.append((char) c);
                previousCased = lowerCase || upperCase;
            } else {
                if (previousCased) {
                    appendLower(sb, s, i, c);
                } else {
                    appendTitle(sb, c);
                }
                previousCased = isCased(c);
            }
            i += Character.charCount(c);
        }
        return sb.toString();
    }

    /** Python 3.8+ str.capitalize: the first character titlecased (not uppercased), the rest lowercased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int first = s.codePointAt(0);
        appendTitle(sb, first);
        appendLower(sb, s, Character.charCount(first));
        return sb.toString();
    }

    /** Uppercase characters lowered, lowercase ones uppered; titlecase ones (ǅ) are left alone, as in Python. */
    static String swapcase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (Character.isUpperCase(c)) {
                appendLower(sb, s, i, c);
            } else if (Character.isLowerCase(c)) {
                appendUpper(sb, s, i, c);
            } else {
                sb.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return sb.toString();
    }

    /**
     * Python's str.casefold, full case folding code point by code point (no Final_Sigma: ς folds to σ). For
     * every character the JDK knows, that is the lowercase of the full uppercase, except for the few below.
     */
    static String casefold(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c < 0x80) {
                sb.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            } else if (isCherokee(c)) {
                // Cherokee folds to its uppercase letters, which were encoded first.
                sb.append(s.substring(i, next).toUpperCase(Locale.ROOT));
            } else if (c == 0x131) {
                sb.append('\u0131'); // dotless ı has no folding (its uppercase I would fold to i)
            } else if (c == 0x1e9e) {
                sb.append("ss"); // capital ẞ folds like ß, whose lowercase it is
            } else {
                sb.append(lower(s.substring(i, next).toUpperCase(Locale.ROOT)));
            }
            i = next;
        }
        return sb.toString();
    }

    private static boolean isCherokee(int c) {
        return (c >= 0x13a0 && c <= 0x13fd) || (c >= 0xab70 && c <= 0xabbf);
    }

    // ------------------------------------------------------------------ strip

    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        if (chars == null) {
            // Whitespace is never a surrogate, so a char-wise scan keeps pairs intact.
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
        } else {
            while (i < s.length()) {
                int c = s.codePointAt(i);
                if (!containsCodePoint(chars, c)) {
                    break;
                }
                i += Character.charCount(c);
            }
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        if (chars == null) {
            while (end > 0 && isSpace(s.charAt(end - 1))) {
                end--;
            }
        } else {
            while (end > 0) {
                int c = s.codePointBefore(end);
                if (!containsCodePoint(chars, c)) {
                    break;
                }
                end -= Character.charCount(c);
            }
        }
        return s.substring(0, end);
    }

    private static boolean containsCodePoint(String chars, int c) {
        if (c < Character.MIN_SUPPLEMENTARY_CODE_POINT && !Character.isSurrogate((char) c)) {
            return chars.indexOf(c) >= 0;
        }
        // A lone surrogate must not match half of a pair in chars; a supplementary c is found whole.
        for (int i = 0; i < chars.length(); ) {
            int d = chars.codePointAt(i);
            if (d == c) {
                return true;
            }
            i += Character.charCount(d);
        }
        return false;
    }

    // ------------------------------------------------------------------ split, partition

    /** Python's str.split; {@code sep} null splits on runs of whitespace; negative maxsplit means no limit. */
    static List<Object> split(String s, String sep, int maxsplit) {
        int limit = maxsplit < 0 ? Integer.MAX_VALUE : maxsplit;
        List<Object> out = new ArrayList<>();
        int n = s.length();
        if (sep == null) {
            int i = 0;
            while (limit-- > 0) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i == n) {
                    break;
                }
                int j = i++;
                while (i < n && !isSpace(s.charAt(i))) {
                    i++;
                }
                out.add(s.substring(j, i));
            }
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i < n) {
                out.add(s.substring(i));
            }
            return out;
        }
        checkSeparator(sep);
        int i = 0;
        for (int pos; limit-- > 0 && (pos = indexOf(s, sep, i, n)) >= 0; i = pos + sep.length()) {
            out.add(s.substring(i, pos));
        }
        out.add(s.substring(i));
        return out;
    }

    /** Python's str.rsplit: like split, but the maxsplit splits are made from the right. */
    static List<Object> rsplit(String s, String sep, int maxsplit) {
        int limit = maxsplit < 0 ? Integer.MAX_VALUE : maxsplit;
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = s.length() - 1;
            while (limit-- > 0) {
                while (i >= 0 && isSpace(s.charAt(i))) {
                    i--;
                }
                if (i < 0) {
                    break;
                }
                int j = i--;
                while (i >= 0 && !isSpace(s.charAt(i))) {
                    i--;
                }
                out.add(s.substring(i + 1, j + 1));
            }
            while (i >= 0 && isSpace(s.charAt(i))) {
                i--;
            }
            if (i >= 0) {
                out.add(s.substring(0, i + 1));
            }
        } else {
            checkSeparator(sep);
            int j = s.length();
            for (int pos; limit-- > 0 && (pos = lastIndexOf(s, sep, 0, j)) >= 0; j = pos) {
                out.add(s.substring(pos + sep.length(), j));
            }
            out.add(s.substring(0, j));
        }
        Collections.reverse(out);
        return out;
    }

    private static void checkSeparator(String sep) {
        if (sep.isEmpty()) {
            throw Errors.valueError("empty separator");
        }
    }

    static List<Object> splitlines(String s, boolean keepends) {
        List<Object> out = new ArrayList<>();
        int n = s.length();
        for (int i = 0; i < n; ) {
            int start = i;
            while (i < n && !isLineBreak(s.charAt(i))) {
                i++;
            }
            int eol = i;
            if (i < n) {
                i += s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
                if (keepends) {
                    eol = i;
                }
            }
            out.add(s.substring(start, eol));
        }
        return out;
    }

    static PyTuple partition(String s, String sep) {
        checkSeparator(sep);
        int i = indexOf(s, sep, 0, s.length());
        if (i < 0) {
            return new PyTuple(s, "", "");
        }
        return new PyTuple(s.substring(0, i), sep, s.substring(i + sep.length()));
    }

    static PyTuple rpartition(String s, String sep) {
        checkSeparator(sep);
        int i = lastIndexOf(s, sep, 0, s.length());
        if (i < 0) {
            return new PyTuple("", "", s);
        }
        return new PyTuple(s.substring(0, i), sep, s.substring(i + sep.length()));
    }

    // ------------------------------------------------------------------ padding

    /** CPython's pad() for center: the odd pad char goes left only when both margin and width are odd. */
    static String center(String s, int width, String fillchar) {
        int fill = fillCodePoint(fillchar);
        int margin = width - cpLength(s);
        if (margin <= 0) {
            return s;
        }
        int left = margin / 2 + (margin & width & 1);
        return pad(s, left, margin - left, fill);
    }

    static String ljust(String s, int width, String fillchar) {
        int fill = fillCodePoint(fillchar);
        return pad(s, 0, Math.max(width - cpLength(s), 0), fill);
    }

    static String rjust(String s, int width, String fillchar) {
        int fill = fillCodePoint(fillchar);
        return pad(s, Math.max(width - cpLength(s), 0), 0, fill);
    }

    /** Pads with zeros on the left, after a leading sign. */
    static String zfill(String s, int width) {
        int fill = width - cpLength(s);
        if (fill <= 0) {
            return s;
        }
        String zeros = "0".repeat(fill);
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            return s.charAt(0) + zeros + s.substring(1);
        }
        return zeros + s;
    }

    private static int fillCodePoint(String fillchar) {
        if (cpLength(fillchar) != 1) {
            throw Errors.typeError("The fill character must be exactly one character long");
        }
        return fillchar.codePointAt(0);
    }

    /** {@code left} and {@code right} are non-negative counts of the fill character. */
    private static String pad(String s, int left, int right, int fill) {
        if (left == 0 && right == 0) {
            return s;
        }
        String unit = Character.toString(fill);
        return unit.repeat(left) + s + unit.repeat(right);
    }

    // ------------------------------------------------------------------ search

    /** Python's ADJUST_INDICES: slice-style start/end (negative from the end, clamped), in code points. */
    private static int adjustStart(Integer start, int len) {
        if (start == null) {
            return 0;
        }
        return start < 0 ? Math.max(start + len, 0) : start;
    }

    private static int adjustEnd(Integer end, int len) {
        if (end == null || end > len) {
            return len;
        }
        return end < 0 ? Math.max(end + len, 0) : end;
    }

    static int find(String s, String sub, Integer start, Integer end) {
        return search(s, sub, start, end, true);
    }

    static int rfind(String s, String sub, Integer start, Integer end) {
        return search(s, sub, start, end, false);
    }

    static int index(String s, String sub, Integer start, Integer end) {
        return found(find(s, sub, start, end));
    }

    static int rindex(String s, String sub, Integer start, Integer end) {
        return found(rfind(s, sub, start, end));
    }

    private static int found(int index) {
        if (index < 0) {
            throw Errors.valueError("substring not found");
        }
        return index;
    }

    private static int search(String s, String sub, Integer start, Integer end, boolean forward) {
        int len = cpLength(s);
        boolean pairs = len != s.length();
        int from = adjustStart(start, len);
        int to = adjustEnd(end, len);
        if (to - from < cpLength(sub)) {
            return -1;
        }
        if (sub.isEmpty()) {
            return forward ? from : to;
        }
        int charFrom = offset(s, from, pairs);
        int charTo = offset(s, to, pairs);
        int i = forward ? indexOf(s, sub, charFrom, charTo) : lastIndexOf(s, sub, charFrom, charTo);
        return i < 0 ? -1 : cpIndex(s, i, pairs);
    }

    /** Non-overlapping occurrences; the empty string occurs len + 1 times. */
    static int count(String s, String sub, Integer start, Integer end) {
        int len = cpLength(s);
        boolean pairs = len != s.length();
        int from = adjustStart(start, len);
        int to = adjustEnd(end, len);
        if (to - from < cpLength(sub)) {
            return 0;
        }
        if (sub.isEmpty()) {
            return to - from + 1;
        }
        int charTo = offset(s, to, pairs);
        int n = 0;
        for (int i = indexOf(s, sub, offset(s, from, pairs), charTo); i >= 0;
                i = indexOf(s, sub, i + sub.length(), charTo)) {
            n++;
        }
        return n;
    }

    /** {@code prefix} is a str or a tuple of str (a list is a TypeError, as in Python). */
    static boolean startswith(String s, Object prefix, Integer start, Integer end) {
        return tailMatch(s, prefix, start, end, true, "startswith");
    }

    static boolean endswith(String s, Object suffix, Integer start, Integer end) {
        return tailMatch(s, suffix, start, end, false, "endswith");
    }

    private static boolean tailMatch(String s, Object affix, Integer start, Integer end, boolean atStart,
            String method) {
        if (affix instanceof PyTuple) {
            for (Object item : (PyTuple) affix) {
                if (!Py.isString(item)) {
                    throw Errors.typeError("tuple for " + method + " must only contain str, not " + Py.typeName(item));
                }
                if (tailMatch(s, item.toString(), start, end, atStart)) {
                    return true;
                }
            }
            return false;
        }
        if (!Py.isString(affix)) {
            throw Errors.typeError(method + " first arg must be str or a tuple of str, not " + Py.typeName(affix));
        }
        return tailMatch(s, affix.toString(), start, end, atStart);
    }

    private static boolean tailMatch(String s, String affix, Integer start, Integer end, boolean atStart) {
        int len = cpLength(s);
        boolean pairs = len != s.length();
        int from = adjustStart(start, len);
        int to = adjustEnd(end, len);
        int affixLen = cpLength(affix);
        if (to - affixLen < from) {
            return false;
        }
        int matchFrom = atStart ? from : to - affixLen;
        int charFrom = offset(s, matchFrom, pairs);
        int charTo = offset(s, matchFrom + affixLen, pairs);
        // Both ranges hold whole code points, so equal chars means equal code points.
        return charTo - charFrom == affix.length() && s.regionMatches(charFrom, affix, 0, affix.length());
    }

    // ------------------------------------------------------------------ replace, join

    /** Python's str.replace; a negative count replaces all, an empty {@code old} inserts around code points. */
    static String replace(String s, String old, String rep, int count) {
        int limit = count < 0 ? Integer.MAX_VALUE : count;
        if (limit == 0) {
            return s;
        }
        if (old.isEmpty()) {
            return insertBetweenCodePoints(s, rep, limit);
        }
        StringBuilder sb = null;
        int last = 0;
        for (int i = indexOf(s, old, 0, s.length()); i >= 0 && limit-- > 0;
                i = indexOf(s, old, last, s.length())) {
            if (sb == null) {
                sb = new StringBuilder(s.length() + Math.max(16, rep.length() - old.length()));
            }
            sb.append(s, last, i).append(rep);
            last = i + old.length();
        }
        return sb == null ? s : sb.append(s, last, s.length()).toString();
    }

    private static String insertBetweenCodePoints(String s, String rep, int limit) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && limit > 0; limit--) {
            int next = i + Character.charCount(s.codePointAt(i));
            sb.append(rep).append(s, i, next);
            i = next;
        }
        if (limit > 0) {
            sb.append(rep);
        }
        return sb.append(s, i, s.length()).toString();
    }

    /** Python's str.join: every item must be a str (Markup counts, being a str subclass). */
    static String join(String sep, List<?> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = items.size(); i < n; i++) {
            Object item = items.get(i);
            if (!Py.isString(item)) {
                throw Errors.typeError("sequence item " + i + ": expected str instance, " + Py.typeName(item)
                        + " found");
            }
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(item.toString());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ predicates

    static boolean isalpha(String s) {
        return allCodePoints(s, Character::isLetter);
    }

    static boolean isdecimal(String s) {
        return allCodePoints(s, PyStrings::isDecimal);
    }

    static boolean isdigit(String s) {
        return allCodePoints(s, PyStrings::isDigit);
    }

    static boolean isnumeric(String s) {
        return allCodePoints(s, PyStrings::isNumeric);
    }

    static boolean isalnum(String s) {
        return allCodePoints(s, PyStrings::isAlnum);
    }

    static boolean isspace(String s) {
        return allCodePoints(s, PyStrings::isSpace);
    }

    /** At least one cased character, and no lowercase or titlecase one. */
    static boolean isupper(String s) {
        return hasCaseOnly(s, true);
    }

    static boolean islower(String s) {
        return hasCaseOnly(s, false);
    }

    private static boolean hasCaseOnly(String s, boolean upper) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean isUpper = Character.isUpperCase(c);
            boolean isLower = Character.isLowerCase(c);
            if (Character.isTitleCase(c) || (upper ? isLower : isUpper)) {
                return false;
            }
            cased |= upper ? isUpper : isLower;
            i += Character.charCount(c);
        }
        return cased;
    }

    /** Uppercase/titlecase characters only after uncased ones, lowercase only after cased ones. */
    static boolean isascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    static boolean isprintable(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!Py.isPrintable(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Python's str.isidentifier(): XID_Start or '_' first, XID_Continue after (Java's identifier classes). */
    static boolean isidentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean ok = i == 0 ? (cp == '_' || Character.isUnicodeIdentifierStart(cp))
                    : Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
            if (!ok) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Python's str.expandtabs(): tabs to the next multiple of tabsize; the column restarts after \n or \r. */
    static String expandtabs(String s, int tabsize) {
        StringBuilder sb = new StringBuilder(s.length());
        int column = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t') {
                if (tabsize > 0) {
                    int spaces = tabsize - column % tabsize;
                    sb.append(" ".repeat(spaces));
                    column += spaces;
                }
            } else {
                sb.appendCodePoint(cp);
                column = cp == '\n' || cp == '\r' ? 0 : column + 1;
            }
        }
        return sb.toString();
    }

    static boolean istitle(String s) {
        boolean cased = false;
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                if (previousCased) {
                    return false;
                }
                previousCased = true;
                cased = true;
            } else if (Character.isLowerCase(c)) {
                if (!previousCased) {
                    return false;
                }
                previousCased = true;
                cased = true;
            } else {
                previousCased = false;
            }
            i += Character.charCount(c);
        }
        return cased;
    }

    // ------------------------------------------------------------------ Jinja2 filters

    /**
     * Jinja's {@code |title}: splits on runs of {@code -}, whitespace, {@code (}, <code>{</code>, {@code [},
     * {@code <}; each word gets its first character uppercased and the rest lowercased (not str.title).
     */
    static String titleFilter(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; ) {
            if (isTitleSeparator(s.charAt(i))) {
                sb.append(s.charAt(i++));
                continue;
            }
            int start = i;
            while (i < n && !isTitleSeparator(s.charAt(i))) {
                i++;
            }
            int first = s.codePointAt(start);
            appendUpper(sb, s, start, first);
            // Lowercased as a string of its own: Σ at the word's second position sees no cased letter before it.
            sb.append(lower(s.substring(start + Character.charCount(first), i)));
        }
        return sb.toString();
    }

    private static boolean isTitleSeparator(char c) {
        return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || isSpace(c);
    }

    /** Python's {@code len(re.findall(r"\w+", s))}. */
    static int wordcount(String s) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean word = isWordChar(c);
            if (word && !inWord) {
                words++;
            }
            inWord = word;
            i += Character.charCount(c);
        }
        return words;
    }

    /** Jinja's do_truncate; {@code leeway} is the caller's (policy default 5). */
    static String truncate(String s, int length, boolean killwords, String end, int leeway) {
        int endLength = cpLength(end);
        if (length < endLength) {
            throw Errors.filterArgument("expected length >= " + endLength + ", got " + length);
        }
        if (leeway < 0) {
            throw Errors.filterArgument("expected leeway >= 0, got " + leeway);
        }
        int len = cpLength(s);
        if (len <= (long) length + leeway) {
            return s;
        }
        String head = slice(s, 0, length - endLength);
        if (killwords) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space < 0 ? head : head.substring(0, space)) + end;
    }

    /**
     * Jinja's do_indent. It appends a newline and then uses splitlines, so every line break (\r\n, \v, \u2028
     * ...) becomes \n, and a trailing newline is kept without indentation.
     */
    static String indent(String s, String indentation, boolean first, boolean blank) {
        List<Object> lines = splitlines(s + "\n", false);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        if (first) {
            sb.append(indentation);
        }
        sb.append((String) lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String line = (String) lines.get(i);
            sb.append('\n');
            if (blank || !line.isEmpty()) {
                sb.append(indentation);
            }
            sb.append(line);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ wordwrap (Python's textwrap)

    /**
     * Jinja's do_wordwrap: each line of {@code s.splitlines()} wrapped by {@code textwrap.wrap} (no tab
     * expansion, no whitespace replacement, whitespace dropped at line edges), everything joined by
     * {@code wrapstring}.
     */
    static String wordwrap(String s, int width, boolean breakLongWords, String wrapstring, boolean breakOnHyphens) {
        List<Object> paragraphs = splitlines(s, false);
        if (!paragraphs.isEmpty() && width <= 0) {
            throw Errors.valueError("invalid width " + width + " (must be > 0)");
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        List<String> lines = new ArrayList<>();
        for (int p = 0; p < paragraphs.size(); p++) {
            if (p > 0) {
                sb.append(wrapstring);
            }
            lines.clear();
            String text = (String) paragraphs.get(p);
            Deque<String> chunks = breakOnHyphens ? TextChunks.split(text) : TextChunks.splitOnWhitespace(text);
            wrapChunks(chunks, width, breakLongWords, breakOnHyphens, lines);
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    sb.append(wrapstring);
                }
                sb.append(lines.get(i));
            }
        }
        return sb.toString();
    }

    /** textwrap's _wrap_chunks with drop_whitespace, no indents and no max_lines. */
    private static void wrapChunks(Deque<String> chunks, int width, boolean breakLongWords, boolean breakOnHyphens,
            List<String> lines) {
        List<String> line = new ArrayList<>();
        while (!chunks.isEmpty()) {
            line.clear();
            int lineLength = 0;
            if (!lines.isEmpty() && isBlank(chunks.peekFirst())) {
                chunks.pollFirst();
            }
            while (!chunks.isEmpty() && lineLength + cpLength(chunks.peekFirst()) <= width) {
                String chunk = chunks.pollFirst();
                line.add(chunk);
                lineLength += cpLength(chunk);
            }
            if (!chunks.isEmpty() && cpLength(chunks.peekFirst()) > width) {
                handleLongWord(chunks, line, width - lineLength, breakLongWords, breakOnHyphens);
            }
            if (!line.isEmpty() && isBlank(line.get(line.size() - 1))) {
                line.remove(line.size() - 1);
            }
            if (!line.isEmpty()) {
                lines.add(String.join("", line));
            }
        }
    }

    /** textwrap's _handle_long_word: break the over-long chunk, preferably after a hyphen that fits. */
    private static void handleLongWord(Deque<String> chunks, List<String> line, int spaceLeft,
            boolean breakLongWords, boolean breakOnHyphens) {
        if (breakLongWords) {
            String chunk = chunks.pollFirst();
            int length = cpLength(chunk);
            int end = spaceLeft;
            if (breakOnHyphens && length > spaceLeft) {
                int hyphen = rfind(chunk, "-", 0, spaceLeft);
                if (hyphen > 0 && !slice(chunk, 0, hyphen).chars().allMatch(c -> c == '-')) {
                    end = hyphen + 1;
                }
            }
            line.add(slice(chunk, 0, end));
            chunks.addFirst(slice(chunk, end, length));
        } else if (line.isEmpty()) {
            line.add(chunks.pollFirst());
        }
    }

    /** {@code chunk.strip() == ''} in Python: empty or all (Unicode) whitespace. */
    private static boolean isBlank(String chunk) {
        for (int i = 0; i < chunk.length(); i++) {
            if (!isSpace(chunk.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * textwrap's chunking, the split by {@code TextWrapper.wordsep_re}, written out as a scanner because Java's
     * regex lookbehind miscounts supplementary characters. The regex matches at every position, so the chunks
     * are exactly its consecutive matches:
     * <pre>
     *   ws+                                       whitespace run
     * | (?&lt;=wp) -{2,} (?=\w)                    em-dash between words
     * | nws+? ( -(?: (?&lt;=lt{2}-) | (?&lt;=lt-lt-)) (?= lt -? lt)   word up to a hyphen inside a compound
     *         | (?=ws|\Z)                            end of word
     *         | (?&lt;=wp) (?=-{2,}\w) )               word before an em-dash
     * </pre>
     * with ws = [\t\n\x0b\x0c\r ], wp = [\w!"'&amp;.,?], lt = [^\d\W].
     */
    private static final class TextChunks {
        private final int[] cps;

        private TextChunks(String text) {
            this.cps = text.codePoints().toArray();
        }

        static Deque<String> split(String text) {
            TextChunks t = new TextChunks(text);
            Deque<String> out = new ArrayDeque<>();
            for (int p = 0; p < t.cps.length; ) {
                int end = t.matchEnd(p);
                out.addLast(new String(t.cps, p, end - p));
                p = end;
            }
            return out;
        }

        /** textwrap's wordsep_simple_re split: alternating whitespace and non-whitespace runs. */
        static Deque<String> splitOnWhitespace(String text) {
            TextChunks t = new TextChunks(text);
            Deque<String> out = new ArrayDeque<>();
            for (int p = 0; p < t.cps.length; ) {
                boolean ws = t.ws(p);
                int end = p + 1;
                while (end < t.cps.length && t.ws(end) == ws) {
                    end++;
                }
                out.addLast(new String(t.cps, p, end - p));
                p = end;
            }
            return out;
        }

        private int matchEnd(int p) {
            if (ws(p)) {
                int q = p + 1;
                while (q < cps.length && ws(q)) {
                    q++;
                }
                return q;
            }
            if (p > 0 && wordPunct(p - 1)) {
                int q = dashesBeforeWord(p);
                if (q > 0) {
                    return q;
                }
            }
            for (int q = p + 1; ; q++) {
                if (q < cps.length && cps[q] == '-' && compoundHyphenAt(q)) {
                    return q + 1;
                }
                if (q == cps.length || ws(q)) {
                    return q;
                }
                if (wordPunct(q - 1) && dashesBeforeWord(q) > 0) {
                    return q;
                }
            }
        }

        /** Lookbehind lt{2}- or lt-lt- ending with the hyphen at q, and lookahead lt -? lt after it. */
        private boolean compoundHyphenAt(int q) {
            boolean behind = (letter(q - 2) && letter(q - 1))
                    || (letter(q - 3) && at(q - 2) == '-' && letter(q - 1));
            return behind && letter(q + 1) && (letter(q + 2) || (at(q + 2) == '-' && letter(q + 3)));
        }

        /** End of a run of two or more dashes at q followed by a word character, or -1. */
        private int dashesBeforeWord(int q) {
            if (at(q) != '-' || at(q + 1) != '-') {
                return -1;
            }
            int r = q + 2;
            while (at(r) == '-') {
                r++;
            }
            return r < cps.length && isWordChar(cps[r]) ? r : -1;
        }

        private int at(int i) {
            return i >= 0 && i < cps.length ? cps[i] : -1;
        }

        private boolean ws(int i) {
            int c = cps[i];
            return c == ' ' || (c >= '\t' && c <= '\r');
        }

        private boolean wordPunct(int i) {
            int c = cps[i];
            return isWordChar(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' || c == '?';
        }

        private boolean letter(int i) {
            int c = at(i);
            return c >= 0 && isWordChar(c) && !isDecimal(c);
        }
    }

    // ------------------------------------------------------------------ striptags, HTML unescaping

    /**
     * MarkupSafe 2.1's Markup.striptags: remove {@code <!--...-->} comments, then {@code <...>} tags (both
     * shortest match, spanning lines), collapse whitespace runs to one space, trim, then HTML-unescape.
     */
    static String striptags(String s) {
        String text = removeDelimited(removeDelimited(s, "<!--", "-->"), "<", ">");
        StringBuilder sb = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; ) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(text, start, i);
            }
        }
        return unescapeHtml(sb.toString());
    }

    /** Removes every non-greedy {@code open.*?close} match, left to right. */
    private static String removeDelimited(String s, String open, String close) {
        int a = s.indexOf(open);
        if (a < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        for (; a >= 0; a = s.indexOf(open, i)) {
            int b = s.indexOf(close, a + open.length());
            if (b < 0) {
                break;
            }
            sb.append(s, i, a);
            i = b + close.length();
        }
        return sb.append(s, i, s.length()).toString();
    }

    /** Python's html.unescape: named (HTML5, with the legacy semicolon-less forms) and numeric references. */
    static String unescapeHtml(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        for (; amp >= 0; amp = s.indexOf('&', i)) {
            sb.append(s, i, amp);
            i = amp + 1;
            int end = s.startsWith("#", i) ? appendNumericReference(sb, s, i + 1) : appendNamedReference(sb, s, i);
            if (end < 0) {
                sb.append('&');
            } else {
                i = end;
            }
        }
        return sb.append(s, i, s.length()).toString();
    }

    /** Python's int() refuses decimal strings longer than this (sys.get_int_max_str_digits()). */
    private static final int INT_MAX_STR_DIGITS = 4300;

    /** {@code &#[0-9]+;?} or {@code &#[xX][0-9a-fA-F]+;?} starting after the '#'; returns the end, or -1. */
    private static int appendNumericReference(StringBuilder sb, String s, int i) {
        int n = s.length();
        boolean hex = i + 1 < n && (s.charAt(i) == 'x' || s.charAt(i) == 'X') && asciiDigit(s.charAt(i + 1), 16) >= 0;
        int radix = hex ? 16 : 10;
        int start = hex ? i + 1 : i;
        int end = start;
        int value = 0;
        for (int digit; end < n && (digit = asciiDigit(s.charAt(end), radix)) >= 0; end++) {
            // Saturate above the Unicode range: every such number maps to U+FFFD.
            value = Math.min(value * radix + digit, 0x110000);
        }
        if (end == start) {
            return -1;
        }
        if (!hex && end - start > INT_MAX_STR_DIGITS) {
            throw Errors.valueError("Exceeds the limit (" + INT_MAX_STR_DIGITS + " digits) for integer string "
                    + "conversion: value has " + (end - start) + " digits; use sys.set_int_max_str_digits() to "
                    + "increase the limit");
        }
        appendCharReference(sb, value);
        return end < n && s.charAt(end) == ';' ? end + 1 : end;
    }

    /** The value of an ASCII digit ([0-9], or [0-9a-fA-F] in radix 16), or -1; Unicode digits do not count. */
    private static int asciiDigit(char c, int radix) {
        return c < 0x80 ? Character.digit(c, radix) : -1;
    }

    /** html's _invalid_charrefs for 0x80-0x9F: the Windows-1252 reading of C1 controls. */
    private static final String WINDOWS_1252_C1 = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
            + "\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"
            + "\u0161\u203a\u0153\u009d\u017e\u0178";

    private static void appendCharReference(StringBuilder sb, int c) {
        if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
            sb.append('\ufffd');
        } else if (c == '\r') {
            sb.append('\r');
        } else if (c >= 0x80 && c <= 0x9f) {
            sb.append(WINDOWS_1252_C1.charAt(c - 0x80));
        } else if (!isInvalidCodePoint(c)) {
            sb.appendCodePoint(c);
        }
    }

    /** html's _invalid_codepoints: controls (but not \t \n \f \r), noncharacters. */
    private static boolean isInvalidCodePoint(int c) {
        return (c >= 0x1 && c <= 0x8) || c == 0xb || (c >= 0xe && c <= 0x1f) || (c >= 0x7f && c <= 0x9f)
                || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
    }

    private static final int MAX_ENTITY_NAME = 32;

    /**
     * {@code [^\t\n\f <&#;]{1,32};?} after the '&amp;': the whole name if it is an entity, else its longest entity
     * prefix of at least two characters (only semicolon-less legacy names, as in {@code &ampx}, can match that
     * way), else the text unchanged. Returns the end of the reference, or -1 when there is none.
     */
    private static int appendNamedReference(StringBuilder sb, String s, int i) {
        int n = s.length();
        int end = i;
        for (int count = 0; end < n && count < MAX_ENTITY_NAME && !endsEntityName(s.charAt(end)); count++) {
            end += Character.charCount(s.codePointAt(end));
        }
        if (end == i) {
            return -1;
        }
        if (end < n && s.charAt(end) == ';') {
            end++;
        }
        String name = s.substring(i, end);
        Map<String, String> entities = Html5Entities.TABLE;
        String value = entities.get(name);
        if (value != null) {
            sb.append(value);
            return end;
        }
        // Entity names are ASCII, so char prefixes cover the code point prefixes that can match.
        for (int x = Math.min(name.length() - 1, Html5Entities.MAX_LEGACY_NAME); x >= 2; x--) {
            value = entities.get(name.substring(0, x));
            if (value != null) {
                sb.append(value).append(name, x, name.length());
                return end;
            }
        }
        sb.append('&').append(name);
        return end;
    }

    private static boolean endsEntityName(char c) {
        return c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';';
    }

    /** Python's html.entities.html5, from a resource generated by src/test/resources/strings/gen_html5_entities.py. */
    private static final class Html5Entities {
        static final Map<String, String> TABLE = load();
        /** Longest name without a trailing semicolon: only those can match as a prefix of a longer name. */
        static final int MAX_LEGACY_NAME = TABLE.keySet().stream().filter(k -> !k.endsWith(";"))
                .mapToInt(String::length).max().orElse(0);

        /** One entity a line: the name (with its ';' if any), then the code points of its value in hex. */
        private static Map<String, String> load() {
            Map<String, String> table = new HashMap<>(4096);
            try (InputStream in = PyStrings.class.getResourceAsStream("html5-entities.txt")) {
                if (in == null) {
                    throw new IllegalStateException("missing resource html5-entities.txt");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String line; (line = reader.readLine()) != null; ) {
                    String[] fields = line.split(" ");
                    StringBuilder value = new StringBuilder(4);
                    for (int f = 1; f < fields.length; f++) {
                        value.appendCodePoint(Integer.parseInt(fields[f], 16));
                    }
                    table.put(fields[0], value.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return table;
        }
    }

    // ------------------------------------------------------------------ urlencode

    /**
     * Jinja's do_urlencode: a str is quoted keeping '/', a dict or an iterable of pairs becomes
     * {@code k=v&k=v} with query-string quoting (space as '+', '/' quoted), anything else is quoted as str().
     */
    static String urlencode(Object value) {
        if (Py.isString(value)) {
            return quote(value.toString(), false);
        }
        if (value instanceof Map) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                appendQueryPair(sb, e.getKey(), e.getValue());
            }
            return sb.toString();
        }
        if (!isIterable(value)) {
            return quote(Py.str(value), false);
        }
        StringBuilder sb = new StringBuilder();
        for (Object item : Py.toList(value)) {
            if (!isIterable(item)) {
                throw Errors.typeError("cannot unpack non-iterable " + Py.typeName(item) + " object");
            }
            List<Object> pair = Py.toList(item);
            if (pair.size() > 2) {
                throw Errors.valueError("too many values to unpack (expected 2)");
            }
            if (pair.size() < 2) {
                throw Errors.valueError("not enough values to unpack (expected 2, got " + pair.size() + ")");
            }
            appendQueryPair(sb, pair.get(0), pair.get(1));
        }
        return sb.toString();
    }

    /** Jinja's Undefined defines __iter__, so it counts as an iterable (of nothing, or raising if strict). */
    private static boolean isIterable(Object v) {
        return v instanceof Undefined || Py.isIterable(v);
    }

    private static void appendQueryPair(StringBuilder sb, Object key, Object value) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        quote(sb, Py.str(key), true);
        sb.append('=');
        quote(sb, Py.str(value), true);
    }

    private static String quote(String s, boolean forQuery) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        quote(sb, s, forQuery);
        return sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * urllib's quote_from_bytes over the UTF-8 bytes: letters, digits and {@code _.-~} stay, plus '/' unless
     * quoting for a query, where a space becomes '+'. A lone surrogate cannot be encoded, as in Python.
     */
    private static void quote(StringBuilder sb, String s, boolean forQuery) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c < 0x80) {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                        || c == '-' || c == '~' || (c == '/' && !forQuery)) {
                    sb.append((char) c);
                } else if (c == ' ' && forQuery) {
                    sb.append('+');
                } else {
                    appendPercent(sb, c);
                }
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw surrogateNotEncodable(s, i);
            } else {
                appendUtf8Percent(sb, c);
            }
            i += Character.charCount(c);
        }
    }

    private static void appendUtf8Percent(StringBuilder sb, int c) {
        if (c < 0x800) {
            appendPercent(sb, 0xc0 | c >> 6);
        } else {
            if (c < 0x10000) {
                appendPercent(sb, 0xe0 | c >> 12);
            } else {
                appendPercent(sb, 0xf0 | c >> 18);
                appendPercent(sb, 0x80 | (c >> 12 & 0x3f));
            }
            appendPercent(sb, 0x80 | (c >> 6 & 0x3f));
        }
        appendPercent(sb, 0x80 | (c & 0x3f));
    }

    private static void appendPercent(StringBuilder sb, int b) {
        sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    /** Python's UnicodeEncodeError (a ValueError) for the run of lone surrogates starting at char {@code i}. */
    private static TemplateRuntimeException surrogateNotEncodable(String s, int i) {
        int position = s.codePointCount(0, i);
        int end = i + 1;
        // Python's run of surrogates; in Java a high one followed by a low one is a character, not part of it.
        while (end < s.length() && Character.isSurrogate(s.charAt(end))
                && !Character.isSupplementaryCodePoint(s.codePointAt(end))) {
            end++;
        }
        if (end - i == 1) {
            return Errors.valueError("'utf-8' codec can't encode character '\\u" + Integer.toHexString(s.charAt(i))
                    + "' in position " + position + ": surrogates not allowed");
        }
        return Errors.valueError("'utf-8' codec can't encode characters in position " + position + "-"
                + (position + end - i - 1) + ": surrogates not allowed");
    }
}
