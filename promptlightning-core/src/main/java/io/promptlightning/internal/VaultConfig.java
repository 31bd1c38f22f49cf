package io.promptlightning.internal;

import io.promptlightning.Labels;
import io.promptlightning.ValidationException;
import io.promptlightning.Vault;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The {@code promptlightning.yaml} file (SYSTEM.md §6): {@code registry: local|lmdb}, {@code prompt_dir},
 * {@code db_path}, {@code logging} and ours: {@code cache_size}, {@code default_label} (what a plain id serves,
 * {@code latest} unless set), {@code read_only} and {@code compress_history} (LMDB). Paths are relative to the
 * file's directory.
 */
public final class VaultConfig {
    private final boolean lmdb;
    private final Path promptDir;
    private final Path dbPath;
    private final int cacheSize;
    private final String defaultLabel;
    private final boolean readOnly;
    private final boolean compressHistory;

    private VaultConfig(boolean lmdb, Path promptDir, Path dbPath, int cacheSize, String defaultLabel,
            boolean readOnly, boolean compressHistory) {
        this.lmdb = lmdb;
        this.promptDir = promptDir;
        this.dbPath = dbPath;
        this.cacheSize = cacheSize;
        this.defaultLabel = defaultLabel;
        this.readOnly = readOnly;
        this.compressHistory = compressHistory;
    }

    /** @throws ValidationException naming the file (and line) when it is missing, malformed or inconsistent */
    public static VaultConfig read(Path file) {
        Object parsed;
        try (Reader in = Files.newBufferedReader(file)) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            parsed = new Yaml(new SafeConstructor(options)).load(in);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ValidationException("malformed YAML: " + e.getProblem(), null, file, line, e);
        } catch (YAMLException e) {
            throw new ValidationException("malformed YAML: " + e.getMessage(), null, file, 0, e);
        } catch (IOException e) {
            throw new ValidationException("cannot read the config file: " + e, null, file, 0, e);
        }
        Map<?, ?> map = parsed == null ? Map.of() : parsed instanceof Map ? (Map<?, ?>) parsed : null;
        if (map == null) {
            throw new ValidationException("a config file must be a mapping (registry, prompt_dir, db_path, ...)", null,
                    file, 1, null);
        }
        Object registry = map.containsKey("registry") ? map.get("registry") : "local";
        if (!"local".equals(registry) && !"lmdb".equals(registry)) {
            throw new ValidationException("'registry' must be 'local' or 'lmdb', found '" + registry + "'", null, file,
                    0, null);
        }
        Path base = file.toAbsolutePath().getParent();
        Path promptDir = base.resolve(string(map, "prompt_dir", "./prompts", file)).normalize();
        Path dbPath = base.resolve(string(map, "db_path", "./templates.lmdb", file)).normalize();
        Object size = map.containsKey("cache_size") ? map.get("cache_size") : Vault.DEFAULT_CACHE_SIZE;
        if (!(size instanceof Integer) || (Integer) size < 0) {
            throw new ValidationException("'cache_size' must be a whole number of templates, found '" + size + "'",
                    null, file, 0, null);
        }
        Object label = map.containsKey("default_label") ? map.get("default_label") : Labels.LATEST;
        if (!(label instanceof String) || !Labels.isValid((String) label)) {
            throw new ValidationException("'default_label' must be a label name such as production, found '" + label
                    + "'", null, file, 0, null);
        }
        return new VaultConfig("lmdb".equals(registry), promptDir, dbPath, (Integer) size, (String) label,
                flag(map, "read_only", file), flag(map, "compress_history", file));
    }

    private static boolean flag(Map<?, ?> map, String key, Path file) {
        Object v = map.containsKey(key) ? map.get(key) : Boolean.FALSE;
        if (!(v instanceof Boolean)) {
            throw new ValidationException("'" + key + "' must be true or false, found '" + v + "'", null, file, 0,
                    null);
        }
        return (Boolean) v;
    }

    private static String string(Map<?, ?> map, String key, String dflt, Path file) {
        Object v = map.containsKey(key) ? map.get(key) : dflt;
        if (!(v instanceof String) || ((String) v).isBlank()) {
            throw new ValidationException("'" + key + "' must be a path, found '" + v + "'", null, file, 0, null);
        }
        return (String) v;
    }

    public boolean usesLmdb() {
        return lmdb;
    }

    public Path promptDir() {
        return promptDir;
    }

    public Path dbPath() {
        return dbPath;
    }

    public int cacheSize() {
        return cacheSize;
    }

    public String defaultLabel() {
        return defaultLabel;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean compressHistory() {
        return compressHistory;
    }
}
