package io.promptlightning.jinja;

import io.promptlightning.jinja.Token.Type;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits template source into tokens with Jinja2's rules: {@code {{ }}}, {@code {% %}}, {@code {# #}},
 * {@code raw} blocks, the {@code -} and {@code +} whitespace markers, {@code trim_blocks} and
 * {@code lstrip_blocks}. Newlines are normalized to {@code \n} first, and one trailing newline is dropped
 * unless {@code keep_trailing_newline} is set.
 */
final class Lexer {
    private static final String[] OPERATORS_2 = {"//", "**", "==", "!=", ">=", "<="};
    private static final String OPERATORS_1 = "+-/*%~[](){}<>=.:|,;";

    private final String src;
    private final boolean trimBlocks;
    private final boolean lstripBlocks;
    private final List<Token> tokens = new ArrayList<>();
    /** Names and operators are interned per template so the parser and runtime share one instance each. */
    private final Map<String, String> interned = new HashMap<>();
    private int pos;
    private int line = 1;
    private boolean lineStarting = true;

    Lexer(String source, boolean trimBlocks, boolean lstripBlocks, boolean keepTrailingNewline) {
        this.src = normalizeNewlines(source, keepTrailingNewline);
        this.trimBlocks = trimBlocks;
        this.lstripBlocks = lstripBlocks;
    }

    static String normalizeNewlines(String source, boolean keepTrailingNewline) {
        String s = source;
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r\n", "\n").replace('\r', '\n');
        }
        if (!keepTrailingNewline && s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    List<Token> tokenize() {
        try {
            lexRoot();
        } catch (LexError e) {
            tokens.add(new Token(Type.ERROR, e.getMessage(), null, e.line));
        }
        tokens.add(new Token(Type.EOF, "", null, line));
        return tokens;
    }

    private static final class LexError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;

        LexError(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private void lexRoot() {
        int n = src.length();
        while (pos < n) {
            int tag = findTagStart(pos);
            if (tag < 0) {
                emitData(src.substring(pos), line);
                countLines(pos, n);
                pos = n;
                return;
            }
            char kind = src.charAt(tag + 1);
            char sign = tag + 2 < n ? src.charAt(tag + 2) : 0;
            boolean hasSign = sign == '-' || sign == '+';
            int rawEnd = kind == '%' ? matchRawBegin(tag) : -1;
            String text = src.substring(pos, tag);
            if (hasSign && sign == '-') {
                text = rstrip(text);
            } else if (sign != '+' && lstripBlocks && kind != '{') {
                int lpos = text.lastIndexOf('\n') + 1;
                if ((lpos > 0 || lineStarting) && onlyWhitespace(text, lpos)) {
                    text = text.substring(0, lpos);
                }
            }
            int textLine = line;
            emitData(text, textLine);
            countLines(pos, tag);
            int afterBegin = tag + 2 + (hasSign ? 1 : 0);
            if (rawEnd >= 0) {
                pos = rawEnd;
                lexRaw(tag);
            } else if (kind == '#') {
                // lexComment counts the lines from pos to the comment's end; the text before the tag was
                // counted just above, so start from the tag (found by fuzzing: lines were counted twice).
                pos = tag;
                lexComment(afterBegin);
            } else if (kind == '{') {
                tokens.add(new Token(Type.VARIABLE_BEGIN, "{{", null, line));
                pos = afterBegin;
                lexInside(false);
            } else {
                tokens.add(new Token(Type.BLOCK_BEGIN, "{%", null, line));
                pos = afterBegin;
                lexInside(true);
            }
        }
    }

    private int findTagStart(int from) {
        int i = from;
        int n = src.length();
        while (true) {
            int j = src.indexOf('{', i);
            if (j < 0 || j + 1 >= n) {
                return -1;
            }
            char c = src.charAt(j + 1);
            if (c == '{' || c == '%' || c == '#') {
                return j;
            }
            i = j + 1;
        }
    }

    /** If a {@code {% raw %}} tag starts at {@code tag}, returns the index just after it, else -1. */
    private int matchRawBegin(int tag) {
        int i = tag + 2;
        int n = src.length();
        if (i < n && (src.charAt(i) == '-' || src.charAt(i) == '+')) {
            i++;
        }
        i = skipWhitespace(i);
        if (!src.startsWith("raw", i)) {
            return -1;
        }
        i = skipWhitespace(i + 3);
        if (src.startsWith("-%}", i)) {
            return skipWhitespace(i + 3);
        }
        if (src.startsWith("%}", i)) {
            return i + 2;
        }
        return -1;
    }

    private void lexRaw(int tagStart) {
        int startLine = line;
        countLines(tagStart, pos);
        lineStarting = pos > 0 && src.charAt(pos - 1) == '\n';
        int search = pos;
        while (true) {
            int j = src.indexOf("{%", search);
            if (j < 0) {
                throw new LexError("Missing end of raw directive", startLine);
            }
            int i = j + 2;
            char sign = i < src.length() ? src.charAt(i) : 0;
            if (sign == '-' || sign == '+') {
                i++;
            }
            i = skipWhitespace(i);
            if (src.startsWith("endraw", i)) {
                int k = skipWhitespace(i + 6);
                int end = matchBlockEnd(k);
                if (end >= 0) {
                    String text = src.substring(pos, j);
                    if (sign == '-') {
                        text = rstrip(text);
                    } else if (sign != '+' && lstripBlocks) {
                        int lpos = text.lastIndexOf('\n') + 1;
                        if ((lpos > 0 || lineStarting) && onlyWhitespace(text, lpos)) {
                            text = text.substring(0, lpos);
                        }
                    }
                    emitData(text, line);
                    countLines(pos, end);
                    lineStarting = src.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            search = j + 2;
        }
    }

    /** Matches a block end at {@code i} ({@code +%}}, {@code -%}} plus whitespace, {@code %}} plus newline). */
    private int matchBlockEnd(int i) {
        if (src.startsWith("+%}", i)) {
            return i + 3;
        }
        if (src.startsWith("-%}", i)) {
            return skipWhitespace(i + 3);
        }
        if (src.startsWith("%}", i)) {
            int e = i + 2;
            if (trimBlocks && e < src.length() && src.charAt(e) == '\n') {
                e++;
            }
            return e;
        }
        return -1;
    }

    private void lexComment(int contentStart) {
        int startLine = line;
        int search = contentStart;
        while (true) {
            int j = src.indexOf("#}", search);
            if (j < 0) {
                throw new LexError("Missing end of comment tag", startLine);
            }
            int end;
            char before = j - 1 >= contentStart ? src.charAt(j - 1) : 0;
            if (before == '+') {
                end = j + 2;
            } else if (before == '-') {
                end = skipWhitespace(j + 2);
            } else {
                end = j + 2;
                if (trimBlocks && end < src.length() && src.charAt(end) == '\n') {
                    end++;
                }
            }
            countLines(pos, end);
            lineStarting = src.charAt(end - 1) == '\n';
            pos = end;
            return;
        }
    }

    /** Tokens inside {@code {{ }}} or {@code {% %}} up to and including the end marker. */
    private void lexInside(boolean block) {
        Deque<Character> balancing = new ArrayDeque<>();
        int n = src.length();
        while (true) {
            if (balancing.isEmpty()) {
                int end = block ? matchBlockEnd(pos) : matchVariableEnd(pos);
                if (end >= 0) {
                    tokens.add(new Token(block ? Type.BLOCK_END : Type.VARIABLE_END, block ? "%}" : "}}", null, line));
                    countLines(pos, end);
                    lineStarting = src.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            if (pos >= n) {
                return; // the parser reports the missing end marker
            }
            char c = src.charAt(pos);
            if (PyStrings.isSpace(c)) {
                int e = skipWhitespace(pos);
                countLines(pos, e);
                pos = e;
                continue;
            }
            if (c >= '0' && c <= '9') {
                lexNumber();
                continue;
            }
            if (c == '_' || Character.isLetter(c)) {
                int e = pos + 1;
                while (e < n && (src.charAt(e) == '_' || Character.isLetterOrDigit(src.charAt(e)))) {
                    e++;
                }
                tokens.add(new Token(Type.NAME, intern(src.substring(pos, e)), null, line));
                pos = e;
                continue;
            }
            if (c == '\'' || c == '"') {
                lexString(c);
                continue;
            }
            String op = null;
            for (String two : OPERATORS_2) {
                if (src.startsWith(two, pos)) {
                    op = two;
                    break;
                }
            }
            if (op == null && OPERATORS_1.indexOf(c) >= 0) {
                op = String.valueOf(c);
            }
            if (op == null) {
                throw new LexError("unexpected char " + Py.repr(String.valueOf(c)) + " at " + pos, line);
            }
            if (op.length() == 1) {
                if (c == '(' || c == '[' || c == '{') {
                    balancing.push(c == '(' ? ')' : c == '[' ? ']' : '}');
                } else if (c == ')' || c == ']' || c == '}') {
                    if (balancing.isEmpty()) {
                        throw new LexError("unexpected '" + c + "'", line);
                    }
                    char expected = balancing.pop();
                    if (expected != c) {
                        throw new LexError("unexpected '" + c + "', expected '" + expected + "'", line);
                    }
                }
            }
            tokens.add(new Token(Type.OPERATOR, intern(op), null, line));
            pos += op.length();
        }
    }

    private int matchVariableEnd(int i) {
        if (src.startsWith("-}}", i)) {
            return skipWhitespace(i + 3);
        }
        if (src.startsWith("}}", i)) {
            return i + 2;
        }
        return -1;
    }

    private void lexNumber() {
        int n = src.length();
        int start = pos;
        if (src.charAt(pos) == '0' && pos + 1 < n && "bBoOxX".indexOf(src.charAt(pos + 1)) >= 0) {
            int radix = "bB".indexOf(src.charAt(pos + 1)) >= 0 ? 2 : "oO".indexOf(src.charAt(pos + 1)) >= 0 ? 8 : 16;
            int e = pos + 2;
            while (e < n && (Character.digit(src.charAt(e), radix) >= 0 || src.charAt(e) == '_')) {
                e++;
            }
            String digits = src.substring(pos + 2, e).replace("_", "");
            if (!digits.isEmpty()) {
                tokens.add(new Token(Type.INTEGER, src.substring(start, e), Py.normalize(new BigInteger(digits, radix)), line));
                pos = e;
                return;
            }
        }
        int e = digitsEnd(pos);
        boolean isFloat = false;
        if (src.charAt(pos) == '0' && !isFloatAt(e)) {
            // Jinja2's integers are [1-9](_?\d)*|0(_?0)*: "007" lexes as "00" then "7", a syntax error later.
            e = pos + 1;
            while (e < n && (src.charAt(e) == '0' || (src.charAt(e) == '_' && e + 1 < n && src.charAt(e + 1) == '0'))) {
                e++;
            }
            tokens.add(new Token(Type.INTEGER, src.substring(start, e), 0L, line));
            pos = e;
            return;
        }
        if (e + 1 < n && src.charAt(e) == '.' && Character.isDigit(src.charAt(e + 1))) {
            e = digitsEnd(e + 1);
            isFloat = true;
        }
        if (e < n && (src.charAt(e) == 'e' || src.charAt(e) == 'E')) {
            int k = e + 1;
            if (k < n && (src.charAt(k) == '+' || src.charAt(k) == '-')) {
                k++;
            }
            if (k < n && Character.isDigit(src.charAt(k))) {
                e = digitsEnd(k);
                isFloat = true;
            }
        }
        String text = src.substring(start, e);
        String clean = text.replace("_", "");
        if (isFloat) {
            tokens.add(new Token(Type.FLOAT, text, Double.parseDouble(clean), line));
        } else {
            tokens.add(new Token(Type.INTEGER, text, Py.normalize(new BigInteger(clean)), line));
        }
        pos = e;
    }

    /** Whether the digits ending at {@code e} continue as a float (fraction or exponent). */
    private boolean isFloatAt(int e) {
        int n = src.length();
        if (e + 1 < n && src.charAt(e) == '.' && Character.isDigit(src.charAt(e + 1))) {
            return true;
        }
        if (e < n && (src.charAt(e) == 'e' || src.charAt(e) == 'E')) {
            int k = e + 1;
            if (k < n && (src.charAt(k) == '+' || src.charAt(k) == '-')) {
                k++;
            }
            return k < n && Character.isDigit(src.charAt(k));
        }
        return false;
    }

    private int digitsEnd(int i) {
        int n = src.length();
        while (i < n && (Character.isDigit(src.charAt(i))
                || (src.charAt(i) == '_' && i + 1 < n && Character.isDigit(src.charAt(i + 1))))) {
            i++;
        }
        return i;
    }

    private void lexString(char quote) {
        int n = src.length();
        int startLine = line;
        StringBuilder sb = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= n) {
                throw new LexError("unexpected char " + Py.repr(String.valueOf(quote)) + " at " + pos, startLine);
            }
            char c = src.charAt(i);
            if (c == quote) {
                break;
            }
            if (c == '\\' && i + 1 < n) {
                i = unescape(sb, i + 1);
                continue;
            }
            sb.append(c);
            i++;
        }
        String value = sb.toString();
        if (value.isEmpty() || (value.length() == 1 && value.charAt(0) < 256)) {
            // CPython shares one object for '' and each one-character Latin-1 string, which `is sameas` sees.
            value = intern(value);
        }
        tokens.add(new Token(Type.STRING, src.substring(pos, i + 1), value, startLine));
        countLines(pos, i + 1);
        pos = i + 1;
    }

    /** Python string-literal escapes; returns the index after the escape. */
    private int unescape(StringBuilder sb, int i) {
        char c = src.charAt(i);
        switch (c) {
            case 'n': sb.append('\n'); return i + 1;
            case 't': sb.append('\t'); return i + 1;
            case 'r': sb.append('\r'); return i + 1;
            case '\\': sb.append('\\'); return i + 1;
            case '\'': sb.append('\''); return i + 1;
            case '"': sb.append('"'); return i + 1;
            case 'a': sb.append('\u0007'); return i + 1;
            case 'b': sb.append('\b'); return i + 1;
            case 'f': sb.append('\f'); return i + 1;
            case 'v': sb.append('\u000b'); return i + 1;
            case '\n': return i + 1;
            case 'x': return hexEscape(sb, i, 2);
            case 'u': return hexEscape(sb, i, 4);
            case 'U': return hexEscape(sb, i, 8);
            case 'N': return namedEscape(sb, i);
            default:
                if (c >= '0' && c <= '7') {
                    int e = i;
                    while (e < src.length() && e < i + 3 && src.charAt(e) >= '0' && src.charAt(e) <= '7') {
                        e++;
                    }
                    sb.appendCodePoint(Integer.parseInt(src.substring(i, e), 8));
                    return e;
                }
                sb.append('\\').append(c);
                return i + 1;
        }
    }

    /** {@code \N{BULLET}}: a character by its Unicode name. */
    private int namedEscape(StringBuilder sb, int i) {
        int close = src.indexOf('}', i);
        if (i + 1 >= src.length() || src.charAt(i + 1) != '{' || close < 0) {
            throw new LexError("malformed \\N character escape in string literal", line);
        }
        try {
            sb.appendCodePoint(Character.codePointOf(src.substring(i + 2, close)));
        } catch (IllegalArgumentException e) {
            throw new LexError("unknown Unicode character name in string literal", line);
        }
        return close + 1;
    }

    private int hexEscape(StringBuilder sb, int i, int digits) {
        int end = i + 1 + digits;
        if (end > src.length()) {
            throw new LexError("truncated \\" + src.charAt(i) + " escape in string literal", line);
        }
        try {
            int cp = Integer.parseInt(src.substring(i + 1, end), 16);
            if (!Character.isValidCodePoint(cp)) {
                throw new LexError("illegal Unicode character in string literal", line);
            }
            sb.appendCodePoint(cp);
        } catch (NumberFormatException e) {
            throw new LexError("truncated \\" + src.charAt(i) + " escape in string literal", line);
        }
        return end;
    }

    private String intern(String s) {
        String existing = interned.putIfAbsent(s, s);
        return existing == null ? s : existing;
    }

    private void emitData(String text, int atLine) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Type.DATA, text, null, atLine));
        }
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private int skipWhitespace(int i) {
        while (i < src.length() && PyStrings.isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Python's {@code \s+} full match of the text from {@code from}: what lstrip_blocks removes. */
    private static boolean onlyWhitespace(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!PyStrings.isSpace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Python's str.rstrip() with no argument. */
    static String rstrip(String s) {
        return PyStrings.rstrip(s, null);
    }
}
