package io.promptlightning.jinja;

/**
 * Base of every error the engine reports. Carries the template name and the 1-based line the error is
 * attributed to (0 when unknown), so callers can point users at the exact place.
 */
public class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private String templateName;
    private int line;

    TemplateException(String detail, String templateName, int line) {
        super(detail);
        this.detail = detail;
        this.templateName = templateName;
        this.line = line;
    }

    /** The error itself, without location, e.g. {@code 'user' is undefined}. */
    public String detail() {
        return detail;
    }

    /** Name of the template the error happened in, or {@code null} if unknown. */
    public String templateName() {
        return templateName;
    }

    /** 1-based line in {@link #templateName()}, or 0 if unknown. */
    public int line() {
        return line;
    }

    /** Attaches the innermost location only: the first call wins, later (outer) ones are ignored. */
    TemplateException locate(String name, int lineNumber) {
        if (this.line == 0 && lineNumber > 0) {
            this.line = lineNumber;
            this.templateName = name;
        } else if (this.templateName == null) {
            this.templateName = name;
        }
        return this;
    }

    @Override
    public String getMessage() {
        if (templateName == null && line == 0) {
            return detail;
        }
        StringBuilder sb = new StringBuilder(detail.length() + 40).append(detail).append(" (template ");
        sb.append(templateName == null ? "<unknown>" : "'" + templateName + "'");
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        return sb.append(')').toString();
    }
}
