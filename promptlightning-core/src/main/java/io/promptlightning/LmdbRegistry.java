package io.promptlightning;

import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.LmdbException;
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
 * <p>Where the original is wrong we differ, and say so: {@link #loadVersion} answers only for the version that is
 * stored (the original returns the latest content whatever version is asked); {@code count} is always the number
 * of templates (the original's grows each time an existing id is saved again); a write that does not fit in the
 * memory map grows the map and is retried (the original fails with {@code MapFullError}).
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

    static final int MAX_DBS = 10;
    static final String TEMPLATES = "templates";
    static final String VERSION_INDEX = "version_index";
    static final String METADATA = "metadata";
    static final String COUNT_KEY = "count";
    static final String LAST_MODIFIED_KEY = "last_modified";

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

    /** Options for opening the database in {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** How to open a database; {@link #build()} opens it. */
    public static final class Builder {
        private final Path dir;
        private long mapSize = DEFAULT_MAP_SIZE;
        private boolean readOnly;

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

        /** @throws RegistryException naming the path when it cannot be opened as an LMDB database */
        public LmdbRegistry build() {
            Path real = prepareDirectory(dir, readOnly);
            synchronized (STORES) {
                Store store = STORES.get(real);
                if (store == null) {
                    store = Store.open(dir, real, mapSize, readOnly);
                    STORES.put(real, store);
                    store.startChangePoll();
                } else {
                    if (store.readOnly && !readOnly) {
                        throw new RegistryException("the database is already open read-only in this process; close"
                                + " it before opening it for writing", null, dir, 0, null);
                    }
                    store.references++;
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
            long snapshot = r.txn.getId();
            IdList cached = store.ids;
            if (cached != null && cached.snapshot == snapshot) {
                return cached.ids;
            }
            List<String> ids = new ArrayList<>();
            byte[] scratch = new byte[store.maxKeySize];
            try (Cursor<ByteBuffer> cursor = store.templates.openCursor(r.txn)) {
                if (cursor.first()) {
                    do {
                        ids.add(keyText(cursor.key(), scratch));
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
            ByteBuffer value = r.setKey(id) ? store.templates.get(r.txn, r.key) : null;
            return value == null ? null : store.decoded(id, value);
        });
        if (found == null) {
            throw new TemplateNotFoundException("no such template", id);
        }
        return found instanceof TemplateSpec ? (TemplateSpec) found : decode(id, (byte[]) found);
    }

    /**
     * Decodes a record copied out of its read transaction (so that LMDB's snapshot is not held while decoding) and
     * remembers it with the bytes it came from.
     */
    private TemplateSpec decode(String id, byte[] stored) {
        TemplateSpec spec = toSpec(id, decodeRecord(id, ByteBuffer.wrap(stored)));
        store.remember(id, stored, spec);
        return spec;
    }

    /**
     * The template {@code id} if its stored version is {@code version}, looked up through the version index.
     * Only the current version of a template is stored, so asking for any other gives nothing: the original
     * returned the latest content under whatever version was asked, which we deliberately do not copy.
     *
     * @return the template, or empty when there is no such id or it has another version
     * @throws ValidationException naming the id if its stored record is invalid
     */
    public Optional<TemplateSpec> loadVersion(String id, String version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Object record = read(r -> {
            if (!r.setKey(id + ":" + version) || store.versionIndex.get(r.txn, r.key) == null) {
                return null;
            }
            ByteBuffer value = r.setKey(id) ? store.templates.get(r.txn, r.key) : null;
            return value == null ? null : store.decoded(id, value);
        });
        if (record == null) {
            return Optional.empty();
        }
        TemplateSpec spec = record instanceof TemplateSpec ? (TemplateSpec) record : decode(id, (byte[]) record);
        return spec.version().equals(version) ? Optional.of(spec) : Optional.empty();
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

    /**
     * Adds or replaces the template in one transaction, together with its version index entry (an entry for a
     * previous version of the id is removed) and the database's {@code count} and {@code last_modified}. A new
     * id must be a {@linkplain Ids#isValidNewId valid new id}; an id already stored (possibly written by the
     * original, with spaces or {@code :}) can be saved again as it is.
     *
     * @throws ValidationException if the id is not valid for a new template, or a value of the template cannot be
     *                             stored in MessagePack (such as an integer beyond 64 bits)
     */
    @Override
    public void save(TemplateSpec spec) {
        save(spec, false);
    }

    /**
     * {@link #save(TemplateSpec)}, optionally keeping an id that is not a valid new id: a migration moves templates
     * that already exist under such ids (the original accepted them), and refusing them would lose them.
     */
    void save(TemplateSpec spec, boolean keepLegacyId) {
        Objects.requireNonNull(spec, "spec");
        requireWritable();
        String id = spec.id();
        byte[] value;
        try {
            value = MsgPackCodec.encode(SpecRecords.toRecord(spec));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("cannot be stored: " + e.getMessage(), id, null, 0, e);
        }
        ByteBuffer idKey = keyBuffer(id, "the template id", id);
        ByteBuffer versionKey = keyBuffer(id + ":" + spec.version(), "the version index key", id);
        ByteBuffer idValue = keyBuffer(id, "the template id", id);
        write(txn -> {
            if (!keepLegacyId && !Ids.isValidNewId(id) && store.templates.get(txn, idKey) == null) {
                Ids.requireValidNewId(id);
            }
            store.templates.reserve(txn, idKey, value.length).put(value);
            removeVersionEntries(txn, id, idValue, versionKey);
            store.versionIndex.put(txn, versionKey, idValue);
            writeMetadata(txn);
            return null;
        });
    }

    /**
     * Removes the template, its version index entries, and updates {@code count} and {@code last_modified}, in
     * one transaction.
     *
     * @throws TemplateNotFoundException if there is no template with this id
     */
    @Override
    public void delete(String id) {
        Objects.requireNonNull(id, "id");
        requireWritable();
        ByteBuffer idKey = ByteBuffer.allocateDirect(store.maxKeySize);
        if (!Utf8.put(id, idKey)) {
            throw new TemplateNotFoundException("no such template", id);
        }
        ByteBuffer idValue = idKey.duplicate();
        write(txn -> {
            if (!store.templates.delete(txn, idKey)) {
                throw new TemplateNotFoundException("no such template", id);
            }
            removeVersionEntries(txn, id, idValue, null);
            writeMetadata(txn);
            return null;
        });
        store.forget(id);
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
                    ByteBuffer copy = ByteBuffer.allocateDirect(key.remaining());
                    copy.put(key.duplicate()).flip();
                    stale.add(copy);
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

    private static RegistryException closedException() {
        return new RegistryException("registry is closed", null);
    }

    /** Runs {@code body} in a pooled read transaction; retries once the map has been adopted if it was resized. */
    private <R> R read(Function<Reader, R> body) {
        if (closed) {
            throw closedException();
        }
        while (true) {
            store.enter();
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
                throw new RegistryException("LMDB read failed: " + e.getMessage(), null, dir, 0, e);
            } finally {
                if (reader != null) {
                    store.releaseReader(reader, reusable);
                }
                store.exit();
            }
            store.adoptMapSize(dir);
        }
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
                throw new RegistryException("LMDB write failed: " + e.getMessage(), null, dir, 0, e);
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

    /** A read transaction with a key buffer, reused across reads and threads (the environment has MDB_NOTLS). */
    private static final class Reader {
        final Txn<ByteBuffer> txn;
        final ByteBuffer key;

        Reader(Txn<ByteBuffer> txn, int maxKeySize) {
            this.txn = txn;
            this.key = ByteBuffer.allocateDirect(maxKeySize);
        }

        /** @return false if {@code text} cannot be a key, so nothing is stored under it */
        boolean setKey(String text) {
            return Utf8.put(text, key);
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

        final Path realPath;
        final boolean readOnly;
        final Env<ByteBuffer> env;
        final Dbi<ByteBuffer> templates;
        final Dbi<ByteBuffer> versionIndex;
        final Dbi<ByteBuffer> metadata;
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
        private final AtomicLong decodedBytes = new AtomicLong();
        private final ReaderSlots idleReaders = new ReaderSlots();
        private ScheduledFuture<?> changePoll;
        private final LongAdder active = new LongAdder();
        private volatile int state = OPEN;
        private final ReentrantLock exclusive = new ReentrantLock();
        private final Object resumed = new Object();

        private Store(Path realPath, boolean readOnly, Env<ByteBuffer> env, Dbi<ByteBuffer> templates,
                Dbi<ByteBuffer> versionIndex, Dbi<ByteBuffer> metadata) {
            this.realPath = realPath;
            this.readOnly = readOnly;
            this.env = env;
            this.templates = templates;
            this.versionIndex = versionIndex;
            this.metadata = metadata;
            this.maxKeySize = env.getMaxKeySize();
            this.mapSize = env.info().mapSize;
        }

        static Store open(Path dir, Path realPath, long mapSize, boolean readOnly) {
            Env<ByteBuffer> env;
            try {
                Env.Builder<ByteBuffer> builder = Env.create().setMapSize(mapSize).setMaxDbs(MAX_DBS);
                env = readOnly ? builder.open(realPath.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_RDONLY_ENV)
                        : builder.open(realPath.toFile(), EnvFlags.MDB_NOTLS);
            } catch (LmdbException e) {
                throw new RegistryException("cannot open as an LMDB database: " + e.getMessage(), null, dir, 0, e);
            }
            try {
                return new Store(realPath, readOnly, env, openDbi(env, dir, TEMPLATES, readOnly),
                        openDbi(env, dir, VERSION_INDEX, readOnly), openDbi(env, dir, METADATA, readOnly));
            } catch (RuntimeException e) {
                env.close();
                throw e;
            }
        }

        private static Dbi<ByteBuffer> openDbi(Env<ByteBuffer> env, Path dir, String name, boolean readOnly) {
            try {
                return readOnly ? env.openDbi(name) : env.openDbi(name, DbiFlags.MDB_CREATE);
            } catch (LmdbException e) {
                throw new RegistryException("not a PromptLightning database: cannot open its '" + name
                        + "' database (" + e.getMessage() + ")", null, dir, 0, e);
            }
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
            return reader;
        }

        void releaseReader(Reader reader, boolean reusable) {
            if (reusable) {
                try {
                    reader.txn.reset();
                    if (idleReaders.offer(reader)) {
                        return;
                    }
                } catch (LmdbException e) {
                    // not reusable after all
                }
            }
            try {
                reader.txn.close();
            } catch (LmdbException ignored) {
                // the transaction is unusable either way; LMDB frees its slot when the environment closes
            }
        }

        /**
         * The record {@code id} decoded earlier if {@code stored} holds the same bytes (then it decodes to the same
         * template), else a copy of {@code stored} to decode once the transaction has ended.
         */
        Object decoded(String id, ByteBuffer stored) {
            Decoded known = decoded.get(id);
            if (known != null && known.stored.equals(stored)) {
                return known.spec;
            }
            byte[] copy = new byte[stored.remaining()];
            stored.duplicate().get(copy);
            return copy;
        }

        void remember(String id, byte[] stored, TemplateSpec spec) {
            Decoded old = decoded.put(id, new Decoded(ByteBuffer.wrap(stored).asReadOnlyBuffer(), spec));
            long size = decodedBytes.addAndGet(stored.length - (old == null ? 0 : old.stored.capacity()));
            if (size > DECODED_CACHE_BYTES) {
                decoded.clear();
                decodedBytes.set(0);
            }
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
            try {
                reader = acquireReader();
                sawTransaction(reader.txn.getId());
                reusable = true;
            } catch (LmdbException e) {
                // a resize in progress or a transient failure: the next poll tries again
            } finally {
                if (reader != null) {
                    releaseReader(reader, reusable);
                }
                exit();
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
                    awaitNoTransaction();
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

        private void awaitNoTransaction() {
            while (active.sum() != 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
        }

        void close() {
            exclusive.lock();
            try {
                synchronized (resumed) {
                    state = CLOSED;
                    resumed.notifyAll();
                }
                awaitNoTransaction();
                if (changePoll != null) {
                    changePoll.cancel(false);
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

    /** A decoded record and the stored bytes it was decoded from (read-only, never moved: safe to share). */
    private record Decoded(ByteBuffer stored, TemplateSpec spec) {
    }

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
            out.flip();
            return true;
        }
    }

    // ----------------------------------------------------------------------------- history (being written)

    @Override
    public TemplateSpec load(String id, String version) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public TemplateSpec resolve(TemplateRef ref) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.List<VersionInfo> versions(String id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.Map<String, String> labels(String id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.List<LabelMove> labelHistory(String id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void save(TemplateSpec spec, SaveOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void saveAll(java.util.Collection<TemplateSpec> specs, SaveOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void deleteAll(java.util.Collection<String> ids) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void deleteVersion(String id, String version) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void moveLabel(String id, String label, String version, String message) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void removeLabel(String id, String label, String message) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.List<String> search(java.util.Collection<String> tags, java.util.Map<String, String> metadata) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public RegistryStats stats() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public TemplateHistory history(String id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void importHistory(java.util.Collection<TemplateHistory> histories, ImportMode mode) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void backup(java.nio.file.Path destination) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean readOnly() {
        throw new UnsupportedOperationException("not yet");
    }

}
