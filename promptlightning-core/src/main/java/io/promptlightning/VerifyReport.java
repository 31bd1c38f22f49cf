package io.promptlightning;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an end-to-end check of a registry's storage found: {@code promptlightning verify} prints it, and the Java API
 * returns it from {@code LmdbRegistry.verify} and {@code LocalRegistry.verify}.
 *
 * @param kind      {@code "lmdb"} or {@code "local"} (a prompt directory)
 * @param path      the database directory or the prompt directory checked
 * @param templates the templates found readable
 * @param versions  the stored versions found readable, over all templates
 * @param problems  everything found wrong, each with its file, line (0 when none applies), template and message;
 *                  empty when the store is sound
 */
public record VerifyReport(String kind, Path path, long templates, long versions, List<Problem> problems) {
    public VerifyReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        problems = List.copyOf(problems);
    }

    /** Whether nothing was found wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
