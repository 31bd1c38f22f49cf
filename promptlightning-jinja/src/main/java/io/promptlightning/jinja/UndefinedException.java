package io.promptlightning.jinja;

/**
 * A template used a value that does not exist: an unknown variable, a missing key or attribute, an index
 * out of range, a missing macro argument (Jinja2's {@code StrictUndefined} rules).
 */
public final class UndefinedException extends TemplateException {
    private static final long serialVersionUID = 1L;

    UndefinedException(String detail) {
        super(detail, null, 0);
    }
}
