package io.promptlightning;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file, held against other processes (an OS file lock) and against other registries on
 * the same directory in this process. The OS lock alone is not enough within one JVM: a second lock of the same
 * file by the same process fails instead of waiting.
 */
final class DirectoryLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock inProcess;
    private final FileChannel channel;
    private final FileLock fileLock;

    private DirectoryLock(ReentrantLock inProcess, FileChannel channel, FileLock fileLock) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Waits for the lock, creating the lock file if needed. With {@code shared}, takes a shared lock on an existing
     * lock file only (for a registry that never writes): no file lock at all when there is no lock file, since
     * then no writer has ever written.
     */
    static DirectoryLock acquire(Path lockFile, boolean shared) throws IOException {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        inProcess.lock();
        FileChannel channel = null;
        try {
            if (shared) {
                if (!Files.exists(lockFile)) {
                    return new DirectoryLock(inProcess, null, null);
                }
                channel = FileChannel.open(lockFile, StandardOpenOption.READ);
                return new DirectoryLock(inProcess, channel, channel.lock(0, Long.MAX_VALUE, true));
            }
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new DirectoryLock(inProcess, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the failure reported is the one that matters
                }
            }
            inProcess.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            inProcess.unlock();
        }
    }
}
