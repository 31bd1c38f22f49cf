package io.promptlightning;

import io.promptlightning.internal.SpecYaml;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * One write to a {@link LocalRegistry}: the rules of every write operation (immutable versions, labels, latest),
 * applied to an in-memory draft of each template concerned, then turned into file changes that the journal writes
 * at once. Nothing is written until {@link #changes()} is applied, so an operation that is refused half-way
 * through a batch leaves no trace. Used with the registry's lock held, by one thread.
 */
final class HistoryBatch {

    /** What the registry knows of a template's file. */
    record TemplateFile(Path path, TemplateSpec spec, ValidationException error) {
    }

    /** The registry's template files, as a batch needs them; called with the registry's lock held. */
    interface TemplateFiles {
        /** The file serving {@code id}, brought up to date, or null if there is none. */
        TemplateFile serving(String id);

        /** Every file declaring {@code id}, the serving one included. */
        List<Path> declaring(String id);

        /** A file name for a new template, other than those already {@code taken}. */
        Path newFile(String id, Set<Path> taken);

        /** Every id served by a file. */
        Collection<String> ids();
    }

    private final LocalHistory history;
    private final TemplateFiles files;
    private final Instant now;
    private final String author;
    private final Map<String, Draft> drafts = new LinkedHashMap<>();
    private final Set<Path> takenFiles = new HashSet<>();
    /** The YAML text of specs already written once, by identity: a large batch need not write each again. */
    private Map<TemplateSpec, String> knownTexts = Map.of();

    HistoryBatch(LocalHistory history, TemplateFiles files, Instant now, String author) {
        this.history = history;
        this.files = files;
        this.now = now;
        this.author = author;
    }

    /** The draft of {@code id}, read from disk on first use. */
    Draft draft(String id) {
        Draft draft = drafts.get(id);
        if (draft == null) {
            history.checkOwnDirectory(id);
            draft = new Draft(id, files.serving(id));
            drafts.put(id, draft);
        }
        return draft;
    }

    /** Every id with a template file or a history on disk (as the batch found them, before its changes). */
    Set<String> knownIds() {
        Set<String> ids = new LinkedHashSet<>(files.ids());
        ids.addAll(history.idsWithHistory());
        return ids;
    }

    /**
     * The template as it is stored: compiled, and read back from the YAML a file would hold, so that values
     * compare as they will when loaded (an int read back as a long is the same value).
     *
     * @throws ValidationException if it does not compile or holds a value a YAML file cannot hold
     */
    static TemplateSpec stored(TemplateSpec spec) {
        return storedWithText(spec).spec();
    }

    /** A spec as it will be stored, with its YAML text. */
    private record StoredSpec(TemplateSpec spec, String text) {
    }

    private static StoredSpec storedWithText(TemplateSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String text = SpecYaml.write(spec);
        SpecYaml.Result check = SpecYaml.parse(text, null);
        if (!check.ok()) {
            spec.compile(); // a syntax error is reported as the template's own, at its line in the template
        }
        if (!check.ok() || !SpecYaml.write(check.spec()).equals(text)) {
            throw new ValidationException("the template holds a value that a YAML file cannot hold"
                    + (check.ok() ? "" : ": " + check.error().detail()), spec.id());
        }
        return new StoredSpec(check.spec(), text);
    }

    /** Texts {@link #stored(Collection, Map)} made, used instead of writing those specs again. */
    void knownTexts(Map<TemplateSpec, String> texts) {
        this.knownTexts = texts;
    }

    private String text(TemplateSpec spec) {
        String known = knownTexts.get(spec);
        return known != null ? known : SpecYaml.write(spec);
    }

    /**
     * {@link #stored(TemplateSpec)} of each spec, in parallel when there are many (it is mostly YAML and template
     * parsing); a failure is that of the first spec, in order, that fails. Puts the YAML text of each stored spec in
     * {@code texts} (an identity map), for {@link #knownTexts}.
     */
    static List<TemplateSpec> stored(Collection<TemplateSpec> specs, Map<TemplateSpec, String> texts) {
        List<TemplateSpec> given = new ArrayList<>(specs);
        StoredSpec[] out = new StoredSpec[given.size()];
        RuntimeException[] failures = new RuntimeException[given.size()];
        IntStream range = IntStream.range(0, given.size());
        (given.size() >= LocalRegistry.PARALLEL_READ_THRESHOLD ? range.parallel() : range).forEach(i -> {
            try {
                out[i] = storedWithText(given.get(i));
            } catch (RuntimeException e) {
                failures[i] = e;
            }
        });
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        List<TemplateSpec> specsOut = new ArrayList<>(out.length);
        for (StoredSpec stored : out) {
            specsOut.add(stored.spec());
            texts.put(stored.spec(), stored.text());
        }
        return specsOut;
    }

    /** {@code h} with its versions as they will be stored, after checking that it can be written as it is. */
    static TemplateHistory stored(TemplateHistory h) {
        String id = h.id();
        List<SavedVersion> versions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SavedVersion saved : h.versions()) {
            String version = saved.spec().version();
            if (!saved.spec().id().equals(id)) {
                throw new ValidationException("version " + version + " holds the template id '"
                        + saved.spec().id() + "'", id);
            }
            if (!seen.add(version)) {
                throw new ValidationException("version " + version + " appears twice", id);
            }
            TemplateSpec stored;
            try {
                stored = stored(saved.spec());
            } catch (ValidationException e) {
                throw new ValidationException("version " + version + ": " + e.detail(), id, e.file(), e.line(), e);
            }
            versions.add(new SavedVersion(stored, saved.info()));
        }
        versions.sort(Comparator.comparing(v -> v.spec().version(), Versions.ORDER));
        h.labels().forEach((label, version) -> {
            Labels.requireMovable(label, id);
            if (!seen.contains(version)) {
                throw new ValidationException("the label '" + label + "' points at version " + version
                        + ", which is not among the versions imported", id);
            }
        });
        for (LabelMove move : h.labelHistory()) {
            Labels.require(move.label(), id);
            if (move.at() == null) {
                throw new ValidationException("a move of the label '" + move.label() + "' has no time", id);
            }
        }
        return new TemplateHistory(id, versions, h.latest(), h.labels(), h.labelHistory());
    }

    /** The template files this batch writes or deletes. */
    Set<Path> templateFiles() {
        Set<Path> out = new LinkedHashSet<>();
        for (Draft d : drafts.values()) {
            out.addAll(d.filesToDelete());
            if (d.file != null) {
                out.add(d.file);
            }
        }
        return out;
    }

    /** The file changes that make the disk hold what the drafts do: history first, template files last. */
    FileJournal.Changes changes() {
        FileJournal.Changes changes = new FileJournal.Changes();
        for (Draft d : drafts.values()) {
            d.historyChanges(changes);
        }
        for (Draft d : drafts.values()) {
            d.templateFileChanges(changes);
        }
        return changes;
    }

    /** One template as this batch leaves it. */
    final class Draft {
        final String id;
        /** The file serving the id, or the file a new template goes to; null until one is needed. */
        private Path file;
        private final TemplateSpec initialFileSpec;
        private final boolean initiallyBroken;
        /** What the file holds (or will): null when there is no file, or it is broken and untouched. */
        private TemplateSpec fileSpec;
        private boolean fileExists;
        private boolean purged;

        private final NavigableSet<String> recorded;
        private final Map<String, SavedVersion> read = new LinkedHashMap<>();
        private final Map<String, SavedVersion> written = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();

        private final NavigableMap<String, String> labels;
        private boolean labelsChanged;
        private final List<LabelMove> appendedMoves = new ArrayList<>();
        private List<LabelMove> replacedMoves;

        private Draft(String id, TemplateFile current) {
            this.id = id;
            this.file = current == null ? null : current.path();
            this.initialFileSpec = current == null ? null : current.spec();
            this.initiallyBroken = current != null && current.spec() == null;
            this.fileSpec = initialFileSpec;
            this.fileExists = current != null;
            this.recorded = history.recordedVersions(id);
            this.labels = history.readLabels(id);
        }

        boolean exists() {
            return fileExists;
        }

        /** The version the template file holds, or null when there is no file or it is broken. */
        String latest() {
            return fileSpec == null ? null : fileSpec.version();
        }

        /** Every version: the recorded ones and the file's. */
        NavigableSet<String> versions() {
            NavigableSet<String> all = new TreeSet<>(Versions.ORDER);
            all.addAll(recorded);
            if (latest() != null) {
                all.add(latest());
            }
            return all;
        }

        private SavedVersion record(String version) {
            if (!recorded.contains(version)) {
                return null;
            }
            SavedVersion saved = written.get(version);
            if (saved == null) {
                saved = read.computeIfAbsent(version, v -> history.readVersion(id, v));
            }
            return saved;
        }

        /** What {@code load(id, version)} returns: the recorded version, else the file's content for its version. */
        private TemplateSpec content(String version) {
            SavedVersion saved = record(version);
            if (saved != null) {
                return saved.spec();
            }
            return version.equals(latest()) ? fileSpec : null;
        }

        private void requireExists() {
            if (!fileExists) {
                throw new TemplateNotFoundException("no template with this id", id);
            }
        }

        private void requireVersion(String version) {
            if (!versions().contains(version)) {
                throw new TemplateNotFoundException("no version " + version + " of this template; versions: "
                        + String.join(", ", versions()), id);
            }
        }

        private void writeRecord(SavedVersion saved) {
            recorded.add(saved.spec().version());
            written.put(saved.spec().version(), saved);
            removed.remove(saved.spec().version());
        }

        private void removeRecord(String version) {
            if (recorded.remove(version)) {
                written.remove(version);
                read.remove(version);
                removed.add(version);
            }
        }

        /** Records the file's version, if it is not yet, so that replacing the file loses nothing. */
        private void recordFileVersion() {
            if (fileSpec != null && !recorded.contains(fileSpec.version())) {
                writeRecord(new SavedVersion(fileSpec, new VersionInfo(fileSpec.version(), null, null, null)));
            }
        }

        private void setFile(TemplateSpec spec) {
            if (file == null) {
                file = files.newFile(id, takenFiles);
                takenFiles.add(file);
            }
            fileSpec = spec;
            fileExists = true;
        }

        private LabelMove move(String label, String from, String to, String message) {
            LabelMove move = new LabelMove(label, from, to, now, author, message);
            appendedMoves.add(move);
            return move;
        }

        /** See {@link Registry#save(TemplateSpec, SaveOptions)}; {@code spec} as {@link #stored} returns it. */
        void save(TemplateSpec spec, SaveOptions options) {
            if (!fileExists) {
                Ids.requireValidNewId(id);
            }
            String version = spec.version();
            SavedVersion existing = record(version);
            if (existing != null && !existing.spec().equals(spec) && !options.force()) {
                throw new ValidationException("version " + version + " is already saved with different content,"
                        + " and versions do not change: save it as a new version, or force the save to replace it",
                        id);
            }
            String before = latest();
            if (before != null && !before.equals(version)) {
                recordFileVersion();
            }
            if (existing == null || !existing.spec().equals(spec)) {
                writeRecord(new SavedVersion(spec, new VersionInfo(version, now, author, options.message())));
            }
            setFile(spec);
            if (!version.equals(before)) {
                move(Labels.LATEST, before, version, options.message());
            }
        }

        /** See {@link Registry#delete(String)}. */
        void delete() {
            requireExists();
            labels.forEach((label, version) -> move(label, version, null, null));
            if (latest() != null) {
                move(Labels.LATEST, latest(), null, null);
            }
            if (!labels.isEmpty()) {
                labels.clear();
                labelsChanged = true;
            }
            for (String version : new ArrayList<>(recorded)) {
                removeRecord(version);
            }
            fileSpec = null;
            fileExists = false;
        }

        /** See {@link Registry#deleteVersion(String, String)}. */
        void deleteVersion(String version) {
            requireExists();
            requireVersion(version);
            NavigableSet<String> versions = versions();
            if (versions.size() == 1) {
                throw new ValidationException("version " + version + " is the template's only version; delete the"
                        + " template instead", id);
            }
            List<String> pointing = new ArrayList<>();
            labels.forEach((label, v) -> {
                if (v.equals(version)) {
                    pointing.add(label);
                }
            });
            if (!pointing.isEmpty()) {
                throw new ValidationException("version " + version + " is labelled " + String.join(", ", pointing)
                        + "; move or remove those labels first", id);
            }
            if (version.equals(latest())) {
                versions.remove(version);
                String next = versions.last();
                setFile(content(next));
                move(Labels.LATEST, version, next, null);
            }
            removeRecord(version);
        }

        /** See {@link Registry#moveLabel}. */
        Optional<LabelMove> moveLabel(String label, String version, String message) {
            Labels.requireMovable(label, id);
            requireExists();
            requireVersion(version);
            if (version.equals(latest())) {
                recordFileVersion(); // so the label still finds this content when the file moves on
            }
            String from = labels.get(label);
            if (version.equals(from)) {
                return Optional.empty();
            }
            labels.put(label, version);
            labelsChanged = true;
            return Optional.of(move(label, from, version, message));
        }

        /** See {@link Registry#removeLabel}. */
        LabelMove removeLabel(String label, String message) {
            Labels.requireMovable(label, id);
            requireExists();
            String from = labels.get(label);
            if (from == null) {
                NavigableSet<String> known = new TreeSet<>(labels.keySet());
                if (latest() != null) {
                    known.add(Labels.LATEST);
                }
                throw new TemplateNotFoundException("no label '" + label + "' on this template; labels: "
                        + String.join(", ", known), id);
            }
            labels.remove(label);
            labelsChanged = true;
            return move(label, from, null, message);
        }

        /** Makes this template's whole history the one given (its versions already {@link #stored}). */
        void replaceWith(TemplateHistory imported) {
            for (String version : new ArrayList<>(recorded)) {
                removeRecord(version);
            }
            imported.versions().forEach(this::writeRecord);
            labels.clear();
            labels.putAll(imported.labels());
            labelsChanged = true;
            appendedMoves.clear();
            replacedMoves = imported.labelHistory();
            setFile(imported.latestSpec());
            purged = false;
        }

        /** Removes the template, every file declaring its id, and its whole history, label history included. */
        void purge() {
            for (String version : new ArrayList<>(recorded)) {
                removeRecord(version);
            }
            labels.clear();
            labelsChanged = true;
            appendedMoves.clear();
            replacedMoves = null;
            fileSpec = null;
            fileExists = false;
            purged = true;
        }

        private List<Path> filesToDelete() {
            if (fileExists || file == null) {
                return purged ? files.declaring(id) : List.of();
            }
            List<Path> out = new ArrayList<>();
            out.add(file);
            if (purged) {
                out.addAll(files.declaring(id));
            }
            return out;
        }

        private void historyChanges(FileJournal.Changes changes) {
            written.forEach((version, saved) -> changes.write(history.versionFile(id, version),
                    LocalHistory.versionText(saved, text(saved.spec()))));
            for (String version : removed) {
                changes.delete(history.versionFile(id, version));
            }
            if (labelsChanged) {
                if (labels.isEmpty()) {
                    changes.delete(history.labelsFile(id));
                } else {
                    changes.write(history.labelsFile(id), LocalHistory.labelsText(labels));
                }
            }
            if (purged) {
                changes.delete(history.labelHistoryFile(id));
            } else if (replacedMoves != null) {
                StringBuilder text = new StringBuilder();
                replacedMoves.forEach(m -> text.append(LocalHistory.moveLine(m)));
                text.append(appendedMovesText());
                if (text.length() == 0) {
                    changes.delete(history.labelHistoryFile(id));
                } else {
                    changes.write(history.labelHistoryFile(id), text.toString());
                }
            } else if (!appendedMoves.isEmpty()) {
                changes.append(history.labelHistoryFile(id), appendedMovesText());
            }
        }

        private String appendedMovesText() {
            StringBuilder text = new StringBuilder();
            appendedMoves.forEach(m -> text.append(LocalHistory.moveLine(m)));
            return text.toString();
        }

        private void templateFileChanges(FileJournal.Changes changes) {
            for (Path path : filesToDelete()) {
                changes.delete(path);
            }
            if (fileExists && fileSpec != null && (initiallyBroken || !fileSpec.equals(initialFileSpec))) {
                changes.write(file, text(fileSpec));
            }
        }
    }
}
