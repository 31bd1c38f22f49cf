package io.promptlightning;

import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import io.promptlightning.internal.Authors;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.GetOp;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;

/**
 * Templates in an LMDB database, in the original library's on-disk format, so that a database written by either
 * implementation opens in the other: one environment directory ({@code data.mdb}, {@code lock.mdb}) with the
 * named databases {@code templates} (id → MessagePack record), {@code version_index} ({@code "id:version"} → id)
 * and {@code metadata} ({@code count}, {@code last_modified}).
 *
 * <pre>{@code
 * try (LmdbRegistry registry = LmdbRegistry.open(Path.of("templates.lmdb"))) {
 *     TemplateSpec spec = registry.load("summarizer");
 * }
 * }</pre>
 *
 * <p>History lives in databases of our own beside the original's three, which stay exactly as the original
 * writes them (so it still reads the latest version of every template): {@code pl_versions} ({@code id\0version} →
 * every saved version with who, when and the message), {@code pl_labels} ({@code id\0label} → version),
 * {@code pl_label_history} ({@code id\0sequence} → each move, appended), {@code pl_index} ({@code key\0value\0id}
 * for searching metadata) and {@code pl_info}. A write by the original only touches its own databases; our next
 * write records the versions it left and rebuilds the index, and reads meanwhile fall back to its records.
 *
 * <p>Where the original is wrong we differ, and say so: {@link #load(String, String)} answers with the version
 * asked for (the original returns the latest content whatever version is asked); {@code count} is always the
 * number of templates (the original's grows each time an existing id is saved again); a write that does not fit
 * in the memory map grows the map and is retried (the original fails with {@code MapFullError}); a backup is
 * LMDB's own consistent copy (the original copies the live file).
 *
 * <p>Reads run in parallel on LMDB snapshots without any lock of ours, reusing pooled read transactions so that
 * not even LMDB's reader-table mutex is taken on the hot path. Writes are single LMDB transactions, so a reader,
 * in this process or another, sees a save or delete entirely or not at all. Several processes may use one
 * database at once. Opening the same directory twice in one process shares one LMDB environment, because LMDB
 * forbids two in a process (closing one would drop the other's file locks).
 *
 * <p>The original reads every record we write as MessagePack; its template model can only accept templates
 * that use what it knows, so a template declaring one of our added input types (such as {@code integer} or
 * {@code enum}) is ours alone.
 */
public final class LmdbRegistry implements Registry {
    /** The original's map size: 100 MiB. It is only an initial size here, since a full map grows. */
    public static final long DEFAULT_MAP_SIZE = 100L * 1024 * 1024;

    /** How often a background check looks for writes by other processes (see {@link #generation()}). */
    static final long CHANGE_POLL_MILLIS = 100;
    /** Decoded records kept for reuse while their stored bytes are unchanged, counted in stored bytes. */
    static final long DECODED_CACHE_BYTES = 64L * 1024 * 1024;

    static final int MAX_DBS = 12;
    /** From this many templates, a batch encodes its records on several threads. */
    private static final int PARALLEL_ENCODE_THRESHOLD = 64;
    static final String TEMPLATES = "templates";
    static final String VERSION_INDEX = "version_index";
    static final String METADATA = "metadata";
    static final String COUNT_KEY = "count";
    static final String LAST_MODIFIED_KEY = "last_modified";
    static final String VERSIONS = "pl_versions";
    static final String LABELS = "pl_labels";
    static final String LABEL_HISTORY = "pl_label_history";
    static final String INDEX = "pl_index";
    static final String INFO = "pl_info";
    /** CRC-32C of every value we write, keyed by a letter naming its database, a NUL, and its key. */
    static final String CHECKSUMS = "pl_checksums";
    private static final List<String> OPTIONAL_DBS = List.of(VERSIONS, LABELS, LABEL_HISTORY, INDEX, INFO, CHECKSUMS);
    /** How many times 20 ms an empty or short data file is looked at again, in case it is being created. */
    private static final int CREATION_WAITS = 25;
    /** In {@code pl_info}: the transaction of our last write, which kept history and index current. */
    static final String INDEXED_TXN = "indexed_txn";
    /** In {@code pl_info}: the transaction from which every value we keep has its checksum. */
    static final String CHECKSUMMED = "checksummed_txn";
    /** In {@code pl_info}: the last label move's sequence number. */
    static final String LABEL_SEQUENCE = "label_sequence";

    /** One environment per directory in this process (LMDB forbids two); keyed by real path. */
    private static final Map<Path, Store> STORES = new HashMap<>();

    private final Path dir;
    private final Store store;
    private final boolean readOnly;
    private volatile boolean closed;

    private LmdbRegistry(Path dir, Store store, boolean readOnly) {
        this.dir = dir;
        this.store = store;
        this.readOnly = readOnly;
    }

    /**
     * Opens the database in {@code dir} for reading and writing, creating the directory and an empty database
     * when there is none, with the default map size.
     *
     * @throws RegistryException naming the path if it is not a directory, cannot be used, or holds no LMDB
     *                           database
     */
    public static LmdbRegistry open(Path dir) {
        return builder(dir).build();
    }

    /**
     * Checks the database in {@code dir} end to end without changing it: the data file against its meta pages,
     * every page reachable, every record, version, label and label move decoded and matched against its checksum,
     * {@code count} exact, the version index and the metadata index consistent with the templates, every label
     * pointing at a stored version.
     *
     * <p>The check runs in a child JVM (the same Java, on this process's class path), so that a crash inside LMDB's C
     * code on a damaged file becomes a problem in the report instead of the end of this process. Where no child
     * can be started on this class path (an application packed as a nested jar), it runs in this process, after
     * the same page-by-page check of the file that every open makes.
     *
     * @return the report; its problems each end with what to do
     */
    public static VerifyReport verify(Path dir) {
        return LmdbVerification.inChildProcess(dir);
    }

    /** {@link #verify} in this process: what the child process runs. */
    static VerifyReport verifyInThisProcess(Path dir) {
        List<Problem> problems = new ArrayList<>();
        Path dataFile = dir.resolve(LmdbFile.DATA_FILE);
        if (!Files.isRegularFile(dataFile)) {
            problems.add(new Problem(dir, 0, null, "no LMDB database here: there is no " + LmdbFile.DATA_FILE));
            return new VerifyReport("lmdb", dir, 0, 0, problems);
        }
        LmdbRegistry registry;
        try {
            registry = builder(dir).readOnly(true).build(); // checks the header and walks every page first
        } catch (RegistryException e) {
            problems.add(new Problem(e.file() == null ? dir : e.file(), 0, null, e.detail()));
            return new VerifyReport("lmdb", dir, 0, 0, problems);
        }
        long templates = 0;
        long versions = 0;
        try (registry) {
            List<String> ids;
            try {
                ids = registry.listIds(); // a changed template id fails its checksum here
            } catch (PromptLightningException e) {
                problems.add(new Problem(dataFile, 0, e.templateId(), e.detail()));
                return new VerifyReport("lmdb", dir, 0, 0, problems);
            }
            for (String id : ids) {
                try {
                    TemplateHistory history = registry.history(id); // decodes and checks every version and move
                    templates++;
                    versions += history.versions().size();
                    Set<String> known = new HashSet<>();
                    history.versions().forEach(v -> known.add(v.spec().version()));
                    history.labels().forEach((label, version) -> {
                        if (!known.contains(version)) {
                            problems.add(new Problem(dataFile, 0, id, "the label '" + label + "' points at version "
                                    + version + ", which is not stored; move the label ('promptlightning label')"));
                        }
                    });
                } catch (PromptLightningException e) {
                    problems.add(new Problem(dataFile, 0, id, e.detail()));
                }
            }
            problems.addAll(registry.checkConsistency(ids));
        }
        return new VerifyReport("lmdb", dir, templates, versions, problems);
    }

    /**
     * What only a database we wrote last can be held to: {@code count} exact, the version index and the metadata
     * index matching the templates (a checksum for every template id is checked by {@link #listIds}).
     */
    private List<Problem> checkConsistency(List<String> ids) {
        Path dataFile = dir.resolve(LmdbFile.DATA_FILE);
        String restore = "; restore the database from a backup, or save the template again";
        return read(r -> {
            List<Problem> found = new ArrayList<>();
            if (!store.isFresh(r)) {
                return found; // the original wrote last: our next write brings its databases up to date
            }
            ByteBuffer count = r.setKey(COUNT_KEY) ? store.metadata.get(r.txn, r.key) : null;
            Object stored;
            try {
                stored = count == null ? null : MsgPackCodec.decode(count);
            } catch (IllegalArgumentException e) {
                stored = "unreadable";
            }
            if (!Long.valueOf(ids.size()).equals(stored)) {
                found.add(new Problem(dataFile, 0, null, "the stored 'count' is " + stored + " but the database holds "
                        + ids.size() + " templates; the next save corrects it"));
            }
            Set<String> expectedIndex = new HashSet<>();
            for (String id : ids) {
                ByteBuffer value = r.setKey(id) ? store.templates.get(r.txn, r.key) : null;
                if (value == null) {
                    continue;
                }
                TemplateSpec spec;
                try {
                    spec = toSpec(id, decodeRecord(id, value));
                } catch (ValidationException e) {
                    continue; // reported with the template
                }
                for (String entry : IndexEntries.of(spec)) {
                    String key = entry + '\0' + id;
                    if (key.getBytes(StandardCharsets.UTF_8).length <= store.maxKeySize) { // longer ones are not kept
                        expectedIndex.add(key);
                    }
                }
                ByteBuffer versionKey = r.setKey(id + ":" + spec.version()) ? store.versionIndex.get(r.txn, r.key)
                        : null;
                if (versionKey == null || !utf8(versionKey).equals(id)) {
                    found.add(new Problem(dataFile, 0, id, "the version index has no entry for its latest version "
                            + spec.version() + restore));
                }
            }
            Set<String> index = new HashSet<>();
            if (store.index != null) {
                try (Cursor<ByteBuffer> cursor = store.index.openCursor(r.txn)) {
                    if (cursor.first()) {
                        do {
                            index.add(utf8(cursor.key()));
                        } while (cursor.next());
                    }
                }
            }
            if (!index.equals(expectedIndex)) {
                Set<String> missing = new TreeSet<>(expectedIndex);
                missing.removeAll(index);
                Set<String> extra = new TreeSet<>(index);
                extra.removeAll(expectedIndex);
                found.add(new Problem(dataFile, 0, null, "the search index differs from the templates' tags and"
                        + " metadata (" + missing.size() + " entries missing, " + extra.size() + " not matching any"
                        + " template); the next save rebuilds what it touches, and 'promptlightning restore' of an"
                        + " export rebuilds all of it"));
            }
            return found;
        });
    }

    /** Options for opening the database in {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** How to open a database; {@link #build()} opens it. */
    public static final class Builder {
        private final Path dir;
        private long mapSize = DEFAULT_MAP_SIZE;
        private boolean readOnly;
        private boolean compressHistory;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * The initial size of the memory map, which bounds the database until a write needs more and the map
         * grows. An existing database keeps its size when that is larger, and a directory already open in this
         * process keeps the size of its open environment.
         */
        public Builder mapSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("mapSize must be positive: " + bytes);
            }
            this.mapSize = bytes;
            return this;
        }

        /**
         * Opens an existing database without ever writing to it: saves and deletes fail, and a missing directory
         * is an error instead of a new database. LMDB still records readers in {@code lock.mdb}.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Stores the versions this registry writes into its history deflated (off by default). Readers need no
         * setting: each stored version says how it is encoded. The {@code templates} records the original reads
         * are never compressed.
         */
        public Builder compressHistory(boolean compress) {
            this.compressHistory = compress;
            return this;
        }

        /** @throws RegistryException naming the path when it cannot be opened as an LMDB database */
        public LmdbRegistry build() {
            Path real = prepareDirectory(dir, readOnly);
            synchronized (STORES) {
                Store store = STORES.get(real);
                if (store == null) {
                    store = Store.open(dir, real, mapSize, readOnly, compressHistory);
                    STORES.put(real, store);
                    store.startChangePoll();
                } else {
                    if (store.readOnly && !readOnly) {
                        throw new RegistryException("the database is already open read-only in this process; close"
                                + " it before opening it for writing", null, dir, 0, null);
                    }
                    store.references++;
                    store.compressHistory |= compressHistory;
                }
                return new LmdbRegistry(dir, store, readOnly);
            }
        }
    }

    private static Path prepareDirectory(Path dir, boolean readOnly) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new RegistryException("not an LMDB database: it is a file, and an LMDB registry is a"
                            + " directory holding data.mdb and lock.mdb", null, dir, 0, null);
                }
                if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                    throw new RegistryException("cannot read the LMDB database directory (permission denied)",
                            null, dir, 0, null);
                }
            } else if (readOnly) {
                throw new RegistryException("no LMDB database here: the directory does not exist", null, dir, 0,
                        null);
            } else {
                Files.createDirectories(dir);
            }
            return dir.toRealPath();
        } catch (IOException e) {
            throw new RegistryException("cannot use the LMDB database directory: " + e, null, dir, 0, e);
        }
    }

    /**
     * Every template id in LMDB key order (bytewise UTF-8, as the original lists them). A key that is not valid
     * UTF-8, which neither implementation writes, is listed with replacement characters. The list is kept until
     * the next write to the database (by any process), so listing an unchanged database costs one transaction.
     */
    @Override
    public List<String> listIds() {
        return read(r -> {
            long snapshot = r.snapshot();
            IdList cached = store.ids;
            if (cached != null && cached.snapshot == snapshot) {
                return cached.ids;
            }
            List<String> ids = new ArrayList<>();
            byte[] scratch = new byte[store.maxKeySize];
            boolean keysChecked = store.isFresh(r) && sumsRequired(r.txn);
            try (Cursor<ByteBuffer> cursor = store.templates.openCursor(r.txn)) {
                if (cursor.first()) {
                    do {
                        ids.add(keyText(cursor.key(), scratch));
                        if (keysChecked && expectedSum(r.txn, TEMPLATE_SUM, cursor.key(), true) == MISSING_SUM) {
                            requireSum(ids.get(ids.size() - 1), "the id of this template", 0, MISSING_SUM);
                        }
                    } while (cursor.next());
                }
            }
            List<String> list = List.copyOf(ids);
            store.ids = new IdList(snapshot, list);
            return list;
        });
    }

    /** Key bytes as text: strict UTF-8 is what both implementations write; anything else gets replacements. */
    private static String keyText(ByteBuffer key, byte[] scratch) {
        int n = key.remaining();
        key.duplicate().get(scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * @throws TemplateNotFoundException if there is no template with this id
     * @throws ValidationException       naming the id if its stored record is not valid MessagePack or not a valid
     *                                   template; other ids still load
     */
    @Override
    public TemplateSpec load(String id) {
        Objects.requireNonNull(id, "id");
        Object found = read(r -> {
            TemplateSpec known = store.verified(id, r.snapshot());
            if (known != null) {
                return known;
            }
            ByteBuffer value = r.setKey(id) ? store.templates.get(r.txn, r.key) : null;
            if (value == null) {
                return null;
            }
            Object decoded = store.decoded(id, value, r.snapshot()); // copies the value before the next get
            // the original rewrites its records without checksums: ours hold only while we wrote last
            return decoded instanceof byte[] copy ? new Unverified(copy, store.isFresh(r)
                    ? expectedSum(r.txn, TEMPLATE_SUM, r.key, sumsRequired(r.txn)) : NO_SUM) : decoded;
        });
        if (found == null) {
            throw new TemplateNotFoundException("no such template", id);
        }
        return found instanceof TemplateSpec spec ? spec : decode(id, (Unverified) found);
    }

    /** A stored value copied out of its transaction with its checksum ({@link #NO_SUM} if it has none). */
    private record Unverified(byte[] stored, long sum) {
    }

    /**
     * Decodes a record copied out of its read transaction (so that LMDB's snapshot is not held while decoding) and
     * remembers it with the bytes it came from.
     */
    private TemplateSpec decode(String id, Unverified found) {
        requireSum(id, "its record", crc(ByteBuffer.wrap(found.stored())), found.sum());
        TemplateSpec spec = toSpec(id, decodeRecord(id, ByteBuffer.wrap(found.stored())));
        store.remember(id, found.stored(), spec);
        return spec;
    }

    /** The number of templates, exact even for a database whose stored {@code count} the original over-counted. */
    public long count() {
        return read(r -> store.templates.stat(r.txn).entries);
    }

    /**
     * When a template was last saved or deleted (whole seconds, as the original stores it), or empty for a
     * database never written to.
     *
     * @throws RegistryException if the stored value is not an integer
     */
    public Optional<Instant> lastModified() {
        Object value = read(r -> {
            ByteBuffer raw = r.setKey(LAST_MODIFIED_KEY) ? store.metadata.get(r.txn, r.key) : null;
            try {
                return raw == null ? null : MsgPackCodec.decode(raw);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("the stored 'last_modified' is not readable: " + e.getMessage(), null,
                        dir, 0, e);
            }
        });
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long)) {
            throw new RegistryException("the stored 'last_modified' is not an integer number of seconds", null, dir,
                    0, null);
        }
        return Optional.of(Instant.ofEpochSecond((Long) value));
    }

    /**
     * A number that changes whenever a write is committed to the database: the id of LMDB's last committed
     * transaction, as last seen. A write through this process is reflected as soon as it commits; a write by
     * another process within {@value #CHANGE_POLL_MILLIS} ms, when a background check of this process (one
     * thread for every database open) next reads the transaction id. Reading it is a volatile read, so a cache
     * can check it on every lookup.
     */
    @Override
    public long generation() {
        if (closed) {
            throw closedException();
        }
        return store.generation.get();
    }

    // ------------------------------------------------------------------------------------ versions and labels

    /**
     * @throws TemplateNotFoundException for an unknown template, or an unknown version (listing the known ones)
     * @throws ValidationException       naming the id if the stored version is not readable
     */
    @Override
    public TemplateSpec load(String id, String version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        TemplateSpec spec = versionOrNull(id, version);
        if (spec == null) {
            throw unknownVersion(id, version);
        }
        return spec;
    }

    @Override
    public TemplateSpec resolve(TemplateRef ref) {
        Objects.requireNonNull(ref, "ref");
        String id = ref.id();
        if (ref.version() != null) {
            return load(id, ref.version());
        }
        String label = ref.label();
        if (label == null || Labels.LATEST.equals(label)) {
            return load(id);
        }
        Object found = read(r -> {
            if (!store.isFresh(r)) {
                return STALE;
            }
            String version = labelTarget(r, id, label);
            if (version == null) {
                return null;
            }
            Object spec = recordedVersion(r, id, version);
            return spec == null ? new Dangling(version) : spec;
        });
        if (found == STALE) {
            String version = read(r -> labelTarget(r, id, label));
            found = version == null ? null : versionOrNull(id, version);
            if (version != null && found == null) {
                found = new Dangling(version);
            }
        }
        if (found == null) {
            Map<String, String> labels = labels(id); // an unknown template fails here
            throw new TemplateNotFoundException("no label '" + label + "' on this template; labels: "
                    + String.join(", ", labels.keySet()), id);
        }
        if (found instanceof Dangling) {
            String version = ((Dangling) found).version;
            throw new TemplateNotFoundException("the label '" + label + "' points at version " + version
                    + ", which no longer exists; versions: " + versionList(id), id);
        }
        return materialize(id, found);
    }

    @Override
    public List<VersionInfo> versions(String id) {
        Objects.requireNonNull(id, "id");
        TemplateSpec latest = load(id);
        List<VersionInfo> versions = read(r -> {
            List<VersionInfo> out = new ArrayList<>();
            if (store.versions != null && r.setKey(id, "")) {
                forEachChecked(store.versions, VERSION_SUM, r.txn, r.key, id, (suffix, value) -> out.add(
                        decodeStored(id, suffix, value, false).info()));
            }
            return out;
        });
        if (versions.stream().noneMatch(v -> v.version().equals(latest.version()))) {
            versions.add(new VersionInfo(latest.version(), null, null, null));
        }
        versions.sort(Comparator.comparing(VersionInfo::version, Versions.ORDER));
        return versions;
    }

    @Override
    public Map<String, String> labels(String id) {
        Objects.requireNonNull(id, "id");
        TemplateSpec latest = load(id);
        Map<String, String> labels = new TreeMap<>();
        labels.put(Labels.LATEST, latest.version());
        read(r -> {
            if (store.labels != null && r.setKey(id, "")) {
                forEachChecked(store.labels, LABEL_SUM, r.txn, r.key, id, (label, value) -> labels.put(label,
                        utf8(value)));
            }
            return null;
        });
        return labels;
    }

    @Override
    public List<LabelMove> labelHistory(String id) {
        Objects.requireNonNull(id, "id");
        return read(r -> {
            List<LabelMove> moves = new ArrayList<>();
            if (store.labelHistory != null && r.setKey(id, "")) {
                forEachChecked(store.labelHistory, MOVE_SUM, r.txn, r.key, id, (sequence, value) -> moves.add(
                        decodeMove(id, value)));
            }
            return moves;
        });
    }

    /**
     * {@inheritDoc} In LMDB the template's record in {@code templates} and its {@code version_index} entry are
     * replaced as the original does, and the version is added to our {@code pl_versions} database in the same
     * transaction.
     */
    @Override
    public void save(TemplateSpec spec, SaveOptions options) {
        saveAll(List.of(spec), options, false);
    }

    /**
     * A save for a migration, which makes the database hold what the prompt directory holds: it keeps an id that
     * is not a valid new id (the original accepted them, and refusing them would lose them) and replaces a version
     * whose file was edited without a new version number.
     */
    void saveMigrated(TemplateSpec spec) {
        saveAll(List.of(spec), SaveOptions.message("migrated").forced(), true);
    }

    @Override
    public void saveAll(Collection<TemplateSpec> specs, SaveOptions options) {
        saveAll(specs, options, false);
    }

    private void saveAll(Collection<TemplateSpec> specs, SaveOptions options, boolean keepLegacyId) {
        Objects.requireNonNull(specs, "specs");
        Objects.requireNonNull(options, "options");
        requireWritable();
        List<TemplateSpec> list = List.copyOf(specs);
        for (TemplateSpec spec : list) {
            keyBuffer(spec.id() + ":" + spec.version(), "the version index key", spec.id());
        }
        // encoded (and deflated) before the write transaction, many at once: a writer holds the database's lock
        byte[][] records = new byte[list.size()][];
        Map<byte[], byte[]> deflated = Collections.synchronizedMap(new IdentityHashMap<>());
        IntStream indexes = IntStream.range(0, list.size());
        (list.size() >= PARALLEL_ENCODE_THRESHOLD ? indexes.parallel() : indexes).forEach(i -> {
            records[i] = encode(list.get(i));
            if (store.compressHistory) {
                deflated.put(records[i], LmdbHistoryValues.deflate(records[i]));
            }
        });
        write(txn -> {
            Writer w = new Writer(txn);
            w.deflatedRecords = deflated;
            for (int i = 0; i < list.size(); i++) {
                w.save(list.get(i), records[i], options, keepLegacyId);
            }
            w.finish();
            return null;
        });
    }

    /**
     * Removes the template, its version index entries, its versions and labels (the label history keeps their
     * removal), and updates {@code count} and {@code last_modified}, in one transaction.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    @Override
    public void delete(String id) {
        deleteAll(List.of(id));
    }

    @Override
    public void deleteAll(Collection<String> ids) {
        Objects.requireNonNull(ids, "ids");
        requireWritable();
        List<String> list = List.copyOf(ids);
        write(txn -> {
            Writer w = new Writer(txn);
            for (String id : list) {
                w.delete(id);
            }
            w.finish();
            return null;
        });
        list.forEach(store::forget);
    }

    @Override
    public void deleteVersion(String id, String version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        requireWritable();
        write(txn -> {
            Writer w = new Writer(txn);
            w.deleteVersion(id, version);
            w.finish();
            return null;
        });
    }

    @Override
    public Optional<LabelMove> moveLabel(String id, String label, String version, String message) {
        Objects.requireNonNull(id, "id");
        Labels.requireMovable(label, id);
        Objects.requireNonNull(version, "version");
        requireWritable();
        return write(txn -> {
            Writer w = new Writer(txn);
            Optional<LabelMove> move = w.moveLabel(id, label, version, message);
            w.finish();
            return move;
        });
    }

    @Override
    public LabelMove removeLabel(String id, String label, String message) {
        Objects.requireNonNull(id, "id");
        Labels.requireMovable(label, id);
        requireWritable();
        return write(txn -> {
            Writer w = new Writer(txn);
            LabelMove removal = w.removeLabel(id, label, message);
            w.finish();
            return removal;
        });
    }

    /**
     * {@inheritDoc} The index ({@code pl_index}: {@code key\0value\0id}) is kept by every write of ours; after a
     * write by another program (the original library) it is stale until our next write rebuilds it, and a search
     * meanwhile reads the templates instead.
     */
    @Override
    public List<String> search(Collection<String> tags, Map<String, String> metadata) {
        List<String[]> criteria = new ArrayList<>();
        for (String tag : tags) {
            criteria.add(new String[] {TAGS, Objects.requireNonNull(tag, "tag")});
        }
        metadata.forEach((k, v) -> criteria.add(new String[] {Objects.requireNonNull(k, "key"),
                Objects.requireNonNull(v, "value")}));
        if (criteria.isEmpty()) {
            return listIds();
        }
        Object found = read(r -> {
            if (!store.isFresh(r) || store.index == null) {
                return STALE;
            }
            List<IndexedIds> matches = new ArrayList<>();
            for (String[] c : criteria) {
                matches.add(indexedIds(r, c[0], c[1]));
            }
            matches.sort(Comparator.comparingInt(m -> m.ids().size()));
            List<String> ids = new ArrayList<>();
            for (String id : matches.get(0).ids()) {
                boolean all = true;
                for (int i = 1; i < matches.size() && all; i++) {
                    all = matches.get(i).set().contains(id);
                }
                if (all) {
                    ids.add(id);
                }
            }
            return ids;
        });
        if (found != STALE) {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) found;
            return ids;
        }
        List<String> ids = new ArrayList<>();
        for (String id : listIds()) {
            try {
                Set<String> keys = IndexEntries.of(load(id));
                if (criteria.stream().allMatch(c -> keys.contains(IndexEntries.key(c[0], c[1])))) {
                    ids.add(id);
                }
            } catch (TemplateNotFoundException | ValidationException gone) {
                // deleted meanwhile, or an unreadable record: not a match
            }
        }
        return ids;
    }

    /**
     * The ids with the index entry {@code key\0value} in the reader's snapshot, read once per snapshot: repeated
     * searches then intersect in memory.
     */
    private IndexedIds indexedIds(Reader r, String key, String value) {
        String entry = IndexEntries.key(key, value);
        long snapshot = r.snapshot();
        IndexedIds known = store.indexedIds.get(entry);
        if (known != null && known.snapshot() == snapshot) {
            return known;
        }
        List<String> ids = new ArrayList<>();
        if (r.setKey(key, value, "")) {
            forEachWithPrefix(store.index, r.txn, r.key, (id, ignored) -> ids.add(id));
        }
        IndexedIds read = new IndexedIds(snapshot, List.copyOf(ids), new HashSet<>(ids));
        if (store.indexedIdCount.addAndGet(ids.size()) > MAX_INDEXED_IDS) {
            store.indexedIds.clear();
            store.indexedIdCount.set(ids.size());
        }
        store.indexedIds.put(entry, read);
        return read;
    }

    @Override
    public RegistryStats stats() {
        long[] counts = read(r -> new long[] {
                store.templates.stat(r.txn).entries,
                store.versions == null ? 0 : store.versions.stat(r.txn).entries,
                store.labels == null ? 0 : store.labels.stat(r.txn).entries,
                store.isFresh(r) ? 1 : 0});
        long versions = counts[1];
        if (counts[3] == 0) { // another program wrote: count the latest versions it left unrecorded
            for (String id : listIds()) {
                try {
                    TemplateSpec latest = load(id);
                    if (read(r -> store.versions == null || !r.setKey(id, latest.version())
                            || store.versions.get(r.txn, r.key) == null)) {
                        versions++;
                    }
                } catch (PromptLightningException unreadable) {
                    // counted as a template, not as a version
                }
            }
        }
        long used;
        long mapSize;
        store.enter();
        try {
            EnvInfo info = store.env.info();
            mapSize = info.mapSize;
            used = (info.lastPageNumber + 1) * store.env.stat().pageSize;
        } finally {
            store.exit();
        }
        return new RegistryStats(counts[0], versions, counts[2], mapSize, used, lastModified().orElse(null));
    }

    @Override
    public TemplateHistory history(String id) {
        TemplateSpec latest = load(id);
        List<SavedVersion> versions = read(r -> {
            List<SavedVersion> out = new ArrayList<>();
            if (store.versions != null && r.setKey(id, "")) {
                forEachChecked(store.versions, VERSION_SUM, r.txn, r.key, id, (version, value) -> {
                    LmdbHistoryValues.StoredVersion stored = decodeStored(id, version, value, true);
                    out.add(new SavedVersion(specOf(id, stored.record()), stored.info()));
                });
            }
            return out;
        });
        if (versions.stream().noneMatch(v -> v.spec().version().equals(latest.version()))) {
            versions.add(new SavedVersion(latest, new VersionInfo(latest.version(), null, null, null)));
        }
        versions.sort(Comparator.comparing(v -> v.spec().version(), Versions.ORDER));
        Map<String, String> labels = new TreeMap<>(labels(id));
        labels.remove(Labels.LATEST);
        return new TemplateHistory(id, versions, latest.version(), labels, labelHistory(id));
    }

    @Override
    public void importHistory(Collection<TemplateHistory> histories, ImportMode mode) {
        Objects.requireNonNull(histories, "histories");
        Objects.requireNonNull(mode, "mode");
        requireWritable();
        List<TemplateHistory> list = List.copyOf(histories);
        Map<String, TemplateHistory> byId = new HashMap<>();
        List<List<byte[]>> records = new ArrayList<>();
        for (TemplateHistory history : list) {
            String id = history.id();
            if (byId.put(id, history) != null) {
                throw new ValidationException("the template appears twice in the import", id);
            }
            keyBuffer(id, "the template id", id);
            Set<String> seen = new HashSet<>();
            List<byte[]> encoded = new ArrayList<>();
            for (SavedVersion v : history.versions()) {
                if (!v.spec().id().equals(id)) {
                    throw new ValidationException("version " + v.spec().version() + " holds the template id '"
                            + v.spec().id() + "'", id);
                }
                if (!seen.add(v.spec().version())) {
                    throw new ValidationException("version " + v.spec().version() + " appears twice", id);
                }
                v.spec().compile();
                keyBuffer(id + ":" + v.spec().version(), "the version index key", id);
                encoded.add(encode(v.spec()));
            }
            history.labels().forEach((label, version) -> {
                Labels.requireMovable(label, id);
                if (!seen.contains(version)) {
                    throw new ValidationException("the label '" + label + "' points at version " + version
                            + ", which is not among the versions imported", id);
                }
            });
            for (LabelMove move : history.labelHistory()) {
                Labels.require(move.label(), id);
                Objects.requireNonNull(move.at(), "label move time");
            }
            records.add(encoded);
        }
        write(txn -> {
            Writer w = new Writer(txn);
            if (mode == ImportMode.REPLACE_ALL) {
                w.dropEverything();
            }
            List<String> existing = new ArrayList<>();
            for (TemplateHistory history : list) {
                if (w.exists(history.id())) {
                    existing.add(history.id());
                }
            }
            if (mode == ImportMode.ADD && !existing.isEmpty()) {
                throw new ValidationException("already in the registry: " + String.join(", ", Ids.sorted(existing))
                        + "; import them replacing what is there, or remove them first", existing.get(0));
            }
            for (String id : existing) {
                w.wipe(id);
                w.deleteWithPrefix(store.labelHistory, MOVE_SUM, compositeKey(id, ""));
            }
            for (int i = 0; i < list.size(); i++) {
                w.importOne(list.get(i), records.get(i));
            }
            w.finish();
            return null;
        });
        store.clearDecoded();
    }

    /**
     * {@inheritDoc} The copy is LMDB's own compacting copy ({@code mdb_env_copy2} with {@code MDB_CP_COMPACT}) of
     * one read snapshot: free pages are left out, so it is often smaller than the database.
     */
    @Override
    public void backup(Path destination) {
        Objects.requireNonNull(destination, "destination");
        if (closed) {
            throw closedException();
        }
        Path target = destination.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegistryException("the backup destination already exists; a backup goes to a new directory",
                    null, target, 0, null);
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new RegistryException("the backup destination's parent directory does not exist", null, target, 0,
                    null);
        }
        try {
            Files.createDirectory(target);
        } catch (IOException e) {
            throw new RegistryException("cannot create the backup directory: " + e, null, target, 0, e);
        }
        boolean done = false;
        store.enter();
        try {
            store.env.copy(target.toFile(), CopyFlags.MDB_CP_COMPACT);
            done = true;
        } catch (LmdbException e) {
            throw new RegistryException("the backup failed: " + e.getMessage(), null, target, 0, e);
        } finally {
            store.exit();
            if (!done) {
                deleteQuietly(target);
            }
        }
    }

    @Override
    public boolean readOnly() {
        return readOnly || store.readOnly;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The label name of the tags list, which {@code --tag} searches. */
    private static final String TAGS = "tags";
    /** A read found that another program wrote after our last write, so our databases may lag behind it. */
    private static final Object STALE = new Object();

    /** A label pointing at a version that is gone. */
    private record Dangling(String version) {
    }

    /** A version's stored value copied out of its transaction, to decode after it. */
    private record PendingVersion(String version, byte[] stored, long sum) {
    }

    /**
     * The version as it was saved. After another program (the original library) rewrote the template's record in
     * place under a saved version, the saved one still wins: that record is an unsaved edit ({@link #unsavedEdit}),
     * served by a plain id only. A version only that program wrote is its record.
     */
    private TemplateSpec versionOrNull(String id, String version) {
        Object found = read(r -> store.isFresh(r) ? recordedVersion(r, id, version) : STALE);
        if (found == STALE) {
            found = read(r -> recordedVersion(r, id, version));
            if (found == null) {
                TemplateSpec latest = loadOrNull(id);
                return latest != null && latest.version().equals(version) ? latest : null;
            }
        }
        return found == null ? null : materialize(id, found);
    }

    /**
     * {@inheritDoc} In LMDB this happens when another program (the original library, whose save rewrites a record
     * in place) stored different content under a version we saved; our next write records nothing over it.
     */
    @Override
    public Optional<String> unsavedEdit(String id) {
        TemplateSpec latest;
        try {
            latest = load(id);
        } catch (ValidationException | RegistryException unreadable) {
            return Optional.empty();
        }
        Object saved = read(r -> recordedVersion(r, id, latest.version()));
        if (saved == null) {
            return Optional.empty();
        }
        TemplateSpec spec = materialize(id, saved);
        return spec.equals(latest) ? Optional.empty() : Optional.of(latest.version());
    }

    private TemplateSpec loadOrNull(String id) {
        try {
            return load(id);
        } catch (TemplateNotFoundException e) {
            return null;
        }
    }

    /** In a read: the version decoded before, or its stored value to decode after the read, or null. */
    private Object recordedVersion(Reader r, String id, String version) {
        String cacheKey = versionCacheKey(id, version);
        TemplateSpec verified = store.verified(cacheKey, r.snapshot());
        if (verified != null) {
            return verified;
        }
        if (store.versions == null || !r.setKey(id, version)) {
            return null;
        }
        ByteBuffer value = store.versions.get(r.txn, r.key);
        if (value == null) {
            return null;
        }
        Object known = store.decoded(cacheKey, value, r.snapshot()); // copies the value before the next get
        return known instanceof byte[] copy ? new PendingVersion(version, copy,
                expectedSum(r.txn, VERSION_SUM, r.key, sumsRequired(r.txn)))
                : known;
    }

    private TemplateSpec materialize(String id, Object found) {
        if (found instanceof TemplateSpec) {
            return (TemplateSpec) found;
        }
        PendingVersion pending = (PendingVersion) found;
        requireSum(id, "its version " + pending.version(), crc(ByteBuffer.wrap(pending.stored())), pending.sum());
        LmdbHistoryValues.StoredVersion stored = decodeStored(id, pending.version(),
                ByteBuffer.wrap(pending.stored()), true);
        TemplateSpec spec = specOf(id, stored.record());
        store.remember(versionCacheKey(id, pending.version()), pending.stored(), spec);
        return spec;
    }

    private static String versionCacheKey(String id, String version) {
        return id + '\0' + version;
    }

    /** The version a label points at in the reader's snapshot, remembered for later reads of the same snapshot. */
    private String labelTarget(Reader r, String id, String label) {
        String cacheKey = versionCacheKey(id, label);
        long snapshot = r.snapshot();
        LabelTarget known = store.labelTargets.get(cacheKey);
        if (known != null && known.snapshot() == snapshot) {
            return known.version();
        }
        String version = null;
        if (store.labels != null && r.setKey(id, label)) {
            ByteBuffer value = store.labels.get(r.txn, r.key);
            if (value != null) {
                version = utf8(value);
                requireSum(id, "its label '" + label + "'", crc(version.getBytes(StandardCharsets.UTF_8)),
                        expectedSum(r.txn, LABEL_SUM, r.key, sumsRequired(r.txn)));
            }
        }
        store.rememberLabel(cacheKey, new LabelTarget(snapshot, version));
        return version;
    }

    private TemplateNotFoundException unknownVersion(String id, String version) {
        String versions = versionList(id); // an unknown template fails here
        return new TemplateNotFoundException("no version " + version + " of this template; versions: " + versions, id);
    }

    private String versionList(String id) {
        return String.join(", ", versions(id).stream().map(VersionInfo::version).toList());
    }

    private LmdbHistoryValues.StoredVersion decodeStored(String id, String version, ByteBuffer value,
            boolean withRecord) {
        try {
            return LmdbHistoryValues.decodeVersion(version, value, withRecord);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("stored version " + version + " is not readable: " + e.getMessage(), id,
                    dir, 0, e);
        }
    }

    private LabelMove decodeMove(String id, ByteBuffer value) {
        try {
            return LmdbHistoryValues.decodeMove(value);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("a stored label move is not readable: " + e.getMessage(), id, dir, 0, e);
        }
    }

    private TemplateSpec specOf(String id, byte[] record) {
        return toSpec(id, decodeRecord(id, ByteBuffer.wrap(record)));
    }

    private static byte[] encode(TemplateSpec spec) {
        try {
            return MsgPackCodec.encode(SpecRecords.toRecord(spec));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("cannot be stored: " + e.getMessage(), spec.id(), null, 0, e);
        }
    }

    private static String utf8(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }

    /** Like {@link #forEachWithPrefix}, refusing a value that does not match its checksum. */
    private void forEachChecked(Dbi<ByteBuffer> db, char tag, Txn<ByteBuffer> txn, ByteBuffer prefix, String id,
            BiConsumer<String, ByteBuffer> action) {
        boolean required = sumsRequired(txn);
        forEachEntry(db, txn, prefix, (suffix, key, value) -> {
            requireSum(id, switch (tag) {
                case VERSION_SUM -> "its version " + suffix;
                case LABEL_SUM -> "its label '" + suffix + "'";
                default -> "a move in its label history";
            }, crc(value), expectedSum(txn, tag, key, required));
            action.accept(suffix, value);
        });
    }

    /** Calls {@code action} with the rest of each key that starts with {@code prefix} (as text) and its value. */
    private static void forEachWithPrefix(Dbi<ByteBuffer> db, Txn<ByteBuffer> txn, ByteBuffer prefix,
            BiConsumer<String, ByteBuffer> action) {
        forEachEntry(db, txn, prefix, (suffix, key, value) -> action.accept(suffix, value));
    }

    private interface EntryAction {
        void accept(String suffix, ByteBuffer key, ByteBuffer value);
    }

    private static void forEachEntry(Dbi<ByteBuffer> db, Txn<ByteBuffer> txn, ByteBuffer prefix,
            EntryAction action) {
        int n = prefix.remaining();
        try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
            boolean found = cursor.get(prefix, GetOp.MDB_SET_RANGE);
            while (found) {
                ByteBuffer key = cursor.key();
                if (!startsWith(key, prefix)) {
                    return;
                }
                ByteBuffer rest = key.duplicate();
                rest.position(rest.position() + n);
                action.accept(utf8(rest), key, cursor.val());
                found = cursor.next();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ checksums

    /** The letters naming, in {@code pl_checksums}, the database a value is in. */
    static final char TEMPLATE_SUM = 'T';
    static final char VERSION_SUM = 'V';
    static final char LABEL_SUM = 'L';
    static final char MOVE_SUM = 'H';
    /** The entries of {@code pl_checksums} themselves, which have no checksum. */
    static final char UNCHECKED = 0;
    /** No checksum is stored: a value the original wrote, or one whose key is too long for a checksum's key. */
    static final long NO_SUM = -1;
    /** No checksum is stored, though one should be. */
    static final long MISSING_SUM = -2;
    private static final ByteBuffer CHECKSUMMED_KEY = infoKey(CHECKSUMMED);

    static long crc(ByteBuffer value) {
        CRC32C crc = new CRC32C();
        crc.update(value.duplicate());
        return crc.getValue();
    }

    static long crc(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return crc.getValue();
    }

    /** The key of a value's checksum: the letter of its database, NUL, its key; null if that is too long. */
    private ByteBuffer sumKey(char tag, ByteBuffer key) {
        if (key.remaining() + 2 > store.maxKeySize) {
            return null;
        }
        ByteBuffer sumKey = ByteBuffer.allocateDirect(key.remaining() + 2);
        sumKey.put((byte) tag).put((byte) 0).put(key.duplicate()).flip();
        return sumKey;
    }

    /** The checksum stored for the value under {@code key}, or {@link #NO_SUM}. Overwrites the transaction's last get. */
    private long storedSum(Txn<ByteBuffer> txn, char tag, ByteBuffer key) {
        Dbi<ByteBuffer> checksums = store.checksums;
        ByteBuffer sumKey = checksums == null ? null : sumKey(tag, key);
        ByteBuffer sum = sumKey == null ? null : checksums.get(txn, sumKey);
        return sum == null || sum.remaining() != 4 ? NO_SUM
                : Integer.toUnsignedLong(sum.duplicate().order(ByteOrder.BIG_ENDIAN).getInt());
    }

    /**
     * The checksum stored for the value under {@code key}; when there is none, {@link #MISSING_SUM} if every value of
     * the database has one ({@code required}), else {@link #NO_SUM}.
     */
    private long expectedSum(Txn<ByteBuffer> txn, char tag, ByteBuffer key, boolean required) {
        long sum = storedSum(txn, tag, key);
        return sum == NO_SUM && required && key.remaining() + 2 <= store.maxKeySize ? MISSING_SUM : sum;
    }

    /** Whether every value of ours in this snapshot has its checksum (written since checksums are kept). */
    private boolean sumsRequired(Txn<ByteBuffer> txn) {
        Dbi<ByteBuffer> info = store.info;
        return info != null && store.checksums != null && info.get(txn, CHECKSUMMED_KEY) != null;
    }

    /** @throws RegistryException naming the template and what of it was damaged, if the checksums differ */
    private void requireSum(String id, String what, long actual, long expected) {
        if (expected == MISSING_SUM) {
            throw new RegistryException("the database is damaged: " + what + " has no checksum, though every value"
                    + " written here has one (its key was changed, or its checksum lost); restore the database from a"
                    + " backup ('promptlightning restore BACKUP'), and run 'promptlightning verify' for a full report",
                    id, dir.resolve(LmdbFile.DATA_FILE), 0, null);
        }
        if (expected != NO_SUM && actual != expected) {
            throw new RegistryException("the database is damaged: " + what + " does not match the checksum written"
                    + " with it; restore the database from a backup ('promptlightning restore BACKUP'), and run"
                    + " 'promptlightning verify' for a full report", id, dir.resolve(LmdbFile.DATA_FILE), 0, null);
        }
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the failure being reported matters more
        }
    }

    /**
     * One write transaction's work on the original's databases and ours, keeping them consistent: a template's
     * latest version is always in {@code pl_versions} too, its index entries match its latest metadata, and each
     * move of a label (including {@code latest}) is appended to {@code pl_label_history}.
     */
    private final class Writer {
        private final Txn<ByteBuffer> txn;
        private final Instant now = Instant.now();
        private final String author = Authors.current();
        private long labelSequence = -1;
        /** Records already deflated, by identity, with their deflated bytes (for {@code compressHistory}). */
        Map<byte[], byte[]> deflatedRecords = Map.of();

        Writer(Txn<ByteBuffer> txn) {
            this.txn = txn;
            if (readLong(CHECKSUMMED) < 0) {
                checksumEverything();
            }
            if (readLong(INDEXED_TXN) != txn.getId() - 1) {
                reconcile();
            }
        }

        /**
         * Writes the checksum of every value of a database written before checksums were kept, once; from then on
         * every write keeps them.
         */
        private void checksumEverything() {
            store.checksums.drop(txn);
            sumAll(store.templates, TEMPLATE_SUM);
            sumAll(store.versions, VERSION_SUM);
            sumAll(store.labels, LABEL_SUM);
            sumAll(store.labelHistory, MOVE_SUM);
            putLong(CHECKSUMMED, txn.getId());
        }

        private void sumAll(Dbi<ByteBuffer> db, char tag) {
            List<ByteBuffer> keys = new ArrayList<>();
            List<Long> sums = new ArrayList<>();
            try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
                if (cursor.first()) {
                    do {
                        keys.add(copyOf(cursor.key()));
                        sums.add(crc(cursor.val()));
                    } while (cursor.next());
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                putSum(tag, keys.get(i), sums.get(i));
            }
        }

        /** Records what the transaction changed in the original's metadata and in ours. */
        void finish() {
            writeMetadata(txn);
            putLong(INDEXED_TXN, txn.getId());
            if (labelSequence >= 0) {
                putLong(LABEL_SEQUENCE, labelSequence);
            }
        }

        /**
         * After a write by another program (or on a database that had no history yet): record every latest version
         * not yet recorded and rebuild the index from the templates.
         */
        private void reconcile() {
            store.index.drop(txn);
            // the other program rewrote or deleted template records without their checksums
            deleteWithPrefix(store.checksums, UNCHECKED, sumKey(TEMPLATE_SUM, ByteBuffer.allocateDirect(0)));
            sumAll(store.templates, TEMPLATE_SUM);
            List<String> ids = new ArrayList<>();
            List<byte[]> records = new ArrayList<>();
            try (Cursor<ByteBuffer> cursor = store.templates.openCursor(txn)) {
                if (cursor.first()) {
                    do {
                        ids.add(utf8(cursor.key()));
                        records.add(bytes(cursor.val()));
                    } while (cursor.next());
                }
            }
            for (int i = 0; i < ids.size(); i++) {
                TemplateSpec spec;
                try {
                    spec = specOf(ids.get(i), records.get(i));
                } catch (ValidationException unreadable) {
                    continue; // loading it reports the problem; a save replaces it
                }
                recordIfMissing(spec, records.get(i), null);
                indexAdd(spec);
            }
        }

        boolean exists(String id) {
            ByteBuffer key = compositeKey(id);
            return key != null && store.templates.get(txn, key) != null;
        }

        /** The template's latest version, null if there is none or its record is unreadable. */
        private TemplateSpec latest(String id) {
            ByteBuffer key = compositeKey(id);
            ByteBuffer value = key == null ? null : store.templates.get(txn, key);
            if (value == null) {
                return null;
            }
            TemplateSpec kept = store.keptIfSame(id, value);
            if (kept != null) {
                return kept;
            }
            try {
                return specOf(id, bytes(value));
            } catch (ValidationException unreadable) {
                return null;
            }
        }

        void save(TemplateSpec spec, byte[] record, SaveOptions options, boolean keepLegacyId) {
            String id = spec.id();
            String version = spec.version();
            ByteBuffer idKey = keyBuffer(id, "the template id", id);
            boolean exists = store.templates.get(txn, idKey) != null;
            if (!exists && !keepLegacyId) {
                Ids.requireValidNewId(id);
            }
            TemplateSpec previous = exists ? latest(id) : null;
            if (previous != null) {
                recordIfMissing(previous, null, null);
            }
            ByteBuffer versionKey = compositeKey(id, version);
            ByteBuffer stored = store.versions.get(txn, versionKey);
            VersionInfo info = new VersionInfo(version, now, author, options.message());
            if (stored == null) {
                putVersion(versionKey, info, record);
            } else {
                byte[] storedRecord = decodeStored(id, version, stored, true).record();
                if (!Arrays.equals(storedRecord, record) && !sameSpec(id, storedRecord, spec)) {
                    if (!options.force()) {
                        throw new ValidationException("version " + version + " is already saved with different"
                                + " content, and versions do not change: save it as a new version, or force the"
                                + " save to replace it", id);
                    }
                    putVersion(versionKey, info, record);
                }
            }
            putLatest(id, idKey, version, record);
            if (previous == null || !previous.version().equals(version)) {
                appendMove(id, Labels.LATEST, previous == null ? null : previous.version(), version,
                        options.message());
            }
            indexRemove(previous);
            indexAdd(spec);
        }

        private boolean sameSpec(String id, byte[] storedRecord, TemplateSpec spec) {
            try {
                return specOf(id, storedRecord).equals(spec);
            } catch (ValidationException unreadable) {
                return false;
            }
        }

        void delete(String id) {
            ByteBuffer idKey = compositeKey(id);
            if (idKey == null || store.templates.get(txn, idKey) == null) {
                throw new TemplateNotFoundException("no such template", id);
            }
            TemplateSpec previous = latest(id);
            Map<String, String> labels = readLabels(id);
            wipe(id);
            for (Map.Entry<String, String> label : labels.entrySet()) {
                appendMove(id, label.getKey(), label.getValue(), null, "template deleted");
            }
            appendMove(id, Labels.LATEST, previous == null ? null : previous.version(), null, "template deleted");
        }

        /** Removes everything of the template but its label history. */
        void wipe(String id) {
            ByteBuffer idKey = compositeKey(id);
            indexRemove(latest(id));
            store.templates.delete(txn, idKey);
            deleteSum(TEMPLATE_SUM, idKey);
            removeVersionEntries(txn, id, compositeKey(id), null);
            deleteWithPrefix(store.versions, VERSION_SUM, compositeKey(id, ""));
            deleteWithPrefix(store.labels, LABEL_SUM, compositeKey(id, ""));
        }

        void deleteVersion(String id, String version) {
            TemplateSpec latest = latest(id);
            if (latest == null) {
                throw new TemplateNotFoundException("no such template", id);
            }
            recordIfMissing(latest, null, null);
            List<String> versions = recordedVersions(id);
            if (!versions.contains(version)) {
                throw new TemplateNotFoundException("no version " + version + " of this template; versions: "
                        + String.join(", ", versions), id);
            }
            if (versions.size() == 1) {
                throw new ValidationException("version " + version + " is the template's only version; delete the"
                        + " template instead", id);
            }
            List<String> pointing = new ArrayList<>();
            readLabels(id).forEach((label, target) -> {
                if (target.equals(version)) {
                    pointing.add(label);
                }
            });
            if (!pointing.isEmpty()) {
                throw new ValidationException("version " + version + " is labelled " + String.join(", ", pointing)
                        + "; move or remove those labels first", id);
            }
            store.versions.delete(txn, compositeKey(id, version));
            deleteSum(VERSION_SUM, compositeKey(id, version));
            if (latest.version().equals(version)) {
                versions.remove(version);
                String next = versions.get(versions.size() - 1);
                byte[] record = decodeStored(id, next, store.versions.get(txn, compositeKey(id, next)), true)
                        .record();
                TemplateSpec nextSpec = specOf(id, record);
                putLatest(id, compositeKey(id), next, record);
                appendMove(id, Labels.LATEST, version, next, "version " + version + " deleted");
                indexRemove(latest);
                indexAdd(nextSpec);
            }
        }

        Optional<LabelMove> moveLabel(String id, String label, String version, String message) {
            TemplateSpec latest = latest(id);
            if (latest == null) {
                throw new TemplateNotFoundException("no such template", id);
            }
            recordIfMissing(latest, null, null);
            List<String> versions = recordedVersions(id);
            if (!versions.contains(version)) {
                throw new TemplateNotFoundException("no version " + version + " of this template; versions: "
                        + String.join(", ", versions), id);
            }
            ByteBuffer key = labelKey(id, label);
            ByteBuffer current = store.labels.get(txn, key);
            String from = current == null ? null : utf8(current);
            if (version.equals(from)) {
                return Optional.empty();
            }
            putLabel(key, version);
            return Optional.of(appendMove(id, label, from, version, message));
        }

        LabelMove removeLabel(String id, String label, String message) {
            ByteBuffer key = labelKey(id, label);
            ByteBuffer current = store.labels.get(txn, key);
            if (current == null) {
                if (latest(id) == null) {
                    throw new TemplateNotFoundException("no such template", id);
                }
                Map<String, String> labels = new TreeMap<>(readLabels(id));
                labels.put(Labels.LATEST, "");
                throw new TemplateNotFoundException("no label '" + label + "' on this template; labels: "
                        + String.join(", ", labels.keySet()), id);
            }
            String from = utf8(current);
            store.labels.delete(txn, key);
            deleteSum(LABEL_SUM, key);
            return appendMove(id, label, from, null, message);
        }

        void dropEverything() {
            store.templates.drop(txn);
            store.versionIndex.drop(txn);
            store.versions.drop(txn);
            store.labels.drop(txn);
            store.labelHistory.drop(txn);
            store.index.drop(txn);
            store.checksums.drop(txn);
        }

        void importOne(TemplateHistory history, List<byte[]> records) {
            String id = history.id();
            for (int i = 0; i < history.versions().size(); i++) {
                SavedVersion v = history.versions().get(i);
                putVersion(compositeKey(id, v.spec().version()), v.info(), records.get(i));
                if (v.spec().version().equals(history.latest())) {
                    putLatest(id, compositeKey(id), history.latest(), records.get(i));
                }
            }
            history.labels().forEach((label, version) -> putLabel(labelKey(id, label), version));
            for (LabelMove move : history.labelHistory()) {
                putMove(id, move);
            }
            indexAdd(history.latestSpec());
        }

        private List<String> recordedVersions(String id) {
            List<String> versions = new ArrayList<>();
            forEachWithPrefix(store.versions, txn, compositeKey(id, ""), (version, value) -> versions.add(version));
            versions.sort(Versions.ORDER);
            return versions;
        }

        private Map<String, String> readLabels(String id) {
            Map<String, String> labels = new TreeMap<>();
            forEachWithPrefix(store.labels, txn, compositeKey(id, ""), (label, value) -> labels.put(label,
                    utf8(value)));
            return labels;
        }

        private ByteBuffer labelKey(String id, String label) {
            ByteBuffer key = compositeKey(id, label);
            if (key == null) {
                throw new ValidationException("the id and label are too long together for an LMDB key", id);
            }
            return key;
        }

        /** Records the version (its {@code record}, or encoded now when null) unless it is recorded already. */
        private void recordIfMissing(TemplateSpec spec, byte[] record, String message) {
            ByteBuffer key = compositeKey(spec.id(), spec.version());
            if (key != null && store.versions.get(txn, key) == null) {
                putVersion(key, new VersionInfo(spec.version(), null, null, message), record != null ? record
                        : encode(spec));
            }
        }

        private void putVersion(ByteBuffer key, VersionInfo info, byte[] record) {
            byte[] deflated = null;
            if (store.compressHistory) {
                deflated = deflatedRecords.get(record);
                if (deflated == null) {
                    deflated = LmdbHistoryValues.deflate(record);
                }
            }
            byte[] value = LmdbHistoryValues.encodeVersion(info, record, deflated);
            store.versions.reserve(txn, key, value.length).put(value);
            putSum(VERSION_SUM, key, crc(value));
        }

        private void putLabel(ByteBuffer key, String version) {
            ByteBuffer value = utf8Value(version);
            store.labels.put(txn, key, value);
            putSum(LABEL_SUM, key, crc(value));
        }

        private void putSum(char tag, ByteBuffer key, long sum) {
            ByteBuffer sumKey = sumKey(tag, key);
            if (sumKey != null) {
                ByteBuffer value = ByteBuffer.allocateDirect(4).order(ByteOrder.BIG_ENDIAN);
                value.putInt((int) sum).flip();
                store.checksums.put(txn, sumKey, value);
            }
        }

        private void deleteSum(char tag, ByteBuffer key) {
            ByteBuffer sumKey = tag == UNCHECKED ? null : sumKey(tag, key);
            if (sumKey != null) {
                store.checksums.delete(txn, sumKey);
            }
        }

        /** Makes {@code record} the template's record for the original, with its version index entry. */
        private void putLatest(String id, ByteBuffer idKey, String version, byte[] record) {
            store.templates.reserve(txn, idKey, record.length).put(record);
            putSum(TEMPLATE_SUM, idKey, crc(record));
            ByteBuffer versionKey = keyBuffer(id + ":" + version, "the version index key", id);
            ByteBuffer idValue = compositeKey(id);
            removeVersionEntries(txn, id, idValue, versionKey);
            store.versionIndex.put(txn, versionKey, idValue);
        }

        private LabelMove appendMove(String id, String label, String from, String to, String message) {
            LabelMove move = new LabelMove(label, from, to, now, author, message);
            putMove(id, move);
            return move;
        }

        private void putMove(String id, LabelMove move) {
            if (labelSequence < 0) {
                labelSequence = Math.max(0, readLong(LABEL_SEQUENCE));
            }
            labelSequence++;
            byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            ByteBuffer key = ByteBuffer.allocateDirect(idBytes.length + 9);
            key.put(idBytes).put((byte) 0).putLong(labelSequence).flip();
            byte[] value = LmdbHistoryValues.encodeMove(move);
            store.labelHistory.reserve(txn, key, value.length).put(value);
            putSum(MOVE_SUM, key, crc(value));
        }

        private void indexAdd(TemplateSpec spec) {
            if (spec == null) {
                return;
            }
            ByteBuffer empty = ByteBuffer.allocateDirect(0);
            for (String entry : IndexEntries.of(spec)) {
                ByteBuffer key = compositeKey(entry, spec.id());
                if (key != null) {
                    store.index.put(txn, key, empty);
                }
            }
        }

        private void indexRemove(TemplateSpec spec) {
            if (spec == null) {
                return;
            }
            for (String entry : IndexEntries.of(spec)) {
                ByteBuffer key = compositeKey(entry, spec.id());
                if (key != null) {
                    store.index.delete(txn, key);
                }
            }
        }

        /** Deletes every entry whose key starts with {@code prefix}, and its checksum. */
        void deleteWithPrefix(Dbi<ByteBuffer> db, char tag, ByteBuffer prefix) {
            if (prefix == null) {
                return;
            }
            try (Cursor<ByteBuffer> cursor = db.openCursor(txn)) {
                boolean found = cursor.get(prefix, GetOp.MDB_SET_RANGE);
                while (found && startsWith(cursor.key(), prefix)) {
                    deleteSum(tag, cursor.key());
                    cursor.delete();
                    found = cursor.get(prefix, GetOp.MDB_SET_RANGE);
                }
            }
        }

        private long readLong(String name) {
            ByteBuffer value = store.info.get(txn, infoKey(name));
            return value == null || value.remaining() != 8 ? -1 : value.duplicate().order(ByteOrder.BIG_ENDIAN)
                    .getLong();
        }

        private void putLong(String name, long value) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(8).order(ByteOrder.BIG_ENDIAN);
            buffer.putLong(value).flip();
            store.info.put(txn, infoKey(name), buffer);
        }
    }

    private static ByteBuffer infoKey(String name) {
        ByteBuffer key = ByteBuffer.allocateDirect(name.length());
        key.put(name.getBytes(StandardCharsets.US_ASCII)).flip();
        return key;
    }

    private static ByteBuffer copyOf(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocateDirect(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }

    private static ByteBuffer utf8Value(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.allocateDirect(bytes.length);
        value.put(bytes).flip();
        return value;
    }

    /** Parts joined by NUL bytes (which ids, versions and labels never contain) as a key, or null if too long. */
    private ByteBuffer compositeKey(String... parts) {
        ByteBuffer key = ByteBuffer.allocateDirect(store.maxKeySize);
        return Utf8.putParts(key, parts) ? key : null;
    }

    /**
     * Releases this registry; the environment closes once no registry of this process uses the directory.
     * Waits for calls in progress; afterwards every call fails with {@code registry is closed}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (STORES) {
            if (closed) {
                return;
            }
            closed = true;
            if (--store.references == 0) {
                STORES.remove(store.realPath);
                store.close();
            }
        }
    }

    /** The current size of the memory map, which grows when a write needs more room. */
    long mapSize() {
        return store.mapSize;
    }

    /** The directory of this database, as given. */
    public Path path() {
        return dir;
    }

    @Override
    public String toString() {
        return "LmdbRegistry[" + dir + (readOnly ? ", read-only" : "") + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private Object decodeRecord(String id, ByteBuffer value) {
        try {
            return MsgPackCodec.decode(value);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("stored record is not readable: " + e.getMessage(), id, dir, 0, e);
        }
    }

    private TemplateSpec toSpec(String id, Object record) {
        if (record instanceof Map) {
            Object recordId = ((Map<?, ?>) record).get("id");
            if (recordId instanceof String && !recordId.equals(id)) {
                throw new ValidationException("the record stored under this id has the id '" + recordId + "'", id,
                        dir, 0, null);
            }
        }
        try {
            return SpecRecords.fromRecord(record, id);
        } catch (ValidationException e) {
            throw new ValidationException("stored record is not a valid template: " + e.detail(), id, dir, 0, e);
        }
    }

    private ByteBuffer keyBuffer(String text, String what, String id) {
        ByteBuffer key = ByteBuffer.allocateDirect(store.maxKeySize);
        if (!Utf8.put(text, key)) {
            throw new ValidationException(what + " cannot be an LMDB key: longer than " + store.maxKeySize
                    + " bytes of UTF-8, or not valid Unicode", id);
        }
        return key;
    }

    /** Deletes every {@code "id:..."} index entry pointing at {@code id}, except {@code keep}. */
    private void removeVersionEntries(Txn<ByteBuffer> txn, String id, ByteBuffer idValue, ByteBuffer keep) {
        ByteBuffer prefix = ByteBuffer.allocateDirect(store.maxKeySize);
        if (!Utf8.put(id + ":", prefix)) {
            return;
        }
        List<ByteBuffer> stale = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = store.versionIndex.openCursor(txn)) {
            boolean found = cursor.get(prefix, GetOp.MDB_SET_RANGE);
            while (found) {
                ByteBuffer key = cursor.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                if (cursor.val().equals(idValue) && (keep == null || !key.equals(keep))) {
                    stale.add(copyOf(key));
                }
                found = cursor.next();
            }
        }
        for (ByteBuffer key : stale) {
            store.versionIndex.delete(txn, key);
        }
    }

    private static boolean startsWith(ByteBuffer key, ByteBuffer prefix) {
        int n = prefix.remaining();
        return key.remaining() >= n && key.duplicate().limit(key.position() + n).equals(prefix);
    }

    private void writeMetadata(Txn<ByteBuffer> txn) {
        putMetadata(txn, COUNT_KEY, store.templates.stat(txn).entries);
        putMetadata(txn, LAST_MODIFIED_KEY, Instant.now().getEpochSecond());
    }

    private void putMetadata(Txn<ByteBuffer> txn, String name, long value) {
        ByteBuffer key = ByteBuffer.allocateDirect(name.length());
        key.put(name.getBytes(StandardCharsets.US_ASCII)).flip();
        byte[] encoded = MsgPackCodec.encode(value);
        store.metadata.reserve(txn, key, encoded.length).put(encoded);
    }

    private void requireWritable() {
        if (closed) {
            throw closedException();
        }
        if (readOnly || store.readOnly) {
            throw new RegistryException("the registry is read-only", null, dir, 0, null);
        }
    }

    /** The data file is damaged: the error names it and, unless the detail does, says how to get the data back. */
    static RegistryException damaged(Path dir, String detail, Throwable cause) {
        String way = detail.contains("restore") ? "" : "; restore the database from a backup ('promptlightning"
                + " restore BACKUP'), and run 'promptlightning verify' for a full report";
        return new RegistryException(detail + way, null, dir.resolve(LmdbFile.DATA_FILE), 0, cause);
    }

    /**
     * {@code e} as a damaged file, when it is a fault reading through a memory map: the JVM turns SIGBUS on mapped
     * memory into this error, and the file was changed under the map (truncated, or damaged where no check could
     * see it).
     *
     * @throws InternalError {@code e} itself, when it is any other internal error
     */
    private static RegistryException damagedOnMapFault(Path dir, InternalError e, String detail) {
        if (e.getMessage() == null || !e.getMessage().contains("unsafe memory access")) {
            throw e;
        }
        return damaged(dir, detail, e);
    }

    private static boolean isDamagedPage(LmdbException e) {
        return e instanceof LmdbNativeException.PageNotFoundException
                || e instanceof LmdbNativeException.PageCorruptedException;
    }

    private static RegistryException closedException() {
        return new RegistryException("registry is closed", null);
    }

    /**
     * Runs {@code body} in a pooled read transaction; retries once the map has been adopted if it was resized. The
     * transaction is released and the caller counted out whatever is thrown, {@link Error}s included: a count left
     * behind would make {@link #close()} and every map resize wait for a transaction that no longer runs.
     */
    private <R> R read(Function<Reader, R> body) {
        if (closed) {
            throw closedException();
        }
        while (true) {
            store.enter();
            try {
                Reader reader = null;
                boolean reusable = false;
                try {
                    reader = store.acquireReader();
                    R result = body.apply(reader);
                    reusable = true;
                    return result;
                } catch (Dbi.MapResizedException e) {
                    reader = null; // its transaction ended inside LMDB
                } catch (PromptLightningException e) {
                    reusable = true;
                    throw e;
                } catch (LmdbException e) {
                    throw readFailed(e);
                } catch (InternalError e) {
                    throw damagedOnMapFault(dir, e, "a read from the database file failed (the file is shorter than"
                            + " its pages or was changed under this process)");
                } finally {
                    if (reader != null) {
                        store.releaseReader(reader, reusable);
                    }
                }
            } finally {
                store.exit();
            }
            store.adoptMapSize(dir);
        }
    }

    private RegistryException readFailed(LmdbException e) {
        if (isDamagedPage(e)) {
            return damaged(dir, "LMDB found a damaged page (" + e.getMessage() + ")", e);
        }
        return new RegistryException("LMDB read failed: " + e.getMessage(), null, dir, 0, e);
    }

    /**
     * Runs {@code body} in a write transaction and commits it. When the map is full (the transaction is then
     * aborted, so nothing is half-written) the map doubles and the whole write runs again.
     */
    private <R> R write(Function<Txn<ByteBuffer>, R> body) {
        for (int attempt = 0; attempt < 64; attempt++) {
            if (closed) {
                throw closedException();
            }
            long mapSizeTried = store.mapSize;
            boolean mapFull;
            store.enter();
            try {
                try (Txn<ByteBuffer> txn = store.env.txnWrite()) {
                    R result = body.apply(txn);
                    long committed = txn.getId();
                    txn.commit();
                    store.sawTransaction(committed);
                    return result;
                }
            } catch (Env.MapFullException e) {
                mapFull = true;
            } catch (Dbi.MapResizedException e) {
                mapFull = false;
            } catch (LmdbException e) {
                throw writeFailed(e);
            } catch (InternalError e) {
                throw damagedOnMapFault(dir, e, "a read from the database file failed during a write, which was not"
                        + " committed (the file is shorter than its pages or was changed under this process)");
            } finally {
                store.exit();
            }
            if (mapFull) {
                store.growMapSize(mapSizeTried, dir);
            } else {
                store.adoptMapSize(dir);
            }
        }
        throw new RegistryException("the write still did not fit after the LMDB map was resized 64 times", null, dir,
                0, null);
    }

    /**
     * A failed write, which LMDB rolled back. A full disk comes back from LMDB as ENOSPC, or as EIO when its write
     * of a page was cut short, so both are checked against the free space of the file system.
     */
    private RegistryException writeFailed(LmdbException e) {
        int code = e instanceof LmdbNativeException n ? n.getResultCode() : 0;
        if (code == ENOSPC || code == EIO) {
            long free = -1;
            try {
                free = Files.getFileStore(store.realPath).getUsableSpace();
            } catch (IOException unknown) {
                // reported without the figure
            }
            if (code == ENOSPC || (free >= 0 && free < DISK_FULL_BYTES)) {
                return new RegistryException("the disk is full" + (free >= 0 ? " (" + free + " bytes free)" : "")
                        + ": the write was rolled back and nothing changed; free some space and try again", null,
                        dir, 0, e);
            }
        }
        if (isDamagedPage(e)) {
            return damaged(dir, "LMDB found a damaged page during a write, which was rolled back (" + e.getMessage()
                    + ")", e);
        }
        return new RegistryException("LMDB write failed: " + e.getMessage(), null, dir, 0, e);
    }

    private static final int EIO = 5;
    private static final int ENOSPC = 28;
    /** Less free space than this after a failed write means the write did not fit: LMDB writes in pages. */
    private static final long DISK_FULL_BYTES = 1024 * 1024;

    /** A read transaction with a key buffer, reused across reads and threads (the environment has MDB_NOTLS). */
    private static final class Reader {
        final Txn<ByteBuffer> txn;
        final ByteBuffer key;
        /** The id of the snapshot this transaction reads, or -1 until asked for in this read. */
        private long snapshot = -1;

        Reader(Txn<ByteBuffer> txn, int maxKeySize) {
            this.txn = txn;
            this.key = ByteBuffer.allocateDirect(maxKeySize);
        }

        /** The last committed transaction this read sees: equal ids mean equal content. */
        long snapshot() {
            if (snapshot < 0) {
                snapshot = txn.getId();
            }
            return snapshot;
        }

        /** @return false if {@code text} cannot be a key, so nothing is stored under it */
        boolean setKey(String text) {
            return Utf8.put(text, key);
        }

        /** The parts joined by NUL bytes; false if they cannot be a key. */
        boolean setKey(String first, String... more) {
            String[] parts = new String[more.length + 1];
            parts[0] = first;
            System.arraycopy(more, 0, parts, 1, more.length);
            return Utf8.putParts(key, parts);
        }
    }

    /**
     * One open environment shared by the registries of this process on a directory: its databases, its pool of
     * read transactions, and the gate that lets the map be resized or the environment closed only when no
     * transaction of this process is running (LMDB requires that) without making reads take a lock.
     */
    private static final class Store {
        private static final int OPEN = 0;
        private static final int PAUSED = 1;
        private static final int CLOSED = 2;
        /** How long closing or resizing waits for the transactions of this process to end. */
        private static final long QUIESCE_NANOS = TimeUnit.SECONDS.toNanos(10);

        final Path realPath;
        final boolean readOnly;
        final Env<ByteBuffer> env;
        final Dbi<ByteBuffer> templates;
        final Dbi<ByteBuffer> versionIndex;
        final Dbi<ByteBuffer> metadata;
        /** Our databases; null only in a read-only database that did not have them yet when it was opened. */
        volatile Dbi<ByteBuffer> versions;
        volatile Dbi<ByteBuffer> labels;
        volatile Dbi<ByteBuffer> labelHistory;
        volatile Dbi<ByteBuffer> index;
        volatile Dbi<ByteBuffer> info;
        volatile Dbi<ByteBuffer> checksums;
        volatile boolean compressHistory;
        /** A snapshot known to have been written last by us (so our databases are current), or -1. */
        private volatile long freshSnapshot = -1;
        private final ByteBuffer indexedTxnKey = infoKey(INDEXED_TXN);
        final int maxKeySize;
        int references = 1;
        volatile long mapSize;
        /** The last committed transaction id seen; only grows. */
        final AtomicLong generation = new AtomicLong();
        /** The ids of the snapshot {@code ids.snapshot}, or null. */
        volatile IdList ids;
        /**
         * A plain concurrent map rather than an LRU cache: lookups must scale across threads (an LRU's bookkeeping
         * halved two-thread throughput), and when the records kept pass {@link #DECODED_CACHE_BYTES} the map is
         * simply emptied, since decoding again is only slower, never wrong.
         */
        private final ConcurrentHashMap<String, Decoded> decoded = new ConcurrentHashMap<>();
        /** Label targets as read in a snapshot, keyed {@code id\0label}. */
        final ConcurrentHashMap<String, LabelTarget> labelTargets = new ConcurrentHashMap<>();
        /** The ids of each index entry as read in a snapshot, keyed by the entry. */
        final ConcurrentHashMap<String, IndexedIds> indexedIds = new ConcurrentHashMap<>();
        final AtomicLong indexedIdCount = new AtomicLong();
        private final AtomicLong decodedBytes = new AtomicLong();
        private final ReaderSlots idleReaders = new ReaderSlots();
        private ScheduledFuture<?> changePoll;
        private final LongAdder active = new LongAdder();
        private volatile int state = OPEN;
        private final ReentrantLock exclusive = new ReentrantLock();
        private final Object resumed = new Object();

        private Store(Path realPath, boolean readOnly, boolean compressHistory, Env<ByteBuffer> env,
                List<Dbi<ByteBuffer>> dbs) {
            this.realPath = realPath;
            this.readOnly = readOnly;
            this.compressHistory = compressHistory;
            this.env = env;
            this.templates = dbs.get(0);
            this.versionIndex = dbs.get(1);
            this.metadata = dbs.get(2);
            this.versions = dbs.get(3);
            this.labels = dbs.get(4);
            this.labelHistory = dbs.get(5);
            this.index = dbs.get(6);
            this.info = dbs.get(7);
            this.checksums = dbs.get(8);
            this.maxKeySize = env.getMaxKeySize();
            this.mapSize = env.info().mapSize;
        }

        static Store open(Path dir, Path realPath, long mapSize, boolean readOnly, boolean compressHistory) {
            Path dataFile = realPath.resolve(LmdbFile.DATA_FILE);
            LmdbFile.Meta header = Files.exists(dataFile) ? checkHeader(dir, dataFile) : null;
            Env<ByteBuffer> env = openEnv(dir, realPath, header == null ? mapSize
                    : Math.max(mapSize, Math.max(header.mapSize(), header.requiredBytes())), readOnly);
            try {
                if (header != null) {
                    checkStructure(env, dir, dataFile);
                }
                List<Dbi<ByteBuffer>> dbs = new ArrayList<>();
                for (String name : List.of(TEMPLATES, VERSION_INDEX, METADATA)) {
                    dbs.add(openDbi(env, dir, name, readOnly, true));
                }
                for (String name : OPTIONAL_DBS) {
                    dbs.add(openDbi(env, dir, name, readOnly, false));
                }
                return new Store(realPath, readOnly, compressHistory, env, dbs);
            } catch (RuntimeException | Error e) {
                env.close();
                throw e;
            }
        }

        /**
         * Checks the data file against the sizes its meta pages declare, before LMDB maps it: LMDB follows page
         * numbers past the end of a short file and the process dies of SIGBUS. An empty or short file can also be a
         * database that another process is creating at this very moment, so those are looked at again for a while.
         */
        private static LmdbFile.Meta checkHeader(Path dir, Path dataFile) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return LmdbFile.checkHeader(dataFile);
                } catch (LmdbFile.DamagedException e) {
                    long size = fileSize(dataFile);
                    if (size >= 2 * 65536 || attempt >= CREATION_WAITS) {
                        throw damaged(dir, e.getMessage(), null);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                } catch (IOException e) {
                    throw new RegistryException("cannot read the database file: " + e, null, dataFile, 0, e);
                }
            }
        }

        private static long fileSize(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }

        /**
         * Checks every page of the current snapshot with plain file reads while a read transaction keeps the
         * snapshot's pages from being reused, so that nothing LMDB follows afterwards can lead it outside the file.
         */
        private static void checkStructure(Env<ByteBuffer> env, Path dir, Path dataFile) {
            for (int attempt = 0; attempt < 8; attempt++) {
                try (Txn<ByteBuffer> txn = env.txnRead()) {
                    LmdbFile.Meta meta = LmdbFile.metaOf(dataFile, txn.getId());
                    if (meta == null) {
                        continue; // two commits since the transaction began: take a newer snapshot
                    }
                    List<String> problems = LmdbFile.walk(dataFile, meta, env.getMaxKeySize());
                    if (!problems.isEmpty()) {
                        throw damaged(dir, String.join("; ", problems), null);
                    }
                    return;
                } catch (Dbi.MapResizedException e) {
                    env.setMapSize(0);
                } catch (LmdbFile.DamagedException e) {
                    throw damaged(dir, e.getMessage(), null);
                } catch (InternalError e) {
                    throw damagedOnMapFault(dir, e, "the database file was cut short while it was being checked");
                } catch (IOException e) {
                    throw new RegistryException("cannot read the database file: " + e, null, dataFile, 0, e);
                }
            }
            throw new RegistryException("cannot check the database: it kept changing under ever newer snapshots", null,
                    dir, 0, null);
        }

        /**
         * Opens the environment. Read-only, on a medium where not even {@code lock.mdb} can be written (a read-only
         * mount, an immutable directory), it opens without LMDB's lock file: nothing can write there anyway.
         */
        private static Env<ByteBuffer> openEnv(Path dir, Path realPath, long mapSize, boolean readOnly) {
            Env.Builder<ByteBuffer> builder = Env.create().setMapSize(mapSize).setMaxDbs(MAX_DBS);
            try {
                return readOnly ? builder.open(realPath.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_RDONLY_ENV)
                        : builder.open(realPath.toFile(), EnvFlags.MDB_NOTLS);
            } catch (LmdbException e) {
                if (readOnly && Files.exists(realPath.resolve("data.mdb")) && !canWriteLockFile(realPath)) {
                    try {
                        return Env.create().setMapSize(mapSize).setMaxDbs(MAX_DBS).open(realPath.toFile(),
                                EnvFlags.MDB_NOTLS, EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK);
                    } catch (LmdbException again) {
                        e.addSuppressed(again);
                    }
                }
                throw new RegistryException("cannot open as an LMDB database: " + e.getMessage(), null, dir, 0, e);
            }
        }

        private static boolean canWriteLockFile(Path realPath) {
            Path lock = realPath.resolve("lock.mdb");
            try (var channel = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.CREATE)) {
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }

        /**
         * A database; one of ours missing from a database opened read-only is null (there is nothing in it yet, and
         * {@link #openMissing} looks again once the database changes). Another process growing the map meanwhile is
         * followed, never taken for a missing database.
         */
        private static Dbi<ByteBuffer> openDbi(Env<ByteBuffer> env, Path dir, String name, boolean readOnly,
                boolean required) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return readOnly ? env.openDbi(name) : env.openDbi(name, DbiFlags.MDB_CREATE);
                } catch (Dbi.MapResizedException e) {
                    if (attempt >= 64) {
                        throw new RegistryException("cannot open its '" + name + "' database: the map kept being"
                                + " resized by another process", null, dir, 0, e);
                    }
                    env.setMapSize(0);
                } catch (Dbi.KeyNotFoundException e) {
                    if (readOnly && !required) {
                        return null;
                    }
                    throw new RegistryException("not a PromptLightning database: it has no '" + name + "' database",
                            null, dir, 0, e);
                } catch (LmdbException e) {
                    throw new RegistryException("cannot open its '" + name + "' database: " + e.getMessage(), null,
                            dir, 0, e);
                }
            }
        }

        /** Opens those of our databases that were missing when a read-only database was opened, once they exist. */
        void openMissing(Path dir) {
            if (!readOnly || (versions != null && labels != null && labelHistory != null && index != null
                    && info != null && checksums != null)) {
                return;
            }
            exclusively(dir, () -> {
                versions = orOpen(versions, dir, VERSIONS);
                labels = orOpen(labels, dir, LABELS);
                labelHistory = orOpen(labelHistory, dir, LABEL_HISTORY);
                index = orOpen(index, dir, INDEX);
                info = orOpen(info, dir, INFO);
                checksums = orOpen(checksums, dir, CHECKSUMS);
            });
        }

        private Dbi<ByteBuffer> orOpen(Dbi<ByteBuffer> open, Path dir, String name) {
            return open != null ? open : openDbi(env, dir, name, true, false);
        }

        /**
         * Whether the reader's snapshot was last written by us, so that our databases are current: a write by the
         * original library changes its own databases only.
         */
        boolean isFresh(Reader r) {
            long snapshot = r.snapshot();
            if (snapshot == freshSnapshot) {
                return true;
            }
            if (info == null) {
                return false;
            }
            ByteBuffer value = info.get(r.txn, indexedTxnKey);
            if (value != null && value.remaining() == 8
                    && value.duplicate().order(ByteOrder.BIG_ENDIAN).getLong() == snapshot) {
                freshSnapshot = snapshot;
                return true;
            }
            return false;
        }

        /** Counts the caller as running a transaction; waits while the map is being resized. */
        void enter() {
            while (true) {
                active.increment();
                int s = state;
                if (s == OPEN) {
                    return;
                }
                active.decrement();
                if (s == CLOSED) {
                    throw closedException();
                }
                synchronized (resumed) {
                    while (state == PAUSED) {
                        try {
                            resumed.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new RegistryException("interrupted while the LMDB map was being resized", null);
                        }
                    }
                }
            }
        }

        void exit() {
            active.decrement();
        }

        Reader acquireReader() {
            Reader reader = idleReaders.take();
            if (reader == null) {
                return new Reader(env.txnRead(), maxKeySize);
            }
            reader.txn.renew();
            reader.snapshot = -1;
            return reader;
        }

        void releaseReader(Reader reader, boolean reusable) {
            if (reusable) {
                try {
                    reader.txn.reset();
                    if (idleReaders.offer(reader)) {
                        return;
                    }
                } catch (LmdbException | InternalError e) {
                    // not reusable after all
                }
            }
            try {
                reader.txn.close();
            } catch (LmdbException | InternalError ignored) {
                // the transaction is unusable either way; LMDB frees its slot when the environment closes
            }
        }

        /**
         * The record {@code id} decoded earlier if {@code stored} holds the same bytes (then it decodes to the same
         * template), else a copy of {@code stored} to decode once the transaction has ended.
         */
        Object decoded(String cacheKey, ByteBuffer stored, long snapshot) {
            Decoded known = decoded.get(cacheKey);
            if (known != null && known.stored.equals(stored)) {
                known.verifiedAt = snapshot;
                return known.spec;
            }
            byte[] copy = new byte[stored.remaining()];
            stored.duplicate().get(copy);
            return copy;
        }

        /**
         * The record decoded earlier if its bytes were found unchanged in this very snapshot: a snapshot never
         * changes, so it needs no second look.
         */
        TemplateSpec verified(String cacheKey, long snapshot) {
            Decoded known = decoded.get(cacheKey);
            return known != null && known.verifiedAt == snapshot ? known.spec : null;
        }

        /** The record decoded earlier if {@code stored} holds the same bytes, else null. */
        TemplateSpec keptIfSame(String cacheKey, ByteBuffer stored) {
            Decoded known = decoded.get(cacheKey);
            return known != null && known.stored.equals(stored) ? known.spec : null;
        }

        void rememberLabel(String cacheKey, LabelTarget target) {
            if (labelTargets.size() >= MAX_LABEL_TARGETS) {
                labelTargets.clear();
            }
            labelTargets.put(cacheKey, target);
        }

        void remember(String cacheKey, byte[] stored, TemplateSpec spec) {
            Decoded old = decoded.put(cacheKey, new Decoded(ByteBuffer.wrap(stored).asReadOnlyBuffer(), spec));
            long size = decodedBytes.addAndGet(stored.length - (old == null ? 0 : old.stored.capacity()));
            if (size > DECODED_CACHE_BYTES) {
                decoded.clear();
                decodedBytes.set(0);
            }
        }

        void clearDecoded() {
            decoded.clear();
            decodedBytes.set(0);
        }

        void forget(String id) {
            Decoded old = decoded.remove(id);
            if (old != null) {
                decodedBytes.addAndGet(-old.stored.capacity());
            }
        }

        void sawTransaction(long txnId) {
            generation.accumulateAndGet(txnId, Math::max);
        }

        /** Reads the last committed transaction id, so that writes by other processes move the generation. */
        void startChangePoll() {
            pollChanges();
            changePoll = ChangePoll.EXECUTOR.scheduleWithFixedDelay(this::pollChanges, CHANGE_POLL_MILLIS,
                    CHANGE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void pollChanges() {
            if (state != OPEN) {
                return;
            }
            try {
                enter();
            } catch (RegistryException closedMeanwhile) {
                return;
            }
            Reader reader = null;
            boolean reusable = false;
            boolean resized = false;
            long before = generation.get();
            try {
                reader = acquireReader();
                sawTransaction(reader.txn.getId());
                reusable = true;
            } catch (Dbi.MapResizedException e) {
                reader = null;
                resized = true;
            } catch (LmdbException | InternalError e) {
                // a transient failure, or a damaged file that the next read reports: the next poll tries again
            } finally {
                if (reader != null) {
                    releaseReader(reader, reusable);
                }
                exit();
            }
            try {
                if (resized) {
                    adoptMapSize(realPath);
                } else if (generation.get() != before) {
                    openMissing(realPath);
                }
            } catch (RegistryException e) {
                // closed meanwhile, or the resize could not wait: the next poll or read tries again
            }
        }

        /** Doubles the map unless another thread already grew it past {@code sizeTried}. */
        void growMapSize(long sizeTried, Path dir) {
            exclusively(dir, () -> {
                long current = env.info().mapSize;
                if (current > sizeTried) {
                    mapSize = current;
                    return;
                }
                if (current > Long.MAX_VALUE / 4) {
                    throw new RegistryException("the LMDB map is full and cannot grow further", null, dir, 0, null);
                }
                env.setMapSize(current * 2);
                mapSize = env.info().mapSize;
            });
        }

        /** Takes the larger map another process set, after LMDB reported MDB_MAP_RESIZED. */
        void adoptMapSize(Path dir) {
            exclusively(dir, () -> {
                env.setMapSize(0);
                mapSize = env.info().mapSize;
            });
        }

        private void exclusively(Path dir, Runnable action) {
            exclusive.lock();
            try {
                if (state == CLOSED) {
                    throw closedException();
                }
                state = PAUSED;
                try {
                    if (!awaitNoTransaction(QUIESCE_NANOS)) {
                        throw new RegistryException("cannot resize the LMDB map: transactions of this process did"
                                + " not end within " + TimeUnit.NANOSECONDS.toSeconds(QUIESCE_NANOS) + " s", null, dir,
                                0, null);
                    }
                    action.run();
                } catch (LmdbException e) {
                    throw new RegistryException("cannot resize the LMDB map: " + e.getMessage(), null, dir, 0, e);
                } finally {
                    synchronized (resumed) {
                        state = OPEN;
                        resumed.notifyAll();
                    }
                }
            } finally {
                exclusive.unlock();
            }
        }

        /** @return false if transactions were still running when {@code timeoutNanos} ran out */
        private boolean awaitNoTransaction(long timeoutNanos) {
            long deadline = System.nanoTime() + timeoutNanos;
            while (active.sum() != 0) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
            return true;
        }

        void close() {
            exclusive.lock();
            try {
                synchronized (resumed) {
                    state = CLOSED;
                    resumed.notifyAll();
                }
                if (changePoll != null) {
                    changePoll.cancel(false);
                }
                if (!awaitNoTransaction(QUIESCE_NANOS)) {
                    // closing the environment under a running transaction could crash the process: leave it open
                    throw new RegistryException("the registry is closed, but transactions of this process did not end"
                            + " within " + TimeUnit.NANOSECONDS.toSeconds(QUIESCE_NANOS) + " s, so the LMDB"
                            + " environment stays open until the process exits", null, realPath, 0, null);
                }
                Reader reader;
                while ((reader = idleReaders.take()) != null) {
                    try {
                        reader.txn.renew();
                        reader.txn.close();
                    } catch (LmdbException ignored) {
                        // closing the environment releases the slot
                    }
                }
                env.close();
            } finally {
                exclusive.unlock();
            }
        }
    }

    private record IdList(long snapshot, List<String> ids) {
    }

    /**
     * A decoded record and the stored bytes it was decoded from (read-only, never moved: safe to share), with the
     * last snapshot in which the stored bytes were found to be these.
     */
    private static final class Decoded {
        final ByteBuffer stored;
        final TemplateSpec spec;
        volatile long verifiedAt = -1;

        Decoded(ByteBuffer stored, TemplateSpec spec) {
            this.stored = stored;
            this.spec = spec;
        }
    }

    /** Where a label pointed (null: nowhere) in a snapshot. */
    private record LabelTarget(long snapshot, String version) {
    }

    /** The ids (in key order, and as a set) having an index entry, in a snapshot. */
    private record IndexedIds(long snapshot, List<String> ids, Set<String> set) {
    }

    /** Label targets remembered before the map is emptied (they are re-read at the cost of one LMDB get). */
    static final int MAX_LABEL_TARGETS = 100_000;
    /** Ids of index entries remembered before the map is emptied. */
    static final int MAX_INDEXED_IDS = 2_000_000;

    /** The one daemon thread that polls every open database for writes by other processes. */
    private static final class ChangePoll {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "promptlightning-lmdb-changes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Idle read transactions, in padded slots picked by thread: a thread usually finds the reader it released
     * last in its own slot, so threads reading in parallel do not contend on one queue. Each idle reader keeps
     * one of the reader slots all processes share (126 by default), so the slots are few.
     */
    private static final class ReaderSlots {
        private static final int PAD = 16; // 64 bytes between slots even with 4-byte references
        private final int count = Integer.highestOneBit(Math.max(4, Math.min(16,
                2 * Runtime.getRuntime().availableProcessors())) * 2 - 1);
        private final AtomicReferenceArray<Reader> slots = new AtomicReferenceArray<>(count * PAD);

        private int home() {
            return (int) Thread.currentThread().getId() & (count - 1);
        }

        Reader take() {
            int home = home();
            for (int i = 0; i < count; i++) {
                int slot = ((home + i) & (count - 1)) * PAD;
                if (slots.get(slot) != null) {
                    Reader reader = slots.getAndSet(slot, null);
                    if (reader != null) {
                        return reader;
                    }
                }
            }
            return null;
        }

        boolean offer(Reader reader) {
            int home = home();
            for (int i = 0; i < count; i++) {
                if (slots.compareAndSet(((home + i) & (count - 1)) * PAD, null, reader)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** UTF-8 into a key buffer without allocating, refusing what Java would silently replace. */
    private static final class Utf8 {
        private Utf8() {
        }

        /** @return false (buffer content undefined) if the text is empty, too long, or has an unpaired surrogate */
        static boolean put(String s, ByteBuffer out) {
            out.clear();
            if (s.isEmpty()) {
                return false;
            }
            if (!append(s, out)) {
                return false;
            }
            out.flip();
            return true;
        }

        /** The parts separated by NUL bytes; false if the first is empty or it does not fit. */
        static boolean putParts(ByteBuffer out, String... parts) {
            out.clear();
            if (parts[0].isEmpty()) {
                return false;
            }
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    if (!out.hasRemaining()) {
                        return false;
                    }
                    out.put((byte) 0);
                }
                if (!append(parts[i], out)) {
                    return false;
                }
            }
            out.flip();
            return true;
        }

        private static boolean append(String s, ByteBuffer out) {
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (!out.hasRemaining()) {
                        return false;
                    }
                    out.put((byte) c);
                } else if (c < 0x800) {
                    if (out.remaining() < 2) {
                        return false;
                    }
                    out.put((byte) (0xC0 | (c >> 6))).put((byte) (0x80 | (c & 0x3F)));
                } else if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))
                            || out.remaining() < 4) {
                        return false;
                    }
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.put((byte) (0xF0 | (cp >> 18))).put((byte) (0x80 | ((cp >> 12) & 0x3F)))
                            .put((byte) (0x80 | ((cp >> 6) & 0x3F))).put((byte) (0x80 | (cp & 0x3F)));
                } else {
                    if (out.remaining() < 3) {
                        return false;
                    }
                    out.put((byte) (0xE0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3F)))
                            .put((byte) (0x80 | (c & 0x3F)));
                }
            }
            return true;
        }
    }
}
