package io.promptlightning;

import java.util.List;

/**
 * Where templates are kept: a directory of YAML files ({@link LocalRegistry}) or an LMDB database
 * ({@link LmdbRegistry}). Implementations are safe to use from many threads; after {@link #close()} every
 * call fails with a {@link RegistryException}.
 */
public interface Registry extends AutoCloseable {
    /** Every template id, in the registry's order (sorted for files, key order for LMDB). */
    List<String> listIds();

    /** @throws TemplateNotFoundException if there is no template with this id */
    TemplateSpec load(String id);

    /** Adds or replaces the template with {@code spec.id()}, atomically. */
    void save(TemplateSpec spec);

    /** @throws TemplateNotFoundException if there is no template with this id */
    void delete(String id);

    /**
     * A number that changes whenever the registry's content may have changed: by this process, by another
     * process on the same database, or by an edit to a template file. Reading it is cheap, so a cache can
     * check it on every lookup ({@link Vault} does).
     */
    long generation();

    @Override
    void close();
}
