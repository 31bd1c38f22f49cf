package io.promptlightning;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One version of a template as the registry recorded it.
 *
 * @param version the semantic version
 * @param savedAt when it was saved, or null if it was never saved through a registry that records history (a
 *                template written by the original library or edited by hand)
 * @param author  who saved it (the user name of the saving process), or null when unknown
 * @param message the message given with the save, or null
 */
public record VersionInfo(String version, Instant savedAt, String author, String message) {
    /** Times are kept to the millisecond, as every registry stores them, so a history moves between them intact. */
    public VersionInfo {
        Objects.requireNonNull(version, "version");
        savedAt = savedAt == null ? null : savedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
