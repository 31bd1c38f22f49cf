package io.promptlightning;

import java.nio.file.Path;

/**
 * A registry could not read or write its storage: an unreadable directory, a failed LMDB transaction,
 * a closed registry.
 */
public final class RegistryException extends PromptLightningException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String detail, String templateId, Path file, int line, Throwable cause) {
        super(detail, templateId, file, line, cause);
    }

    public RegistryException(String detail, String templateId) {
        this(detail, templateId, null, 0, null);
    }
}
