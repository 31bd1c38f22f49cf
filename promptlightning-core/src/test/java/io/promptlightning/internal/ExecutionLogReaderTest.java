package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptlightning.ExecutionRecord;
import io.promptlightning.SqliteExecutionLog;
import io.promptlightning.internal.ExecutionLogReader.Filter;
import io.promptlightning.internal.ExecutionLogReader.Grouping;
import io.promptlightning.internal.ExecutionLogReader.LoggedRun;
import io.promptlightning.internal.ExecutionLogReader.Total;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionLogReaderTest {
    private static final Instant DAY1 = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-02T23:59:59Z");

    @TempDir
    Path tmp;

    private static ExecutionRecord run(String id, String provider, String model, long in, long out, double cost,
            Instant at) {
        return new ExecutionRecord(id, "1.0.0", null, Map.of("text", id), "answer", provider, model, in, out, cost,
                100, at, null, null);
    }

    /** Six runs over two days, two templates, two models and one run through the caller's own function. */
    private Path log() {
        Path file = tmp.resolve("log.db");
        try (SqliteExecutionLog log = SqliteExecutionLog.open(file)) {
            log.append(run("summarizer", "openai", "gpt-4o", 100, 10, 0.25, DAY1));
            log.append(run("summarizer", "openai", "gpt-4o", 200, 20, 0.5, DAY1.plusSeconds(60)));
            log.append(run("analyzer", "anthropic", "claude-3-5-sonnet", 300, 30, 1.0, DAY1.plusSeconds(120)));
            log.append(run("summarizer", "anthropic", "claude-3-5-sonnet", 400, 40, 2.0, DAY2));
            log.append(run("analyzer", null, null, 0, 0, 0, DAY2));
            log.append(new ExecutionRecord("analyzer", "2.0.0", "production", Map.of(), null, "openai", "gpt-4o", 0,
                    0, 0, 5, DAY2, "rate limited", null));
        }
        return file;
    }

    private static List<String> ids(List<LoggedRun> runs) {
        return runs.stream().map(r -> r.promptId() + "@" + r.model()).toList();
    }

    @Test
    void runsAreNewestFirstWithEveryColumn() {
        try (ExecutionLogReader reader = ExecutionLogReader.open(log())) {
            List<LoggedRun> runs = reader.runs(new Filter(null, null, null, 100));
            assertEquals(List.of("analyzer@gpt-4o", "analyzer@null", "summarizer@claude-3-5-sonnet",
                    "analyzer@claude-3-5-sonnet", "summarizer@gpt-4o", "summarizer@gpt-4o"), ids(runs));
            LoggedRun failed = runs.get(0);
            assertEquals(6, failed.id());
            assertEquals(DAY2, failed.createdAt());
            assertEquals("2.0.0", failed.version());
            assertEquals("production", failed.label());
            assertEquals(Map.of(), failed.inputs());
            assertNull(failed.output());
            assertEquals("rate limited", failed.error());
            LoggedRun oldest = runs.get(5);
            assertEquals(Map.of("text", "summarizer"), oldest.inputs());
            assertEquals("openai", oldest.provider());
            assertEquals(100, oldest.tokensIn());
            assertEquals(10, oldest.tokensOut());
            assertEquals(0.25, oldest.costUsd());
            assertEquals(100, oldest.latencyMs());
            assertEquals(DAY1, oldest.createdAt());
        }
    }

    @Test
    void runsAreFilteredByTemplateModelTimeAndLimit() {
        try (ExecutionLogReader reader = ExecutionLogReader.open(log())) {
            assertEquals(List.of("summarizer@claude-3-5-sonnet", "summarizer@gpt-4o", "summarizer@gpt-4o"),
                    ids(reader.runs(new Filter("summarizer", null, null, 100))));
            assertEquals(List.of("analyzer@gpt-4o", "summarizer@gpt-4o", "summarizer@gpt-4o"),
                    ids(reader.runs(new Filter(null, "gpt-4o", null, 100))));
            assertEquals(ids(reader.runs(new Filter(null, "gpt-4o", null, 100))),
                    ids(reader.runs(new Filter(null, "openai/gpt-4o", null, 100))));
            assertEquals(List.of(), reader.runs(new Filter(null, "anthropic/gpt-4o", null, 100)));
            assertEquals(List.of("summarizer@claude-3-5-sonnet"),
                    ids(reader.runs(new Filter("summarizer", "claude-3-5-sonnet", null, 100))));
            assertEquals(List.of("analyzer@gpt-4o", "analyzer@null", "summarizer@claude-3-5-sonnet"),
                    ids(reader.runs(new Filter(null, null, DAY2, 100))));
            List<String> fromTheSecondRun = ids(reader.runs(new Filter(null, null, DAY1.plusSeconds(60), 100)));
            assertEquals(5, fromTheSecondRun.size());
            assertEquals(List.of("analyzer@claude-3-5-sonnet", "summarizer@gpt-4o"), fromTheSecondRun.subList(3, 5));
            assertEquals(List.of("analyzer@gpt-4o", "analyzer@null"), ids(reader.runs(new Filter(null, null, null,
                    2))));
        }
        assertThrows(IllegalArgumentException.class, () -> new Filter(null, null, null, 0));
    }

    @Test
    void totalsByTemplateModelAndDay() {
        try (ExecutionLogReader reader = ExecutionLogReader.open(log())) {
            assertEquals(List.of(new Total("summarizer", 3, 700, 70, 2.75), new Total("analyzer", 3, 300, 30, 1.0)),
                    reader.totals(Grouping.TEMPLATE, null));
            assertEquals(List.of(new Total("claude-3-5-sonnet", 2, 700, 70, 3.0), new Total("gpt-4o", 3, 300, 30,
                    0.75), new Total(null, 1, 0, 0, 0)), reader.totals(Grouping.MODEL, null));
            assertEquals(List.of(new Total("2026-11-01", 3, 600, 60, 1.75), new Total("2026-11-02", 3, 400, 40, 2.0)),
                    reader.totals(Grouping.DAY, null));
            assertEquals(List.of(new Total("2026-11-02", 3, 400, 40, 2.0)), reader.totals(Grouping.DAY, DAY2));
            assertEquals(new Total(null, 6, 1000, 100, 3.75), reader.total(null));
            assertEquals(new Total(null, 3, 400, 40, 2.0), reader.total(DAY2));
            assertEquals(new Total(null, 0, 0, 0, 0), reader.total(DAY2.plusSeconds(1)));
            assertEquals(List.of(), reader.totals(Grouping.TEMPLATE, DAY2.plusSeconds(1)));
        }
    }

    @Test
    void aLogOfTheOriginalIsReadAsItIsWithoutChangingIt() throws Exception {
        Path file = tmp.resolve("original.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE logs (id INTEGER PRIMARY KEY, prompt_id TEXT, version TEXT, inputs_json TEXT,"
                    + " output_text TEXT, cost REAL, latency_ms INTEGER,"
                    + " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms, created_at)"
                    + " VALUES ('summarizer', '1.0.0', '{\"input_text\": \"hi\"}', 'old', 0.5, 900,"
                    + " '2024-05-01 10:00:00.123456')");
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms, created_at)"
                    + " VALUES ('summarizer', '1.0.0', 'not json', 'old', 0.25, 900, 'yesterday')");
        }
        byte[] before = Files.readAllBytes(file);
        try (ExecutionLogReader reader = ExecutionLogReader.open(file)) {
            List<LoggedRun> runs = reader.runs(new Filter("summarizer", null, null, 10));
            assertEquals(2, runs.size());
            LoggedRun unreadable = runs.get(0); // 'yesterday' sorts after digits
            assertNull(unreadable.createdAt());
            assertEquals("not json", unreadable.inputs());
            LoggedRun old = runs.get(1);
            assertEquals(Instant.parse("2024-05-01T10:00:00.123456Z"), old.createdAt());
            assertEquals(Map.of("input_text", "hi"), old.inputs());
            assertEquals(0.5, old.costUsd(), "the older 'cost' column");
            assertNull(old.model());
            assertEquals(0, old.tokensIn());
            assertEquals(List.of(), reader.runs(new Filter(null, "gpt-4o", null, 10)));
            assertEquals(List.of(new Total(null, 2, 0, 0, 0.75)), reader.totals(Grouping.MODEL, null));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void readsALogThatIsBeingWritten() {
        Path file = tmp.resolve("log.db");
        try (SqliteExecutionLog log = SqliteExecutionLog.open(file)) {
            log.append(run("a", "openai", "gpt-4o", 1, 1, 0.1, DAY1));
            log.flush();
            try (ExecutionLogReader reader = ExecutionLogReader.open(file)) {
                assertEquals(1, reader.total(null).runs());
                log.append(run("b", "openai", "gpt-4o", 1, 1, 0.1, DAY2));
                log.flush();
                assertEquals(2, reader.total(null).runs());
            }
        }
    }

    @Test
    void whatIsNotALogIsAClearError() throws Exception {
        Path missing = tmp.resolve("missing.db");
        assertEquals("no execution log at " + missing,
                assertThrows(IllegalStateException.class, () -> ExecutionLogReader.open(missing)).getMessage());
        assertFalse(Files.exists(missing), "reading makes no file");

        Path text = Files.writeString(tmp.resolve("notes.db"), "my notes\n".repeat(100));
        assertEquals(text + " is not an execution log: it is not an SQLite database",
                assertThrows(IllegalStateException.class, () -> ExecutionLogReader.open(text)).getMessage());

        Path other = tmp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE things (x)");
        }
        assertEquals(other + " is not an execution log: it holds no 'logs' table",
                assertThrows(IllegalStateException.class, () -> ExecutionLogReader.open(other)).getMessage());
    }
}
