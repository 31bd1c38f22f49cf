package io.promptlightning;

import io.promptlightning.internal.Authors;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Templates kept as YAML files in a directory tree, one template per file, found by the {@code id} inside the
 * file rather than by the file's name (as the original library does).
 *
 * <p>The original scans and parses every file on every lookup. Here every file is parsed once when the registry
 * opens, into an index from id to file, and the index follows the directory from then on: a watcher thread
 * applies file events as they arrive (within milliseconds where the platform reports them, as Linux and Windows
 * do). In case an event is late or lost, {@link #load} also compares the file's size, modification time and file
 * key with those it was parsed at, at most once every {@value #CHECK_MILLIS} ms per file, and parses it again when
 * they differ. Where file events are only emulated by polling (macOS) or unavailable, the watcher thread instead
 * compares the whole tree with the index every {@value #SCAN_MILLIS} ms. So an edit is seen by the next load
 * within {@value #CHECK_MILLIS} ms at worst, and by {@link #generation()} (hence by a {@link Vault}) when its
 * event or the next scan arrives. A save or delete through the registry is seen at once. A request for an
 * unknown id also looks for {@code <id>.yaml} and {@code <id>.yml}, so a file just created under its id's name
 * is found before its event.
 *
 * <p>Reads take no lock: the index and the parsed files are concurrent maps of immutable entries. Changes
 * (saves, deletes, file events, a load that finds its file changed) are applied one at a time.
 *
 * <p>A file that is not a valid template does not hide the others: it is reported by {@link #problems()} with its
 * file and line, and loading its id (when it declares one) throws its error. When two files declare one id, the
 * first valid one in path order serves it and the other is reported.
 *
 * <h2>History</h2>
 * The template file always holds the latest version: a save through the registry rewrites it, and an edit by
 * hand is the new latest. Every version saved through the registry is also recorded, with its time, author and
 * message, under {@code .promptlightning/} in the prompt directory, as readable YAML: one file per version (the
 * template file of that version plus a {@code saved:} entry), the labels of each template, and each template's
 * label history, which is only ever appended to. A template file holding a version that was never recorded (a
 * file written by the original library, or edited by hand) is recorded before a save of another version replaces
 * it, so no content is lost; until then its version is listed with no save time, and is not yet fixed: a save of
 * that same version replaces it. The registry never reads the files under {@code .promptlightning/} as templates.
 *
 * <p>A recorded version is what {@code id@version} loads, always. A template file edited by hand without changing
 * its {@code version} to a new one, so that it holds a recorded version's number with other content (compared as
 * templates: reformatting is no edit), is an <em>unsaved edit</em> of that version ({@link #unsavedEdit}): the
 * plain id and {@code latest} load the file, which is what its author is working on, while the version and its
 * labels keep loading what was recorded. It stays so until the file is saved as a new version, or saved with
 * {@link SaveOptions#force()} to replace the recorded one; {@link #unsavedEdits()} lists them.
 *
 * <p>With git, commit {@code .promptlightning/} with the templates to share their history and labels (the
 * registry writes a {@code .promptlightning/.gitignore} that leaves out the lock file and the journal, which
 * belong to one machine), or ignore the whole directory to keep history local. Changes that arrive with a pull
 * are seen like any other edit.
 *
 * <p>Every write holds an exclusive lock on {@code .promptlightning/lock}, so processes sharing the directory
 * write one at a time, and goes through a journal ({@code .promptlightning/journal/}), so that a write touching
 * several files (a batch, a save that records a version and moves {@code latest}) is applied entirely or not at
 * all, even across a crash: a write left half-done is completed by the next write or the next open.
 */
public final class LocalRegistry implements Registry {
    /**
     * The directory, directly inside a prompt directory, where the registry keeps the templates' history. Its
     * YAML files are not templates: tools that walk a prompt directory for template files skip it.
     */
    public static final String HISTORY_DIRECTORY = ".promptlightning";

    private static final String[] EXTENSIONS = {".yaml", ".yml"};
    static final int PARALLEL_READ_THRESHOLD = 64;
    /** How long {@link #load} trusts that a file is unchanged without looking at it. */
    static final long CHECK_MILLIS = 200;
    /** How often the whole tree is compared with the index where file events are not reported promptly. */
    static final long SCAN_MILLIS = 1000;

    private final Path dir;
    /** Serializes changes to the index; reads never take it. */
    private final Object changes = new Object();

    /** Every template file found, with what it held when last read. */
    private final ConcurrentHashMap<Path, FileEntry> files = new ConcurrentHashMap<>();
    /** id → the file serving it. */
    private final ConcurrentHashMap<String, Path> index = new ConcurrentHashMap<>();
    /** id → every file declaring it, in path order; guarded by {@link #changes}. */
    private final Map<String, TreeSet<Path>> filesById = new HashMap<>();
    /** Directories that could not be read, and why. */
    private final ConcurrentHashMap<Path, String> unreadableDirs = new ConcurrentHashMap<>();

    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<IdList> ids = new AtomicReference<>();

    private final WatchService watcher;
    /** Whether the watcher thread scans the tree, because file events are not reported promptly or at all. */
    private final boolean scans;
    /** Advanced every {@link #CHECK_MILLIS} by the watcher thread: a coarse clock that costs a load nothing. */
    private volatile int tick;
    /** Set when a file event could not be applied: the watcher thread then compares the tree with the index. */
    private volatile boolean rescanDue;
    /** Why file events are not followed, or null. */
    private volatile String watchProblem;
    /** Guarded by {@link #changes}. */
    private final Map<WatchKey, Path> dirsByKey = new HashMap<>();
    /** Guarded by {@link #changes}. */
    private final Map<Path, WatchKey> keysByDir = new HashMap<>();
    private final Thread watchThread;

    private volatile boolean closed;

    private final boolean readOnly;
    private final LocalHistory history;
    /** Metadata of the templates the index serves; changed with {@link #changes} held. */
    private final MetadataIndex metadataIndex = new MetadataIndex();
    /** Why a write left unfinished by another process could not be completed, or null. */
    private volatile String historyProblem;
    /** What the history files looked like at the last scan of the whole tree; guarded by {@link #changes}. */
    private long historyFingerprint;

    /** What identifies a version of a file without reading it. */
    private record Fingerprint(FileTime modified, long size, Object fileKey) {
    }

    /** A file as last read; {@code checkedAt} is the {@link #tick} at which its fingerprint last matched. */
    private static final class FileEntry {
        final Fingerprint fingerprint;
        final SpecYaml.Result result;
        volatile int checkedAt;

        FileEntry(Fingerprint fingerprint, SpecYaml.Result result, int checkedAt) {
            this.fingerprint = fingerprint;
            this.result = result;
            this.checkedAt = checkedAt;
        }
    }

    private record IdList(long generation, List<String> ids) {
    }

    private LocalRegistry(Path dir, boolean useFileEvents, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.history = new LocalHistory(dir);
        if (!readOnly) {
            completeUnfinishedWrites();
        }
        WatchService ws = null;
        if (useFileEvents) {
            try {
                ws = dir.getFileSystem().newWatchService();
            } catch (IOException | UnsupportedOperationException e) {
                watchProblem = "file changes are not reported by the system (" + e.getMessage() + "); the directory"
                        + " is scanned every " + SCAN_MILLIS + " ms instead";
            }
        }
        this.watcher = ws;
        // the JDK emulates file events by polling every few seconds where the system has no notification API
        this.scans = ws == null || ws.getClass().getName().contains("Polling");
        synchronized (changes) {
            try {
                scanTree(dir);
            } catch (RuntimeException e) {
                closeWatcher();
                throw e;
            }
        }
        watchThread = new Thread(this::watchLoop, "promptlightning-watch " + dir);
        watchThread.setDaemon(true);
        watchThread.start();
    }

    /**
     * Opens the prompt directory {@code dir}, reading every {@code *.yaml} and {@code *.yml} file below it.
     *
     * @throws RegistryException if {@code dir} does not exist, is not a directory or cannot be read
     */
    public static LocalRegistry open(Path dir) {
        return builder(dir).build();
    }

    /** Like {@link #open}, but following the directory only by scanning it, as on systems without file events. */
    static LocalRegistry openScanning(Path dir) {
        return new LocalRegistry(existingDirectory(dir), false, false);
    }

    /** Options for opening the prompt directory {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** How to open a prompt directory; {@link #build()} opens it. */
    public static final class Builder {
        private final Path dir;
        private boolean readOnly;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * Opens the directory without ever writing to it: every write is refused with a {@link RegistryException},
         * and nothing is created in the directory (not even the history directory or its lock file).
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** @throws RegistryException if the directory does not exist, is not a directory or cannot be read */
        public LocalRegistry build() {
            return new LocalRegistry(existingDirectory(dir), true, readOnly);
        }
    }

    private static Path existingDirectory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new RegistryException("the prompt directory does not exist", null, absolute, 0, null);
        }
        if (!Files.isDirectory(absolute)) {
            throw new RegistryException("the prompt directory is not a directory", null, absolute, 0, null);
        }
        return absolute;
    }

    /** The prompt directory, absolute. */
    public Path directory() {
        return dir;
    }

    // --------------------------------------------------------------------------------------------- reading

    /**
     * Every id declared by a file, sorted by code point (as LMDB orders its keys). Ids whose file is broken are
     * listed too: loading them reports the file's error, which is more use than a template that seems absent.
     */
    @Override
    public List<String> listIds() {
        ensureOpen();
        long current = generation();
        IdList cached = ids.get();
        if (cached != null && cached.generation == current) {
            return cached.ids;
        }
        List<String> list = List.copyOf(Ids.sorted(index.keySet()));
        ids.set(new IdList(current, list));
        return list;
    }

    /**
     * @throws TemplateNotFoundException if no file declares this id
     * @throws ValidationException       if the file declaring it (or, when none does, the file named after it) is
     *                                   not a valid template, with its file and line
     */
    @Override
    public TemplateSpec load(String id) {
        Objects.requireNonNull(id, "id");
        ensureOpen();
        Path file = index.get(id);
        if (file != null) {
            FileEntry entry = files.get(file);
            if (entry != null) {
                int now = tick;
                if (entry.checkedAt == now) {
                    return specOf(entry);
                }
                if (entry.fingerprint.equals(fingerprint(file))) {
                    entry.checkedAt = now;
                    return specOf(entry);
                }
            }
        } else {
            // an unknown id takes no lock unless there is something new to read
            pollEvents();
            if (index.get(id) == null && !newFileNamedAfter(id)) {
                throw missing(id);
            }
        }
        synchronized (changes) {
            ensureOpen();
            file = currentFile(id);
            if (file == null) {
                throw missing(id);
            }
            return specOf(files.get(file));
        }
    }

    /**
     * No file declares {@code id}. If the file named after it is broken so badly that it declares no id (invalid
     * YAML, say), its error is the answer the user needs, not "not found".
     */
    private PromptLightningException missing(String id) {
        for (Path candidate : filesNamedAfter(id)) {
            FileEntry entry = files.get(candidate);
            if (entry != null && !entry.result.ok() && entry.result.id() == null) {
                ValidationException e = entry.result.error();
                return new ValidationException(e.detail(), null, e.file(), e.line(), e);
            }
        }
        return notFound(id);
    }

    private static TemplateSpec specOf(FileEntry entry) {
        return entry.result.specOrThrow();
    }

    /**
     * What a user has to fix in the directory, sorted by file and line: files that are not valid templates, ids
     * declared twice, directories that cannot be read.
     */
    public List<Problem> problems() {
        ensureOpen();
        pollEvents();
        List<Problem> problems = new ArrayList<>();
        if (watchProblem != null) {
            problems.add(new Problem(dir, 0, null, watchProblem));
        }
        String unfinished = historyProblem;
        if (unfinished != null) {
            problems.add(new Problem(history.root(), 0, null, unfinished));
        }
        addFileProblems(problems);
        problems.sort(PROBLEM_ORDER);
        return List.copyOf(problems);
    }

    /** The problems of the template files: files that are not valid templates, ids declared twice, unreadable dirs. */
    private void addFileProblems(List<Problem> problems) {
        unreadableDirs.forEach((path, why) -> problems.add(new Problem(path, 0, null, why)));
        Map<String, List<Path>> declaring = new HashMap<>();
        files.forEach((path, entry) -> {
            SpecYaml.Result r = entry.result;
            if (!r.ok()) {
                ValidationException e = r.error();
                problems.add(new Problem(path, e.line(), e.templateId() != null ? e.templateId() : r.id(), e.detail()));
            }
            if (r.id() != null) {
                declaring.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(path);
            }
        });
        declaring.forEach((id, paths) -> {
            if (paths.size() > 1) {
                Path serving = index.get(id);
                for (Path path : paths) {
                    FileEntry entry = files.get(path);
                    if (!path.equals(serving) && entry != null) {
                        problems.add(new Problem(path, entry.result.idLine(), id, "duplicate id: " + serving
                                + " declares it too and is the one used; this file is ignored"));
                    }
                }
            }
        });
    }

    /**
     * A number that changes whenever a template may have changed, so that a cache can tell whether what it holds
     * is current without reloading: on saves and deletes at once, on edits on disk when their file event (or the
     * next scan) is applied, and when a {@link #load} finds a file changed. Reading it is a volatile read.
     */
    @Override
    public long generation() {
        ensureOpen();
        return generation.get();
    }

    /** The order problems are reported in: by file, then line, then message. */
    private static final Comparator<Problem> PROBLEM_ORDER = Comparator.comparing(Problem::file)
            .thenComparingInt(Problem::line).thenComparing(Problem::message);

    // ------------------------------------------------------------------------------------------- history

    /**
     * The recorded version; for a version never recorded, the template file's content when the file holds it.
     *
     * @throws ValidationException if the recorded version's file is damaged (naming it), or the version is not
     *                             recorded and the template file is not a valid template
     */
    @Override
    public TemplateSpec load(String id, String version) {
        Objects.requireNonNull(version, "version");
        long seen = generation.get();
        String cacheKey = id + '\0' + version;
        Stamped<TemplateSpec> known = versionCache.get(cacheKey);
        if (known != null && known.generation() == seen) {
            return known.value();
        }
        TemplateSpec spec = loadUncached(id, version);
        remember(versionCache, cacheKey, new Stamped<>(seen, spec));
        return spec;
    }

    /**
     * What was read at a generation, served again while the generation stays the same: every change to the
     * templates or their history, by this process or another, moves it.
     */
    private record Stamped<T>(long generation, T value) {
    }

    /** Entries kept by each of the caches below before it is emptied. */
    private static final int MAX_CACHED = 100_000;
    private final ConcurrentHashMap<String, Stamped<TemplateSpec>> versionCache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Stamped<Map<String, String>>> labelCache = new ConcurrentHashMap<>();

    private static <T> void remember(ConcurrentHashMap<String, Stamped<T>> cache, String key, Stamped<T> value) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, value);
    }

    private TemplateSpec loadUncached(String id, String version) {
        ValidationException broken = null;
        TemplateSpec latest = null;
        try {
            latest = load(id);
        } catch (ValidationException e) {
            broken = e;
        }
        SavedVersion saved = history.readVersion(id, version);
        if (saved != null) {
            return saved.spec();
        }
        if (latest != null && latest.version().equals(version)) {
            return latest;
        }
        if (broken != null) {
            throw broken; // the broken file may hold the version asked for: its error says what to fix
        }
        throw new TemplateNotFoundException("no version " + version + " of this template; versions: "
                + history.versionList(id, latest), id);
    }

    /**
     * The recorded version that the template file holds with other content, when the file was edited by hand without
     * a new version; empty when the file holds a recorded version as it was recorded, a version never recorded, or is
     * not a valid template.
     *
     * @throws ValidationException if the recorded version's file is damaged (naming it)
     */
    @Override
    public Optional<String> unsavedEdit(String id) {
        TemplateSpec working = latestOrNull(id);
        if (working == null) {
            return Optional.empty();
        }
        return working.equals(load(id, working.version())) ? Optional.empty() : Optional.of(working.version());
    }

    /**
     * Every template whose file is an {@linkplain #unsavedEdit unsaved edit}, as a problem naming the file, the
     * template and the version, and what to do about it; sorted by file. A template whose recorded version cannot
     * be read is reported with that error instead.
     */
    public List<Problem> unsavedEdits() {
        ensureOpen();
        List<Problem> found = new ArrayList<>();
        for (String id : listIds()) {
            Problem problem = unsavedEditProblem(id);
            if (problem != null) {
                found.add(problem);
            }
        }
        found.sort(PROBLEM_ORDER);
        return List.copyOf(found);
    }

    /** The problem the file of {@code id} is when it holds an unsaved edit, or null. */
    private Problem unsavedEditProblem(String id) {
        Path file = index.get(id);
        try {
            Optional<String> edited = unsavedEdit(id);
            if (edited.isEmpty() || file == null) {
                return null;
            }
            return new Problem(file, 0, id, unsavedEditMessage(id, edited.get()));
        } catch (TemplateNotFoundException goneMeanwhile) {
            return null;
        } catch (PromptLightningException e) {
            return new Problem(e.file() != null ? e.file() : dir, e.line(), id, e.detail());
        }
    }

    private static String unsavedEditMessage(String id, String version) {
        return "unsaved edit of version " + version + ": the file differs from the saved " + version + ", which " + id
                + "@" + version + " (and any label on it) still loads; save the file as a new version (bump), or"
                + " replace the saved " + version + " with it (save --force)";
    }

    @Override
    public TemplateSpec resolve(TemplateRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (ref.version() != null) {
            return load(ref.id(), ref.version());
        }
        if (ref.label() == null || ref.label().equals(Labels.LATEST)) {
            return load(ref.id());
        }
        long seen = generation.get();
        Stamped<Map<String, String>> known = labelCache.get(ref.id());
        Map<String, String> labels;
        if (known != null && known.generation() == seen) {
            labels = known.value();
        } else {
            labels = labels(ref.id());
            remember(labelCache, ref.id(), new Stamped<>(seen, labels));
        }
        String version = labels.get(ref.label());
        if (version == null) {
            throw new TemplateNotFoundException("no label '" + ref.label() + "' on this template; labels: "
                    + String.join(", ", labels.keySet()), ref.id());
        }
        try {
            return load(ref.id(), version);
        } catch (TemplateNotFoundException e) {
            throw new TemplateNotFoundException("the label '" + ref.label() + "' points at version " + version
                    + ", which no longer exists; versions: " + history.versionList(ref.id(), latestOrNull(ref.id())),
                    ref.id());
        }
    }

    @Override
    public List<VersionInfo> versions(String id) {
        return history.versions(id, latestOrNull(id));
    }

    @Override
    public Map<String, String> labels(String id) {
        TemplateSpec latest = latestOrNull(id);
        Map<String, String> labels = new TreeMap<>(history.readLabels(id));
        if (latest != null) {
            labels.put(Labels.LATEST, latest.version());
        }
        return Collections.unmodifiableMap(labels);
    }

    @Override
    public List<LabelMove> labelHistory(String id) {
        Objects.requireNonNull(id, "id");
        ensureOpen();
        return history.readLabelHistory(id);
    }

    /**
     * Every recorded version as it was recorded, and the template file's version when it was never recorded. An
     * {@linkplain #unsavedEdit unsaved edit} is not part of it (its version is there as recorded): save it first to
     * carry it into an export.
     *
     * @throws ValidationException if the template file is not a valid template: without it there is no latest
     *                             version to report
     */
    @Override
    public TemplateHistory history(String id) {
        return history.history(id, load(id));
    }

    /** The template's latest version, or null if its file is broken. */
    private TemplateSpec latestOrNull(String id) {
        try {
            return load(id);
        } catch (ValidationException e) {
            return null;
        }
    }

    /** Ids whose latest version has every tag and metadata pair given, from an index kept with the files. */
    @Override
    public List<String> search(Collection<String> tags, Map<String, String> metadata) {
        ensureOpen();
        pollEvents();
        List<String> matching = metadataIndex.matching(tags, metadata, generation.get());
        if (matching == null) {
            return listIds();
        }
        List<String> found = new ArrayList<>(matching.size());
        for (String id : matching) {
            if (index.containsKey(id)) {
                found.add(id);
            }
        }
        return found;
    }

    /**
     * Counts what the files hold now. {@code usedBytes} is the size of the template files and of the history
     * files; {@code lastModified} the newest modification time among them.
     */
    @Override
    public RegistryStats stats() {
        ensureOpen();
        pollEvents();
        long templates = 0;
        long versions = 0;
        long labels = 0;
        for (String id : listIds()) {
            templates++;
            Set<String> recorded = history.recordedVersions(id);
            versions += recorded.size();
            Path file = index.get(id);
            FileEntry entry = file == null ? null : files.get(file);
            if (entry != null && entry.result.ok() && !recorded.contains(entry.result.spec().version())) {
                versions++;
            }
            labels += history.readLabels(id).size();
        }
        LocalHistory.Usage usage = history.usage();
        long bytes = usage.bytes();
        FileTime newest = usage.newest();
        for (FileEntry entry : files.values()) {
            bytes += Math.max(0, entry.fingerprint.size());
            FileTime modified = entry.fingerprint.modified();
            newest = newest == null || (modified != null && modified.compareTo(newest) > 0) ? modified : newest;
        }
        return new RegistryStats(templates, versions, labels, -1, bytes, newest == null ? null : newest.toInstant());
    }

    /**
     * Copies the template files and their history (not the lock file, not the journal) into a new directory
     * beside {@code destination}, then renames it into place, all while holding the lock writers take.
     */
    @Override
    public void backup(Path destination) {
        Objects.requireNonNull(destination, "destination");
        ensureOpen();
        LocalBackup.write(dir, history, destination, this::backupLock, LocalRegistry::isTemplateFile);
    }

    /**
     * The lock that keeps writers out during a backup: the writers' own lock, which also completes a write left
     * unfinished, or a shared one where this registry cannot write (read-only, or a directory it may not change).
     */
    private DirectoryLock backupLock() {
        if (!readOnly) {
            try {
                return history.lock(null, null);
            } catch (RegistryException cannotWrite) {
                // fall back to the lock that needs no write
            }
        }
        return history.sharedLock();
    }

    @Override
    public boolean readOnly() {
        ensureOpen();
        return readOnly;
    }

    // ---------------------------------------------------------------------------------------------- verify

    /** The way out of a damaged file of the history. */
    private static final String RESTORE_FILE = "restore it from a backup or from version control";

    /**
     * Checks the prompt directory {@code dir} end to end, changing nothing in it (it is read as
     * {@linkplain Builder#readOnly read-only}, so not even a write left unfinished is completed). Reported, each
     * problem with its file, line where one applies, template, and a message that ends with the way out where there
     * is one:
     * <ul>
     *   <li>template files that are not valid templates, ids declared twice and directories that cannot be read, as
     *       {@link #problems()} reports them;</li>
     *   <li>recorded versions ({@code .promptlightning/templates/<id>/versions/<version>.yaml}) that cannot be read,
     *       are not valid templates or hold another id or version than their path says, and {@code .yaml} files there
     *       whose name is not a version (the registry ignores them);</li>
     *   <li>a {@code labels.yaml} that cannot be read, and labels pointing at a version that is not recorded;</li>
     *   <li>a {@code label-history.yaml} that cannot be read;</li>
     *   <li>recorded versions or labels of an id that no template file declares any more;</li>
     *   <li>a template file that is an {@linkplain #unsavedEdit unsaved edit} of a recorded version: not damage,
     *       but the file and the history disagree on what the version is, so it is a problem here as in
     *       {@code validate}, until it is saved as a new version or forced;</li>
     *   <li>files left in the journal by a write that stopped: a committed write not completed (completed when the
     *       directory is next opened for writing), a write never committed (dropped then), a committed write whose
     *       manifest is damaged (it blocks every write), anything else;</li>
     *   <li>temporary files that no unfinished write refers to.</li>
     * </ul>
     * A template file whose version was never recorded is no problem: it is a new version, not yet saved.
     *
     * <p>Everything is read without a lock, so writers are not held up. A write in progress can look like damage
     * for a moment (a version file replaced before the template file, a temporary file not yet renamed), so what
     * looked wrong is read again under the lock that keeps writers out, shared with other readers: it waits for the
     * write in progress to end and holds writers back only for that second look.
     *
     * @return the problems, sorted by file and line, with the number of valid templates and readable versions
     *         (recorded ones, and the template files' versions never recorded)
     * @throws RegistryException if {@code dir} does not exist, is not a directory or cannot be read
     */
    public static VerifyReport verify(Path dir) {
        try (LocalRegistry registry = new LocalRegistry(existingDirectory(dir), true, true)) {
            return registry.verifyStorage();
        }
    }

    /** What the check of one template found. */
    private record TemplateCheck(List<Problem> problems, boolean readable, int versions) {
    }

    private VerifyReport verifyStorage() {
        List<Problem> problems = new ArrayList<>();
        addFileProblems(problems);
        Set<String> ids = new HashSet<>(index.keySet());
        try {
            ids.addAll(history.idsWithHistory());
        } catch (RegistryException e) {
            problems.add(problemOf(e, null, history.templatesRoot(), ""));
        }
        Map<String, TemplateCheck> checks = new LinkedHashMap<>();
        for (String id : Ids.sorted(ids)) {
            checks.put(id, checkTemplate(id));
        }
        List<Problem> leftovers = leftoverProblems();
        if (!leftovers.isEmpty() || checks.values().stream().anyMatch(c -> !c.problems().isEmpty())) {
            try (DirectoryLock lock = history.sharedLock()) {
                for (Map.Entry<String, TemplateCheck> e : checks.entrySet()) {
                    if (!e.getValue().problems().isEmpty()) {
                        e.setValue(checkTemplate(e.getKey()));
                    }
                }
                leftovers = leftoverProblems();
            } catch (RegistryException cannotLock) {
                // the lock file cannot be opened: what the first look found stands
            }
        }
        long templates = 0;
        long versions = 0;
        for (TemplateCheck check : checks.values()) {
            problems.addAll(check.problems());
            templates += check.readable() ? 1 : 0;
            versions += check.versions();
        }
        problems.addAll(leftovers);
        problems.sort(PROBLEM_ORDER);
        return new VerifyReport("local", dir, templates, versions, problems);
    }

    /** The template file of {@code id} and its history, read as they are now. */
    private TemplateCheck checkTemplate(String id) {
        List<Problem> problems = new ArrayList<>();
        Path file;
        TemplateSpec working;
        synchronized (changes) {
            file = currentFile(id);
            FileEntry entry = file == null ? null : files.get(file);
            working = entry != null && entry.result.ok() ? entry.result.spec() : null;
        }

        Map<String, TemplateSpec> recorded = new HashMap<>();
        Set<String> versionFiles = new HashSet<>();
        List<Path> entries;
        try {
            entries = history.versionsDirectoryEntries(id);
        } catch (RegistryException e) {
            problems.add(problemOf(e, id, history.versionsDirectory(id), ""));
            entries = List.of();
        }
        for (Path entry : entries) {
            String version = LocalHistory.versionOf(entry);
            if (version == null) {
                if (isTemplateFile(entry) && !entry.getFileName().toString().startsWith(".")) {
                    problems.add(new Problem(entry, 0, id, "not a recorded version: the file name is not a version"
                            + " (VERSION.yaml), so the registry ignores this file; rename or remove it"));
                }
                continue;
            }
            versionFiles.add(version);
            try {
                SavedVersion saved = history.readVersion(id, version);
                if (saved != null) {
                    recorded.put(version, saved.spec());
                }
            } catch (PromptLightningException e) {
                problems.add(problemOf(e, id, entry, "; " + RESTORE_FILE));
            }
        }

        Map<String, String> labels = Map.of();
        Path labelsFile = history.labelsFile(id);
        try {
            labels = history.readLabels(id);
        } catch (PromptLightningException e) {
            problems.add(problemOf(e, id, labelsFile, "; " + RESTORE_FILE));
        }
        labels.forEach((label, version) -> {
            if (versionFiles.contains(version)) {
                return; // recorded; if it cannot be read, that is reported with its file
            }
            boolean inFileOnly = working != null && working.version().equals(version);
            problems.add(new Problem(labelsFile, keyLine(labelsFile, label), id, "the label '" + label
                    + "' points at version " + version + ", which is not recorded" + (inFileOnly
                    ? " (only the template file holds it, and the label loses it when the file moves on); save the"
                            + " template file to record it"
                    : "; restore the version's file from a backup or from version control, or move the label to a"
                            + " recorded version")));
        });

        try {
            history.readLabelHistory(id);
        } catch (PromptLightningException e) {
            problems.add(problemOf(e, id, history.labelHistoryFile(id), "; " + RESTORE_FILE + " (versions and labels"
                    + " do not depend on it)"));
        }

        if (file == null && (!versionFiles.isEmpty() || !labels.isEmpty())) {
            problems.add(new Problem(history.idDirectory(id), 0, id, versionFiles.size()
                    + (versionFiles.size() == 1 ? " version is" : " versions are") + " recorded for this template"
                    + (labels.isEmpty() ? "" : ", with labels,") + " but no template file declares its id (the file"
                    + " was deleted, or its id changed, by hand), so none can be loaded; restore its file from a backup"
                    + " or from version control, or remove this directory to forget them"));
        }
        if (working != null) {
            TemplateSpec saved = recorded.get(working.version());
            if (saved != null && !saved.equals(working)) {
                problems.add(new Problem(file, 0, id, unsavedEditMessage(id, working.version())));
            }
        }
        int versions = recorded.size() + (working != null && !versionFiles.contains(working.version()) ? 1 : 0);
        return new TemplateCheck(problems, working != null, versions);
    }

    /** {@code e} as a problem of {@code file}, at the line it names, with {@code wayOut} appended. */
    private static Problem problemOf(PromptLightningException e, String id, Path file, String wayOut) {
        return new Problem(file, e.line(), id, e.detail() + wayOut);
    }

    /** The 1-based line where the top-level key {@code key} of a YAML file written by the registry is, or 0. */
    private static int keyLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith(key + ":") || line.startsWith("'" + key + "':")
                        || line.startsWith("\"" + key + "\":")) {
                    return i + 1;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // changed meanwhile: the file is named all the same
        }
        return 0;
    }

    /** Files left by writes that stopped: in the journal, and temporary files that no journal entry refers to. */
    private List<Problem> leftoverProblems() {
        List<Problem> problems = new ArrayList<>();
        List<FileJournal.Leftover> journal;
        try {
            journal = history.journal().leftovers();
        } catch (RegistryException e) {
            problems.add(problemOf(e, null, e.file() != null ? e.file() : history.root(), ""));
            journal = List.of();
        }
        Set<Path> ofUnfinishedWrites = new HashSet<>();
        for (FileJournal.Leftover leftover : journal) {
            ofUnfinishedWrites.addAll(leftover.temporaryFiles());
            problems.add(new Problem(leftover.file(), 0, null, leftoverMessage(leftover)));
        }
        for (Path temporary : temporaryFiles()) {
            if (!ofUnfinishedWrites.contains(temporary)) {
                problems.add(new Problem(temporary, 0, null, "a temporary file left by a write that stopped; no"
                        + " unfinished write refers to it, so it can be deleted"));
            }
        }
        return problems;
    }

    private static String leftoverMessage(FileJournal.Leftover leftover) {
        String whenOpened = " when the prompt directory is next opened for writing (by any promptlightning command in"
                + " its project, or LocalRegistry.open)";
        return switch (leftover.kind()) {
            case COMMITTED -> leftover.damage() == null
                    ? "a write was committed but not completed (the process making it stopped); it is completed"
                            + whenOpened
                    : "a write was committed but cannot be completed: " + leftover.damage().detail() + "; until"
                            + " this file is gone every write is refused: restore the prompt directory from a backup,"
                            + " or delete this file to give the write up (files it may have replaced already keep"
                            + " their new content)";
            case STAGED -> "a write was started but never committed (the process making it stopped); it changed"
                    + " nothing, and it is removed" + whenOpened;
            case FOREIGN -> "not a file of any write; it is removed" + whenOpened;
        };
    }

    /** Every file under the prompt directory named as the journal names its temporary files. */
    private List<Path> temporaryFiles() {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return history.isJournal(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (FileJournal.isTemporaryFile(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile, or an unreadable directory already reported
                }
            });
        } catch (IOException e) {
            // the directory itself went away: the other checks say so
        }
        return found;
    }

    // --------------------------------------------------------------------------------------------- writing

    /**
     * Saves the template as its id's latest version: the file that holds its id is rewritten, or {@code <id>.yaml}
     * is created for a new id (another free name if a file of that name holds something else), and the version is
     * recorded in the history. Files are replaced atomically (a temporary file in the same directory, synced, then
     * renamed over it), so a reader sees the old file or the new one, never a part.
     *
     * @throws ValidationException if the template does not compile, holds a value YAML cannot hold, has a new id
     *                             that is not a {@linkplain Ids#isValidNewId valid new id} (it becomes a file
     *                             name), or its version is recorded with other content and the save is not forced
     * @throws RegistryException   if the registry is read-only or a file cannot be written; nothing is changed then
     */
    @Override
    public void save(TemplateSpec spec, SaveOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        requireWritable();
        TemplateSpec stored = HistoryBatch.stored(spec);
        write(spec.id(), () -> targetFile(spec.id()), batch -> batch.draft(spec.id()).save(stored, options));
    }

    @Override
    public void saveAll(Collection<TemplateSpec> specs, SaveOptions options) {
        Objects.requireNonNull(specs, "specs");
        Objects.requireNonNull(options, "options");
        requireWritable();
        Map<TemplateSpec, String> texts = new IdentityHashMap<>();
        List<TemplateSpec> stored = HistoryBatch.stored(specs, texts);
        if (stored.isEmpty()) {
            return;
        }
        write(null, () -> {
            for (TemplateSpec spec : stored) {
                targetFile(spec.id());
            }
            return null;
        }, batch -> {
            batch.knownTexts(texts);
            for (TemplateSpec spec : stored) {
                batch.draft(spec.id()).save(spec, options);
            }
        });
    }

    /**
     * Removes the file serving this id, with the template's recorded versions and labels; its label history is
     * kept. Should another file declare the same id (a reported duplicate), it serves the id from then on:
     * deleting files a user did not point at would be worse.
     *
     * @throws TemplateNotFoundException if no file declares this id
     * @throws RegistryException         if the registry is read-only or a file cannot be deleted
     */
    @Override
    public void delete(String id) {
        Objects.requireNonNull(id, "id");
        requireWritable();
        write(id, () -> existingFile(id), batch -> batch.draft(id).delete());
    }

    @Override
    public void deleteAll(Collection<String> ids) {
        Objects.requireNonNull(ids, "ids");
        requireWritable();
        Set<String> distinct = new LinkedHashSet<>(ids);
        if (distinct.isEmpty()) {
            return;
        }
        write(null, () -> {
            for (String id : distinct) {
                existingFile(Objects.requireNonNull(id, "id"));
            }
            return null;
        }, batch -> distinct.forEach(id -> batch.draft(id).delete()));
    }

    @Override
    public void deleteVersion(String id, String version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        requireWritable();
        write(id, () -> existingFile(id), batch -> batch.draft(id).deleteVersion(version));
    }

    @Override
    public Optional<LabelMove> moveLabel(String id, String label, String version, String message) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        requireWritable();
        Labels.requireMovable(label, id);
        AtomicReference<Optional<LabelMove>> move = new AtomicReference<>();
        write(id, () -> existingFile(id), batch -> move.set(batch.draft(id).moveLabel(label, version, message)));
        return move.get();
    }

    @Override
    public LabelMove removeLabel(String id, String label, String message) {
        Objects.requireNonNull(id, "id");
        requireWritable();
        Labels.requireMovable(label, id);
        AtomicReference<LabelMove> removal = new AtomicReference<>();
        write(id, () -> existingFile(id), batch -> removal.set(batch.draft(id).removeLabel(label, message)));
        return removal.get();
    }

    /**
     * Writes the histories given. {@link ImportMode#REPLACE_ALL} also removes every other template: its files
     * (duplicates included) and its whole history, label history included, so that the directory holds exactly
     * what was imported.
     */
    @Override
    public void importHistory(Collection<TemplateHistory> histories, ImportMode mode) {
        Objects.requireNonNull(histories, "histories");
        Objects.requireNonNull(mode, "mode");
        requireWritable();
        Map<String, TemplateHistory> imported = new LinkedHashMap<>();
        for (TemplateHistory h : histories) {
            if (imported.put(h.id(), HistoryBatch.stored(h)) != null) {
                throw new ValidationException("the template appears twice in the import", h.id());
            }
        }
        write(null, () -> {
            for (String id : imported.keySet()) {
                if (currentFile(id) != null) {
                    if (mode == ImportMode.ADD) {
                        throw new ValidationException("already in the registry; import it replacing what is there,"
                                + " or remove it first", id);
                    }
                } else {
                    Ids.requireValidNewId(id);
                }
            }
            return null;
        }, batch -> {
            if (mode == ImportMode.REPLACE_ALL) {
                for (String id : batch.knownIds()) {
                    if (!imported.containsKey(id)) {
                        batch.draft(id).purge();
                    }
                }
            }
            imported.values().forEach(h -> batch.draft(h.id()).replaceWith(h));
        });
    }

    /**
     * One write: with {@link #changes} and the directory's lock held, {@code precheck} checks what needs no history
     * (so that a refused write creates nothing, not even the history directory) and names the file to blame if the
     * directory cannot be written; {@code body} then plans the write on a batch, which is applied at once.
     */
    private void write(String id, Supplier<Path> precheck, Consumer<HistoryBatch> body) {
        synchronized (changes) {
            requireWritable();
            Path blame = precheck.get();
            if (!Files.isDirectory(history.root())) {
                // the lock would create the history directory: plan the write once without it, so that a refused
                // write leaves a directory without history as it was
                body.accept(newBatch());
            }
            try (DirectoryLock lock = history.lock(blame, id)) {
                historyProblem = null;
                drainEvents();
                HistoryBatch batch = newBatch();
                body.accept(batch);
                FileJournal.Changes planned = batch.changes();
                if (planned.isEmpty()) {
                    return;
                }
                try {
                    history.journal().write(planned);
                } finally {
                    refreshAll(batch.templateFiles());
                    changed();
                }
            }
        }
    }

    private HistoryBatch newBatch() {
        return new HistoryBatch(history, templateFiles, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Authors.current());
    }

    /** The file a save of {@code id} writes. Called with {@link #changes} held. */
    private Path targetFile(String id) {
        Path file = currentFile(id);
        if (file == null) {
            Ids.requireValidNewId(id);
            file = freeFileName(id, Set.of());
        }
        return file;
    }

    /** The file serving {@code id}. Called with {@link #changes} held. */
    private Path existingFile(String id) {
        Path file = currentFile(id);
        if (file == null) {
            throw notFound(id);
        }
        return file;
    }

    private void requireWritable() {
        ensureOpen();
        if (readOnly) {
            throw new RegistryException("the registry is read-only", null, dir, 0, null);
        }
    }

    /** The registry's template files as a write sees them; used with {@link #changes} held. */
    private final HistoryBatch.TemplateFiles templateFiles = new HistoryBatch.TemplateFiles() {
        @Override
        public HistoryBatch.TemplateFile serving(String id) {
            Path file = currentFile(id);
            FileEntry entry = file == null ? null : files.get(file);
            return entry == null ? null : new HistoryBatch.TemplateFile(file, entry.result.spec(),
                    entry.result.error());
        }

        @Override
        public List<Path> declaring(String id) {
            TreeSet<Path> paths = filesById.get(id);
            return paths == null ? List.of() : List.copyOf(paths);
        }

        @Override
        public Path newFile(String id, Set<Path> taken) {
            return freeFileName(id, taken);
        }

        @Override
        public Collection<String> ids() {
            return List.copyOf(index.keySet());
        }
    };

    /** Completes or drops what a crashed writer left in the journal, so that the index reads the final state. */
    private void completeUnfinishedWrites() {
        if (!history.journal().pending()) {
            return;
        }
        try (DirectoryLock lock = history.lock(null, null)) {
            historyProblem = null;
        } catch (RegistryException e) {
            historyProblem = e.getMessage();
        }
    }

    /** Stops following the directory; every later call fails with a {@link RegistryException}. */
    @Override
    public void close() {
        synchronized (changes) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeWatcher();
        if (watchThread != Thread.currentThread()) {
            watchThread.interrupt();
            try {
                watchThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        files.clear();
        index.clear();
        metadataIndex.clear();
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + dir + "]";
    }

    // ------------------------------------------------------------------------------------------- internals

    private void ensureOpen() {
        if (closed) {
            throw new RegistryException("registry is closed", null);
        }
    }

    private TemplateNotFoundException notFound(String id) {
        return new TemplateNotFoundException("no template with this id in " + dir, id);
    }

    private static boolean isTemplateFile(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return false;
        }
        String s = name.toString();
        for (String ext : EXTENSIONS) {
            if (s.endsWith(ext) && s.length() > ext.length()) {
                return true;
            }
        }
        return false;
    }

    /** The file's current fingerprint; null if it is gone or not a regular file. */
    private static Fingerprint fingerprint(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? new Fingerprint(a.lastModifiedTime(), a.size(), a.fileKey()) : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // unreadable: parse it anyway, to report why
            return new Fingerprint(null, -1, e.getClass().getName());
        }
    }

    /**
     * Brings the index entry of {@code id} up to date and returns the file serving it, or null. Called with
     * {@link #changes} held.
     */
    private Path currentFile(String id) {
        drainEvents();
        boolean lookedByName = false;
        for (int attempt = 0; attempt < 16; attempt++) {
            Path file = index.get(id);
            if (file == null) {
                if (lookedByName || !findByName(id)) {
                    return null;
                }
                lookedByName = true;
                continue;
            }
            if (!refresh(file)) {
                return file;
            }
        }
        return index.get(id); // the files keep changing under us: serve what we have
    }

    /** Whether {@code <id>.yaml} or {@code <id>.yml} exists and is not what the index holds. Takes no lock. */
    private boolean newFileNamedAfter(String id) {
        for (Path candidate : filesNamedAfter(id)) {
            Fingerprint now = fingerprint(candidate);
            FileEntry known = files.get(candidate);
            if (now != null && (known == null || !known.fingerprint.equals(now))) {
                return true;
            }
        }
        return false;
    }

    /** Reads {@code <id>.yaml} and {@code <id>.yml} if present and not current; true if the index changed. */
    private boolean findByName(String id) {
        boolean changed = false;
        for (Path candidate : filesNamedAfter(id)) {
            if (Files.exists(candidate)) {
                changed |= refresh(candidate);
            }
        }
        return changed;
    }

    /** The files a template with this id would be saved as, if the id can be a file name. */
    private List<Path> filesNamedAfter(String id) {
        if (id.isEmpty() || id.equals(".") || id.equals("..") || id.indexOf('/') >= 0 || id.indexOf('\\') >= 0
                || id.indexOf('\0') >= 0) {
            return List.of();
        }
        List<Path> out = new ArrayList<>(EXTENSIONS.length);
        for (String ext : EXTENSIONS) {
            try {
                Path candidate = dir.resolve(id + ext);
                if (dir.equals(candidate.getParent())) {
                    out.add(candidate);
                }
            } catch (InvalidPathException notAFileName) {
                return List.of();
            }
        }
        return out;
    }

    /**
     * Makes the entry of {@code file} match the disk: reads it if it is new or changed, forgets it if it is gone.
     * Called with {@link #changes} held.
     *
     * @return whether anything changed
     */
    private boolean refresh(Path file) {
        // the fingerprint is taken before reading, so a write racing with the read leaves a fingerprint that no
        // longer matches, and the next look reads the file again
        Fingerprint now = fingerprint(file);
        FileEntry old = files.get(file);
        if (now == null) {
            if (old == null) {
                return unindexOrphans(file);
            }
            files.remove(file);
            unindex(file, old.result.id());
            changed();
            return true;
        }
        if (old != null && old.fingerprint.equals(now)) {
            return false;
        }
        install(file, new FileEntry(now, SpecYaml.parse(file), tick));
        return true;
    }

    /** Removes ids the index still serves from {@code file}, which is gone and no longer tracked. */
    private boolean unindexOrphans(Path file) {
        boolean removed = false;
        for (Map.Entry<String, Path> e : new ArrayList<>(index.entrySet())) {
            if (e.getValue().equals(file)) {
                unindex(file, e.getKey());
                if (file.equals(index.get(e.getKey()))) { // not even listed among the files declaring the id
                    TreeSet<Path> declaring = filesById.get(e.getKey());
                    Path serving = declaring == null || declaring.isEmpty() ? null : serving(declaring);
                    if (serving == null) {
                        index.remove(e.getKey(), file);
                    } else {
                        index.put(e.getKey(), serving);
                    }
                    indexMetadata(e.getKey(), serving);
                }
                removed = true;
            }
        }
        if (removed) {
            changed();
        }
        return removed;
    }

    /** Called with {@link #changes} held. */
    private void install(Path file, FileEntry entry) {
        FileEntry old = files.put(file, entry);
        // indexed before unindexing, so that readers (who take no lock) never find a rewritten file's id missing
        index(file, entry.result.id());
        if (old != null && !Objects.equals(old.result.id(), entry.result.id())) {
            unindex(file, old.result.id());
        }
        changed();
    }

    /** A new reading of {@code file} if it changed since the last, else null. Pure: safe on any thread. */
    private FileEntry readIfChanged(Path file) {
        Fingerprint now = fingerprint(file);
        FileEntry old = files.get(file);
        if (now == null || (old != null && old.fingerprint.equals(now))) {
            return null;
        }
        return new FileEntry(now, SpecYaml.parse(file), tick);
    }

    private void index(Path file, String id) {
        if (id != null) {
            TreeSet<Path> declaring = filesById.computeIfAbsent(id, k -> new TreeSet<>());
            declaring.add(file);
            Path serving = serving(declaring);
            index.put(id, serving);
            indexMetadata(id, serving);
        }
    }

    /** Called with {@link #changes} held; {@code serving} null when no file declares the id any more. */
    private void indexMetadata(String id, Path serving) {
        FileEntry entry = serving == null ? null : files.get(serving);
        metadataIndex.put(id, entry != null && entry.result.ok() ? entry.result.spec() : null);
    }

    private void unindex(Path file, String id) {
        if (id == null) {
            return;
        }
        TreeSet<Path> declaring = filesById.get(id);
        if (declaring == null) {
            return;
        }
        declaring.remove(file);
        if (declaring.isEmpty()) {
            filesById.remove(id);
            index.remove(id);
            indexMetadata(id, null);
        } else {
            Path serving = serving(declaring);
            index.put(id, serving);
            indexMetadata(id, serving);
        }
    }

    /** The first valid file in path order, or the first file when none is valid (so that its error is shown). */
    private Path serving(TreeSet<Path> declaring) {
        for (Path p : declaring) {
            FileEntry e = files.get(p);
            if (e != null && e.result.ok()) {
                return p;
            }
        }
        return declaring.first();
    }

    private void changed() {
        generation.incrementAndGet();
    }

    /** Registers every directory under {@code start} and reads the template files that are new or changed. */
    private Set<Path> scanTree(Path start) {
        Set<Path> found = walk(start);
        refreshAll(found);
        return found;
    }

    /**
     * {@link #refresh} of each file, parsing them in parallel when there are many (opening a large prompt directory
     * or writing many templates is mostly parsing). Called with {@link #changes} held.
     */
    private void refreshAll(Collection<Path> files) {
        List<Path> paths = new ArrayList<>(files);
        Map<Path, FileEntry> read = new ConcurrentHashMap<>();
        (paths.size() >= PARALLEL_READ_THRESHOLD ? paths.parallelStream() : paths.stream()).forEach(file -> {
            FileEntry entry = readIfChanged(file);
            if (entry != null) {
                read.put(file, entry);
            }
        });
        read.forEach(this::install);
        for (Path file : paths) {
            if (!read.containsKey(file)) {
                refresh(file); // gone meanwhile, or unchanged (then a no-op)
            }
        }
    }

    /**
     * Watches every directory under {@code start} and returns its template files. The history directory is
     * watched (its changes move the generation) but its files are not templates; the journal is not watched.
     */
    private Set<Path> walk(Path start) {
        Set<Path> found = new HashSet<>();
        long[] historyState = {0};
        unreadableDirs.keySet().removeIf(p -> p.startsWith(start));
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (history.isJournal(d)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    watch(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (history.contains(file)) {
                        if (!history.isBookkeeping(file)) {
                            historyState[0] = historyState[0] * 31 + Objects.hash(file, attrs.size(),
                                    attrs.lastModifiedTime(), attrs.fileKey());
                        }
                    } else if (isTemplateFile(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (file.equals(dir)) {
                        throw e;
                    }
                    if (e instanceof NoSuchFileException || history.contains(file)) {
                        return FileVisitResult.CONTINUE; // deleted while we walked, or not a template
                    }
                    if (isTemplateFile(file)) {
                        found.add(file);
                    } else {
                        unreadableDirs.put(file, "cannot read: " + reason(e));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            if (start.equals(dir)) {
                throw new RegistryException("the prompt directory does not exist", null, dir, 0, e);
            }
        } catch (IOException e) {
            throw new RegistryException("cannot read the prompt directory: " + reason(e), null, dir, 0, e);
        }
        if (start.equals(dir) && historyState[0] != historyFingerprint) {
            historyFingerprint = historyState[0];
            changed(); // the history changed without an event: written by another process or pulled with git
        }
        return found;
    }

    private void watch(Path d) {
        if (watcher == null) {
            return;
        }
        try {
            WatchKey key = d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            // a directory moved within the tree keeps its key: it now stands for the new path
            Path before = dirsByKey.put(key, d);
            if (before != null && !before.equals(d)) {
                keysByDir.remove(before, key);
            }
            keysByDir.put(d, key);
        } catch (ClosedWatchServiceException e) {
            // closing
        } catch (IOException e) {
            watchProblem = "changes under " + d + " are not watched (" + reason(e) + "); they are seen when a"
                    + " template is loaded";
        }
    }

    /** Applies file events as they come, advances {@link #tick}, and scans the tree when events are not enough. */
    private void watchLoop() {
        long checkNanos = TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
        long scanNanos = TimeUnit.MILLISECONDS.toNanos(SCAN_MILLIS);
        long nextTick = System.nanoTime() + checkNanos;
        long nextScan = System.nanoTime() + scanNanos;
        try {
            while (!closed) {
                long wait = Math.max(1, nextTick - System.nanoTime());
                WatchKey key = null;
                if (watcher != null) {
                    key = watcher.poll(wait, TimeUnit.NANOSECONDS);
                } else {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (key != null) {
                    synchronized (changes) {
                        if (closed) {
                            return;
                        }
                        try {
                            process(key);
                            drainEvents();
                        } catch (RuntimeException e) {
                            // the thread must outlive any event it cannot apply: the whole tree is compared instead
                            rescanDue = true;
                        }
                    }
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    tick++;
                    nextTick = now + checkNanos;
                }
                if ((scans && now - nextScan >= 0) || rescanDue) {
                    synchronized (changes) {
                        if (closed) {
                            return;
                        }
                        rescanDue = false;
                        rescanQuietly();
                    }
                    nextScan = System.nanoTime() + scanNanos;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Called with {@link #changes} held. A failed scan (say, a directory vanishing mid-walk) is retried soon. */
    private void rescanQuietly() {
        try {
            rescan();
        } catch (RuntimeException e) {
            rescanDue = true;
        }
    }

    /** Applies events already queued, without waiting; a no-op costing one queue poll when there are none. */
    private void pollEvents() {
        if (watcher == null) {
            return;
        }
        try {
            WatchKey key = watcher.poll();
            if (key != null) {
                synchronized (changes) {
                    process(key);
                    drainEvents();
                }
            }
        } catch (ClosedWatchServiceException e) {
            ensureOpen();
        }
    }

    /** Called with {@link #changes} held. */
    private void drainEvents() {
        if (watcher == null) {
            return;
        }
        try {
            for (WatchKey key = watcher.poll(); key != null; key = watcher.poll()) {
                process(key);
            }
        } catch (ClosedWatchServiceException e) {
            ensureOpen();
        }
    }

    /**
     * Called with {@link #changes} held. Never throws: an event that cannot be applied (say, a directory that
     * vanished while it was scanned) makes the watcher thread compare the whole tree with the index shortly.
     */
    private void process(WatchKey key) {
        Path watched = dirsByKey.get(key);
        try {
            if (watched == null) {
                key.pollEvents();
                return;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                try {
                    apply(watched, event);
                } catch (RuntimeException e) {
                    rescanDue = true;
                }
            }
        } finally {
            if (!key.reset()) {
                dirsByKey.remove(key);
                // a watched directory went away; the events of its files may have come under a path it had before a
                // move, and so been missed: the whole tree is compared with the index once they have settled
                rescanDue = true;
                if (watched != null && keysByDir.remove(watched, key)) {
                    forget(watched);
                }
            }
        }
    }

    private void apply(Path watched, WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            rescan();
            return;
        }
        Path child = watched.resolve((Path) event.context());
        if (history.contains(child)) {
            applyHistoryEvent(child, event);
            return;
        }
        if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
            forget(child);
        } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                scanTree(child); // a new directory: watch it, and read what was created in it before that
            }
        } else if (isTemplateFile(child)) {
            refresh(child);
        }
    }

    /**
     * A file under the history directory changed: a label moved or a version was recorded, perhaps by another
     * process, so cached label lookups must be redone. New directories are watched too.
     */
    private void applyHistoryEvent(Path child, WatchEvent<?> event) {
        if (history.isBookkeeping(child)) {
            return;
        }
        if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
            forget(child);
        } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
            walk(child);
        }
        changed();
    }

    /** {@code path} was deleted or moved away: forget it, and everything under it if it was a directory. */
    private void forget(Path path) {
        if (files.containsKey(path)) {
            refresh(path);
            return;
        }
        if (keysByDir.containsKey(path) || files.keySet().stream().anyMatch(file -> file.startsWith(path))) {
            // a directory went away: its subtree's events can arrive under stale paths or not at all, so the
            // watcher thread also compares the whole tree with the index once they have settled
            rescanDue = true;
            for (Path file : new ArrayList<>(files.keySet())) {
                if (file.startsWith(path)) {
                    refresh(file);
                }
            }
            for (Map.Entry<Path, WatchKey> e : new ArrayList<>(keysByDir.entrySet())) {
                if (e.getKey().startsWith(path) && !Files.isDirectory(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                    keysByDir.remove(e.getKey());
                    dirsByKey.remove(e.getValue(), e.getKey());
                    e.getValue().cancel();
                }
            }
            unreadableDirs.keySet().removeIf(p -> p.startsWith(path));
        }
    }

    /** Events were lost: compare the whole tree with the index. */
    private void rescan() {
        Set<Path> found = scanTree(dir);
        Set<Path> known = new HashSet<>(files.keySet());
        known.addAll(index.values()); // an id the index still serves from a file it no longer tracks
        for (Path file : known) {
            if (!found.contains(file)) {
                refresh(file);
            }
        }
        // a file moved and then deleted can leave its old path among those declaring an id, which would then
        // serve the id from nowhere: only files that exist may declare ids
        for (String id : new ArrayList<>(filesById.keySet())) {
            TreeSet<Path> declaring = filesById.get(id);
            if (declaring.removeIf(p -> !found.contains(p))) {
                Path serving = declaring.isEmpty() ? null : serving(declaring);
                if (serving == null) {
                    filesById.remove(id);
                    index.remove(id);
                } else {
                    index.put(id, serving);
                }
                indexMetadata(id, serving);
                changed();
            }
        }
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /**
     * A name for a new template file: {@code <id>.yaml}, or {@code <id>-2.yaml}... if that name is taken (on disk,
     * in the index, or by another new file of the same write).
     */
    private Path freeFileName(String id, Set<Path> taken) {
        Path candidate = dir.resolve(id + ".yaml");
        for (int n = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) || files.containsKey(candidate)
                || taken.contains(candidate); n++) {
            candidate = dir.resolve(id + "-" + n + ".yaml");
        }
        return candidate;
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

}
