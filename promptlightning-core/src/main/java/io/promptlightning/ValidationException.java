package io.promptlightning;

import java.nio.file.Path;

/**
 * Data entering PromptLightning is not valid: a template file or record, an id, a version, an input
 * declaration, or the inputs given to a render.
 */
public final class ValidationException extends PromptLightningException {
    private static final long serialVersionUID = 1L;

    public ValidationException(String detail, String templateId, Path file, int line, Throwable cause) {
        super(detail, templateId, file, line, cause);
    }

    public ValidationException(String detail, String templateId) {
        this(detail, templateId, null, 0, null);
    }
}
