package io.promptlightning;

import io.promptlightning.internal.SpecYaml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The history a {@link LocalRegistry} keeps under {@code <prompt dir>/.promptlightning/}: where each file lives,
 * what it holds, and how it is read. Everything is YAML a person can read and a version control system can diff:
 *
 * <pre>
 * .promptlightning/
 *   .gitignore                   lock and journal/, which belong to this machine only
 *   lock                         locked by every write, by every process
 *   journal/                     writes in progress (see {@link FileJournal})
 *   templates/&lt;id&gt;/
 *     versions/&lt;version&gt;.yaml    the template file of that version, plus saved: {at, by, message}
 *     labels.yaml                label: version, without latest (the template file's version)
 *     label-history.yaml         every label move, one "- {label, from, to, at, by, message}" line each,
 *                                only ever appended to
 * </pre>
 *
 * Ids and versions become directory and file names with every character outside {@code [A-Za-z0-9._-]} (and a
 * leading or trailing {@code .}, which some systems hide or drop) percent-encoded as UTF-8, so legacy ids with spaces, {@code /} or emoji map to one safe name
 * each, reversibly. Reads take no lock; writes go through {@link HistoryBatch} with {@link #lock} held.
 */
final class LocalHistory {
    static final String DIRECTORY = LocalRegistry.HISTORY_DIRECTORY;
    private static final String TEMPLATES = "templates";
    private static final String VERSIONS = "versions";
    private static final String LABELS = "labels.yaml";
    private static final String LABEL_HISTORY = "label-history.yaml";
    private static final String EXTENSION = ".yaml";
    private static final String GITIGNORE_TEXT = "# The lock file and unfinished writes belong to this machine;"
            + " everything else here is the\n# templates' history and labels, to be committed with them.\nlock\n"
            + "journal/\n";

    private final Path root;
    private final Path templates;
    private final Path journalDir;
    private final Path lockFile;
    private final Path gitignore;
    private final FileJournal journal;

    LocalHistory(Path promptDir) {
        this.root = promptDir.resolve(DIRECTORY);
        this.templates = root.resolve(TEMPLATES);
        this.journalDir = root.resolve("journal");
        this.lockFile = root.resolve("lock");
        this.gitignore = root.resolve(".gitignore");
        this.journal = new FileJournal(promptDir, journalDir, templates);
    }

    Path root() {
        return root;
    }

    Path templatesRoot() {
        return templates;
    }

    FileJournal journal() {
        return journal;
    }

    /** Whether {@code path} is the history directory or inside it. */
    boolean contains(Path path) {
        return path.startsWith(root);
    }

    /** Whether changes to {@code path} say nothing about templates: the lock, the journal, the ignore file. */
    boolean isBookkeeping(Path path) {
        return path.startsWith(journalDir) || path.equals(lockFile) || path.equals(gitignore);
    }

    boolean isJournal(Path path) {
        return path.startsWith(journalDir);
    }

    boolean isLockFile(Path path) {
        return path.equals(lockFile);
    }

    // ------------------------------------------------------------------------------------------- layout

    Path idDirectory(String id) {
        return templates.resolve(encode(id));
    }

    Path versionsDirectory(String id) {
        return idDirectory(id).resolve(VERSIONS);
    }

    Path versionFile(String id, String version) {
        return versionsDirectory(id).resolve(encode(version) + EXTENSION);
    }

    Path labelsFile(String id) {
        return idDirectory(id).resolve(LABELS);
    }

    Path labelHistoryFile(String id) {
        return idDirectory(id).resolve(LABEL_HISTORY);
    }

    /** {@code text} as a file name: UTF-8, bytes outside {@code [A-Za-z0-9._-]} and a dot at either end as %XX. */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean safe = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_'
                    || b == '-' || (b == '.' && i > 0 && i < bytes.length - 1);
            if (safe) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The text {@link #encode} made {@code name} from, or null if {@code name} is not such a name. */
    static String decode(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                if (i + 2 >= name.length()) {
                    return null;
                }
                int hi = Character.digit(name.charAt(i + 1), 16);
                int lo = Character.digit(name.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return encode(text).equalsIgnoreCase(name) ? text : null;
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The versions recorded for {@code id}, in {@link Versions#ORDER}. */
    NavigableSet<String> recordedVersions(String id) {
        NavigableSet<String> versions = new TreeSet<>(Versions.ORDER);
        for (Path entry : versionsDirectoryEntries(id)) {
            String version = versionOf(entry);
            if (version != null) {
                versions.add(version);
            }
        }
        return versions;
    }

    /** Everything in the versions directory of {@code id}, sorted: version files and anything else put there. */
    List<Path> versionsDirectoryEntries(String id) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(versionsDirectory(id))) {
            listed.forEach(entries::add);
        } catch (NoSuchFileException e) {
            // nothing recorded
        } catch (IOException e) {
            throw new RegistryException("cannot read the recorded versions: " + LocalRegistry.reason(e), id,
                    versionsDirectory(id), 0, e);
        }
        entries.sort(null);
        return entries;
    }

    /**
     * The version a file of a versions directory records, by its name; null when the name is not that of a version
     * file ({@code <encoded version>.yaml}), and the registry ignores the file.
     */
    static String versionOf(Path versionFile) {
        String name = versionFile.getFileName().toString();
        if (!name.endsWith(EXTENSION) || name.startsWith(".")) {
            return null;
        }
        String version = decode(name.substring(0, name.length() - EXTENSION.length()));
        return Versions.isValid(version) ? version : null;
    }

    /** The recorded version, or null if it is not recorded. */
    SavedVersion readVersion(String id, String version) {
        Path file = versionFile(id, version);
        String text = readIfExists(file, id);
        if (text == null) {
            return null;
        }
        SpecYaml.Result result = SpecYaml.parse(text.getBytes(StandardCharsets.UTF_8), file);
        TemplateSpec spec = result.specOrThrow();
        if (!spec.id().equals(id) || !spec.version().equals(version)) {
            throw new ValidationException("the recorded version holds " + spec.id() + " " + spec.version() + ", not "
                    + version, id, file, result.idLine(), null);
        }
        return new SavedVersion(spec, savedInfo(HistoryYaml.load(text, file), id, version, file));
    }

    /** What was recorded about the version (without reading it as a template), or null if it is not recorded. */
    VersionInfo readInfo(String id, String version) {
        Path file = versionFile(id, version);
        String text = readIfExists(file, id);
        return text == null ? null : savedInfo(HistoryYaml.load(text, file), id, version, file);
    }

    private static VersionInfo savedInfo(Object document, String id, String version, Path file) {
        Object saved = document instanceof Map ? ((Map<?, ?>) document).get("saved") : null;
        if (saved == null) {
            return new VersionInfo(version, null, null, null);
        }
        if (!(saved instanceof Map)) {
            throw new ValidationException("'saved' must be a mapping {at, by, message}", id, file, 0, null);
        }
        Map<?, ?> m = (Map<?, ?>) saved;
        return new VersionInfo(version, instant(m.get("at"), id, file, 0), text(m.get("by"), "by", id, file, 0),
                text(m.get("message"), "message", id, file, 0));
    }

    /** Every label of {@code id} but {@code latest}, sorted. */
    NavigableMap<String, String> readLabels(String id) {
        Path file = labelsFile(id);
        String text = readIfExists(file, id);
        NavigableMap<String, String> labels = new TreeMap<>();
        if (text == null) {
            return labels;
        }
        Object data = HistoryYaml.load(text, file);
        if (data == null) {
            return labels;
        }
        if (!(data instanceof Map)) {
            throw new ValidationException("expected a mapping of labels to versions", id, file, 1, null);
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) data).entrySet()) {
            if (!(e.getKey() instanceof String) || !Labels.isValid((String) e.getKey())
                    || Labels.LATEST.equals(e.getKey())) {
                throw new ValidationException("invalid label " + e.getKey(), id, file, 0, null);
            }
            if (!(e.getValue() instanceof String) || !Versions.isValid((String) e.getValue())) {
                throw new ValidationException("the label " + e.getKey() + " points at " + e.getValue()
                        + ", which is not a version", id, file, 0, null);
            }
            labels.put((String) e.getKey(), (String) e.getValue());
        }
        return labels;
    }

    /** Every label move of {@code id}, oldest first; empty when there is no label history. */
    List<LabelMove> readLabelHistory(String id) {
        Path file = labelHistoryFile(id);
        String text = readIfExists(file, id);
        if (text == null) {
            return List.of();
        }
        List<HistoryYaml.Item> items;
        try {
            items = HistoryYaml.loadItems(text, file);
        } catch (ValidationException e) {
            throw new ValidationException(e.detail(), id, file, e.line(), e);
        }
        List<LabelMove> moves = new ArrayList<>(items.size());
        for (HistoryYaml.Item item : items) {
            if (!(item.value() instanceof Map)) {
                throw new ValidationException("a label move must be a mapping {label, from, to, at, by, message}", id,
                        file, item.line(), null);
            }
            Map<?, ?> m = (Map<?, ?>) item.value();
            String label = text(m.get("label"), "label", id, file, item.line());
            if (!Labels.isValid(label)) {
                throw new ValidationException("invalid label " + label, id, file, item.line(), null);
            }
            Instant at = instant(m.get("at"), id, file, item.line());
            if (at == null) {
                throw new ValidationException("a label move needs its time 'at'", id, file, item.line(), null);
            }
            moves.add(new LabelMove(label, text(m.get("from"), "from", id, file, item.line()),
                    text(m.get("to"), "to", id, file, item.line()), at, text(m.get("by"), "by", id, file, item.line()),
                    text(m.get("message"), "message", id, file, item.line())));
        }
        return Collections.unmodifiableList(moves);
    }

    /** Every version of {@code id}: the recorded ones and the template file's ({@code latest}, null if broken). */
    List<VersionInfo> versions(String id, TemplateSpec latest) {
        Map<String, VersionInfo> infos = new TreeMap<>(Versions.ORDER);
        for (String version : recordedVersions(id)) {
            VersionInfo info = readInfo(id, version);
            if (info != null) {
                infos.put(version, info);
            }
        }
        if (latest != null) {
            infos.putIfAbsent(latest.version(), new VersionInfo(latest.version(), null, null, null));
        }
        return List.copyOf(infos.values());
    }

    /** The versions of {@code id} for a message: "1.0.0, 1.1.0", or "none". */
    String versionList(String id, TemplateSpec latest) {
        NavigableSet<String> versions = recordedVersions(id);
        if (latest != null) {
            versions.add(latest.version());
        }
        return versions.isEmpty() ? "none" : String.join(", ", versions);
    }

    /**
     * Everything kept about {@code id}, whose template file holds {@code latest}: every recorded version as it was
     * recorded, and the file's version when it was never recorded. A file edited by hand under a recorded version
     * (an unsaved edit) is not part of it: that version is what was recorded, as loading it returns.
     */
    TemplateHistory history(String id, TemplateSpec latest) {
        List<SavedVersion> versions = new ArrayList<>();
        boolean latestRecorded = false;
        for (String version : recordedVersions(id)) {
            SavedVersion saved = readVersion(id, version);
            if (saved == null) {
                continue;
            }
            latestRecorded |= version.equals(latest.version());
            versions.add(saved);
        }
        if (!latestRecorded) {
            versions.add(new SavedVersion(latest, new VersionInfo(latest.version(), null, null, null)));
            versions.sort(Comparator.comparing(v -> v.spec().version(), Versions.ORDER));
        }
        return new TemplateHistory(id, versions, latest.version(), readLabels(id), readLabelHistory(id));
    }

    /** The size of the history files and the newest modification time among them (null if there are none). */
    record Usage(long bytes, FileTime newest) {
    }

    Usage usage() {
        long[] bytes = {0};
        FileTime[] newest = {null};
        try {
            Files.walkFileTree(templates, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    bytes[0] += attrs.size();
                    if (newest[0] == null || attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
                        newest[0] = attrs.lastModifiedTime();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while we walked
                }
            });
        } catch (NoSuchFileException e) {
            // no history yet
        } catch (IOException e) {
            throw new RegistryException("cannot read the history: " + LocalRegistry.reason(e), null, templates, 0, e);
        }
        return new Usage(bytes[0], newest[0]);
    }

    /** The ids that have a history directory (recorded versions, labels or a label history). */
    List<String> idsWithHistory() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(templates)) {
            for (Path entry : entries) {
                String id = decode(entry.getFileName().toString());
                if (id != null && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    ids.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            // no history yet
        } catch (IOException e) {
            throw new RegistryException("cannot read the history: " + LocalRegistry.reason(e), null, templates, 0, e);
        }
        return ids;
    }

    private static String readIfExists(Path file, String id) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new RegistryException("cannot read: " + LocalRegistry.reason(e), id, file, 0, e);
        }
    }

    private static String text(Object value, String key, String id, Path file, int line) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new ValidationException("'" + key + "' must be text, found " + value, id, file, line, null);
    }

    private static Instant instant(Object value, String id, Path file, int line) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date) {
            return ((Date) value).toInstant();
        }
        if (value instanceof String) {
            try {
                return Instant.parse((String) value);
            } catch (DateTimeException e) {
                // reported below
            }
        }
        throw new ValidationException("'at' must be a UTC time such as 2024-05-01T09:30:00Z, found " + value, id, file,
                line, null);
    }

    // ------------------------------------------------------------------------------------------ writing

    /** The file of a recorded version: the template as its own file would hold it, and what was recorded. */
    static String versionText(SavedVersion saved) {
        return versionText(saved, SpecYaml.write(saved.spec()));
    }

    /** {@link #versionText(SavedVersion)} with the spec's YAML text already written. */
    static String versionText(SavedVersion saved, String specText) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("at", saved.info().savedAt() == null ? null : saved.info().savedAt().toString());
        info.put("by", saved.info().author());
        info.put("message", saved.info().message());
        Map<String, Object> tail = new LinkedHashMap<>();
        tail.put("saved", info);
        return specText + HistoryYaml.block(tail);
    }

    static String labelsText(Map<String, String> labels) {
        return HistoryYaml.block(new TreeMap<>(labels));
    }

    /** One line of the label history. */
    static String moveLine(LabelMove move) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("label", move.label());
        item.put("from", move.from());
        item.put("to", move.to());
        item.put("at", move.at().toString());
        item.put("by", move.author());
        item.put("message", move.message());
        return "- " + HistoryYaml.line(item) + "\n";
    }

    /**
     * Takes the lock every write holds, creating the history directory if needed, and completes or drops what a
     * crashed writer left in the journal.
     *
     * @param blame the file named if the directory cannot be written (the template file a save would write), or
     *              null for the lock file
     * @throws RegistryException if the lock cannot be taken or a committed journal cannot be completed
     */
    DirectoryLock lock(Path blame, String id) {
        DirectoryLock lock;
        try {
            Files.createDirectories(root);
            createGitignore();
            lock = DirectoryLock.acquire(lockFile, false);
        } catch (IOException e) {
            throw new RegistryException("cannot write to the prompt directory: " + LocalRegistry.reason(e), id,
                    blame != null ? blame : lockFile, 0, e);
        }
        try {
            journal.recover();
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The lock a registry that never writes takes to read a consistent state (for a backup). */
    DirectoryLock sharedLock() {
        try {
            return DirectoryLock.acquire(lockFile, true);
        } catch (IOException e) {
            throw new RegistryException("cannot lock the history: " + LocalRegistry.reason(e), null, lockFile, 0, e);
        }
    }

    private void createGitignore() throws IOException {
        if (Files.exists(gitignore, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path temp = FileJournal.temporaryFile(gitignore);
        try {
            FileJournal.writeSynced(temp, GITIGNORE_TEXT.getBytes(StandardCharsets.UTF_8));
            Files.move(temp, gitignore);
        } catch (FileAlreadyExistsException e) {
            // another process wrote it first
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Refuses to write the history of {@code id} into a directory that a case-insensitive file system also gives
     * to an id differing only in case: their histories would mix.
     */
    void checkOwnDirectory(String id) {
        Path directory = idDirectory(id);
        try {
            Path real = directory.toRealPath();
            if (!real.getFileName().toString().equals(directory.getFileName().toString())) {
                throw new RegistryException("the history of this template would share the directory " + real
                        + " with another template (the file system ignores case); rename one of them", id, directory,
                        0, null);
            }
        } catch (NoSuchFileException e) {
            // a new history
        } catch (IOException e) {
            throw new RegistryException("cannot read the history: " + LocalRegistry.reason(e), id, directory, 0, e);
        }
    }
}
