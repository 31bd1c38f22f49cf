package io.promptlightning;

import java.util.Objects;

/** A version's content with what was recorded when it was saved. */
public record SavedVersion(TemplateSpec spec, VersionInfo info) {
    public SavedVersion {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(info, "info");
        if (!spec.version().equals(info.version())) {
            throw new IllegalArgumentException("version " + info.version() + " recorded for " + spec);
        }
    }
}
