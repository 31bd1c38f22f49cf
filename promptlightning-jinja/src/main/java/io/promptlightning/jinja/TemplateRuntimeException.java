package io.promptlightning.jinja;

/**
 * Rendering failed for a reason other than an undefined value: a type error ({@code 'a' + 1}), a
 * division by zero, a bad filter argument, an exceeded output or recursion limit.
 */
public final class TemplateRuntimeException extends TemplateException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, mirroring the Python exception Jinja2 would raise. */
    public enum Kind {
        /** Python {@code TypeError}: an operation on values of the wrong type. */
        TYPE_ERROR,
        /** Python {@code ValueError}: a value of the right type but unusable. */
        VALUE_ERROR,
        /** Python {@code ZeroDivisionError}. */
        ZERO_DIVISION,
        /** Jinja2 {@code FilterArgumentError}: a filter called with arguments it cannot use. */
        FILTER_ARGUMENT,
        /** Jinja2 {@code TemplateRuntimeError}: e.g. assigning an attribute of a non-namespace object. */
        RUNTIME,
        /** A configured bound was exceeded: output size or recursion depth. */
        LIMIT_EXCEEDED
    }

    private final Kind kind;

    TemplateRuntimeException(Kind kind, String detail) {
        super(detail, null, 0);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
