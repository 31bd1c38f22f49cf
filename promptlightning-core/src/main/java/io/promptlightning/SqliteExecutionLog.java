package io.promptlightning;

import io.promptlightning.internal.LogSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.BusyHandler;

/**
 * The execution log in an SQLite file, in the original's {@code logs} table (an older table is migrated in place,
 * keeping its rows), so that the tools written for the original read it.
 *
 * <p>{@link #append} only queues the record. One background thread stores what is queued in batches, one
 * transaction each, in WAL mode (readers such as {@code promptlightning logs} never wait for it). {@link #flush}
 * waits until what was appended is stored, {@link #close} stores the rest and releases the file, and a log still open
 * when the JVM exits normally is flushed by a shutdown hook.
 *
 * <p>A committed batch survives a crash of the process; what a crash loses is what was waiting, and that is bounded
 * in time: a record is committed about one {@linkplain Builder#flushInterval flush interval} at most after it was
 * appended, as long as the database can be written. The writer starts a batch as soon as there is a record, so at
 * the rate a disk keeps up with a record waits only for the batch in progress. When records come faster than it
 * stores them, {@code append} holds its caller while more than half an interval of work (by the writer's measure of
 * its recent batches) is waiting, and the writer's batches hold at most that much: a record waits for the work ahead
 * of it and for its own batch, half an interval each.
 *
 * <p>A log that cannot be written (a read-only file, a directory in its way, a full disk, a database locked longer
 * than the busy timeout) says so once on standard error, naming the file; the records of the batches that fail are
 * dropped, the run goes on, and later batches are tried again. When writes fall so far behind that the queue is
 * full, {@code append} waits up to {@link Builder#fullQueueWait} for room and then drops the record (said once too):
 * memory stays bounded and no caller waits forever.
 */
public final class SqliteExecutionLog implements ExecutionLog {
    /** Records that may wait to be stored, by default. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** How long a record may wait to be committed, by default. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    /** The longest flush interval: beyond it the queue's capacity bounds the wait anyway. */
    public static final Duration MAX_FLUSH_INTERVAL = Duration.ofMinutes(10);
    /** Most records written in one transaction. */
    static final int BATCH_SIZE = 500;
    /** A batch of this many records moves the estimate of a record's cost halfway to what it measured. */
    private static final double ESTIMATE_HALFWAY_RECORDS = 100;
    /** How long the shutdown hook waits for the queue to be stored, so that a stuck disk cannot hold the exit. */
    private static final Duration EXIT_FLUSH_LIMIT = Duration.ofSeconds(10);
    /** Put in the queue by {@link #close}: the writer stops after it. */
    private static final ExecutionRecord END = new ExecutionRecord("", null, null, null, null, null, null, 0, 0, 0, 0,
            Instant.EPOCH, null, null);

    private final Path file;
    private final Duration fullQueueWait;
    private final Duration flushInterval;
    /** Half the flush interval: the most work that may wait, and the most a batch takes on. */
    private final long backlogLimitNanos;
    private final int busyTimeoutMillis;
    private final PrintStream reports;

    private final LinkedBlockingQueue<ExecutionRecord> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean writeFailureReported = new AtomicBoolean();
    private final AtomicBoolean overflowReported = new AtomicBoolean();

    /** Guards the writer's progress below; signalled after every batch. */
    private final Object progress = new Object();
    /** Records stored or dropped by the writer; written under {@link #progress}, read without it too. */
    private volatile long settled;
    private boolean writerDone;
    /** Set while the writer waits for another process's write lock, in which time holding callers is of no use. */
    private volatile boolean writerLockedOut;
    /**
     * What storing one record costs, as measured on the recent batches: written by the writer thread only. Until a
     * batch has been measured, a record is taken to cost the whole backlog limit, so that the first batch is a single
     * record and callers wait for its figure rather than queue more than a slow disk could store in time.
     */
    private volatile long nanosPerRecord;
    private boolean costMeasured;
    /** Set when the writer thread has ended, closed or not: appends are dropped rather than queued for no one. */
    private volatile boolean writerStopped;

    private final Thread writer;
    /** Package-private for the test that checks {@link #close} removes it. */
    final Thread exitHook;

    // used by the writer thread only
    private Connection connection;
    private PreparedStatement insert;

    private SqliteExecutionLog(Builder b) {
        this.file = b.file;
        this.fullQueueWait = b.fullQueueWait;
        this.flushInterval = b.flushInterval;
        this.backlogLimitNanos = b.flushInterval.toNanos() / 2;
        this.nanosPerRecord = backlogLimitNanos;
        this.busyTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.busyTimeout.toMillis());
        this.reports = b.reports == null ? System.err : b.reports;
        this.room = new Semaphore(b.queueCapacity);
        // opening the file is the writer's first task, so that building a log costs a run nothing
        this.writer = new Thread(this::writeUntilClosed, "promptlightning-log-writer");
        writer.setDaemon(true);
        this.exitHook = new Thread(this::closeAtExit, "promptlightning-log-exit");
        writer.start();
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /** A log in {@code file} with the default options; the file and its directories are made when missing. */
    public static SqliteExecutionLog open(Path file) {
        return builder(file).build();
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** The SQLite file. */
    public Path file() {
        return file;
    }

    /** About the longest a record waits to be committed while the database can be written. */
    public Duration flushInterval() {
        return flushInterval;
    }

    @Override
    public void append(ExecutionRecord record) {
        if (record == null || closed.get() || writerStopped) {
            dropped.incrementAndGet();
            return;
        }
        waitWhileWriterIsBehind();
        if (!room.tryAcquire()) {
            boolean got = false;
            try {
                got = room.tryAcquire(fullQueueWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!got) {
                dropped.incrementAndGet();
                reportOnce(overflowReported, "the execution log " + file + " is falling behind: its queue is full, so"
                        + " records are dropped until it catches up");
                return;
            }
        }
        queue.add(record);
        appended.incrementAndGet();
    }

    @Override
    public void flush() {
        awaitSettled(appended.get(), Long.MAX_VALUE);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.add(END);
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException exiting) {
                // the hook is running or about to; it finds the log closed
            }
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Holds the caller while the work waiting for the writer exceeds {@link #backlogLimitNanos}, for a flush interval
     * at most, so that a writer slower than its callers slows them rather than fall behind. Not while the writer waits
     * for another process's write lock: nothing is stored then however long callers wait, so records wait in the
     * queue instead.
     */
    private void waitWhileWriterIsBehind() {
        if (backlog() <= backlogLimitNanos || writerLockedOut) {
            return;
        }
        awaitProgress(() -> writerLockedOut || backlog() <= backlogLimitNanos, flushInterval.toNanos());
    }

    /** How long the writer needs, by its estimate, to store what is queued and the batch it is writing. */
    private long backlog() {
        return (appended.get() - settled) * nanosPerRecord;
    }

    /** Records that were not stored: dropped at a full queue, after close, or in a batch that failed. */
    long dropped() {
        return dropped.get();
    }

    private void closeAtExit() {
        if (closed.compareAndSet(false, true)) {
            queue.add(END);
        }
        try {
            writer.join(EXIT_FLUSH_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code target} records have been stored or dropped, or the writer has stopped. */
    private void awaitSettled(long target, long timeoutNanos) {
        awaitProgress(() -> settled >= target, timeoutNanos);
    }

    /** Waits, as the writer reports progress, until {@code done} holds, the writer has stopped, or time is up. */
    private void awaitProgress(BooleanSupplier done, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (progress) {
            while (!writerDone && !done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void writeUntilClosed() {
        List<ExecutionRecord> batch = new ArrayList<>(BATCH_SIZE);
        boolean end = false;
        try {
            // at once, so that a file that cannot be written is reported before the first run ends
            store(batch);
            while (!end) {
                ExecutionRecord next = take();
                int limit = batchLimit();
                while (next != null && batch.size() < limit) {
                    if (next == END) {
                        end = true;
                        break;
                    }
                    batch.add(next);
                    next = batch.size() < limit ? queue.poll() : null;
                }
                room.release(batch.size());
                if (!batch.isEmpty()) {
                    store(batch);
                }
                synchronized (progress) {
                    settled += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
            }
        } catch (RuntimeException | Error e) {
            dropped.addAndGet(batch.size());
            reportOnce(writeFailureReported, "the execution log " + file + " stopped: " + e);
        } finally {
            closeConnection();
            writerStopped = true;
            synchronized (progress) {
                writerDone = true;
                progress.notifyAll();
            }
        }
    }

    /** As many records as the writer stores in half a flush interval, by its estimate; 1 to {@link #BATCH_SIZE}. */
    private int batchLimit() {
        return (int) Math.max(1, Math.min(BATCH_SIZE, backlogLimitNanos / nanosPerRecord));
    }

    /** The next record, waiting for one; nothing interrupts this thread, so an interrupt is ignored. */
    private ExecutionRecord take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException ignored) {
                // keep serving the queue: only END stops the writer
            }
        }
    }

    /** Writes {@code batch} (opening the file first when it is not open); an empty one only opens the file. */
    private void store(List<ExecutionRecord> batch) {
        try {
            if (connection == null) {
                openFile();
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
        } catch (SQLException | IOException | RuntimeException | LinkageError e) {
            // LinkageError: SQLite's native library cannot load on this machine
            dropped.addAndGet(batch.size());
            // a connection in an unknown state is dropped; the next batch opens the file again
            closeConnection();
            reportOnce(writeFailureReported, "cannot write the execution log " + file + ": " + reason(e)
                    + "; runs go on, but their records are not stored while this lasts");
        } finally {
            writerLockedOut = false;
        }
    }

    private void openFile() throws SQLException, IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("a directory is in the way");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot create its directory: " + e.getFile() + " is not a directory", e);
            }
        }
        // no busy timeout: the handler waits as long instead, and says when the writer is locked out
        Connection c = LogSchema.connect(file, false, 0);
        try {
            BusyHandler.setHandler(c, new LockWait());
            LogSchema.prepareForWriting(c);
            insert = c.prepareStatement(LogSchema.INSERT);
            // the JSON writer loads now, so that its one-time cost is not taken for what a record costs to store
            LogSchema.inputsJson(Map.of());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        connection = c;
    }

    private void write(List<ExecutionRecord> batch) throws SQLException {
        long started = System.nanoTime();
        for (ExecutionRecord r : batch) {
            insert.setString(1, r.promptId());
            insert.setString(2, r.version());
            insert.setString(3, LogSchema.inputsJson(r.inputs()));
            insert.setString(4, r.output());
            // 'cost' is the original's column from before cost_usd: tools written then read it
            insert.setDouble(5, r.costUsd());
            insert.setLong(6, r.latencyMs());
            setNullable(7, r.provider());
            setNullable(8, r.model());
            insert.setLong(9, r.tokensIn());
            insert.setLong(10, r.tokensOut());
            insert.setDouble(11, r.costUsd());
            insert.setString(12, LogSchema.sqlTime(r.createdAt()));
            setNullable(13, r.label());
            setNullable(14, r.error());
            setNullable(15, r.priceSource());
            insert.addBatch();
        }
        try (Statement s = connection.createStatement()) {
            long beforeLock = System.nanoTime();
            s.execute("BEGIN IMMEDIATE");
            // waiting for another process's transaction is no part of what a record costs to store
            long lockWait = System.nanoTime() - beforeLock;
            try {
                insert.executeBatch();
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                insert.clearBatch();
                LogSchema.rollbackQuietly(connection);
                throw e;
            }
            learnCost(batch.size(), System.nanoTime() - started - lockWait);
        }
    }

    /**
     * Moves the estimate of a record's cost towards what a batch measured, the more the larger the batch; the first
     * batch measured replaces the assumption made before it.
     */
    private void learnCost(int records, long nanos) {
        long measured = Math.max(1, nanos / records);
        if (!costMeasured) {
            costMeasured = true;
            nanosPerRecord = measured;
            return;
        }
        double weight = records / (records + ESTIMATE_HALFWAY_RECORDS);
        nanosPerRecord = Math.max(1, Math.round(nanosPerRecord + (measured - nanosPerRecord) * weight));
    }

    /**
     * Called by SQLite while another connection holds the lock the writer needs: waits for it up to the busy timeout,
     * as SQLite's own timeout would, and meanwhile marks the writer locked out so that no caller is held for it.
     */
    private final class LockWait extends BusyHandler {
        private static final long LONGEST_SLEEP_MILLIS = 16;
        private long since;

        @Override
        protected int callback(int earlierCalls) {
            long now = System.nanoTime();
            if (earlierCalls == 0) {
                since = now;
                synchronized (progress) {
                    writerLockedOut = true;
                    progress.notifyAll();
                }
            }
            long left = TimeUnit.MILLISECONDS.toNanos(busyTimeoutMillis) - (now - since);
            if (left <= 0) {
                return 0;
            }
            long sleep = Math.min(LONGEST_SLEEP_MILLIS, 1L << Math.min(earlierCalls, 4));
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(sleep)));
            } catch (InterruptedException e) {
                // nothing interrupts the writer; keep waiting for the lock as the timeout allows
            }
            return 1;
        }
    }

    private void setNullable(int index, String value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.VARCHAR);
        } else {
            insert.setString(index, value);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close(); // the last connection to close checkpoints the WAL into the file
            } catch (SQLException ignored) {
                // nothing more to store through it
            }
            connection = null;
            insert = null;
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message.replace('\n', ' ');
    }

    private void reportOnce(AtomicBoolean reported, String message) {
        if (reported.compareAndSet(false, true)) {
            reports.println("warning: " + message);
            reports.flush();
        }
    }

    /** Options for a {@link SqliteExecutionLog}. */
    public static final class Builder {
        private final Path file;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration fullQueueWait = Duration.ofSeconds(1);
        private Duration busyTimeout = Duration.ofSeconds(5);
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private PrintStream reports;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        }

        /** How many records may wait to be stored ({@value #DEFAULT_QUEUE_CAPACITY} by default). */
        public Builder queueCapacity(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1: " + records);
            }
            this.queueCapacity = records;
            return this;
        }

        /**
         * How long {@code append} waits for room when the queue is full before it drops the record (1 s by
         * default; zero drops at once).
         */
        public Builder fullQueueWait(Duration wait) {
            this.fullQueueWait = requireNotNegative("fullQueueWait", wait);
            return this;
        }

        /**
         * How long a write waits for another process that holds the database's write lock before its batch fails
         * (5 s by default).
         */
        public Builder busyTimeout(Duration timeout) {
            this.busyTimeout = requireNotNegative("busyTimeout", timeout);
            return this;
        }

        /**
         * About the longest a record waits to be committed while the database can be written (200 ms by default),
         * hence about what a crash of the process can lose: when records come faster than the disk stores them,
         * {@code append} holds its caller (a flush interval at most) rather than let more wait.
         */
        public Builder flushInterval(Duration interval) {
            Objects.requireNonNull(interval, "flushInterval");
            if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(MAX_FLUSH_INTERVAL) > 0) {
                throw new IllegalArgumentException("flushInterval must be from 1 ms to " + MAX_FLUSH_INTERVAL
                        .toMinutes() + " minutes: " + interval);
            }
            this.flushInterval = interval;
            return this;
        }

        /** Where the log says it cannot write (standard error by default). */
        public Builder reportTo(PrintStream stream) {
            this.reports = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /** Starts the log; its file is opened (and made, or migrated) by the writer thread. */
        public SqliteExecutionLog build() {
            return new SqliteExecutionLog(this);
        }

        private static Duration requireNotNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
