package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.ExecutionRecord;
import io.promptlightning.SqliteExecutionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logs and costs on real SQLite logs. */
class LogCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY1 = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-02T09:30:00Z");

    @TempDir
    Path tmp;

    private Path project;

    private static ExecutionRecord run(String id, String model, long in, long out, double cost, Instant at,
            String error) {
        return new ExecutionRecord(id, "1.0.0", null, Map.of("input_text", "hi"), error == null ? "answer" : null,
                model == null ? null : model.startsWith("claude") ? "anthropic" : "openai", model, in, out, cost, 812,
                at, error, cost > 0 ? "shipped 2026-01-15" : null);
    }

    /** A project logging to ./promptlightning.db, with four runs in it. */
    private Cli cli() throws Exception {
        project = tmp.resolve("project");
        Path config = Cli.project(project, Cli.Kind.LOCAL);
        Files.writeString(config, Files.readString(config) + "logging:\n  enabled: true\n  backend: sqlite\n"
                + "  db_path: ./promptlightning.db\n");
        try (SqliteExecutionLog log = SqliteExecutionLog.open(project.resolve("promptlightning.db"))) {
            log.append(run("summarizer", "gpt-4o", 120, 40, 0.0007, DAY1, null));
            log.append(run("analyzer", "claude-3-5-sonnet", 300, 100, 0.0024, DAY1.plusSeconds(60), null));
            log.append(run("summarizer", "gpt-4o", 0, 0, 0, DAY2, "rate limited by openai"));
            log.append(run("summarizer", null, 0, 0, 0, DAY2.plusSeconds(1), null));
        }
        return new Cli(project, tmp.resolve("home"));
    }

    @Test
    void logsPrintsTheRecentRunsNewestFirst() throws Exception {
        Cli.Result r = cli().run("logs");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of(
                "TIME                  TEMPLATE    VERSION  MODEL              TOKENS IN  TOKENS OUT  COST (USD)"
                        + "  LATENCY  ERROR",
                "2026-11-02T09:30:01Z  summarizer  1.0.0    -                  0          0           0.000000"
                        + "    812 ms",
                "2026-11-02T09:30:00Z  summarizer  1.0.0    gpt-4o             0          0           0.000000"
                        + "    812 ms   rate limited by openai",
                "2026-11-01T08:01:00Z  analyzer    1.0.0    claude-3-5-sonnet  300        100         0.002400"
                        + "    812 ms",
                "2026-11-01T08:00:00Z  summarizer  1.0.0    gpt-4o             120        40          0.000700"
                        + "    812 ms"), r.outLines());
        assertEquals("", r.err());
    }

    private List<String> templatesAndModels(Cli cli, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "logs";
        System.arraycopy(args, 0, command, 1, args.length);
        command[command.length - 1] = "--json";
        Cli.Result r = cli.run(command);
        assertEquals(0, r.code(), r::toString);
        return JSON.readValue(r.out(), List.class).stream()
                .map(o -> ((Map<?, ?>) o).get("prompt_id") + "/" + ((Map<?, ?>) o).get("model")).toList();
    }

    @Test
    void logsFiltersByTemplateModelTimeAndLimit() throws Exception {
        Cli cli = cli();
        assertEquals(List.of("analyzer/claude-3-5-sonnet"), templatesAndModels(cli, "--template", "analyzer"));
        assertEquals(List.of("summarizer/gpt-4o", "summarizer/gpt-4o"), templatesAndModels(cli, "--model", "gpt-4o"));
        assertEquals(List.of("summarizer/gpt-4o", "summarizer/gpt-4o"),
                templatesAndModels(cli, "--model", "openai/gpt-4o"));
        assertEquals(List.of("summarizer/null", "summarizer/gpt-4o"), templatesAndModels(cli, "--since", "2026-11-02"));
        assertEquals(List.of("summarizer/gpt-4o"), templatesAndModels(cli, "--since", "2026-11-02T09:30:00Z",
                "--model", "gpt-4o"));
        assertEquals(List.of("summarizer/null", "summarizer/gpt-4o", "analyzer/claude-3-5-sonnet"),
                templatesAndModels(cli, "--limit", "3"));
        assertEquals(List.of(), templatesAndModels(cli, "--template", "nothing-like-it"));

        Cli.Result none = cli.run("logs", "--template", "nothing-like-it");
        assertEquals(0, none.code(), none::toString);
        assertEquals("no logged runs match these filters\n", none.out());
    }

    @Test
    void sinceATimeAgoCountsBackFromNow() throws Exception {
        Cli cli = cli();
        try (SqliteExecutionLog log = SqliteExecutionLog.open(project.resolve("promptlightning.db"))) {
            log.append(run("recent", "gpt-4o", 1, 1, 0.1, Instant.now().minus(Duration.ofHours(2)), null));
            log.append(run("last-week", "gpt-4o", 1, 1, 0.1, Instant.now().minus(Duration.ofDays(6)), null));
        }
        assertEquals(List.of("recent/gpt-4o"), templatesAndModels(cli, "--since", "1d"));
        assertEquals(List.of("recent/gpt-4o"), templatesAndModels(cli, "--since", "180m"));
        assertEquals(List.of("recent/gpt-4o", "last-week/gpt-4o"), templatesAndModels(cli, "--since", "7d"));
        assertEquals(List.of("recent/gpt-4o", "last-week/gpt-4o"), templatesAndModels(cli, "--since", "1w"));
        assertEquals(List.of(), templatesAndModels(cli, "--since", "1h"));
    }

    @Test
    void logsJsonHasEveryColumn() throws Exception {
        Cli.Result r = cli().run("logs", "--json", "--limit", "2");
        assertEquals(0, r.code(), r::toString);
        List<?> runs = JSON.readValue(r.out(), List.class);
        Map<?, ?> failed = (Map<?, ?>) runs.get(1);
        assertEquals(List.of("id", "created_at", "prompt_id", "version", "label", "provider", "model", "tokens_in",
                "tokens_out", "cost_usd", "latency_ms", "error", "price_source", "inputs", "output"),
                List.copyOf(failed.keySet()));
        assertEquals(3, failed.get("id"));
        assertEquals("2026-11-02T09:30:00Z", failed.get("created_at"));
        assertEquals("openai", failed.get("provider"));
        assertEquals("rate limited by openai", failed.get("error"));
        assertEquals(Map.of("input_text", "hi"), failed.get("inputs"));
        assertNull(failed.get("output"));
    }

    @Test
    void costsTotalsPerTemplateModelAndDayWithATotalLine() throws Exception {
        Cli cli = cli();
        Cli.Result byTemplate = cli.run("costs");
        assertEquals(0, byTemplate.code(), byTemplate::toString);
        assertEquals(List.of(
                "TEMPLATE    RUNS  TOKENS IN  TOKENS OUT  COST (USD)",
                "analyzer    1     300        100         0.002400",
                "summarizer  3     120        40          0.000700",
                "TOTAL       4     420        140         0.003100"), byTemplate.outLines());

        assertEquals(List.of(
                "MODEL              RUNS  TOKENS IN  TOKENS OUT  COST (USD)",
                "claude-3-5-sonnet  1     300        100         0.002400",
                "gpt-4o             2     120        40          0.000700",
                "(none)             1     0          0           0.000000",
                "TOTAL              4     420        140         0.003100"), cli.run("costs", "--by", "model").outLines());

        assertEquals(List.of(
                "DAY         RUNS  TOKENS IN  TOKENS OUT  COST (USD)",
                "2026-11-01  2     420        140         0.003100",
                "2026-11-02  2     0          0           0.000000",
                "TOTAL       4     420        140         0.003100"), cli.run("costs", "--by", "day").outLines());

        assertEquals(List.of(
                "DAY         RUNS  TOKENS IN  TOKENS OUT  COST (USD)",
                "2026-11-02  2     0          0           0.000000",
                "TOTAL       2     0          0           0.000000"),
                cli.run("costs", "--by=day", "--since", "2026-11-02").outLines());
    }

    @Test
    void costsJson() throws Exception {
        Cli.Result r = cli().run("costs", "--by", "model", "--since", "2026-11-01", "--json");
        assertEquals(0, r.code(), r::toString);
        Map<?, ?> json = JSON.readValue(r.out(), Map.class);
        assertEquals("model", json.get("by"));
        assertEquals("2026-11-01T00:00:00Z", json.get("since"));
        assertEquals(Map.of("model", "claude-3-5-sonnet", "runs", 1, "tokens_in", 300, "tokens_out", 100,
                "cost_usd", 0.0024), ((List<?>) json.get("groups")).get(0));
        assertEquals(3, ((List<?>) json.get("groups")).size());
        Map<?, ?> total = (Map<?, ?>) json.get("total");
        assertEquals(4, total.get("runs"));
        assertEquals(420, total.get("tokens_in"));
        assertEquals(140, total.get("tokens_out"));
        assertEquals(0.0031, (Double) total.get("cost_usd"), 1e-12);
    }

    @Test
    void dbPointsAtAnotherLogRelativeToTheWorkingDirectory() throws Exception {
        Cli cli = cli();
        try (SqliteExecutionLog log = SqliteExecutionLog.open(project.resolve("elsewhere/other.db"))) {
            log.append(run("other", "gpt-4o", 1, 2, 0.5, DAY1, null));
        }
        assertEquals(List.of("other/gpt-4o"), templatesAndModels(cli, "--db", "elsewhere/other.db"));
        Cli.Result costs = cli.run("costs", "--db", "elsewhere/other.db");
        assertEquals("TOTAL     1     1          2           0.500000", costs.outLines().get(2));
    }

    @Test
    void aLogOfTheOriginalIsRead() throws Exception {
        Path file = tmp.resolve("original.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE logs (id INTEGER PRIMARY KEY, prompt_id TEXT, version TEXT, inputs_json TEXT,"
                    + " output_text TEXT, cost REAL, latency_ms INTEGER,"
                    + " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO logs (prompt_id, version, inputs_json, output_text, cost, latency_ms, created_at)"
                    + " VALUES ('summarizer', '1.0.0', '{}', 'old', 0.5, 900, '2024-05-01 10:00:00')");
        }
        Cli cli = new Cli(tmp, tmp.resolve("home"));
        Cli.Result costs = cli.run("costs", "--db", file.toString());
        assertEquals(0, costs.code(), costs::toString);
        assertEquals(List.of("TEMPLATE    RUNS  TOKENS IN  TOKENS OUT  COST (USD)",
                "summarizer  1     0          0           0.500000",
                "TOTAL       1     0          0           0.500000"), costs.outLines());
        Cli.Result logs = cli.run("logs", "--db", file.toString());
        assertEquals("2024-05-01T10:00:00Z  summarizer  1.0.0    -      0          0           0.500000    900 ms",
                logs.outLines().get(1));
    }

    @Test
    void aMissingLogIsAProblemThatSaysWhy() throws Exception {
        Path dir = tmp.resolve("fresh");
        Path config = Cli.project(dir, Cli.Kind.LOCAL);
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result off = cli.run("logs");
        assertEquals(1, off.code(), off::toString);
        assertEquals("", off.out());
        assertEquals("error: no execution log at promptlightning.db (logging is off in promptlightning.yaml: set"
                + " logging.enabled: true to record runs, or give a log with --db PATH)\n", off.err());

        Files.writeString(config, Files.readString(config) + "logging:\n  db_path: logs/runs.db\n");
        Cli.Result on = cli.run("costs");
        assertEquals(1, on.code(), on::toString);
        assertEquals("error: no execution log at logs/runs.db (nothing has been logged yet: runs are recorded there"
                + " once a template runs with logging on)\n", on.err());

        Cli.Result explicit = cli.run("logs", "--db", "nowhere.db");
        assertEquals(1, explicit.code(), explicit::toString);
        assertEquals("error: no execution log at nowhere.db (check --db)\n", explicit.err());
        assertTrue(Files.notExists(dir.resolve("nowhere.db")) && Files.notExists(dir.resolve("logs")),
                "reading makes nothing");
    }

    @Test
    void aProjectMadeByInitLogsToPromptlightningDb() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("new"));
        Cli cli = new Cli(dir, tmp.resolve("home"));
        assertEquals(0, cli.run("init").code());
        Cli.Result r = cli.run("logs");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: no execution log at promptlightning.db (nothing has been logged yet"),
                r.err());
    }

    @Test
    void withoutAProjectTheLogMustBeGiven() {
        Cli cli = new Cli(tmp, tmp.resolve("home"));
        Cli.Result r = cli.run("logs");
        assertEquals(1, r.code(), r::toString);
        assertEquals("error: no promptlightning.yaml in " + tmp + " or its parents, so no execution log to read (run"
                + " it in your project, or give the log with --db PATH)\n", r.err());
        assertTrue(Files.notExists(tmp.resolve("home")), "the default project is not made for this");
    }

    @Test
    void aFileThatIsNotALogIsAProblem() throws Exception {
        Files.writeString(tmp.resolve("notes.db"), "not a database\n".repeat(100));
        Cli.Result r = new Cli(tmp, tmp.resolve("home")).run("costs", "--db", "notes.db");
        assertEquals(1, r.code(), r::toString);
        assertEquals("error: " + tmp.resolve("notes.db") + " is not an execution log: it is not an SQLite database"
                + " (check --db)\n", r.err());
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Cli cli = cli();
        Cli.Result since = cli.run("logs", "--since", "yesterday");
        assertEquals(2, since.code(), since::toString);
        assertEquals("error: --since must be a time ago such as 30m, 24h, 7d or 2w, or a UTC date or time such as"
                + " 2026-11-01 or 2026-11-01T09:30:00Z, not 'yesterday' (see 'promptlightning logs --help')\n",
                since.err());
        assertEquals(2, cli.run("costs", "--since", "7y").code());
        assertEquals(2, cli.run("costs", "--since", "2026-13-01").code());
        Cli.Result by = cli.run("costs", "--by", "week");
        assertEquals(2, by.code(), by::toString);
        assertTrue(by.err().startsWith("error: --by must be template, model or day, not 'week'"), by.err());
        Cli.Result limit = cli.run("logs", "--limit", "0");
        assertEquals(2, limit.code(), limit::toString);
        assertTrue(limit.err().startsWith("error: --limit must be at least 1, not 0"), limit.err());
    }

    @Test
    void parseSinceReadsTimesAgoDatesAndTimes() {
        Instant now = Instant.parse("2026-11-10T12:00:00Z");
        assertEquals(Instant.parse("2026-11-10T11:30:00Z"), ExecutionLogFile.parseSince("30m", now));
        assertEquals(Instant.parse("2026-11-09T12:00:00Z"), ExecutionLogFile.parseSince("24h", now));
        assertEquals(Instant.parse("2026-11-03T12:00:00Z"), ExecutionLogFile.parseSince("7d", now));
        assertEquals(Instant.parse("2026-10-27T12:00:00Z"), ExecutionLogFile.parseSince("2w", now));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), ExecutionLogFile.parseSince("2026-11-01", now));
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), ExecutionLogFile.parseSince("2026-11-01T09:30:00Z", now));
        assertEquals(Instant.parse("2026-11-01T08:30:00Z"),
                ExecutionLogFile.parseSince("2026-11-01T09:30:00+01:00", now));
        assertEquals(Instant.parse("2026-11-01T09:30:00Z"), ExecutionLogFile.parseSince("2026-11-01T09:30", now));
        for (String bad : List.of("", "7", "d", "-7d", "7 d", "7D", "yesterday", "2026-11-31", "1e3d")) {
            assertNull(ExecutionLogFile.parseSince(bad, now), bad);
        }
    }
}
