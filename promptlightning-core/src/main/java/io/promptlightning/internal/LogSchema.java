package io.promptlightning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The execution log's SQLite table: the original's {@code logs} table column for column, so that the tools written
 * for it read ours, plus three columns of ours added at the end. Shared by the writer
 * ({@link io.promptlightning.SqliteExecutionLog}) and {@link ExecutionLogReader}.
 */
public final class LogSchema {
    /** The original's table as it creates it. */
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS logs (id INTEGER PRIMARY KEY, prompt_id TEXT,"
            + " version TEXT, inputs_json TEXT, output_text TEXT, cost REAL, latency_ms INTEGER, provider TEXT,"
            + " model TEXT, tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL,"
            + " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)";

    /**
     * Columns a table may lack, with their types: the five the original added when it began calling models (its
     * older tables have none of them), then ours. Added in this order with {@code ALTER TABLE ADD COLUMN}, which
     * keeps every row.
     */
    static final Map<String, String> ADDED_COLUMNS = orderedMap(
            "provider", "TEXT", "model", "TEXT", "tokens_in", "INTEGER", "tokens_out", "INTEGER", "cost_usd", "REAL",
            "label", "TEXT", "error", "TEXT", "price_source", "TEXT");

    /** What the queries of the {@code logs} and {@code costs} commands filter and sort on. */
    private static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS logs_created_at ON logs (created_at)",
            "CREATE INDEX IF NOT EXISTS logs_prompt_id ON logs (prompt_id, created_at)",
            "CREATE INDEX IF NOT EXISTS logs_model ON logs (model, created_at)");

    /** Every column a row is written with (the id is SQLite's). */
    public static final String INSERT = "INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost,"
            + " latency_ms, provider, model, tokens_in, tokens_out, cost_usd, created_at, label, error, price_source)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** How SQLite's {@code CURRENT_TIMESTAMP} writes a time, which the original's rows and tools use. */
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** Jackson costs a fifth of a second to load: only what writes or parses JSON waits for it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private LogSchema() {
    }

    /** A connection to {@code file}; read-only ones never create or change it. */
    public static Connection connect(Path file, boolean readOnly, int busyTimeoutMillis) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(busyTimeoutMillis);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /**
     * Makes the file a log a writer can append to: WAL mode (readers never wait for the writer), the table, the
     * columns it lacks, the indexes. All in one transaction, so that two processes opening an old log at once
     * migrate it once.
     */
    public static void prepareForWriting(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // in WAL mode a commit survives a crash of the process; only power loss can take the last ones
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute(CREATE_TABLE);
                Set<String> present = columns(connection);
                for (Map.Entry<String, String> column : ADDED_COLUMNS.entrySet()) {
                    if (!present.contains(column.getKey())) {
                        s.execute("ALTER TABLE logs ADD COLUMN " + column.getKey() + " " + column.getValue());
                    }
                }
                for (String index : INDEXES) {
                    s.execute(index);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** The columns of the {@code logs} table, in order; empty when there is no such table. */
    public static Set<String> columns(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(logs)")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
        }
        return names;
    }

    public static void rollbackQuietly(Connection connection) {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException noTransactionOrGone) {
            // nothing to undo
        }
    }

    /** {@code at} as {@code CURRENT_TIMESTAMP} writes it: {@code YYYY-MM-DD HH:MM:SS} in UTC. */
    public static String sqlTime(Instant at) {
        return SQL_TIME.format(at);
    }

    /**
     * A {@code created_at} value read back: ours and {@code CURRENT_TIMESTAMP}'s ({@code YYYY-MM-DD HH:MM:SS}, UTC),
     * with fractions of a second, a {@code T}, or an offset as other writers put them; null when it is none of these.
     */
    public static Instant parseSqlTime(String text) {
        if (text == null) {
            return null;
        }
        String iso = text.strip().replace(' ', 'T');
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** The inputs as a JSON object; a value JSON has no type for is written as its text. */
    public static String inputsJson(Map<String, Object> inputs) {
        try {
            return Json.MAPPER.writeValueAsString(plain(inputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the inputs as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON text read back: maps, lists, strings, numbers, booleans, null. */
    public static Object parseJson(String text) throws JsonProcessingException {
        return Json.MAPPER.readValue(text, Object.class);
    }

    /** {@code value} made of what JSON holds, so that writing it cannot fail. */
    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof Float || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Collection) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Collection<?>) value) {
                out.add(plain(item));
            }
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(plain(Array.get(value, i)));
            }
            return out;
        }
        return value.toString();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
