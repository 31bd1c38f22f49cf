package io.promptlightning.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: to a temporary file in the same directory, synced, then renamed (or linked)
 * into place, so that a reader or a crash never sees half a file.
 */
final class FileWrites {
    private FileWrites() {
    }

    /** What to write, streamed into the temporary file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target}, replacing it atomically if it exists (keeping its permissions). */
    static void replace(Path target, byte[] bytes) throws IOException {
        replace(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code target} with what {@code content} streams, replacing it atomically if it exists (keeping its
     * permissions): content too large to hold in memory never leaves half a file either.
     */
    static void replace(Path target, Content content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            } catch (IOException | UnsupportedOperationException newFileOrNoPosix) {
                // the defaults stand
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Creates {@code target} with {@code bytes} unless it exists; never replaces a file, even one created at the same
     * moment by another process.
     *
     * @return false if {@code target} already existed (it is left as it was)
     */
    static boolean createNew(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target)) {
            return false;
        }
        Path temp = writeTemp(target, out -> out.write(bytes));
        try {
            try {
                Files.createLink(target, temp); // atomic, and fails rather than replace
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException | UnsupportedOperationException noHardLinks) {
                try {
                    Files.move(temp, target); // no REPLACE_EXISTING: refuses an existing target
                    temp = null;
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
            return true;
        } finally {
            deleteQuietly(temp);
        }
    }

    private static Path writeTemp(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        boolean done = false;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            content.writeTo(out);
            out.flush();
            channel.force(true);
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
        return temp;
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temporary file is not a template file (it does not end in .yaml): harmless
            }
        }
    }
}
