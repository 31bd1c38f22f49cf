package io.promptlightning.jinja;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PyYAML 6.0's {@code yaml.safe_dump(value, sort_keys=False, allow_unicode=True)}, byte for byte.
 *
 * <p>Like PyYAML it works in three passes: values become a node graph (a list or dict met twice becomes
 * one shared node), shared nodes get anchors {@code id001, id002...}, and the emitter writes block
 * collections and picks for each string the plain, single-quoted or double-quoted style, folding long
 * lines at 80 columns. Block scalar styles ({@code |}, {@code >}) are never chosen by safe_dump's
 * defaults, and flow style only ever applies to empty collections, so neither is modelled beyond that.
 */
final class YamlDumper {
    private YamlDumper() {
    }

    private static final int MAX_DEPTH = 200;

    static String dump(Object value) {
        Node root = new Representer().represent(value, 0);
        new AnchorAssigner().visit(root);
        return new Emitter().document(root);
    }

    // ------------------------------------------------------------------ node graph

    private abstract static class Node {
        /** Set when the node is reachable twice; its later occurrences are written as aliases. */
        String anchor;
        boolean emitted;

        /** PyYAML's tag as written in its short form, which counts towards the simple key length limit. */
        abstract String shortTag();
    }

    private static final class ScalarNode extends Node {
        final String tag;
        /** Code points: PyYAML measures widths and key lengths in them. */
        final int[] text;
        /** False when the text, written plain, would be read back as another type (e.g. {@code 'yes'}). */
        final boolean plainKeepsType;
        final ScalarAnalysis analysis;

        ScalarNode(String tag, String text, boolean plainKeepsType) {
            this.tag = tag;
            this.text = text.codePoints().toArray();
            this.plainKeepsType = plainKeepsType;
            this.analysis = ScalarAnalysis.of(this.text);
        }

        @Override
        String shortTag() {
            return "!!" + tag;
        }
    }

    private static final class SequenceNode extends Node {
        final List<Node> items = new ArrayList<>();

        @Override
        String shortTag() {
            return "!!seq";
        }
    }

    private static final class MappingNode extends Node {
        final List<Node[]> pairs = new ArrayList<>();

        @Override
        String shortTag() {
            return "!!map";
        }
    }

    /** Strings that YAML 1.1 resolves to bool, int, float, null, timestamp, merge, value or yaml tags. */
    private static final Pattern IMPLICITLY_TYPED = Pattern.compile(String.join("|",
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?",
            "\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?",
            "[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*",
            "[-+]?\\.(?:inf|Inf|INF)",
            "\\.(?:nan|NaN|NAN)",
            "[-+]?0b[0-1_]+",
            "[-+]?0[0-7_]+",
            "[-+]?(?:0|[1-9][0-9_]*)",
            "[-+]?0x[0-9a-fA-F_]+",
            "[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
            "<<",
            "~|null|Null|NULL|",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
                    + "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
            "=",
            "[!&*]"));

    private static final class Representer {
        /** Lists and dicts already represented, by identity, as PyYAML's representer keeps them by id(). */
        private final Map<Object, Node> represented = new IdentityHashMap<>();

        Node represent(Object value, int depth) {
            if (value instanceof Undefined) {
                throw ((Undefined) value).error();
            }
            if (value == null) {
                return new ScalarNode("null", "null", true);
            }
            if (value instanceof Boolean) {
                return new ScalarNode("bool", (Boolean) value ? "true" : "false", true);
            }
            if (Py.isInt(value)) {
                return new ScalarNode("int", Py.str(value), true);
            }
            if (Py.isFloat(value)) {
                return new ScalarNode("float", floatText(((Number) value).doubleValue()), true);
            }
            if (Py.isString(value)) {
                String text = value.toString();
                return new ScalarNode("str", text, !IMPLICITLY_TYPED.matcher(text).matches());
            }
            if (value instanceof Map || value instanceof Collection || value.getClass().isArray()) {
                return representCollection(value, depth);
            }
            throw Errors.valueError("cannot represent an object: " + Py.repr(value));
        }

        private Node representCollection(Object value, int depth) {
            Node known = represented.get(value);
            if (known != null) {
                return known;
            }
            if (depth >= MAX_DEPTH) {
                throw Errors.limit("value nested too deeply to convert to YAML (more than " + MAX_DEPTH
                        + " levels)");
            }
            // PyYAML never aliases the empty tuple (a singleton in Python, as PyTuple.EMPTY is here).
            boolean shareable = !(value instanceof PyTuple && ((PyTuple) value).isEmpty());
            if (value instanceof Map) {
                MappingNode node = new MappingNode();
                represented.put(value, node);
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    Node key = represent(e.getKey(), depth + 1);
                    node.pairs.add(new Node[] {key, represent(e.getValue(), depth + 1)});
                }
                return node;
            }
            SequenceNode node = new SequenceNode();
            if (shareable) {
                represented.put(value, node);
            }
            for (Object item : Py.toList(value)) {
                node.items.add(represent(item, depth + 1));
            }
            return node;
        }
    }

    /** PyYAML's float representer: repr, with {@code .0} added so that {@code 1e+16} stays a float. */
    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        String repr = Py.floatRepr(d);
        return repr.indexOf('.') < 0 ? repr.replace("e", ".0e") : repr;
    }

    /** Numbers anchors in the order nodes are met a second time in a depth-first walk, as PyYAML does. */
    private static final class AnchorAssigner {
        private final Map<Node, Boolean> seen = new IdentityHashMap<>();
        private int lastId;

        void visit(Node node) {
            if (seen.put(node, Boolean.TRUE) != null) {
                if (node.anchor == null) {
                    node.anchor = String.format("id%03d", ++lastId);
                }
                return;
            }
            if (node instanceof SequenceNode) {
                ((SequenceNode) node).items.forEach(this::visit);
            } else if (node instanceof MappingNode) {
                for (Node[] pair : ((MappingNode) node).pairs) {
                    visit(pair[0]);
                    visit(pair[1]);
                }
            }
        }
    }

    // ------------------------------------------------------------------ scalar analysis

    private enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED }

    /** What the characters of a string allow; flow-context and block-scalar permissions are never needed. */
    private static final class ScalarAnalysis {
        final boolean empty;
        final boolean multiline;
        final boolean allowPlain;
        final boolean allowSingleQuoted;

        private ScalarAnalysis(boolean empty, boolean multiline, boolean allowPlain, boolean allowSingleQuoted) {
            this.empty = empty;
            this.multiline = multiline;
            this.allowPlain = allowPlain;
            this.allowSingleQuoted = allowSingleQuoted;
        }

        static ScalarAnalysis of(int[] s) {
            int n = s.length;
            if (n == 0) {
                return new ScalarAnalysis(true, false, true, true);
            }
            boolean indicators = startsWith(s, "---") || startsWith(s, "...");
            boolean lineBreaks = false;
            boolean special = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            for (int i = 0; i < n; i++) {
                int c = s[i];
                indicators |= isBlockIndicator(s, i);
                lineBreaks |= isBreak(c);
                special |= !isPrintableForYaml(c);
                if (c == ' ' && i > 0 && isBreak(s[i - 1])) {
                    breakSpace = true;
                }
                if (isBreak(c) && i > 0 && s[i - 1] == ' ') {
                    spaceBreak = true;
                }
            }
            boolean edgeSpace = s[0] == ' ' || isBreak(s[0]) || s[n - 1] == ' ' || isBreak(s[n - 1]);
            boolean onlyDoubleQuoted = spaceBreak || special;
            boolean allowPlain = !edgeSpace && !breakSpace && !onlyDoubleQuoted && !lineBreaks && !indicators;
            boolean allowSingleQuoted = !breakSpace && !onlyDoubleQuoted;
            return new ScalarAnalysis(false, lineBreaks, allowPlain, allowSingleQuoted);
        }

        private static boolean startsWith(int[] s, String prefix) {
            if (s.length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (s[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the character at i would be read as block structure if the string were written plain. */
        private static boolean isBlockIndicator(int[] s, int i) {
            int c = s[i];
            boolean followedBySpace = i + 1 >= s.length || isBlank(s[i + 1]);
            if (i == 0) {
                return "#,[]{}&*!|>'\"%@`".indexOf(c) >= 0
                        || ((c == '?' || c == ':' || c == '-') && followedBySpace);
            }
            return (c == ':' && followedBySpace) || (c == '#' && isBlank(s[i - 1]));
        }

        /** Printable as is with allow_unicode; anything else forces the double-quoted style. */
        private static boolean isPrintableForYaml(int c) {
            if (c == '\n' || (c >= 0x20 && c <= 0x7E)) {
                return true;
            }
            return c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
                    || (c >= 0x10000 && c < 0x10FFFF);
        }
    }

    private static boolean isBreak(int c) {
        return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    private static boolean isBlank(int c) {
        return c == 0 || c == ' ' || c == '\t' || c == '\r' || isBreak(c);
    }

    // ------------------------------------------------------------------ emitter

    private static final class Emitter {
        private static final int BEST_INDENT = 2;
        private static final int BEST_WIDTH = 80;
        /** PyYAML's limit on the length of a key written as {@code key: value} (tag and anchor included). */
        private static final int MAX_SIMPLE_KEY_LENGTH = 128;
        private static final int NO_INDENT = -1;

        private final StringBuilder out = new StringBuilder();
        private final Deque<Integer> indents = new ArrayDeque<>();
        private int indent = NO_INDENT;
        /** Column in code points, as PyYAML counts them. */
        private int column;
        /** The last character written is a space or a line break. */
        private boolean whitespace = true;
        /** Only indentation and indicators such as {@code -} have been written on the current line. */
        private boolean indention = true;
        /** A plain scalar at the root needs an explicit document end marker. */
        private boolean openEnded;

        String document(Node root) {
            node(root, true, false, false);
            writeIndent();
            if (openEnded) {
                writeIndicator("...", true, false, false);
                writeIndent();
            }
            return out.toString();
        }

        private void node(Node node, boolean root, boolean inMapping, boolean simpleKey) {
            if (node.emitted) {
                writeIndicator("*" + node.anchor, true, false, false);
                return;
            }
            node.emitted = true;
            if (node.anchor != null) {
                writeIndicator("&" + node.anchor, true, false, false);
            }
            if (node instanceof ScalarNode) {
                increaseIndent(true, false);
                scalar((ScalarNode) node, root, simpleKey);
                indent = indents.pop();
            } else if (node instanceof SequenceNode) {
                List<Node> items = ((SequenceNode) node).items;
                if (items.isEmpty()) {
                    emptyFlowCollection("[", "]");
                } else {
                    blockSequence(items, inMapping);
                }
            } else {
                List<Node[]> pairs = ((MappingNode) node).pairs;
                if (pairs.isEmpty()) {
                    emptyFlowCollection("{", "}");
                } else {
                    blockMapping(pairs);
                }
            }
        }

        private void emptyFlowCollection(String open, String close) {
            writeIndicator(open, true, true, false);
            writeIndicator(close, false, false, false);
        }

        private void blockSequence(List<Node> items, boolean inMapping) {
            // A sequence that is a mapping value starts on the next line at the key's own indentation.
            increaseIndent(false, inMapping && !indention);
            for (Node item : items) {
                writeIndent();
                writeIndicator("-", true, false, true);
                node(item, false, false, false);
            }
            indent = indents.pop();
        }

        private void blockMapping(List<Node[]> pairs) {
            increaseIndent(false, false);
            for (Node[] pair : pairs) {
                writeIndent();
                if (isSimpleKey(pair[0])) {
                    node(pair[0], false, true, true);
                    writeIndicator(":", false, false, false);
                } else {
                    writeIndicator("?", true, false, true);
                    node(pair[0], false, true, false);
                    writeIndent();
                    writeIndicator(":", true, false, true);
                }
                node(pair[1], false, true, false);
            }
            indent = indents.pop();
        }

        private boolean isSimpleKey(Node key) {
            if (key.emitted) {
                return key.anchor.length() < MAX_SIMPLE_KEY_LENGTH;
            }
            int length = (key.anchor == null ? 0 : key.anchor.length()) + key.shortTag().length();
            if (key instanceof ScalarNode) {
                ScalarNode scalar = (ScalarNode) key;
                return length + scalar.text.length < MAX_SIMPLE_KEY_LENGTH && !scalar.analysis.empty
                        && !scalar.analysis.multiline;
            }
            boolean empty = key instanceof SequenceNode ? ((SequenceNode) key).items.isEmpty()
                    : ((MappingNode) key).pairs.isEmpty();
            return length < MAX_SIMPLE_KEY_LENGTH && empty;
        }

        private void increaseIndent(boolean flow, boolean indentless) {
            indents.push(indent);
            if (indent == NO_INDENT) {
                indent = flow ? BEST_INDENT : 0;
            } else if (!indentless) {
                indent += BEST_INDENT;
            }
        }

        // -------------------------------------------------------------- scalars

        private void scalar(ScalarNode node, boolean root, boolean simpleKey) {
            // Simple keys must fit on one line, so they are never folded.
            boolean split = !simpleKey;
            switch (chooseStyle(node, simpleKey)) {
                case PLAIN:
                    if (root) {
                        openEnded = true;
                    }
                    writePlain(node.text, split);
                    break;
                case SINGLE_QUOTED:
                    writeSingleQuoted(node.text, split);
                    break;
                default:
                    writeDoubleQuoted(node.text, split);
            }
        }

        private static Style chooseStyle(ScalarNode node, boolean simpleKey) {
            ScalarAnalysis analysis = node.analysis;
            if (node.plainKeepsType && analysis.allowPlain && !(simpleKey && (analysis.empty || analysis.multiline))) {
                return Style.PLAIN;
            }
            if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) {
                return Style.SINGLE_QUOTED;
            }
            return Style.DOUBLE_QUOTED;
        }

        /** Plain text never has line breaks or edge spaces here; a single space may become a fold. */
        private void writePlain(int[] text, boolean split) {
            if (!whitespace) {
                writeRaw(" ");
            }
            whitespace = false;
            indention = false;
            int i = 0;
            while (i < text.length) {
                int end = runEnd(text, i);
                if (text[i] == ' ' && end - i == 1 && column > BEST_WIDTH && split) {
                    writeIndent();
                    whitespace = false;
                    indention = false;
                } else {
                    writeRaw(text, i, end);
                }
                i = end;
            }
        }

        private void writeSingleQuoted(int[] text, boolean split) {
            writeIndicator("'", true, false, false);
            int i = 0;
            while (i < text.length) {
                int c = text[i];
                int end = runEnd(text, i);
                if (c == ' ') {
                    boolean inner = i != 0 && end != text.length;
                    if (end - i == 1 && column > BEST_WIDTH && split && inner) {
                        writeIndent();
                    } else {
                        writeRaw(text, i, end);
                    }
                } else if (isBreak(c)) {
                    writeQuotedBreaks(text, i, end);
                } else if (c == '\'') {
                    writeRaw("''");
                } else {
                    writeRaw(text, i, end);
                }
                i = end;
            }
            writeIndicator("'", false, false, false);
        }

        /** In a quoted scalar a lone line feed folds to a space, so each one is written as an empty line. */
        private void writeQuotedBreaks(int[] text, int start, int end) {
            if (text[start] == '\n') {
                writeLineBreak("\n");
            }
            for (int i = start; i < end; i++) {
                writeLineBreak(new String(Character.toChars(text[i])));
            }
            writeIndent();
        }

        /**
         * End of the run starting at i: a run of spaces, a run of line breaks, a single quote, or a run of
         * other characters.
         */
        private static int runEnd(int[] text, int i) {
            int c = text[i];
            if (c == '\'') {
                return i + 1;
            }
            int kind = runKind(c);
            int end = i + 1;
            while (end < text.length && text[end] != '\'' && runKind(text[end]) == kind) {
                end++;
            }
            return end;
        }

        private static int runKind(int c) {
            return c == ' ' ? 0 : isBreak(c) ? 1 : 2;
        }

        private void writeDoubleQuoted(int[] text, boolean split) {
            writeIndicator("\"", true, false, false);
            int n = text.length;
            int start = 0;
            for (int end = 0; end <= n; end++) {
                int c = end < n ? text[end] : -1;
                if (c < 0 || needsEscape(c)) {
                    writeRaw(text, start, end);
                    start = end;
                    if (c >= 0) {
                        writeRaw(escape(c));
                        start = end + 1;
                    }
                }
                // Fold before a space, or right after an escape, once the line would pass the width; the
                // backslash hides the line break, and an escaped space keeps a leading space significant.
                // Right after an escape start is end + 1, so the pending text is empty.
                if (split && end > 0 && end < n - 1 && (c == ' ' || start >= end)
                        && column + (end - start) > BEST_WIDTH) {
                    if (start < end) {
                        writeRaw(text, start, end);
                        start = end;
                    }
                    writeRaw("\\");
                    writeIndent();
                    whitespace = false;
                    indention = false;
                    if (text[start] == ' ') {
                        writeRaw("\\");
                    }
                }
            }
            writeIndicator("\"", false, false, false);
        }

        private static boolean needsEscape(int c) {
            if (c == '"' || c == '\\' || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF) {
                return true;
            }
            return !((c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD));
        }

        private static String escape(int c) {
            switch (c) {
                case 0: return "\\0";
                case 0x07: return "\\a";
                case 0x08: return "\\b";
                case '\t': return "\\t";
                case '\n': return "\\n";
                case 0x0B: return "\\v";
                case 0x0C: return "\\f";
                case '\r': return "\\r";
                case 0x1B: return "\\e";
                case '"': return "\\\"";
                case '\\': return "\\\\";
                case 0x85: return "\\N";
                case 0x2028: return "\\L";
                case 0x2029: return "\\P";
                default:
                    if (c <= 0xFF) {
                        return String.format("\\x%02X", c);
                    }
                    return c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c);
            }
        }

        // -------------------------------------------------------------- low-level writes

        private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace,
                boolean isIndention) {
            if (!whitespace && needWhitespace) {
                writeRaw(" ");
            }
            writeRaw(indicator);
            whitespace = isWhitespace;
            indention = indention && isIndention;
            openEnded = false;
        }

        /** Starts a new line unless already at the indentation, then pads up to it. */
        private void writeIndent() {
            int target = Math.max(indent, 0);
            if (!indention || column > target || (column == target && !whitespace)) {
                writeLineBreak("\n");
            }
            if (column < target) {
                whitespace = true;
                writeRaw(" ".repeat(target - column));
            }
        }

        private void writeLineBreak(String lineBreak) {
            out.append(lineBreak);
            whitespace = true;
            indention = true;
            column = 0;
        }

        /** ASCII text only: its length is its width. */
        private void writeRaw(String ascii) {
            out.append(ascii);
            column += ascii.length();
        }

        private void writeRaw(int[] text, int from, int to) {
            for (int i = from; i < to; i++) {
                out.appendCodePoint(text[i]);
            }
            column += to - from;
        }
    }
}
