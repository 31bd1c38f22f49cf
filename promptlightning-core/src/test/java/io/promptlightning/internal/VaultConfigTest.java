package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code logging}, {@code providers}, {@code prices} and {@code llm} sections of {@code promptlightning.yaml}. */
class VaultConfigTest {
    @TempDir
    Path tmp;

    private Path config(String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        return Files.writeString(dir.resolve("promptlightning.yaml"), text);
    }

    @Test
    void loggingAsTheOriginalWritesIt() throws IOException {
        VaultConfig config = VaultConfig.read(config("registry: local\nlogging:\n  enabled: true\n  backend: sqlite\n"
                + "  db_path: ./promptlightning.db\n"));
        assertTrue(config.loggingEnabled());
        assertEquals(tmp.resolve("project/promptlightning.db"), config.logDbPath());
    }

    @Test
    void withoutALoggingSectionNothingIsLoggedAndThePathIsTheDefault() throws IOException {
        VaultConfig config = VaultConfig.read(config("registry: local\n"));
        assertFalse(config.loggingEnabled());
        assertEquals(tmp.resolve("project/promptlightning.db"), config.logDbPath());
    }

    @Test
    void aLoggingSectionLogsUnlessDisabledAndItsPathIsRelativeToTheFile() throws IOException {
        VaultConfig on = VaultConfig.read(config("logging:\n  db_path: logs/runs.db\n"));
        assertTrue(on.loggingEnabled());
        assertEquals(tmp.resolve("project/logs/runs.db"), on.logDbPath());
        VaultConfig off = VaultConfig.read(config("logging:\n  enabled: false\n  db_path: /var/log/pl.db\n"));
        assertFalse(off.loggingEnabled());
        assertEquals(Path.of("/var/log/pl.db"), off.logDbPath());
    }

    @Test
    void theFlushIntervalOfTheLogIs200MsUnlessSet() throws IOException {
        assertEquals(Duration.ofMillis(200), VaultConfig.read(config("registry: local\n")).logFlushInterval());
        assertEquals(Duration.ofMillis(200), VaultConfig.read(config("logging:\n  enabled: true\n"))
                .logFlushInterval());
        assertEquals(Duration.ofMillis(50), VaultConfig.read(config("logging:\n  flush_interval_ms: 50\n"))
                .logFlushInterval());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "logging: yes|'logging' must be a mapping (enabled, backend, db_path, flush_interval_ms), found 'true'",
        "logging:\\n  enabled: sometimes|'logging.enabled' must be true or false, found 'sometimes'",
        "logging:\\n  backend: postgres|'logging.backend' must be sqlite (the backends supported), found 'postgres'",
        "logging:\\n  db_path: ''|'logging.db_path' must be a path, found ''",
        "logging:\\n  db_path: 3|'logging.db_path' must be a path, found '3'",
        "logging:\\n  dbpath: x.db|unknown key 'logging.dbpath' (the keys are enabled, backend, db_path,"
            + " flush_interval_ms)",
        "logging:\\n  flush_interval_ms: 0|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found '0'",
        "logging:\\n  flush_interval_ms: -200|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found '-200'",
        "logging:\\n  flush_interval_ms: 0.5|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found '0.5'",
        "logging:\\n  flush_interval_ms: '200'|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found '200'",
        "logging:\\n  flush_interval_ms: 200ms|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found '200ms'",
        "logging:\\n  flush_interval_ms: 600001|'logging.flush_interval_ms' must be a whole number from 1 to"
            + " 600000, found '600001'",
        "logging:\\n  flush_interval_ms:|'logging.flush_interval_ms' must be a whole number from 1 to 600000,"
            + " found 'null'",
    })
    void badLoggingSettingsAreErrorsNamingTheKey(String yaml, String message) throws IOException {
        Path file = config(yaml.replace("\\n", "\n"));
        ValidationException e = assertThrows(ValidationException.class, () -> VaultConfig.read(file));
        assertEquals(message, e.detail());
        assertEquals(file, e.file());
    }

    /** The original's migrate tells its users to write lmdb_path; its config reader wants db_path. Both work. */
    @Test
    void lmdbPathIsAnotherNameForDbPath() throws IOException {
        Path base = tmp.resolve("project");
        assertEquals(base.resolve("t.lmdb"),
                VaultConfig.read(config("registry: lmdb\nlmdb_path: ./t.lmdb\n")).dbPath());
        assertEquals(base.resolve("t.lmdb"), VaultConfig.read(config("registry: lmdb\ndb_path: t.lmdb\n"
                + "lmdb_path: ./t.lmdb\n")).dbPath(), "the same database twice");
        Path both = config("registry: lmdb\ndb_path: ./a.lmdb\nlmdb_path: ./b.lmdb\n");
        ValidationException e = assertThrows(ValidationException.class, () -> VaultConfig.read(both));
        assertEquals("'db_path' and 'lmdb_path' name different databases (" + base.resolve("a.lmdb") + " and "
                + base.resolve("b.lmdb") + "): keep one ('lmdb_path' is another name for 'db_path')", e.detail());
        assertEquals(both, e.file());
        assertEquals(base.resolve("templates.lmdb"), VaultConfig.read(config("registry: lmdb\n")).dbPath());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"max_file_size: 100000000|100000000", "max_file_size: 64MiB|67108864",
        "max_file_size: '2 GB'|", "max_file_size: 1.5|", "max_file_size: 0|", "registry: local|0"})
    void maxFileSizeIsASizeUpToOneGib(String yaml, Long bytes) throws IOException {
        Path file = config(yaml + "\n");
        if (bytes != null) {
            assertEquals(bytes, VaultConfig.read(file).maxFileBytes());
        } else {
            ValidationException e = assertThrows(ValidationException.class, () -> VaultConfig.read(file));
            assertTrue(e.detail().startsWith("'max_file_size' must be "), e::getMessage);
            assertEquals(file, e.file());
        }
    }

    @Test
    void modelCallSettingsAreReadWithTheirDefaults() throws IOException {
        VaultConfig config = VaultConfig.read(config(String.join("\n",
                "providers:",
                "  openai: {api_key: sk-x, base_url: 'http://127.0.0.1:8000/v1'}",
                "  ollama: {host: 'http://gpu:11434', keep_alive: 300}",
                "  gemini:",
                "prices: ../prices.json",
                "llm: {cache_ttl: 1.5, max_concurrency: 2, max_attempts: 5}",
                "")));
        assertEquals(Map.of("openai", Map.of("api_key", "sk-x", "base_url", "http://127.0.0.1:8000/v1"),
                "ollama", Map.of("host", "http://gpu:11434", "keep_alive", "300")), config.providers());
        assertEquals(tmp.resolve("prices.json"), config.prices());
        assertEquals(Duration.ofMillis(1500), config.responseCacheTtl());
        assertEquals(2, config.maxConcurrency());
        assertEquals(5, config.maxAttempts());
        assertEquals(tmp.resolve("project"), config.directory());

        VaultConfig defaults = VaultConfig.read(config("registry: local\n"));
        assertEquals(Map.of(), defaults.providers());
        assertEquals(null, defaults.prices());
        assertEquals(Duration.ZERO, defaults.responseCacheTtl());
        assertEquals(8, defaults.maxConcurrency());
        assertEquals(3, defaults.maxAttempts());
    }
}
