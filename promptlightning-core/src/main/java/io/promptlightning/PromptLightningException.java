package io.promptlightning;

import java.nio.file.Path;

/**
 * Base of every error PromptLightning reports. Carries, where known, the template id, the file and the
 * 1-based line the error concerns, so that a user can go straight to it.
 */
public class PromptLightningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private final String templateId;
    private final transient Path file;
    private final int line;

    PromptLightningException(String detail, String templateId, Path file, int line, Throwable cause) {
        super(detail, cause);
        this.detail = detail;
        this.templateId = templateId;
        this.file = file;
        this.line = line;
    }

    /** The error itself, without location. */
    public String detail() {
        return detail;
    }

    /** The template concerned, or null. */
    public String templateId() {
        return templateId;
    }

    /** The file concerned, or null. */
    public Path file() {
        return file;
    }

    /** 1-based line in {@link #file()} (or in the template when there is no file), or 0. */
    public int line() {
        return line;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (templateId != null) {
            sb.append("template '").append(templateId).append("'");
            if (file == null && line > 0) {
                sb.append(", line ").append(line);
            }
            sb.append(": ");
        }
        return sb.append(detail).toString();
    }
}
