package io.promptlightning.internal;

import io.promptlightning.Labels;
import io.promptlightning.SqliteExecutionLog;
import io.promptlightning.ValidationException;
import io.promptlightning.Vault;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The {@code promptlightning.yaml} file (SYSTEM.md §6): {@code registry: local|lmdb}, {@code prompt_dir},
 * {@code db_path} (or {@code lmdb_path}, as the original's {@code migrate} prints it), {@code logging} and ours:
 * {@code cache_size}, {@code default_label} (what a plain id serves, {@code latest} unless set), {@code read_only}
 * and {@code compress_history} (LMDB), {@code max_file_size} (the largest template file read). Paths are relative
 * to the file's directory.
 *
 * <p>{@code logging: {enabled, backend, db_path, flush_interval_ms}} configures the execution log: off when the
 * section is absent, on when it is present unless {@code enabled: false}; {@code backend} is {@code sqlite} (the only
 * one); {@code db_path} defaults to {@code ./promptlightning.db}; {@code flush_interval_ms} (ours) is about the
 * longest a record waits to be committed, 200 by default.
 *
 * <p>For model calls: {@code providers: {openai: {api_key: ..., base_url: ...}, ollama: {host: ...}}} (each
 * provider's settings, which win over the environment), {@code prices: FILE} (a price table in LiteLLM's schema
 * over the shipped one) and {@code llm: {cache_ttl: SECONDS, max_concurrency: N, max_attempts: N}}.
 */
public final class VaultConfig {
    private final boolean lmdb;
    private final Path promptDir;
    private final Path dbPath;
    private final int cacheSize;
    private final String defaultLabel;
    private final boolean readOnly;
    private final boolean compressHistory;
    private final boolean loggingEnabled;
    private final Path logDbPath;
    private final Duration logFlushInterval;
    private final Path file;
    private final Map<String, Map<String, String>> providers;
    private final Path prices;
    private final Duration responseCacheTtl;
    private final int maxConcurrency;
    private final int maxAttempts;
    private final long maxFileBytes;

    /** The execution log's backends, in {@code logging.backend}. */
    public static final List<String> LOG_BACKENDS = List.of("sqlite");
    /** The execution log's file unless {@code logging.db_path} says otherwise. */
    public static final String DEFAULT_LOG_DB_PATH = "./promptlightning.db";
    private static final List<String> LOGGING_KEYS = List.of("enabled", "backend", "db_path", "flush_interval_ms");
    private static final List<String> LLM_KEYS = List.of("cache_ttl", "max_concurrency", "max_attempts");

    private VaultConfig(boolean lmdb, Path promptDir, Path dbPath, int cacheSize, String defaultLabel,
            boolean readOnly, boolean compressHistory, boolean loggingEnabled, Path logDbPath,
            Duration logFlushInterval, Path file,
            Map<String, Map<String, String>> providers, Path prices, Duration responseCacheTtl, int maxConcurrency,
            int maxAttempts, long maxFileBytes) {
        this.lmdb = lmdb;
        this.promptDir = promptDir;
        this.dbPath = dbPath;
        this.cacheSize = cacheSize;
        this.defaultLabel = defaultLabel;
        this.readOnly = readOnly;
        this.compressHistory = compressHistory;
        this.loggingEnabled = loggingEnabled;
        this.logDbPath = logDbPath;
        this.logFlushInterval = logFlushInterval;
        this.file = file;
        this.providers = providers;
        this.prices = prices;
        this.responseCacheTtl = responseCacheTtl;
        this.maxConcurrency = maxConcurrency;
        this.maxAttempts = maxAttempts;
        this.maxFileBytes = maxFileBytes;
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
        Path dbPath = dbPath(map, base, file);
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
        Map<?, ?> logging = loggingSection(map, file);
        boolean loggingEnabled = logging != null && flag(logging, "enabled", Boolean.TRUE, "logging.enabled", file);
        Object backend = logging == null || !logging.containsKey("backend") ? LOG_BACKENDS.get(0)
                : logging.get("backend");
        if (!LOG_BACKENDS.contains(backend)) {
            throw new ValidationException("'logging.backend' must be " + String.join(" or ", LOG_BACKENDS)
                    + " (the backends supported), found '" + backend + "'", null, file, 0, null);
        }
        Path logDbPath = base.resolve(logging == null ? DEFAULT_LOG_DB_PATH
                : string(logging, "db_path", DEFAULT_LOG_DB_PATH, "logging.db_path", file)).normalize();
        Duration logFlushInterval = Duration.ofMillis(count(logging == null ? Map.of() : logging, "logging",
                "flush_interval_ms", (int) SqliteExecutionLog.DEFAULT_FLUSH_INTERVAL.toMillis(),
                (int) SqliteExecutionLog.MAX_FLUSH_INTERVAL.toMillis(), file));
        Path prices = map.get("prices") == null ? null : base.resolve(string(map, "prices", null, file)).normalize();
        Map<?, ?> llm = section(map, "llm", file);
        for (Object key : llm.keySet()) {
            if (!LLM_KEYS.contains(key)) {
                throw new ValidationException("unknown key 'llm." + key + "' (the keys are "
                        + String.join(", ", LLM_KEYS) + ")", null, file, 0, null);
            }
        }
        Object ttl = llm.containsKey("cache_ttl") ? llm.get("cache_ttl") : 0;
        if (!(ttl instanceof Integer || ttl instanceof Double) || !(((Number) ttl).doubleValue() >= 0)
                || ((Number) ttl).doubleValue() > 365 * 86_400.0) {
            throw new ValidationException("'llm.cache_ttl' must be a number of seconds (0 turns the response cache "
                    + "off), found '" + ttl + "'", null, file, 0, null);
        }
        return new VaultConfig("lmdb".equals(registry), promptDir, dbPath, (Integer) size, (String) label,
                flag(map, "read_only", file), flag(map, "compress_history", file), loggingEnabled, logDbPath,
                logFlushInterval, file,
                providers(map, file), prices, Duration.ofMillis(Math.round(((Number) ttl).doubleValue() * 1000)),
                count(llm, "llm", "max_concurrency", ModelCalls.Options.DEFAULT_MAX_CONCURRENCY, 1024, file),
                count(llm, "llm", "max_attempts", ModelCalls.Options.DEFAULT_MAX_ATTEMPTS, 20, file),
                maxFileBytes(map, file));
    }

    /**
     * {@code db_path}, or {@code lmdb_path}: the original's {@code migrate} tells its users to write that name,
     * though its own config reader wants {@code db_path}. Both may be given if they name the same database.
     */
    private static Path dbPath(Map<?, ?> map, Path base, Path file) {
        Path dbPath = map.containsKey("db_path") ? base.resolve(string(map, "db_path", null, file)).normalize() : null;
        Path lmdbPath = map.containsKey("lmdb_path") ? base.resolve(string(map, "lmdb_path", null, file)).normalize()
                : null;
        if (dbPath != null && lmdbPath != null && !dbPath.equals(lmdbPath)) {
            throw new ValidationException("'db_path' and 'lmdb_path' name different databases (" + dbPath + " and "
                    + lmdbPath + "): keep one ('lmdb_path' is another name for 'db_path')", null, file, 0, null);
        }
        return dbPath != null ? dbPath : lmdbPath != null ? lmdbPath : base.resolve("./templates.lmdb").normalize();
    }

    /**
     * {@code max_file_size}: the largest template file read, in bytes or as a size such as {@code 64MiB}; 0 when
     * not set.
     */
    private static long maxFileBytes(Map<?, ?> map, Path file) {
        Object v = map.get("max_file_size");
        if (v == null) {
            return 0;
        }
        long bytes;
        try {
            bytes = SpecYaml.checkedLimit(String.valueOf(v), "'max_file_size'");
        } catch (ValidationException e) {
            throw new ValidationException(e.detail(), null, file, 0, e);
        }
        return bytes;
    }

    private static Map<?, ?> section(Map<?, ?> map, String key, Path file) {
        Object v = map.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new ValidationException("'" + key + "' must be a mapping, found '" + v + "'", null, file, 0, null);
        }
        return (Map<?, ?>) v;
    }

    /** The whole number at {@code key} of the section {@code sectionName}, from 1 to {@code max}. */
    private static int count(Map<?, ?> section, String sectionName, String key, int dflt, int max, Path file) {
        Object v = section.containsKey(key) ? section.get(key) : dflt;
        if (!(v instanceof Integer) || (Integer) v < 1 || (Integer) v > max) {
            throw new ValidationException("'" + sectionName + "." + key + "' must be a whole number from 1 to " + max
                    + ", found '" + v + "'", null, file, 0, null);
        }
        return (Integer) v;
    }

    /** {@code providers: {NAME: {KEY: VALUE}}}; scalar values are kept as text, never printed. */
    private static Map<String, Map<String, String>> providers(Map<?, ?> map, Path file) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> p : section(map, "providers", file).entrySet()) {
            String provider = String.valueOf(p.getKey());
            Object settings = p.getValue();
            if (settings == null) {
                continue;
            }
            if (!(settings instanceof Map)) {
                throw new ValidationException("'providers." + provider + "' must be a mapping such as {api_key: ..., "
                        + "base_url: ...}", null, file, 0, null);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<?, ?> s : ((Map<?, ?>) settings).entrySet()) {
                Object v = s.getValue();
                if (v instanceof Map || v instanceof List) {
                    throw new ValidationException("'providers." + provider + "." + s.getKey() + "' must be a single "
                            + "value (text or a number)", null, file, 0, null);
                }
                if (v != null) {
                    values.put(String.valueOf(s.getKey()), String.valueOf(v));
                }
            }
            out.put(provider, Collections.unmodifiableMap(values));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The {@code logging} mapping, or null when the file has none. */
    private static Map<?, ?> loggingSection(Map<?, ?> map, Path file) {
        Object logging = map.get("logging");
        if (logging == null) {
            return null;
        }
        if (!(logging instanceof Map)) {
            throw new ValidationException("'logging' must be a mapping (" + String.join(", ", LOGGING_KEYS)
                    + "), found '" + logging + "'", null, file, 0, null);
        }
        for (Object key : ((Map<?, ?>) logging).keySet()) {
            if (!LOGGING_KEYS.contains(key)) {
                throw new ValidationException("unknown key 'logging." + key + "' (the keys are "
                        + String.join(", ", LOGGING_KEYS) + ")", null, file, 0, null);
            }
        }
        return (Map<?, ?>) logging;
    }

    private static boolean flag(Map<?, ?> map, String key, Path file) {
        return flag(map, key, Boolean.FALSE, key, file);
    }

    /** The boolean at {@code key}; {@code name} is how messages call it ({@code logging.enabled}). */
    private static boolean flag(Map<?, ?> map, String key, Boolean dflt, String name, Path file) {
        Object v = map.containsKey(key) ? map.get(key) : dflt;
        if (!(v instanceof Boolean)) {
            throw new ValidationException("'" + name + "' must be true or false, found '" + v + "'", null, file, 0,
                    null);
        }
        return (Boolean) v;
    }

    private static String string(Map<?, ?> map, String key, String dflt, Path file) {
        return string(map, key, dflt, key, file);
    }

    private static String string(Map<?, ?> map, String key, String dflt, String name, Path file) {
        Object v = map.containsKey(key) ? map.get(key) : dflt;
        if (!(v instanceof String) || ((String) v).isBlank()) {
            throw new ValidationException("'" + name + "' must be a path, found '" + v + "'", null, file, 0, null);
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

    /** Whether runs are recorded in the execution log ({@code logging.enabled}). */
    public boolean loggingEnabled() {
        return loggingEnabled;
    }

    /** The execution log's SQLite file ({@code logging.db_path}), absolute; set whether or not logging is on. */
    public Path logDbPath() {
        return logDbPath;
    }

    /** About the longest a record waits to be committed to the execution log ({@code logging.flush_interval_ms}). */
    public Duration logFlushInterval() {
        return logFlushInterval;
    }

    /** The config file, as it was given to {@link #read}. */
    public Path file() {
        return file;
    }

    /** The config file's directory, absolute: where its relative paths start and its {@code .env} is looked for. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    /** The {@code providers:} section: each provider's settings by name. */
    public Map<String, Map<String, String>> providers() {
        return providers;
    }

    /** The user's price table, or null for the shipped one alone. */
    public Path prices() {
        return prices;
    }

    /** How long the response cache keeps an answer; zero: no cache. */
    public Duration responseCacheTtl() {
        return responseCacheTtl;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@code max_file_size}: the largest template file this config asks to read, in bytes; 0 when not set. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /**
     * Raises the process's limit on template files to {@code max_file_size} when it asks for more: done by what
     * opens the project (a vault, a command), since template files are read by code that knows no config.
     */
    public void applyMaxFileSize() {
        SpecYaml.allowFilesUpTo(maxFileBytes);
    }
}
