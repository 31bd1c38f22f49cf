package io.promptlightning;

import io.promptlightning.internal.SpecRecords;
import io.promptlightning.internal.SpecYaml;
import io.promptlightning.jinja.PythonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Moves the templates of a prompt directory (a {@link LocalRegistry}) into an LMDB database (an
 * {@link LmdbRegistry}), as the original library's {@code migrate} does, and checks the result.
 *
 * <pre>{@code
 * MigrationReport report = Migration.migrate(Path.of("prompts"), Path.of("templates.lmdb"),
 *         Migration.Options.defaults().withProgress((done, total) -> bar.stepTo(done)));
 * report.failed().forEach(System.err::println);   // FILE:LINE: template 'ID': reason
 * }</pre>
 *
 * <p>What happens, in order:
 * <ol>
 * <li><b>Refusal.</b> If the database already holds templates and {@link Options#overwrite()} is off, nothing is
 * written and a {@link RegistryException} naming the database path is thrown. An existing directory that is not
 * empty and holds no LMDB database ({@code data.mdb}) is refused whatever the options (the likely mistake is a
 * {@code --db-path} pointing at a project folder). A missing prompt directory fails before the database is
 * created.</li>
 * <li><b>Reading.</b> Every template is read through {@link LocalRegistry}, so the rules are the registry's:
 * recursive {@code *.yaml}/{@code *.yml}, identified by the {@code id} inside the file. Everything its
 * {@link LocalRegistry#problems()} reports about a file (not valid YAML, not a valid template, a second file
 * declaring an id already taken, an unreadable directory) goes into {@link MigrationReport#failed()} with its file,
 * line and id; the valid templates migrate regardless. For a duplicated id, the file the registry serves (the
 * first valid one in path order) is migrated and the other is reported. Problems about the prompt directory as a
 * whole that lose no template (file changes not being watched) are left out.</li>
 * <li><b>Saving.</b> Each template is saved in its own LMDB transaction, so readers of the database, in this
 * process or another, always see whole templates. Ids the original accepted but that are not
 * {@linkplain Ids#isValidNewId valid new ids} (spaces, {@code :}, non-ASCII letters) migrate as they are: these
 * templates exist already, and the original reads them back from the database. A template the database refuses
 * (an id longer than an LMDB key, a value MessagePack cannot hold) is reported as failed with its file. A failed
 * LMDB write (such as a full disk) stops the migration with a {@link RegistryException}; the templates saved
 * until then stay saved, and a second run with {@code overwrite} completes it.</li>
 * <li><b>Overwrite.</b> With {@link Options#overwrite()}, the database ends up holding exactly the templates
 * that migrated: a template saved again replaces the stored one, and every id in the database that did not
 * migrate is deleted, after all saves, including an id whose file is now invalid (serving the old content as if
 * it had migrated would hide the failure, which the report names). A prompt directory holding no valid template
 * therefore empties the database.</li>
 * <li><b>Verification</b> ({@link Options#verify()}, on by default): {@link #verify} compares every record both
 * ways, and every difference goes into {@link MigrationReport#verificationErrors()}.</li>
 * </ol>
 */
public final class Migration {
    private Migration() {
    }

    /** Told how far a migration has come, e.g. to draw a progress bar. Called on the migrating thread. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done  templates handled so far, saved or failed: 0 once before the first, then each one in turn
         *              up to {@code total}
         * @param total the number of template ids the prompt directory declares
         */
        void update(int done, int total);
    }

    private static final Progress NO_PROGRESS = (done, total) -> {
    };

    /**
     * How to migrate.
     *
     * @param overwrite replace the content of a database that already holds templates, so that it ends up equal to
     *                  the prompt directory (default false: such a database is refused)
     * @param verify    compare the database with the directory afterwards (default true)
     * @param mapSize   the initial LMDB map size in bytes for a new database (default 100 MiB, as the original);
     *                  the map grows when a write needs more
     * @param progress  told of each template handled; null for none
     */
    public record Options(boolean overwrite, boolean verify, long mapSize, Progress progress) {
        public Options {
            if (mapSize <= 0) {
                throw new IllegalArgumentException("mapSize must be positive: " + mapSize);
            }
            progress = progress == null ? NO_PROGRESS : progress;
        }

        /** No overwrite, verification on, a 100 MiB map, no progress listener. */
        public static Options defaults() {
            return new Options(false, true, LmdbRegistry.DEFAULT_MAP_SIZE, null);
        }

        public Options withOverwrite(boolean overwrite) {
            return new Options(overwrite, verify, mapSize, progress);
        }

        public Options withVerify(boolean verify) {
            return new Options(overwrite, verify, mapSize, progress);
        }

        public Options withMapSize(long mapSize) {
            return new Options(overwrite, verify, mapSize, progress);
        }

        public Options withProgress(Progress progress) {
            return new Options(overwrite, verify, mapSize, progress);
        }
    }

    /** {@link #migrate(Path, Path, Options)} with {@link Options#defaults()}. */
    public static MigrationReport migrate(Path promptDir, Path dbPath) {
        return migrate(promptDir, dbPath, Options.defaults());
    }

    /**
     * Migrates the templates of {@code promptDir} into the LMDB database at {@code dbPath} (created when missing).
     * See the class description for the steps.
     *
     * @return what migrated, what failed and why, and what verification found
     * @throws RegistryException naming the path when the prompt directory cannot be read, when the database
     *                           already holds templates and {@code overwrite} is off (nothing is written then), when
     *                           {@code dbPath} cannot be used as a database, or when a write to it fails
     */
    public static MigrationReport migrate(Path promptDir, Path dbPath, Options options) {
        Objects.requireNonNull(promptDir, "promptDir");
        Objects.requireNonNull(dbPath, "dbPath");
        Objects.requireNonNull(options, "options");
        LmdbRegistry target = null;
        try {
            if (Files.exists(dbPath)) {
                // an existing database is checked before anything else, and without writing to it
                requireDatabaseOrEmpty(dbPath);
                target = openTarget(dbPath, options);
                requireEmptyUnlessOverwrite(target, dbPath, options);
            }
            try (LocalRegistry source = LocalRegistry.open(promptDir)) {
                if (target == null) {
                    target = openTarget(dbPath, options);
                    requireEmptyUnlessOverwrite(target, dbPath, options);
                }
                return migrate(source, target, options);
            }
        } finally {
            if (target != null) {
                target.close();
            }
        }
    }

    private static LmdbRegistry openTarget(Path dbPath, Options options) {
        return LmdbRegistry.builder(dbPath).mapSize(options.mapSize()).build();
    }

    private static void requireDatabaseOrEmpty(Path dbPath) {
        if (!Files.isDirectory(dbPath) || Files.exists(dbPath.resolve("data.mdb"))) {
            return; // a file is refused by LmdbRegistry with its own message
        }
        try (Stream<Path> entries = Files.list(dbPath)) {
            if (entries.findAny().isPresent()) {
                throw new RegistryException("not an LMDB database: the directory holds other files and no data.mdb;"
                        + " migrate into a new or empty directory", null, dbPath, 0, null);
            }
        } catch (IOException e) {
            throw new RegistryException("cannot read the database directory: " + e.getMessage(), null, dbPath, 0, e);
        }
    }

    private static void requireEmptyUnlessOverwrite(LmdbRegistry target, Path dbPath, Options options) {
        long existing = target.count();
        if (existing > 0 && !options.overwrite()) {
            throw new RegistryException("the database already holds " + existing + (existing == 1 ? " template" :
                    " templates") + "; nothing was written. Migrate with overwrite to replace its content with the"
                    + " prompt directory's", null, dbPath, 0, null);
        }
    }

    /** The migration proper, on open registries; the target has been checked already. */
    static MigrationReport migrate(LocalRegistry source, LmdbRegistry target, Options options) {
        Path dir = source.directory();
        List<Problem> failed = new ArrayList<>();
        Set<Path> reportedFiles = new HashSet<>();
        for (Problem p : source.problems()) {
            if (p.file().equals(dir) && p.templateId() == null && p.line() == 0) {
                continue; // about the directory as a whole (e.g. not watched): no template is lost
            }
            failed.add(p);
            reportedFiles.add(p.file());
        }

        List<String> ids = source.listIds();
        List<String> migrated = new ArrayList<>(ids.size());
        FileLocator locator = new FileLocator(dir);
        Progress progress = options.progress();
        int total = ids.size();
        int done = 0;
        progress.update(done, total);
        for (String id : ids) {
            TemplateSpec spec = null;
            try {
                spec = source.load(id);
            } catch (TemplateNotFoundException e) {
                // its file went away meanwhile: it is no longer part of the directory
            } catch (ValidationException e) {
                if (e.file() == null || !reportedFiles.contains(e.file())) {
                    failed.add(new Problem(e.file() != null ? e.file() : dir, e.line(), id, e.detail()));
                }
            }
            if (spec != null) {
                try {
                    target.saveMigrated(spec);
                    migrated.add(id);
                } catch (ValidationException e) {
                    Problem where = locator.locate(id);
                    failed.add(new Problem(where.file(), where.line(), id, "not saved in the database: "
                            + e.detail()));
                }
            }
            progress.update(++done, total);
        }

        if (options.overwrite()) {
            Set<String> keep = new HashSet<>(migrated);
            for (String id : target.listIds()) {
                if (!keep.contains(id)) {
                    try {
                        target.delete(id);
                    } catch (TemplateNotFoundException goneMeanwhile) {
                        // another writer deleted it first
                    }
                }
            }
        }

        List<String> verificationErrors = List.of();
        if (options.verify()) {
            Set<String> notMigrated = new HashSet<>(ids);
            migrated.forEach(notMigrated::remove);
            verificationErrors = verify(source, target, notMigrated);
        }
        failed.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line)
                .thenComparing(Problem::message));
        return new MigrationReport(migrated, failed, verificationErrors);
    }

    /**
     * Compares the database with the prompt directory both ways: each valid template of the directory must be in
     * the database with an equal record (same {@link SpecRecords#toRecord record}: id, version, description,
     * template text, inputs in order with their types, defaults and extra keys, metadata; this is
     * {@link TemplateSpec} equality, made stricter on key order and on byte arrays), and the database must
     * hold no id that the directory does not serve as a valid template. Files that are not valid templates are not
     * compared (they are {@link LocalRegistry#problems() problems} of the directory), but the database holding their
     * id is an error.
     *
     * @return one line per difference, naming the id; empty when the two agree
     */
    public static List<String> verify(LocalRegistry source, LmdbRegistry target) {
        return verify(source, target, Set.of());
    }

    /** As {@link #verify(LocalRegistry, LmdbRegistry)}, leaving out ids known not to have migrated. */
    private static List<String> verify(LocalRegistry source, LmdbRegistry target, Set<String> notMigrated) {
        List<String> errors = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        Set<String> compared = new HashSet<>();
        for (String id : source.listIds()) {
            listed.add(id);
            if (notMigrated.contains(id)) {
                continue;
            }
            TemplateSpec expected;
            try {
                expected = source.load(id);
            } catch (TemplateNotFoundException e) {
                listed.remove(id);
                continue;
            } catch (ValidationException e) {
                continue;
            }
            compared.add(id);
            TemplateSpec actual;
            try {
                actual = target.load(id);
            } catch (TemplateNotFoundException e) {
                errors.add(quote(id) + " is in the prompt directory but not in the database");
                continue;
            } catch (ValidationException e) {
                errors.add(quote(id) + ": the database's record is not a valid template: " + e.detail());
                continue;
            }
            String where = difference(SpecRecords.toRecord(expected), SpecRecords.toRecord(actual), "");
            if (where != null) {
                errors.add(quote(id) + " differs between the prompt directory and the database: " + where);
            }
        }
        for (String id : target.listIds()) {
            if (compared.contains(id)) {
                continue;
            }
            errors.add(quote(id) + (listed.contains(id)
                    ? " is in the database, but the prompt directory has no valid template with this id that migrated"
                    : " is in the database but not in the prompt directory"));
        }
        return errors;
    }

    /**
     * Where two record values first differ, as {@code at 'path': directory has X, database has Y}, or null if
     * they are equal. Stricter than {@code equals}: maps must have their keys in the same order, and byte arrays
     * (YAML {@code !!binary}) are compared by content.
     */
    private static String difference(Object expected, Object actual, String path) {
        if (expected instanceof Map && actual instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            for (Object key : e.keySet()) {
                if (!a.containsKey(key)) {
                    return "at " + at(path, key) + ": the database lacks it";
                }
            }
            for (Object key : a.keySet()) {
                if (!e.containsKey(key)) {
                    return "at " + at(path, key) + ": only the database has it";
                }
            }
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                String inner = difference(entry.getValue(), a.get(entry.getKey()), path(path, entry.getKey()));
                if (inner != null) {
                    return inner;
                }
            }
            Iterator<?> ek = e.keySet().iterator();
            Iterator<?> ak = a.keySet().iterator();
            while (ek.hasNext()) {
                if (!Objects.equals(ek.next(), ak.next())) {
                    return "at " + (path.isEmpty() ? "the top level" : "'" + path + "'") + ": the keys are in another"
                            + " order: directory has " + e.keySet() + ", database has " + a.keySet();
                }
            }
            return null;
        }
        if (expected instanceof List && actual instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                String inner = difference(e.get(i), a.get(i), path(path, i));
                if (inner != null) {
                    return inner;
                }
            }
            return e.size() == a.size() ? null : at(path) + ": directory has " + e.size() + " items, database has "
                    + a.size();
        }
        if (expected instanceof byte[] && actual instanceof byte[]) {
            return Arrays.equals((byte[]) expected, (byte[]) actual) ? null : at(path) + ": the bytes differ";
        }
        if (Objects.equals(expected, actual)) {
            return null;
        }
        return at(path) + ": directory has " + shown(expected) + ", database has " + shown(actual);
    }

    private static String path(String path, Object key) {
        return path.isEmpty() ? String.valueOf(key) : path + "." + key;
    }

    private static String at(String path, Object key) {
        return "'" + path(path, key) + "'";
    }

    private static String at(String path) {
        return "at '" + path + "'";
    }

    private static String shown(Object value) {
        String repr = value == null ? "nothing" : PythonValues.repr(value)
                + (value instanceof String ? "" : " (" + value.getClass().getSimpleName() + ")");
        return repr.length() > 80 ? repr.substring(0, 77) + "..." : repr;
    }

    private static String quote(String id) {
        return "template " + Ids.quoted(id);
    }

    /**
     * The file and line of the {@code id} key of the file that serves an id, for failures that happen after
     * reading (a {@link LocalRegistry} does not say which file a valid template came from). The directory is read
     * again only on the first such failure, and then once.
     */
    private static final class FileLocator {
        private final Path dir;
        private Map<String, Problem> byId;

        FileLocator(Path dir) {
            this.dir = dir;
        }

        /** A problem whose file and line locate {@code id}; the prompt directory, line 0, when not found. */
        Problem locate(String id) {
            if (byId == null) {
                byId = readAll();
            }
            Problem where = byId.get(id);
            return where != null ? where : new Problem(dir, 0, id, "");
        }

        private Map<String, Problem> readAll() {
            Map<String, Problem> found = new HashMap<>();
            List<Path> files;
            Path history = dir.resolve(LocalRegistry.HISTORY_DIRECTORY);
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> {
                    String name = p.getFileName().toString();
                    return (name.endsWith(".yaml") || name.endsWith(".yml")) && !p.startsWith(history)
                            && Files.isRegularFile(p);
                }).sorted().collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                return found; // the failure is still reported, at the directory
            }
            for (Path file : files) {
                SpecYaml.Result r = SpecYaml.parse(file);
                if (r.ok()) {
                    found.putIfAbsent(r.id(), new Problem(file, r.idLine(), r.id(), ""));
                }
            }
            return found;
        }
    }
}
