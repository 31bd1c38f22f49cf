package io.promptlightning;

import io.promptlightning.internal.LineDiff;
import io.promptlightning.internal.SpecYaml;
import java.util.ArrayList;
import java.util.List;

/**
 * What changed between two versions of a template, as a unified diff ({@code diff -u}) of the two written as
 * template files: id, version, description, template text, inputs and metadata.
 *
 * <pre>
 * --- summarizer@1.0.0
 * +++ summarizer@1.1.0
 * &#64;&#64; -1,8 +1,8 &#64;&#64;
 *  id: summarizer
 * -version: 1.0.0
 * +version: 1.1.0
 *  description: Summarize text into exactly 3 bullets.
 *  template: |
 * -  Summarize the following into exactly 3 bullet points:
 * +  Summarize the following into {{ count }} bullet points:
 *
 *    {{ input_text }}
 *  inputs:
 * </pre>
 */
public final class TemplateDiff {
    /** Unchanged lines shown around each change, as {@code diff -u} shows them. */
    public static final int CONTEXT_LINES = 3;

    private TemplateDiff() {
    }

    /**
     * The unified diff from {@code from} to {@code to}, headed {@code --- ID@VERSION} and {@code +++ ID@VERSION},
     * with {@value #CONTEXT_LINES} lines of context; every line ends with a line break. Empty when the two are
     * written alike, as equal templates are (unless their inputs or metadata are in another order: the diff then
     * shows the move, since the files differ).
     */
    public static String unified(TemplateSpec from, TemplateSpec to) {
        return LineDiff.unified(from.id() + "@" + from.version(), lines(text(from)),
                to.id() + "@" + to.version(), lines(text(to)), CONTEXT_LINES);
    }

    /**
     * The template as the file {@link SpecYaml#write} makes of it, except that template text of several lines is
     * always a literal block, one line of text per line, even where the file needs a quoted string (trailing
     * spaces, tabs, control characters): a change to one line of the text is then one changed line of the diff.
     */
    static String text(TemplateSpec spec) {
        String template = spec.template();
        if (template.indexOf('\n') < 0) {
            return SpecYaml.write(spec);
        }
        String withoutTemplate = SpecYaml.write(new TemplateSpec(spec.id(), spec.version(), spec.description(), "",
                spec.inputs(), spec.metadata()));
        // the empty template is written as this line; top-level keys start their line, so no other line matches
        String placeholder = "\ntemplate: ''\n";
        int at = withoutTemplate.indexOf(placeholder);
        if (at < 0) {
            throw new IllegalStateException("no template line in the written file of " + spec.id());
        }
        return withoutTemplate.substring(0, at + 1) + literalBlock(template)
                + withoutTemplate.substring(at + placeholder.length());
    }

    /**
     * {@code template: |} and the text indented by two spaces, with YAML's indicators: the indentation when the
     * text starts with a space or a line break, and how trailing line breaks are kept ({@code -}: none,
     * nothing: one, {@code +}: more).
     */
    private static String literalBlock(String text) {
        StringBuilder sb = new StringBuilder("template: |");
        if (text.startsWith(" ") || text.startsWith("\n")) {
            sb.append('2');
        }
        if (!text.endsWith("\n")) {
            sb.append('-');
        } else if (text.length() == 1 || text.charAt(text.length() - 2) == '\n') {
            sb.append('+');
        }
        sb.append('\n');
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty()) {
                sb.append("  ").append(line);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }
}
