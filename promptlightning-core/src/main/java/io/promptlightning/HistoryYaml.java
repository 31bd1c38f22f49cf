package io.promptlightning;

import io.promptlightning.internal.SpecYaml;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML of the files a {@link LocalRegistry} keeps beside the templates (history, labels, journal): plain maps,
 * lists, text and numbers, read safely and written so that text always reads back as the same text.
 */
final class HistoryYaml {
    /**
     * Largest history file read: label histories grow with every move, but never near this. A version file holds a
     * template, so it may be as large as a template file may be.
     */
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    private HistoryYaml() {
    }

    /** {@code data} in block style, as a person would write it. */
    static String block(Object data) {
        return dumper(DumperOptions.FlowStyle.BLOCK).dump(data);
    }

    /** {@code data} on one line, in flow style ({@code {a: 1, b: two}}), without the line break. */
    static String line(Object data) {
        return dumper(DumperOptions.FlowStyle.FLOW).dump(data).strip();
    }

    private static Yaml dumper(DumperOptions.FlowStyle style) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(style);
        options.setAllowUnicode(true);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(new SafeConstructor(loaderOptions()), new TextRepresenter(options), options);
    }

    /**
     * Text as text: SnakeYAML would write text with control characters as {@code !!binary}, which reads back as
     * bytes. Text that a plain scalar cannot hold on one line is double-quoted, with escapes.
     */
    private static final class TextRepresenter extends Representer {
        TextRepresenter(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                return representScalar(Tag.STR, s, needsEscapes(s) ? DumperOptions.ScalarStyle.DOUBLE_QUOTED
                        : DumperOptions.ScalarStyle.PLAIN);
            });
        }
    }

    private static boolean needsEscapes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
                    || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Reads one document.
     *
     * @throws ValidationException with the file and line of a syntax error
     */
    static Object load(String text, Path file) {
        try {
            return new Yaml(new SafeConstructor(loaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            throw new ValidationException("invalid YAML: " + SpecYaml.describe(e), null, file, SpecYaml.line(e), e);
        } catch (YAMLException e) {
            throw new ValidationException("invalid YAML: " + e.getMessage(), null, file, 1, e);
        }
    }

    /** An item of a sequence, with the line it starts on. */
    record Item(Object value, int line) {
    }

    /**
     * Reads a document that is a sequence, item by item, so that an error can name the item's line. An empty
     * document is an empty list.
     *
     * @throws ValidationException with the file and line of a syntax error, or if the document is not a sequence
     */
    static List<Item> loadItems(String text, Path file) {
        LoaderOptions options = loaderOptions();
        Node root;
        try {
            root = new Yaml(new NodeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                    options, new Resolver()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new ValidationException("invalid YAML: " + SpecYaml.describe(e), null, file, SpecYaml.line(e), e);
        } catch (YAMLException e) {
            throw new ValidationException("invalid YAML: " + e.getMessage(), null, file, 1, e);
        }
        List<Item> items = new ArrayList<>();
        if (root == null) {
            return items;
        }
        if (!(root instanceof SequenceNode)) {
            throw new ValidationException("expected a list", null, file, SpecYaml.line(root), null);
        }
        for (Node node : ((SequenceNode) root).getValue()) {
            try {
                items.add(new Item(new NodeConstructor(options).build(node), SpecYaml.line(node)));
            } catch (YAMLException e) {
                throw new ValidationException("invalid YAML: " + e.getMessage(), null, file, SpecYaml.line(node), e);
            }
        }
        return items;
    }

    private static final class NodeConstructor extends SafeConstructor {
        NodeConstructor(LoaderOptions options) {
            super(options);
        }

        Object build(Node node) {
            return constructDocument(node);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(Math.max(MAX_CODE_POINTS, SpecYaml.maxDocumentCodePoints()));
        options.setProcessComments(false);
        return options;
    }

}
