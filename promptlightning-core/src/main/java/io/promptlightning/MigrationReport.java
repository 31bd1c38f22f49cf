package io.promptlightning;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@linkplain Migration#migrate migration} did.
 *
 * @param migrated           the ids saved into the database, in the prompt directory's order
 * @param failed             what could not be migrated, with file, line, template id (where known) and reason: files
 *                           that are not valid templates, second files declaring an id already taken (the first valid
 *                           file in path order is the one migrated), templates the database refused (such as an id
 *                           longer than an LMDB key)
 * @param verificationErrors every difference found by {@link Migration#verify} after the migration; empty when
 *                           verification was turned off
 */
public record MigrationReport(List<String> migrated, List<Problem> failed, List<String> verificationErrors) {

    public MigrationReport {
        migrated = List.copyOf(Objects.requireNonNull(migrated, "migrated"));
        failed = List.copyOf(Objects.requireNonNull(failed, "failed"));
        verificationErrors = List.copyOf(Objects.requireNonNull(verificationErrors, "verificationErrors"));
    }

    /** Whether every template migrated and the database matched the directory. */
    public boolean ok() {
        return failed.isEmpty() && verificationErrors.isEmpty();
    }

    /** The ids named by {@link #failed()}, in its order, each once; failures that name no id are left out. */
    public List<String> failedIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Problem p : failed) {
            if (p.templateId() != null) {
                ids.add(p.templateId());
            }
        }
        return List.copyOf(ids);
    }
}
