package io.promptlightning;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A copy of a prompt directory that opens as a {@link LocalRegistry} with the same templates and history: the
 * template files, in their subdirectories, and the history directory without its lock file and journal (other
 * files, such as READMEs, are left out). The copy is made in a new directory beside the destination and renamed
 * into place, so the destination holds a whole copy or nothing.
 */
final class LocalBackup {
    private LocalBackup() {
    }

    /**
     * @param lock         taken while copying, to keep writers out
     * @param templateFile which files outside the history directory are templates
     * @throws RegistryException naming {@code destination} if it exists or cannot be written
     */
    static void write(Path dir, LocalHistory history, Path destination, Supplier<DirectoryLock> lock,
            Predicate<Path> templateFile) {
        Path target = destination.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegistryException("the backup destination already exists; a backup goes to a new directory",
                    null, target, 0, null);
        }
        if (target.startsWith(dir)) {
            throw new RegistryException("the backup destination is inside the prompt directory " + dir, null, target,
                    0, null);
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new RegistryException("the directory to hold the backup does not exist", null, target, 0, null);
        }
        Path temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            Files.createDirectory(temp);
            try (DirectoryLock held = lock.get()) {
                copy(dir, history, temp, templateFile);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            FileJournal.syncDirectory(parent);
        } catch (IOException e) {
            throw new RegistryException("cannot write the backup: " + LocalRegistry.reason(e), null, target, 0, e);
        } finally {
            if (!moved) {
                FileJournal.deleteTree(temp);
            }
        }
    }

    /** Copies without syncing each file, then makes the whole copy durable at once. */
    private static void copy(Path dir, LocalHistory history, Path copy, Predicate<Path> templateFile)
            throws IOException {
        List<Path> copied = new ArrayList<>();
        Set<Path> directories = new LinkedHashSet<>();
        directories.add(copy);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return history.isJournal(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                boolean kept = history.contains(file)
                        ? !history.isLockFile(file) && !file.getFileName().toString().endsWith(".tmp")
                        : templateFile.test(file);
                if (kept) {
                    Path to = copy.resolve(dir.relativize(file).toString());
                    if (!directories.contains(to.getParent())) {
                        Files.createDirectories(to.getParent());
                        // each new directory's entry is in its parent, which is new too, up to the copy itself
                        for (Path d = to.getParent(); !d.equals(copy) && directories.add(d); d = d.getParent()) {
                            // added
                        }
                    }
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    copied.add(to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted by hand while we copied
                }
                throw e;
            }
        });
        BulkSync.flush(copied, directories);
    }
}
