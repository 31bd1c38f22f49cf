package io.promptlightning.jinja;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Python's {@code float(str)}: which text it reads and the double it gives. Its grammar, as CPython applies it:
 * every non-ASCII whitespace character counts as a space and every Unicode decimal digit as its ASCII digit (any
 * other non-ASCII character is refused); surrounding ASCII whitespace ({@code " \t\n\v\f\r"}, not the other
 * characters {@code str.isspace()} accepts) is ignored; single underscores may stand between two digits; what
 * remains is a sign, then digits with an optional point and an optional exponent, or {@code inf},
 * {@code infinity} or {@code nan} in any case.
 */
final class PyFloatText {
    private PyFloatText() {
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /**
     * The number {@code text} holds as Python's {@code float()} reads it, in ASCII without whitespace or
     * underscores ({@code "1_000"} gives {@code 1000}, {@code " -Inf "} gives {@code -inf}), or null where
     * {@code float()} raises ValueError.
     */
    static String literal(String text) {
        String ascii = toAscii(text);
        if (ascii == null) {
            return null;
        }
        int start = 0;
        int end = ascii.length();
        while (start < end && isAsciiSpace(ascii.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiSpace(ascii.charAt(end - 1))) {
            end--;
        }
        String t = withoutUnderscores(ascii.substring(start, end));
        if (t == null) {
            return null;
        }
        if (DECIMAL.matcher(t).matches()) {
            return t;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        return switch (unsigned) {
            case "inf", "infinity", "nan" -> lower;
            default -> null;
        };
    }

    /** Python's {@code float(text)}, or null where it raises ValueError. */
    static Double parse(String text) {
        String literal = literal(text);
        if (literal == null) {
            return null;
        }
        if (literal.endsWith("nan")) {
            return Double.NaN;
        }
        if (literal.endsWith("inf") || literal.endsWith("infinity")) {
            return literal.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(literal); // correctly rounded, as CPython's; out-of-range exponents give inf or 0
    }

    /** CPython's first step: non-ASCII spaces become ' ', non-ASCII decimal digits ASCII ones; null for others. */
    private static String toAscii(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c >= 0x7f) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                if (PyStrings.isSpace(c)) {
                    out.append(' ');
                } else if (PyStrings.isDecimal(c)) {
                    out.append((char) ('0' + Character.digit(c, 10)));
                } else {
                    return null;
                }
            } else if (out != null) {
                out.append((char) c);
            }
            i += Character.charCount(c);
        }
        return out == null ? text : out.toString();
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The text without its underscores, or null when one is not between two digits. */
    private static String withoutUnderscores(String t) {
        if (t.indexOf('_') < 0) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '_') {
                out.append(c);
            } else if (i == 0 || i == t.length() - 1 || !isAsciiDigit(t.charAt(i - 1))
                    || !isAsciiDigit(t.charAt(i + 1))) {
                return null;
            }
        }
        return out.toString();
    }
}
