package io.promptlightning;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where templates are kept: a directory of YAML files ({@link LocalRegistry}) or an LMDB database
 * ({@link LmdbRegistry}). Implementations are safe to use from many threads; after {@link #close()} every
 * call fails with a {@link RegistryException}.
 *
 * <h2>Versions and labels</h2>
 * Every version saved through a registry stays readable ({@link #load(String, String)}); a version, once saved,
 * keeps its content: saving different content under the same id and version is refused unless
 * {@linkplain SaveOptions#force() forced}, and {@code id@version} keeps loading what was saved even when the
 * latest content is changed outside the registry without a new version ({@link #unsavedEdit}). A plain id loads
 * the <em>latest</em> version: the one last saved (or written into the template's file by hand). Labels are named
 * pointers to versions, moved atomically; every move is appended to the template's label history, which is never
 * rewritten. The label {@value Labels#LATEST} is kept by the registry and always names the latest version.
 *
 * <p>Every write is atomic: a batch ({@link #saveAll}, {@link #deleteAll}, {@link #importHistory}) is applied
 * entirely or not at all. A registry opened read-only refuses every write with a {@link RegistryException} that
 * says so, and changes nothing.
 */
public interface Registry extends AutoCloseable {
    /** Every template id, in the registry's order (sorted for files, key order for LMDB). */
    List<String> listIds();

    /**
     * The latest version of the template.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    TemplateSpec load(String id);

    /**
     * One version of a template: for a saved version, what was saved, whatever the latest content now holds.
     *
     * @throws TemplateNotFoundException if there is no such template, or no such version of it (the message lists
     *                                   the versions there are)
     */
    TemplateSpec load(String id, String version);

    /**
     * What a reference names: the latest version for a plain id, the version for {@code id@version}, the version
     * the label points at for {@code id@label}.
     *
     * @throws TemplateNotFoundException for an unknown id, version or label (listing the known versions or labels),
     *                                   or a label that points at a version that no longer exists
     */
    TemplateSpec resolve(TemplateRef ref);

    /**
     * Every version of the template, in {@link Versions#ORDER}. A version never saved through a registry that
     * records history (a file edited by hand, a record written by the original library) is listed with a null
     * {@link VersionInfo#savedAt()}.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    List<VersionInfo> versions(String id);

    /**
     * The saved version that the template's latest content claims to be but differs from, compared as templates
     * (not as text, so a file only reformatted is no edit): a template file edited by hand without changing its
     * {@code version}, say. Then {@link #load(String)} (and {@code latest}) serves that unsaved edit while
     * {@link #load(String, String)} of the version, and every label on it, serve what was saved. It stays so until
     * the edit is saved as a new version, or saved with {@link SaveOptions#force()} to replace the saved one. Empty
     * when the latest content is a saved version, a version never saved, or cannot be read. The default, for a
     * registry whose latest content is always saved through it, is always empty.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    default Optional<String> unsavedEdit(String id) {
        try {
            load(id);
        } catch (ValidationException unreadable) {
            // its error is what loading it reports; there is no content to compare
        }
        return Optional.empty();
    }

    /**
     * The template's labels and the versions they point at, {@value Labels#LATEST} included, sorted by label.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    Map<String, String> labels(String id);

    /**
     * Every label move of the template, oldest first; kept after the template is deleted. Empty for an id that never
     * had a label moved.
     */
    List<LabelMove> labelHistory(String id);

    /** {@link #save(TemplateSpec, SaveOptions)} without a message, not forced. */
    default void save(TemplateSpec spec) {
        save(spec, SaveOptions.DEFAULT);
    }

    /**
     * Saves the template as its id's latest version and records the version in its history (with the message,
     * the time and the user name of this process). Saving content identical to a recorded version only makes it
     * the latest again.
     *
     * @throws ValidationException if the version is already saved with different content and the save is not
     *                             forced, or the id is not valid for a new template
     */
    void save(TemplateSpec spec, SaveOptions options);

    /**
     * Saves every template, in order, as one atomic write: if any of them is refused, none is saved.
     *
     * @throws ValidationException naming the first template refused and why
     */
    void saveAll(Collection<TemplateSpec> specs, SaveOptions options);

    /**
     * Removes the template with all its versions and labels; its label history is kept, with the removals
     * appended.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    void delete(String id);

    /**
     * Removes every template named, as one atomic write.
     *
     * @throws TemplateNotFoundException naming the first id that does not exist (then nothing is removed)
     */
    void deleteAll(Collection<String> ids);

    /**
     * Removes one version of a template. When it is the latest, the highest remaining version (in
     * {@link Versions#ORDER}) becomes the latest.
     *
     * @throws TemplateNotFoundException if there is no such template or version
     * @throws ValidationException       if it is the template's only version (delete the template instead) or a
     *                                   label other than {@code latest} points at it (the message names them)
     */
    void deleteVersion(String id, String version);

    /**
     * Points {@code label} at {@code version} of the template, atomically, and appends the move to the label
     * history.
     *
     * @return the move appended, whose {@code from} is where the label pointed when the move was made (another
     *         writer may have moved it since the caller last looked); empty when it already pointed at
     *         {@code version}, and then nothing is recorded
     * @throws TemplateNotFoundException if there is no such template or version
     * @throws ValidationException       for an invalid label name, or {@code latest}, which only saves move
     */
    Optional<LabelMove> moveLabel(String id, String label, String version, String message);

    /**
     * Removes a label, appending the removal to the label history.
     *
     * @return the removal appended, whose {@code from} is the version the label pointed at when it was removed
     * @throws TemplateNotFoundException if the template has no such label
     */
    LabelMove removeLabel(String id, String label, String message);

    /**
     * The ids of the latest versions whose metadata has every tag (in the {@code tags} list) and every key/value
     * pair given (a list value matches when one of its items does; values compare as text, booleans as
     * {@code true}/{@code false}), through an index rather than by reading every template. With no criteria, every
     * id.
     */
    List<String> search(Collection<String> tags, Map<String, String> metadata);

    /** How many templates, versions and labels there are, the space used and the time of the last write. */
    RegistryStats stats();

    /**
     * Everything kept about one template.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    TemplateHistory history(String id);

    /**
     * Writes every template history given, as one atomic write: nothing is written if any entry is invalid or, in
     * {@link ImportMode#ADD}, if an id already exists.
     *
     * @throws ValidationException naming the first entry refused and why
     */
    void importHistory(Collection<TemplateHistory> histories, ImportMode mode);

    /**
     * Writes a consistent copy of the whole registry, history included, to {@code destination}, which must not
     * exist yet, while other threads and processes keep reading and writing. The copy opens as a registry of the
     * same kind.
     *
     * @throws RegistryException if the destination exists or cannot be written (then nothing is left there)
     */
    void backup(Path destination);

    /** Whether this registry refuses writes. */
    boolean readOnly();

    /**
     * A number that changes whenever the registry's content may have changed: by this process, by another
     * process on the same database, or by an edit to a template file. Reading it is cheap, so a cache can
     * check it on every lookup ({@link Vault} does).
     */
    long generation();

    @Override
    void close();
}
