package io.promptlightning;

import java.nio.file.Path;

/**
 * A valid template failed while rendering with valid inputs (an undefined variable, a type error in an
 * expression, an exceeded limit). The cause is the engine's {@link io.promptlightning.jinja.TemplateException}.
 */
public final class RenderException extends PromptLightningException {
    private static final long serialVersionUID = 1L;

    public RenderException(String detail, String templateId, Path file, int line, Throwable cause) {
        super(detail, templateId, file, line, cause);
    }

    public RenderException(String detail, String templateId) {
        this(detail, templateId, null, 0, null);
    }
}
