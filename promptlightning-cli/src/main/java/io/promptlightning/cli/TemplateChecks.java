package io.promptlightning.cli;

import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import io.promptlightning.jinja.Template;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The static check of {@code validate} (SYSTEM.md §1): variables a template uses without declaring them as inputs
 * (undeclared inputs are dropped before rendering, so such a template always fails), and declared inputs it never
 * uses. Findings carry the line in the template file when the file's text is known.
 */
final class TemplateChecks {
    /** One finding: {@code line} is a line of the file (or of the template text when there is no file), or 0. */
    record Finding(int line, String message) {
    }

    private TemplateChecks() {
    }

    /**
     * @param fileText the YAML file the template came from, to place findings on its lines; null when the template
     *                 is not from a file (then lines are those of the template text)
     * @throws ValidationException if the template does not compile
     */
    static List<Finding> check(TemplateSpec spec, String fileText) {
        Template compiled = spec.compile();
        Set<String> used = compiled.undeclaredVariables();
        Set<String> declared = spec.inputs().keySet();
        boolean fromFile = fileText != null;
        Lines lines = fromFile ? Lines.of(fileText) : null;
        List<Finding> findings = new ArrayList<>();
        for (String name : new LinkedHashSet<>(used)) {
            if (!declared.contains(name)) {
                int at = usageLine(spec.template(), name);
                int line = !fromFile ? at : lines == null ? 0 : lines.templateLine(at);
                findings.add(new Finding(line, "uses '" + name + "', which is not a declared input (inputs that are"
                        + " not declared are dropped, so rendering always fails); declare it under 'inputs'"));
            }
        }
        for (String name : declared) {
            if (!used.contains(name)) {
                int line = lines == null ? 0 : lines.inputLine(name);
                findings.add(new Finding(line, "declares the input '" + name + "', which the template never uses"));
            }
        }
        findings.sort((a, b) -> Integer.compare(a.line, b.line));
        return findings;
    }

    /**
     * The 1-based line of the template text where {@code name} is first read as a variable: an identifier inside
     * {@code {{ }}} or {@code {% %}}, outside string literals, not after a dot. 1 when not found.
     */
    static int usageLine(String text, String name) {
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (c == '{' && i + 1 < n && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '%')) {
                String close = text.charAt(i + 1) == '{' ? "}}" : "%}";
                i += 2;
                char quote = 0;
                char previous = ' ';
                while (i < n && !(quote == 0 && text.startsWith(close, i))) {
                    char d = text.charAt(i);
                    if (d == '\n') {
                        line++;
                    }
                    if (quote != 0) {
                        if (d == '\\') {
                            i++;
                        } else if (d == quote) {
                            quote = 0;
                        }
                        i++;
                        continue;
                    }
                    if (d == '\'' || d == '"') {
                        quote = d;
                        i++;
                        continue;
                    }
                    if (Character.isLetter(d) || d == '_') {
                        int start = i;
                        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                            i++;
                        }
                        if (previous != '.' && text.substring(start, i).equals(name)) {
                            return line;
                        }
                        previous = 'a';
                        continue;
                    }
                    if (!Character.isWhitespace(d)) {
                        previous = d;
                    }
                    i++;
                }
                i += 2;
                continue;
            }
            if (c == '{' && i + 1 < n && text.charAt(i + 1) == '#') {
                int end = text.indexOf("#}", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                    }
                }
                i = end;
                continue;
            }
            i++;
        }
        return 1;
    }

    /** Where things are in a template file, from the YAML node tree. */
    private static final class Lines {
        private final MappingNode root;
        private final NodeTuple template;

        private Lines(MappingNode root) {
            this.root = root;
            this.template = tuple(root, "template");
        }

        static Lines of(String fileText) {
            try {
                LoaderOptions options = new LoaderOptions();
                options.setMaxAliasesForCollections(50);
                options.setAllowDuplicateKeys(false);
                Node node = new Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(options),
                        new org.yaml.snakeyaml.representer.Representer(new DumperOptions()), new DumperOptions(),
                        options).compose(new StringReader(fileText));
                return node instanceof MappingNode ? new Lines((MappingNode) node) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The file line of line {@code at} of the template text: exact for a literal block, else the key's line. */
        int templateLine(int at) {
            if (template == null) {
                return 0;
            }
            Node value = template.getValueNode();
            if (value instanceof ScalarNode
                    && ((ScalarNode) value).getScalarStyle() == DumperOptions.ScalarStyle.LITERAL) {
                return value.getStartMark().getLine() + 1 + at;
            }
            return template.getKeyNode().getStartMark().getLine() + 1;
        }

        /** The line declaring input {@code name}, else that of {@code inputs:}, else 0. */
        int inputLine(String name) {
            NodeTuple inputs = tuple(root, "inputs");
            if (inputs == null) {
                return 0;
            }
            if (inputs.getValueNode() instanceof MappingNode) {
                NodeTuple input = tuple((MappingNode) inputs.getValueNode(), name);
                if (input != null) {
                    return input.getKeyNode().getStartMark().getLine() + 1;
                }
            }
            return inputs.getKeyNode().getStartMark().getLine() + 1;
        }

        private static NodeTuple tuple(MappingNode node, String key) {
            for (NodeTuple t : node.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
                    return t;
                }
            }
            return null;
        }
    }
}
