package io.promptlightning;

import java.nio.file.Path;

/**
 * No template has the requested id.
 */
public final class TemplateNotFoundException extends PromptLightningException {
    private static final long serialVersionUID = 1L;

    public TemplateNotFoundException(String detail, String templateId, Path file, int line, Throwable cause) {
        super(detail, templateId, file, line, cause);
    }

    public TemplateNotFoundException(String detail, String templateId) {
        this(detail, templateId, null, 0, null);
    }
}
