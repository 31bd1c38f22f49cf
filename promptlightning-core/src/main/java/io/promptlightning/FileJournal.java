package io.promptlightning;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Applies changes to several files of a prompt directory all together or not at all, across crashes.
 *
 * <p>A write is first staged: a manifest listing every change ({@code journal/<uuid>.staged}, YAML), and the new
 * content of each replaced file as a temporary file beside it (same directory, so that the final rename is atomic
 * even where a subdirectory is another file system, and so that a directory we cannot write to is found before
 * anything changes), all synced. Renaming the manifest to {@code <uuid>.committed} commits the write; then the
 * temporary files are renamed over their targets, appends and deletes are done, and the manifest is removed.
 * Every step after the commit can be repeated, so a committed manifest left by a crash is rolled forward by
 * {@link #recover()}; a staged one is dropped with its temporary files. Callers hold the directory's lock
 * throughout.
 */
final class FileJournal {
    private static final String STAGED = ".staged";
    private static final String COMMITTED = ".committed";
    private static final String TEMPORARY = ".tmp";
    /** The name of a temporary file: {@code .<target name>.<UUID>.tmp}. */
    private static final Pattern TEMPORARY_NAME = Pattern.compile(
            "\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

    private final Path base;
    private final Path journalDir;
    /** Directories under which a delete also removes the parent directories it leaves empty. */
    private final Path pruneRoot;

    FileJournal(Path base, Path journalDir, Path pruneRoot) {
        this.base = base;
        this.journalDir = journalDir;
        this.pruneRoot = pruneRoot;
    }

    /**
     * Changes to files, at most one per file: a later change to a file replaces or extends the earlier one (so a
     * repeated roll-forward never applies a delete after the write that followed it). Writes and appends are
     * applied in the order given, then deletes, so that readers meet new files before old ones vanish.
     */
    static final class Changes {
        private final Map<Path, Change> byFile = new LinkedHashMap<>();

        void write(Path file, byte[] content) {
            byFile.put(file, new Change(Kind.WRITE, content, null));
        }

        void write(Path file, String text) {
            write(file, text.getBytes(StandardCharsets.UTF_8));
        }

        void delete(Path file) {
            byFile.put(file, new Change(Kind.DELETE, null, null));
        }

        void append(Path file, String text) {
            Change before = byFile.get(file);
            if (before == null) {
                byFile.put(file, new Change(Kind.APPEND, null, text));
            } else if (before.kind == Kind.APPEND) {
                byFile.put(file, new Change(Kind.APPEND, null, before.text + text));
            } else {
                byte[] start = before.kind == Kind.WRITE ? before.content : new byte[0];
                byte[] added = text.getBytes(StandardCharsets.UTF_8);
                byte[] joined = new byte[start.length + added.length];
                System.arraycopy(start, 0, joined, 0, start.length);
                System.arraycopy(added, 0, joined, start.length, added.length);
                byFile.put(file, new Change(Kind.WRITE, joined, null));
            }
        }

        boolean isEmpty() {
            return byFile.isEmpty();
        }

        Set<Path> files() {
            return Collections.unmodifiableSet(byFile.keySet());
        }
    }

    private enum Kind { WRITE, APPEND, DELETE }

    private record Change(Kind kind, byte[] content, String text) {
    }

    /** One step of a manifest; {@code temp} for writes, {@code size} (the length before) and text for appends. */
    private record Step(Kind kind, Path target, Path temp, long size, String text) {
    }

    /** A staged write, not yet visible; {@link #commit()} then {@link #apply()} it, or {@link #abandon()} it. */
    final class Staged {
        private final Path manifest;
        private final List<Step> steps;
        private final List<Path> createdDirs;

        private Staged(Path manifest, List<Step> steps, List<Path> createdDirs) {
            this.manifest = manifest;
            this.steps = steps;
            this.createdDirs = createdDirs;
        }

        private Path committed() {
            String name = manifest.getFileName().toString();
            return manifest.resolveSibling(name.substring(0, name.length() - STAGED.length()) + COMMITTED);
        }

        /** Makes the write certain: from here on, a crash is followed by a roll-forward. */
        void commit() {
            try {
                Files.move(manifest, committed(), StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(journalDir);
            } catch (IOException e) {
                abandon();
                throw new RegistryException("cannot commit the write: " + LocalRegistry.reason(e), null, manifest, 0,
                        e);
            }
        }

        /** Applies a committed write; a failure leaves the journal for the next roll-forward. */
        void apply() {
            applySteps(steps);
        }

        /** Removes the manifest of an applied write. */
        void finish() {
            finished(committed());
        }

        /** Drops an uncommitted write: its temporary files, its manifest and the directories made for it. */
        void abandon() {
            dropStaged(manifest, steps);
            for (int i = createdDirs.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(createdDirs.get(i));
                } catch (IOException ignored) {
                    // not empty (someone else uses it) or not ours to remove: harmless either way
                }
            }
        }
    }

    /** Stages, commits and applies {@code changes} as one write. Does nothing for no changes. */
    void write(Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        Staged staged = stage(changes);
        staged.commit();
        staged.apply();
        staged.finish();
    }

    /**
     * Writes the manifest and the new content of every file, changing nothing a reader sees.
     *
     * @throws RegistryException naming the file that cannot be written; nothing is left behind then
     */
    Staged stage(Changes changes) {
        String name = UUID.randomUUID().toString();
        Path manifest = journalDir.resolve(name + STAGED);
        List<Step> steps = new ArrayList<>();
        List<Step> deletes = new ArrayList<>();
        for (Map.Entry<Path, Change> e : changes.byFile.entrySet()) {
            Path target = e.getKey();
            Change change = e.getValue();
            switch (change.kind) {
                case WRITE:
                    steps.add(new Step(Kind.WRITE, target, temporaryFile(target, name), 0, null));
                    break;
                case APPEND:
                    steps.add(appendStep(target, change.text));
                    break;
                default:
                    deletes.add(new Step(Kind.DELETE, target, null, 0, null));
            }
        }
        steps.addAll(deletes);
        List<Path> createdDirs = new ArrayList<>();
        Staged staged = new Staged(manifest, steps, createdDirs);
        Path current = journalDir;
        try {
            Set<Path> knownDirs = new HashSet<>();
            createDirectories(journalDir, createdDirs, knownDirs);
            current = manifest;
            writeFile(manifest, manifest(steps).getBytes(StandardCharsets.UTF_8), true);
            // a temporary file must still be there for a roll-forward after the commit: its name is synced too
            Set<Path> dirsToSync = new LinkedHashSet<>();
            List<Path> written = new ArrayList<>();
            for (Step step : steps) {
                current = step.target;
                if (step.kind != Kind.DELETE) {
                    createDirectories(step.target.getParent(), createdDirs, knownDirs);
                }
                if (step.kind == Kind.WRITE) {
                    writeFile(step.temp, changes.byFile.get(step.target).content, false);
                    written.add(step.temp);
                    if (exists(step.target)) {
                        keepPermissions(step.target, step.temp);
                    }
                    dirsToSync.add(step.temp.getParent());
                }
            }
            for (Path created : createdDirs) {
                dirsToSync.add(created.getParent());
            }
            current = base;
            BulkSync.flush(written, dirsToSync);
            return staged;
        } catch (IOException e) {
            staged.abandon();
            throw new RegistryException("cannot write: " + LocalRegistry.reason(e), null, current, 0, e);
        }
    }

    /** An append that starts on a line of its own even if the file's last line lost its line break. */
    private static Step appendStep(Path target, String text) {
        long size = 0;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.READ)) {
            size = channel.size();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                channel.read(last, size - 1);
                if (last.get(0) != '\n') {
                    text = "\n" + text;
                }
            }
        } catch (NoSuchFileException e) {
            size = 0;
        } catch (IOException e) {
            throw new RegistryException("cannot read: " + LocalRegistry.reason(e), null, target, 0, e);
        }
        return new Step(Kind.APPEND, target, null, size, text);
    }

    /**
     * Where the new content of {@code target} is written before it replaces it, beside it: {@code id} tells apart the
     * temporary files of different writes.
     */
    static Path temporaryFile(Path target, String id) {
        return target.resolveSibling("." + target.getFileName() + "." + id + TEMPORARY);
    }

    /** {@link #temporaryFile} with a new random id. */
    static Path temporaryFile(Path target) {
        return temporaryFile(target, UUID.randomUUID().toString());
    }

    /** Whether {@code file} is named as {@link #temporaryFile} names them. */
    static boolean isTemporaryFile(Path file) {
        Path name = file.getFileName();
        return name != null && TEMPORARY_NAME.matcher(name.toString()).matches();
    }

    /** What a file left in the journal is. */
    enum LeftoverKind {
        /** A committed write not yet completed: {@link #recover()} rolls it forward. */
        COMMITTED,
        /** A write never committed: {@link #recover()} drops it, with its temporary files. */
        STAGED,
        /** Not a file of any write: {@link #recover()} removes it. */
        FOREIGN
    }

    /**
     * A file left in the journal by a writer that stopped.
     *
     * @param temporaryFiles the temporary files its manifest names (those of its writes)
     * @param damage         why its manifest cannot be read, or null; a committed write with a damaged manifest
     *                       cannot be completed, so {@link #recover()} fails on it
     */
    record Leftover(Path file, LeftoverKind kind, Set<Path> temporaryFiles, RegistryException damage) {
    }

    /**
     * Every file in the journal, read but not changed: without the lock, a write in progress shows here as well as a
     * leftover of a crash.
     *
     * @throws RegistryException if the journal directory cannot be read
     */
    List<Leftover> leftovers() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(journalDir)) {
            listed.forEach(entries::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RegistryException("cannot read the journal: " + LocalRegistry.reason(e), null, journalDir, 0,
                    e);
        }
        Collections.sort(entries);
        List<Leftover> leftovers = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            LeftoverKind kind = name.endsWith(COMMITTED) ? LeftoverKind.COMMITTED
                    : name.endsWith(STAGED) ? LeftoverKind.STAGED : LeftoverKind.FOREIGN;
            Set<Path> temporaryFiles = new LinkedHashSet<>();
            RegistryException damage = null;
            if (kind != LeftoverKind.FOREIGN) {
                try {
                    for (Step step : readManifest(entry)) {
                        if (step.temp != null) {
                            temporaryFiles.add(step.temp);
                        }
                    }
                } catch (RegistryException e) {
                    damage = e;
                }
            }
            leftovers.add(new Leftover(entry, kind, temporaryFiles, damage));
        }
        return leftovers;
    }

    /** Whether there is a journal to recover or clean up. Takes no lock. */
    boolean pending() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(journalDir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Rolls forward every committed write left by a crashed writer and drops every staged one. Called with the
     * lock held, before any write.
     *
     * @throws RegistryException if a committed write cannot be completed (it is kept for the next attempt)
     */
    void recover() {
        if (!pending()) {
            return;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(journalDir)) {
            listed.forEach(entries::add);
        } catch (IOException e) {
            throw new RegistryException("cannot read the journal: " + LocalRegistry.reason(e), null, journalDir, 0,
                    e);
        }
        Collections.sort(entries);
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.endsWith(COMMITTED)) {
                applySteps(readManifest(entry));
                finished(entry);
            } else if (name.endsWith(STAGED)) {
                List<Step> steps;
                try {
                    steps = readManifest(entry);
                } catch (RegistryException torn) {
                    steps = List.of(); // the manifest is synced before any temporary file exists: none to drop
                }
                dropStaged(entry, steps);
            } else {
                deleteTree(entry); // not ours: a write never leaves anything else here
            }
        }
    }

    /** Removes the manifest of an applied write, durably, so that it is never applied again after a later write. */
    private void finished(Path committed) {
        try {
            Files.deleteIfExists(committed);
        } catch (IOException e) {
            throw new RegistryException("cannot clear the journal: " + LocalRegistry.reason(e), null, committed, 0, e);
        }
        syncDirectory(journalDir);
    }

    private void applySteps(List<Step> steps) {
        Set<Path> changedDirs = new LinkedHashSet<>();
        List<Path> appended = new ArrayList<>();
        Path current = base;
        try {
            for (Step step : steps) {
                current = step.target;
                switch (step.kind) {
                    case WRITE:
                        if (Files.exists(step.temp, LinkOption.NOFOLLOW_LINKS)) {
                            Files.move(step.temp, step.target, StandardCopyOption.ATOMIC_MOVE);
                            changedDirs.add(step.target.getParent());
                        }
                        break;
                    case APPEND:
                        if (appendAt(step)) {
                            changedDirs.add(step.target.getParent());
                        }
                        appended.add(step.target);
                        break;
                    default:
                        if (Files.deleteIfExists(step.target)) {
                            changedDirs.add(step.target.getParent());
                            prune(step.target.getParent(), changedDirs);
                        }
                }
            }
            current = base;
            BulkSync.flush(appended, changedDirs);
        } catch (IOException e) {
            throw new RegistryException("the write is committed but could not be completed ("
                    + LocalRegistry.reason(e) + "); it is completed by the next write or when the directory is"
                    + " opened again", null, current, 0, e);
        }
    }

    /**
     * Appends at the length the file had when staged, unless the text is already there (a roll-forward of a write
     * that was applied), so that nothing is appended twice; a partly written append is replaced. The caller syncs
     * the file.
     *
     * @return whether the file was created
     */
    private static boolean appendAt(Step step) throws IOException {
        byte[] bytes = step.text.getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(step.target, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(step.target, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size >= step.size + bytes.length) {
                ByteBuffer there = ByteBuffer.allocate(bytes.length);
                while (there.hasRemaining() && channel.read(there, step.size + there.position()) > 0) {
                    // read until full
                }
                if (Arrays.equals(there.array(), bytes)) {
                    return created;
                }
            }
            long at = Math.min(size, step.size);
            if (size > at) {
                channel.truncate(at);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }
        return created;
    }

    /** Removes directories emptied by a delete, up to {@link #pruneRoot}. */
    private void prune(Path directory, Set<Path> changedDirs) {
        for (Path d = directory; d != null && d.startsWith(pruneRoot) && !d.equals(pruneRoot); d = d.getParent()) {
            try {
                Files.delete(d);
                changedDirs.remove(d);
                changedDirs.add(d.getParent());
            } catch (IOException notEmptyOrGone) {
                return;
            }
        }
    }

    private static void dropStaged(Path manifest, List<Step> steps) {
        for (Step step : steps) {
            if (step.kind == Kind.WRITE) {
                try {
                    Files.deleteIfExists(step.temp);
                } catch (IOException ignored) {
                    // a temporary file is never read as a template
                }
            }
        }
        try {
            Files.deleteIfExists(manifest);
        } catch (IOException ignored) {
            // dropped again by the next recovery
        }
    }

    // ------------------------------------------------------------------------------------------- manifest

    private String manifest(List<Step> steps) {
        List<Object> items = new ArrayList<>();
        for (Step step : steps) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("op", step.kind.name().toLowerCase(java.util.Locale.ROOT));
            item.put("path", relative(step.target));
            if (step.kind == Kind.WRITE) {
                item.put("temp", relative(step.temp));
            } else if (step.kind == Kind.APPEND) {
                item.put("size", step.size);
                item.put("text", step.text);
            }
            items.add(item);
        }
        return HistoryYaml.block(items);
    }

    private List<Step> readManifest(Path file) {
        Object data;
        try {
            data = HistoryYaml.load(Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new RegistryException("cannot read the journal: " + LocalRegistry.reason(e), null, file, 0, e);
        } catch (ValidationException e) {
            throw new RegistryException("the journal is damaged: " + e.detail(), null, file, e.line(), e);
        }
        if (!(data instanceof List)) {
            throw new RegistryException("the journal is damaged: not a list of steps", null, file, 1, null);
        }
        List<Step> steps = new ArrayList<>();
        for (Object o : (List<?>) data) {
            if (!(o instanceof Map) || !(((Map<?, ?>) o).get("path") instanceof String)) {
                throw new RegistryException("the journal is damaged: a step without a path", null, file, 1, null);
            }
            Map<?, ?> item = (Map<?, ?>) o;
            Kind kind;
            try {
                kind = Kind.valueOf(String.valueOf(item.get("op")).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RegistryException("the journal is damaged: unknown step " + item.get("op"), null, file, 1,
                        e);
            }
            Path target = resolve((String) item.get("path"), file);
            Path temp = item.get("temp") instanceof String ? resolve((String) item.get("temp"), file) : null;
            long size = item.get("size") instanceof Number ? ((Number) item.get("size")).longValue() : 0;
            String text = item.get("text") instanceof String ? (String) item.get("text") : "";
            if (kind == Kind.WRITE && temp == null) {
                throw new RegistryException("the journal is damaged: a write without its file", null, file, 1, null);
            }
            steps.add(new Step(kind, target, temp, size, text));
        }
        return steps;
    }

    /** A path relative to the prompt directory, with {@code /} whatever the platform. */
    private String relative(Path path) {
        List<String> names = new ArrayList<>();
        for (Path name : base.relativize(path)) {
            names.add(name.toString());
        }
        return String.join("/", names);
    }

    private Path resolve(String relative, Path manifest) {
        Path path = base;
        for (String name : relative.split("/")) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new RegistryException("the journal is damaged: a path outside the prompt directory: " + relative,
                        null, manifest, 1, null);
            }
            path = path.resolve(name);
        }
        return path;
    }

    // ---------------------------------------------------------------------------------------- file helpers

    /** Creates {@code directory} and its missing parents, noting those it created; {@code known} exist already. */
    private static void createDirectories(Path directory, List<Path> created, Set<Path> known) throws IOException {
        if (known.contains(directory)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path d = directory; d != null && !known.contains(d) && !isDirectory(d); d = d.getParent()) {
            missing.add(d);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            try {
                Files.createDirectory(missing.get(i));
                created.add(missing.get(i));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(missing.get(i))) {
                    throw e;
                }
            }
        }
        for (Path d = directory; d != null && known.add(d); d = d.getParent()) {
            // every parent of a directory that exists exists too
        }
    }

    /**
     * Whether {@code path} exists, without the exception that {@link Files#exists} makes and drops for a missing
     * file (it counts when a batch creates tens of thousands).
     */
    private static boolean exists(Path path) {
        try {
            return path.toFile().exists();
        } catch (UnsupportedOperationException notDefaultFileSystem) {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** {@link Files#isDirectory}, without an exception for a missing directory (see {@link #exists}). */
    private static boolean isDirectory(Path path) {
        try {
            return path.toFile().isDirectory();
        } catch (UnsupportedOperationException notDefaultFileSystem) {
            return Files.isDirectory(path);
        }
    }

    static void writeSynced(Path file, byte[] bytes) throws IOException {
        writeFile(file, bytes, true);
    }

    /** Creates {@code file} (which must not exist) holding {@code bytes}; synced, or left for a {@link BulkSync}. */
    private static void writeFile(Path file, byte[] bytes, boolean sync) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
    }

    /** A replaced file keeps its permissions; the temporary file was created with the default ones. */
    static void keepPermissions(Path target, Path temp) {
        try {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (IOException | UnsupportedOperationException ignored) {
            // a new file, or no POSIX permissions here: the defaults stand
        }
    }

    /** Makes renames in {@code directory} durable where the platform allows syncing a directory. */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported (e.g. Windows): the rename is still atomic, only its durability is the OS's
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // what is left is removed by the next recovery, and is never read as a template
        }
    }
}
