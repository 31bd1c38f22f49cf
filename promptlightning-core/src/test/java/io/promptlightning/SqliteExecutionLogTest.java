package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class SqliteExecutionLogTest {
    /** The original's table before it called models, as its first versions created it. */
    static final String ORIGINAL_OLD_TABLE = "CREATE TABLE logs (id INTEGER PRIMARY KEY, prompt_id TEXT,"
            + " version TEXT, inputs_json TEXT, output_text TEXT, cost REAL, latency_ms INTEGER,"
            + " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)";
    /** The original's table as it is now (SYSTEM.md §8). */
    static final String ORIGINAL_TABLE = "CREATE TABLE logs (id INTEGER PRIMARY KEY, prompt_id TEXT, version TEXT,"
            + " inputs_json TEXT, output_text TEXT, cost REAL, latency_ms INTEGER, provider TEXT, model TEXT,"
            + " tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)";
    static final List<String> COLUMNS = List.of("id", "prompt_id", "version", "inputs_json", "output_text", "cost",
            "latency_ms", "provider", "model", "tokens_in", "tokens_out", "cost_usd", "created_at", "label", "error",
            "price_source");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream reportBytes = new ByteArrayOutputStream();
    private final PrintStream reports = new PrintStream(reportBytes, true, StandardCharsets.UTF_8);

    private SqliteExecutionLog.Builder log(Path file) {
        return SqliteExecutionLog.builder(file).reportTo(reports);
    }

    private List<String> reported() {
        return reportBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static ExecutionRecord record(String promptId, Instant at) {
        return new ExecutionRecord(promptId, "1.0.0", null, Map.of("text", "hello"), "an answer", "openai", "gpt-4o",
                12, 3, 0.00006, 250, at, null, "shipped 2026-01-15");
    }

    static Connection sqlite(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    static List<Map<String, Object>> rows(Path file) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM logs ORDER BY id")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static long count(Path file) throws SQLException {
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM logs")) {
            return rs.getLong(1);
        }
    }

    static List<String> columns(Path file) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(logs)")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
        }
        return names;
    }

    @Test
    void storesEachRecordInTheOriginalColumnsAndOurs() throws Exception {
        Path file = tmp.resolve("log.db");
        Instant at = Instant.parse("2026-11-01T09:05:03.789Z");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("text", "héllo \"quoted\"");
        inputs.put("n", 3);
        inputs.put("tags", List.of("a", "b"));
        inputs.put("nested", Map.of("x", 1.5));
        inputs.put("none", null);
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(new ExecutionRecord("summarizer", "1.2.0", "production", inputs, "three bullets", "openai",
                    "gpt-4o", 120, 40, 0.0007, 812, at, null, "shipped 2026-01-15"));
            log.append(new ExecutionRecord("summarizer", "1.2.0", null, Map.of(), null, "anthropic",
                    "claude-3-5-sonnet", 0, 0, 0, 31, at.plusSeconds(1), "rate limited by anthropic", null));
        }
        List<Map<String, Object>> rows = rows(file);
        assertEquals(2, rows.size());
        Map<String, Object> ok = rows.get(0);
        assertEquals(COLUMNS, new ArrayList<>(ok.keySet()));
        assertEquals("summarizer", ok.get("prompt_id"));
        assertEquals("1.2.0", ok.get("version"));
        assertEquals(inputs, JSON.readValue((String) ok.get("inputs_json"), Map.class));
        assertEquals("three bullets", ok.get("output_text"));
        assertEquals(0.0007, ok.get("cost"));
        assertEquals(0.0007, ok.get("cost_usd"));
        assertEquals(812, ok.get("latency_ms"));
        assertEquals("openai", ok.get("provider"));
        assertEquals("gpt-4o", ok.get("model"));
        assertEquals(120, ok.get("tokens_in"));
        assertEquals(40, ok.get("tokens_out"));
        assertEquals("2026-11-01 09:05:03", ok.get("created_at"));
        assertEquals("production", ok.get("label"));
        assertNull(ok.get("error"));
        assertEquals("shipped 2026-01-15", ok.get("price_source"));

        Map<String, Object> failed = rows.get(1);
        assertNull(failed.get("output_text"));
        assertEquals("rate limited by anthropic", failed.get("error"));
        assertEquals("{}", failed.get("inputs_json"));
        assertNull(failed.get("label"));
        assertNull(failed.get("price_source"));
        assertEquals(List.of(), reported());
    }

    @Test
    void createdAtIsWrittenTheWayCurrentTimestampWritesIt() throws Exception {
        Path file = tmp.resolve("log.db");
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("a", Instant.parse("2026-01-02T03:04:05.999Z")));
        }
        try (Connection c = sqlite(file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO logs (prompt_id) VALUES ('by sqlite')");
            try (ResultSet rs = s.executeQuery("SELECT created_at, datetime(created_at) FROM logs ORDER BY id")) {
                assertTrue(rs.next());
                assertEquals("2026-01-02 03:04:05", rs.getString(1));
                assertEquals(rs.getString(1), rs.getString(2), "SQLite reads it as a time and writes it back alike");
                assertTrue(rs.next());
                assertTrue(rs.getString(1).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), rs.getString(1));
            }
        }
    }

    @Test
    void aNewLogIsTheOriginalTablePlusOurColumnsInWalMode() throws Exception {
        Path file = tmp.resolve("nested/dirs/log.db");
        try (SqliteExecutionLog log = log(file).build()) {
            log.flush();
            log.append(record("a", Instant.now()));
            log.flush();
            try (Connection c = sqlite(file); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertEquals("wal", rs.getString(1));
            }
        }
        assertEquals(COLUMNS, columns(file));
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")) {
            List<String> indexes = new ArrayList<>();
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
            assertEquals(List.of("logs_created_at", "logs_model", "logs_prompt_id"), indexes);
        }
    }

    @Test
    void anOldTableWithoutTheLlmColumnsIsMigratedInPlaceKeepingItsRows() throws Exception {
        Path file = tmp.resolve("old.db");
        try (Connection c = sqlite(file); Statement s = c.createStatement()) {
            s.execute(ORIGINAL_OLD_TABLE);
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms, created_at)"
                    + " VALUES ('summarizer', '1.0.0', '{\"input_text\": \"hi\"}', 'old answer', 0.002, 900,"
                    + " '2024-05-01 10:00:00')");
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms)"
                    + " VALUES ('analyzer', '2.0.0', '{}', 'another', 0.001, 100)");
        }
        List<Map<String, Object>> before = rows(file);

        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("new", Instant.parse("2026-11-01T00:00:00Z")));
        }

        assertEquals(List.of("id", "prompt_id", "version", "inputs_json", "output_text", "cost", "latency_ms",
                "created_at", "provider", "model", "tokens_in", "tokens_out", "cost_usd", "label", "error",
                "price_source"), columns(file));
        List<Map<String, Object>> after = rows(file);
        assertEquals(3, after.size());
        for (int i = 0; i < before.size(); i++) {
            for (Map.Entry<String, Object> column : before.get(i).entrySet()) {
                assertEquals(column.getValue(), after.get(i).get(column.getKey()), column.getKey());
            }
            assertNull(after.get(i).get("model"));
            assertNull(after.get(i).get("cost_usd"));
        }
        assertEquals("new", after.get(2).get("prompt_id"));
        assertEquals("gpt-4o", after.get(2).get("model"));
        assertEquals(List.of(), reported());
    }

    @Test
    void aTableOfTheOriginalGetsOurColumnsAndKeepsItsRows() throws Exception {
        Path file = tmp.resolve("original.db");
        try (Connection c = sqlite(file); Statement s = c.createStatement()) {
            s.execute(ORIGINAL_TABLE);
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms, provider,"
                    + " model, tokens_in, tokens_out, cost_usd) VALUES ('summarizer', '1.0.0', '{}', 'x', 0.5, 10,"
                    + " 'openai', 'gpt-4o', 100, 20, 0.5)");
        }
        Map<String, Object> before = rows(file).get(0);
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("new", Instant.now()));
        }
        assertEquals(COLUMNS, columns(file));
        List<Map<String, Object>> after = rows(file);
        assertEquals(2, after.size());
        before.forEach((column, value) -> assertEquals(value, after.get(0).get(column), column));
    }

    @Test
    void flushReturnsOnceEveryRecordAppendedFromAnyThreadIsStored() throws Exception {
        Path file = tmp.resolve("log.db");
        int threads = 4;
        int each = 1500;
        try (SqliteExecutionLog log = log(file).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String prefix = "t" + t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            log.append(record(prefix + "-" + i, Instant.now()));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            log.flush();
            assertEquals(threads * each, count(file));
            log.append(record("one more", Instant.now()));
            log.flush();
            assertEquals(threads * each + 1, count(file));
            assertEquals(0, log.dropped());
        }
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT prompt_id) FROM logs")) {
            assertEquals(threads * each + 1, rs.getLong(1));
        }
    }

    @Test
    void closeStoresWhatIsQueuedReleasesTheFileAndRemovesTheExitHook() throws Exception {
        Path file = tmp.resolve("log.db");
        SqliteExecutionLog log = log(file).build();
        for (int i = 0; i < 3000; i++) {
            log.append(record("r" + i, Instant.now()));
        }
        log.close();
        assertEquals(3000, count(file));
        assertFalse(Files.exists(tmp.resolve("log.db-wal")), "the last connection checkpoints and removes the WAL");
        assertFalse(Runtime.getRuntime().removeShutdownHook(log.exitHook), "close removed the hook");

        log.append(record("after close", Instant.now()));
        log.flush();
        log.close();
        assertEquals(3000, count(file));
        assertEquals(1, log.dropped());
    }

    @Test
    void aLogReopenedAppendsToItsRows() throws Exception {
        Path file = tmp.resolve("log.db");
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("first", Instant.now()));
        }
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("second", Instant.now()));
        }
        assertEquals(List.of("first", "second"), rows(file).stream().map(r -> r.get("prompt_id")).toList());
    }

    @Test
    void inputsJsonHasNoTypeForAreWrittenAsText() throws Exception {
        Path file = tmp.resolve("log.db");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("day", LocalDate.of(2026, 11, 1));
        inputs.put("numbers", new int[] {1, 2});
        inputs.put("ratio", Double.NaN);
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(new ExecutionRecord("t", "1.0.0", null, inputs, "x", null, null, 0, 0, 0, 1, Instant.now(),
                    null, null));
        }
        assertEquals(Map.of("day", "2026-11-01", "numbers", List.of(1, 2), "ratio", "NaN"),
                JSON.readValue((String) rows(file).get(0).get("inputs_json"), Map.class));
    }

    @Test
    void recordsAppendedBeforeANormalExitWithoutCloseAreAllStored() throws Exception {
        Path file = tmp.resolve("log.db");
        log(file).build().close();
        int n = 5000;
        try (Connection lock = sqlite(file); Statement s = lock.createStatement()) {
            // while the test holds the write lock, the second process can only queue
            s.execute("BEGIN IMMEDIATE");
            try (SecondJvm second = SecondJvm.start(ExecutionLogSecondProcess.class, file.toString())) {
                assertEquals("ok", second.ask("append run " + n));
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM logs")) {
                    assertEquals(0, rs.getLong(1), "nothing is stored before the exit");
                }
                assertEquals("bye", second.ask("exit"));
                s.execute("ROLLBACK");
            }
        }
        assertEquals(n, count(file));
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT prompt_id) FROM logs WHERE prompt_id LIKE 'run-%'")) {
            assertEquals(n, rs.getLong(1));
        }
    }

    @Test
    void aDirectoryInTheWayIsReportedOnceNamingTheFileAndRunsGoOn() throws Exception {
        Path file = Files.createDirectories(tmp.resolve("log.db"));
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("a", Instant.now()));
            log.flush();
            log.append(record("b", Instant.now()));
            log.flush();
            assertEquals(2, log.dropped());
        }
        assertEquals(1, reported().size(), reported()::toString);
        assertTrue(reported().get(0).startsWith("warning: cannot write the execution log " + file + ": "),
                reported().get(0));
        assertTrue(reported().get(0).contains("directory"), reported().get(0));
    }

    @Test
    void aFileInThePlaceOfItsDirectoryIsReported() throws Exception {
        Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path file = tmp.resolve("not-a-dir/log.db");
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("a", Instant.now()));
        }
        assertEquals(1, reported().size(), reported()::toString);
        assertTrue(reported().get(0).contains(file.toString()), reported().get(0));
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedOnceAndLeftAsItWas() throws Exception {
        Path file = Files.writeString(tmp.resolve("log.db"), "these are my notes, not a database\n".repeat(50));
        byte[] before = Files.readAllBytes(file);
        try (SqliteExecutionLog log = log(file).build()) {
            log.append(record("a", Instant.now()));
            log.flush();
            log.append(record("b", Instant.now()));
        }
        assertEquals(1, reported().size(), reported()::toString);
        assertTrue(reported().get(0).contains(file.toString()), reported().get(0));
        assertTrue(reported().get(0).contains("not a database"), reported().get(0));
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(file));
    }

    @Test
    void aReadOnlyFileIsReportedOnceAndRunsGoOn() throws Exception {
        Path file = tmp.resolve("log.db");
        log(file).build().close();
        makeReadOnly(file);
        try {
            try (SqliteExecutionLog log = log(file).build()) {
                log.append(record("a", Instant.now()));
                log.flush();
                log.append(record("b", Instant.now()));
                log.flush();
                assertEquals(2, log.dropped());
            }
            assertEquals(1, reported().size(), reported()::toString);
            assertTrue(reported().get(0).contains(file.toString()), reported().get(0));
            assertTrue(reported().get(0).contains("readonly"), reported().get(0));
            assertEquals(0, count(file));
        } finally {
            makeWritable(file);
        }
    }

    /** Write permission does not stop root, so root's test makes the file immutable instead. */
    private static void makeReadOnly(Path file) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            assertTrue(file.toFile().setWritable(false, false));
            return;
        }
        Process p = new ProcessBuilder("chattr", "+i", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, () -> "running as root, and chattr +i is refused here: " + out);
    }

    private static void makeWritable(Path file) throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("chattr", "-i", file.toString()).start().waitFor();
        } else {
            file.toFile().setWritable(true, false);
        }
    }

    @Test
    void aBatchThatMeetsALockedDatabaseIsDroppedAndLaterOnesAreStored() throws Exception {
        Path file = tmp.resolve("log.db");
        log(file).build().close();
        try (SqliteExecutionLog log = log(file).busyTimeout(Duration.ZERO).build()) {
            try (Connection lock = sqlite(file); Statement s = lock.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                log.append(record("while locked", Instant.now()));
                log.flush();
                s.execute("ROLLBACK");
            }
            assertEquals(1, log.dropped());
            log.append(record("after", Instant.now()));
            log.flush();
            assertEquals(List.of("after"), rows(file).stream().map(r -> r.get("prompt_id")).toList());
            log.append(record("later", Instant.now()));
        }
        assertEquals(2, count(file));
        assertEquals(1, reported().size(), reported()::toString);
        assertTrue(reported().get(0).contains(file.toString()) && reported().get(0).contains("locked"),
                reported().get(0));
    }

    @Test
    void aFullQueueDropsRecordsInsteadOfHoldingTheCaller() throws Exception {
        Path file = tmp.resolve("log.db");
        log(file).build().close();
        int appended = 20;
        long dropped;
        try (SqliteExecutionLog log = log(file).queueCapacity(2).fullQueueWait(Duration.ZERO)
                .busyTimeout(Duration.ofMinutes(1)).build()) {
            try (Connection lock = sqlite(file); Statement s = lock.createStatement()) {
                // the writer waits for the lock with its first batch, and the queue fills behind it
                s.execute("BEGIN IMMEDIATE");
                for (int i = 0; i < appended; i++) {
                    log.append(record("r" + i, Instant.now()));
                }
                dropped = log.dropped();
                s.execute("ROLLBACK");
            }
        }
        // at most 2 queued and 2 in the batch the writer holds
        assertTrue(dropped >= appended - 4, "dropped " + dropped);
        assertEquals(appended - dropped, count(file));
        assertEquals(1, reported().size(), reported()::toString);
        assertTrue(reported().get(0).contains(file.toString()) && reported().get(0).contains("falling behind"),
                reported().get(0));
    }

    @Test
    void theFlushIntervalIs200MsUnlessSetAndMustBeFrom1MsTo10Minutes() {
        try (SqliteExecutionLog log = log(tmp.resolve("default.db")).build()) {
            assertEquals(Duration.ofMillis(200), log.flushInterval());
        }
        try (SqliteExecutionLog log = log(tmp.resolve("set.db")).flushInterval(Duration.ofMillis(50)).build()) {
            assertEquals(Duration.ofMillis(50), log.flushInterval());
        }
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-5), Duration.ofNanos(999_999),
                Duration.ofMinutes(10).plusMillis(1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> log(tmp.resolve("bad.db")).flushInterval(bad));
            assertEquals("flushInterval must be from 1 ms to 10 minutes: " + bad, e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("bad.db")));
    }

    @Test
    void aKillLosesOnlyTheRecordsOfTheLastFlushIntervalEvenWhenTheWriterFallsBehind() throws Exception {
        Path file = tmp.resolve("log.db");
        // each record takes 2 ms to store, as on a slow disk: 5,000 a second is over ten times what the writer stores,
        // so without a bound in time the queue fills and holds many seconds of records
        KillOutcome kill = appendSteadilyThenKill(file, 5000, 100, 2000, Duration.ofSeconds(4), List.of());
        assertTrue(kill.storedInOrder(), "the rows are the first records appended, each once: " + kill);
        // the default flush interval (200 ms) and a margin for a slow, loaded machine
        long due = kill.appendedBefore(SqliteExecutionLog.DEFAULT_FLUSH_INTERVAL.plusSeconds(2));
        assertTrue(due > 0, "records were appended long enough before the kill: " + kill);
        assertTrue(kill.stored() >= due, "every record appended 2.2 s or more before the kill is stored, but "
                + (due - kill.stored()) + " of them were lost: " + kill);
    }

    /**
     * The figures of docs/RELIABILITY.md: {@code -Dpromptlightning.executionLog.kills=N} kills each of these
     * processes N times, at a moment chosen at random between 1 and 3 s after it began appending, and prints what the
     * kills lost; {@code -Dpromptlightning.executionLog.flushIntervalMs=MS} sets their logs' flush interval. Every
     * kill must keep what was appended more than the flush interval and a margin before it.
     */
    @Test
    @EnabledIfSystemProperty(named = "promptlightning.executionLog.kills", matches = "[1-9][0-9]*")
    void figuresOfWhatAKillLoses() throws Exception {
        int kills = Integer.getInteger("promptlightning.executionLog.kills");
        Duration interval = Duration.ofMillis(Integer.getInteger("promptlightning.executionLog.flushIntervalMs",
                (int) SqliteExecutionLog.DEFAULT_FLUSH_INTERVAL.toMillis()));
        // the last two are more than the writer can store: answers of 32,000 characters, and records taking 2 ms
        // each to store, as on a slow disk
        record Scenario(double perSecond, int outputChars, long storeMicros) {
        }
        List<Scenario> scenarios = List.of(new Scenario(100, 1000, 0), new Scenario(1000, 1000, 0),
                new Scenario(10_000, 1000, 0), new Scenario(20_000, 32_000, 0), new Scenario(5000, 100, 2000));
        Random moments = new Random(20_260_111L);
        StringBuilder table = new StringBuilder("""
                | records/s asked | answer | extra time to store a record | kills | records/s appended (median) \
                | lost per kill (median, max) | oldest lost record's age at the kill, ms (median, max) |
                |---|---|---|---|---|---|---|
                """);
        for (Scenario s : scenarios) {
            List<Long> lost = new ArrayList<>();
            List<Long> windowMillis = new ArrayList<>();
            List<Long> rates = new ArrayList<>();
            for (int k = 0; k < kills; k++) {
                Path file = tmp.resolve("kill.db");
                Duration runFor = Duration.ofMillis(1000 + moments.nextInt(2000));
                KillOutcome kill = appendSteadilyThenKill(file, s.perSecond(), s.outputChars(), s.storeMicros(),
                        runFor, List.of(String.valueOf(interval.toMillis())));
                assertTrue(kill.storedInOrder(), kill::toString);
                assertTrue(kill.stored() >= kill.appendedBefore(interval.plusSeconds(2)), kill::toString);
                lost.add(kill.lost());
                windowMillis.add(kill.oldestLostAge().toMillis());
                rates.add(Math.round(kill.appended() / (kill.ranFor().toNanos() / 1e9)));
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(tmp.resolve("kill.db" + suffix));
                }
            }
            table.append(String.format("| %,.0f | %,d chars | %s | %d | %,d | %,d, %,d | %,d, %,d |%n",
                    s.perSecond(), s.outputChars(), s.storeMicros() == 0 ? "none" : s.storeMicros() / 1000.0 + " ms",
                    kills, median(rates), median(lost), max(lost), median(windowMillis), max(windowMillis)));
        }
        System.out.println("What a kill -9 of a process appending to the execution log lost (flush interval "
                + interval.toMillis() + " ms, " + Runtime.getRuntime().availableProcessors() + " cores):\n" + table);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /**
     * What a SIGKILL left of a second process's steady appends. {@code reports} are the process's {@code appended N}
     * lines, one a record, each with the time it arrived, which is later than the append it reports.
     */
    record KillOutcome(long stored, boolean storedInOrder, List<Report> reports, long startedAt, long killedAt) {
        record Report(long appended, long arrivedAt) {
        }

        long appended() {
            return reports.isEmpty() ? 0 : reports.get(reports.size() - 1).appended();
        }

        long lost() {
            return appended() - stored;
        }

        /** Records reported appended {@code before} or more before the kill: each of them was. */
        long appendedBefore(Duration before) {
            long limit = killedAt - before.toNanos();
            return reports.stream().filter(r -> r.arrivedAt() <= limit).mapToLong(Report::appended).max().orElse(0);
        }

        /**
         * About how long before the kill the first record not stored was appended: the time since the report of the
         * last record stored arrived (zero when nothing was lost).
         */
        Duration oldestLostAge() {
            if (lost() <= 0) {
                return Duration.ZERO;
            }
            long since = reports.stream().filter(r -> r.appended() <= stored).mapToLong(Report::arrivedAt).max()
                    .orElse(startedAt);
            return Duration.ofNanos(killedAt - since);
        }

        Duration ranFor() {
            return Duration.ofNanos(killedAt - startedAt);
        }

        @Override
        public String toString() {
            return "appended " + appended() + " in " + ranFor().toMillis() + " ms, stored " + stored
                    + (storedInOrder ? "" : " (not the first ones in order)") + ", lost " + lost()
                    + ", the oldest of them appended about " + oldestLostAge().toMillis() + " ms before the kill";
        }
    }

    /**
     * Starts a second process appending {@code perSecond} records a second to {@code file} (each with an answer of
     * {@code outputChars} characters, and taking {@code storeMicros} more to store), kills it with SIGKILL
     * {@code runFor} after it began, and reads what the log kept.
     */
    static KillOutcome appendSteadilyThenKill(Path file, double perSecond, int outputChars, long storeMicros,
            Duration runFor, List<String> logArguments) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(file.toString()));
        arguments.addAll(logArguments);
        List<KillOutcome.Report> reports = new ArrayList<>();
        long startedAt;
        long killedAt;
        try (SecondJvm second = SecondJvm.start(ExecutionLogSecondProcess.class, arguments.toArray(String[]::new))) {
            second.send("steady steady " + perSecond + " " + outputChars + " " + storeMicros);
            startedAt = System.nanoTime();
            long killAt = startedAt + runFor.toNanos();
            for (long now = startedAt; now < killAt; now = System.nanoTime()) {
                String line = second.poll(Duration.ofNanos(killAt - now));
                if (line != null) {
                    reports.add(report(line, System.nanoTime()));
                }
            }
            killedAt = System.nanoTime();
            second.kill();
            // printed before the kill, read after it: they count as appended, with no time before the kill
            for (String line = second.poll(Duration.ofMillis(200)); line != null;
                    line = second.poll(Duration.ofMillis(200))) {
                reports.add(report(line, killedAt));
            }
        }
        try (Connection c = sqlite(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT prompt_id),"
                     + " MAX(CAST(substr(prompt_id, 8) AS INTEGER)) FROM logs")) {
            long stored = rs.getLong(1);
            boolean inOrder = rs.getLong(2) == stored && (stored == 0 || rs.getLong(3) == stored - 1);
            return new KillOutcome(stored, inOrder, reports, startedAt, killedAt);
        }
    }

    private static KillOutcome.Report report(String line, long arrivedAt) {
        assertTrue(line.startsWith("appended "), line);
        return new KillOutcome.Report(Long.parseLong(line.substring("appended ".length())), arrivedAt);
    }
}
