package io.promptlightning;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes many files written without syncing durable at once. Syncing each file and directory costs a disk flush
 * apiece, and a write of ten thousand templates makes tens of thousands of them; on Linux one {@code syncfs(2)} per
 * file system flushes them all together. Elsewhere (or if {@code syncfs} fails) the files and directories are synced
 * one by one, many at a time, so that the file system can group the flushes.
 */
final class BulkSync {
    /** Below this many paths, syncing each costs less than flushing a whole file system. */
    static final int THRESHOLD = 64;
    private static final int PARALLEL_SYNCS = 16;

    private BulkSync() {
    }

    /**
     * Returns once the content of {@code files} and the entries of {@code directories} (names created, renamed or
     * removed in them) are on disk: each synced in turn when they are few, else together.
     *
     * @throws IOException naming the path that could not be synced
     */
    static void flush(Collection<Path> files, Collection<Path> directories) throws IOException {
        List<Path> fileList = new ArrayList<>(files);
        List<Path> dirList = new ArrayList<>(new LinkedHashSet<>(directories));
        if (fileList.size() + dirList.size() >= THRESHOLD && LinuxSyncfs.AVAILABLE) {
            Set<Path> probes = new LinkedHashSet<>(dirList);
            for (Path file : fileList) {
                probes.add(file.getParent());
            }
            Set<Path> unsynced = new HashSet<>(LinuxSyncfs.syncFileSystemsOf(probes));
            if (unsynced.isEmpty()) {
                return;
            }
            fileList.removeIf(file -> !unsynced.contains(file.getParent()));
            dirList.removeIf(dir -> !unsynced.contains(dir));
        }
        syncEach(fileList, dirList);
    }

    /** Syncs each file, then each directory; {@value #PARALLEL_SYNCS} at a time when there are many. */
    static void syncEach(List<Path> files, List<Path> dirs) throws IOException {
        if (files.size() + dirs.size() < THRESHOLD) {
            for (Path file : files) {
                force(file, false);
            }
            for (Path dir : dirs) {
                force(dir, true);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SYNCS, r -> {
            Thread t = new Thread(r, "promptlightning-sync");
            t.setDaemon(true);
            return t;
        });
        try {
            awaitAll(pool, files, false);
            awaitAll(pool, dirs, true);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitAll(ExecutorService pool, List<Path> paths, boolean directories) throws IOException {
        List<Future<?>> pending = new ArrayList<>(paths.size());
        for (Path path : paths) {
            pending.add(pool.submit(() -> {
                force(path, directories);
                return null;
            }));
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException) {
                    throw (IOException) e.getCause();
                }
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while syncing", e);
            }
        }
    }

    private static void force(Path path, boolean directory) throws IOException {
        if (directory) {
            FileJournal.syncDirectory(path); // where a directory cannot be synced, renames are still atomic
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** {@code syncfs(2)} through JNR-FFI, which LMDB's binding already brings; loaded on first use. */
    private static final class LinuxSyncfs {
        public interface LibC {
            int open(String path, int flags);

            int syncfs(int fd);

            int close(int fd);
        }

        private static final int O_RDONLY = 0;
        private static final LibC LIBC = load();
        static final boolean AVAILABLE = LIBC != null;

        private static LibC load() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                return jnr.ffi.LibraryLoader.create(LibC.class).load("c");
            } catch (RuntimeException | LinkageError unavailable) {
                return null;
            }
        }

        /**
         * Flushes each file system holding one of {@code dirs}, through one directory of each.
         *
         * @return the directories whose file system could not be flushed (to be synced one by one)
         */
        static List<Path> syncFileSystemsOf(Set<Path> dirs) {
            Map<Object, List<Path>> byDevice = new LinkedHashMap<>();
            Map<Path, Object> deviceOfParent = new HashMap<>();
            for (Path dir : dirs) {
                Object device = deviceOfParent.computeIfAbsent(dir, BulkSync.LinuxSyncfs::device);
                byDevice.computeIfAbsent(device, k -> new ArrayList<>()).add(dir);
            }
            List<Path> unsynced = new ArrayList<>();
            for (List<Path> group : byDevice.values()) {
                if (!syncfs(group.get(0))) {
                    unsynced.addAll(group);
                }
            }
            return unsynced;
        }

        private static Object device(Path dir) {
            try {
                return Files.getAttribute(dir, "unix:dev");
            } catch (IOException | RuntimeException unknown) {
                return dir; // a group of its own: flushed through itself
            }
        }

        private static boolean syncfs(Path dir) {
            int fd = LIBC.open(dir.toString(), O_RDONLY);
            if (fd < 0) {
                return false;
            }
            try {
                return LIBC.syncfs(fd) == 0;
            } finally {
                LIBC.close(fd);
            }
        }
    }
}
