package io.promptlightning.jinja;

/**
 * The template source is not valid: a malformed tag or expression, an unclosed block, an unknown tag,
 * filter or test. Raised by {@link Environment#compile}, never by rendering a compiled template.
 */
public final class TemplateSyntaxException extends TemplateException {
    private static final long serialVersionUID = 1L;

    TemplateSyntaxException(String detail, String templateName, int line) {
        super(detail, templateName, line);
    }
}
