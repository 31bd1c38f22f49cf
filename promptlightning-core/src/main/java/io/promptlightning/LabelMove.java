package io.promptlightning;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One entry of a template's label history, which is only ever appended to.
 *
 * @param label   the label moved
 * @param from    the version it pointed at before, or null if it was new
 * @param to      the version it points at now, or null if it was removed (with its template or by hand)
 * @param at      when
 * @param author  who moved it, or null when unknown
 * @param message the message given with the move (or with the save that moved {@code latest}), or null
 */
public record LabelMove(String label, String from, String to, Instant at, String author, String message) {
    /** Times are kept to the millisecond, as every registry stores them, so a history moves between them intact. */
    public LabelMove {
        Objects.requireNonNull(label, "label");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
    }
}
