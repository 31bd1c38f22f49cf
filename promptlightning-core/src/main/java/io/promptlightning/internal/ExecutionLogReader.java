package io.promptlightning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an execution log for the {@code logs} and {@code costs} commands, without changing it: a read-only
 * connection, so that it reads a log another process is writing, and a log of the original's (an older table
 * without the LLM columns included) as it is. Filtering, sorting and sums are done by SQLite, on the indexes the
 * writer makes, so that a large log answers quickly.
 */
public final class ExecutionLogReader implements AutoCloseable {
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    /** How {@link #totals} groups runs. */
    public enum Grouping {
        /** by template id */
        TEMPLATE,
        /** by model */
        MODEL,
        /** by UTC day, {@code YYYY-MM-DD} */
        DAY
    }

    /**
     * Which runs {@link #runs} returns, newest first.
     *
     * @param templateId only this template's runs, or null
     * @param model      only this model's (also matched as {@code provider/model}), or null
     * @param since      only runs from this time on, or null
     * @param limit      at most this many
     */
    public record Filter(String templateId, String model, Instant since, int limit) {
        public Filter {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1: " + limit);
            }
        }
    }

    /**
     * One row of the log. Numbers a row lacks (a row of the original's older table has no tokens) read as 0.
     *
     * @param createdAt  when the run ended, or null when the row's {@code created_at} is not a time
     * @param inputsJson the inputs as stored, JSON text
     */
    public record LoggedRun(long id, Instant createdAt, String promptId, String version, String label,
                            String inputsJson, String output, String provider, String model, long tokensIn,
                            long tokensOut, double costUsd, long latencyMs, String error, String priceSource) {
        /** The inputs read back from JSON (usually a map), the stored text when it is not JSON, or null. */
        public Object inputs() {
            if (inputsJson == null) {
                return null;
            }
            try {
                return LogSchema.parseJson(inputsJson);
            } catch (JsonProcessingException notJson) {
                return inputsJson;
            }
        }
    }

    /**
     * Sums over a group of runs.
     *
     * @param key the template id, model or day; null for runs without one (a run through your own function has no
     *            model) and for the total of all
     */
    public record Total(String key, long runs, long tokensIn, long tokensOut, double costUsd) {
    }

    private final Path file;
    private final Connection connection;
    private final Set<String> columns;

    private ExecutionLogReader(Path file, Connection connection, Set<String> columns) {
        this.file = file;
        this.connection = connection;
        this.columns = columns;
    }

    /**
     * Opens the log in {@code file} for reading.
     *
     * @throws IllegalStateException naming the file when it is missing, not an SQLite database or holds no
     *                               {@code logs} table
     */
    public static ExecutionLogReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no execution log at " + file);
        }
        Connection connection = null;
        try {
            connection = LogSchema.connect(file, true, BUSY_TIMEOUT_MILLIS);
            Set<String> columns = LogSchema.columns(connection);
            if (columns.isEmpty()) {
                throw new IllegalStateException(file + " is not an execution log: it holds no 'logs' table");
            }
            return new ExecutionLogReader(file, connection, columns);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(file, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The runs {@code filter} selects, newest first. */
    public List<LoggedRun> runs(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT id, created_at, prompt_id, version, ")
                .append(column("label")).append(", inputs_json, output_text, ")
                .append(column("provider")).append(", ").append(column("model")).append(", ")
                .append(column("tokens_in")).append(", ").append(column("tokens_out")).append(", ")
                .append(cost()).append(", latency_ms, ").append(column("error")).append(", ")
                .append(column("price_source")).append(" FROM logs");
        List<Object> args = new ArrayList<>();
        where(sql, args, filter.templateId(), filter.model(), filter.since());
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(filter.limit());
        List<LoggedRun> runs = new ArrayList<>();
        try (PreparedStatement s = prepare(sql.toString(), args); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                runs.add(new LoggedRun(rs.getLong(1), LogSchema.parseSqlTime(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getLong(10), rs.getLong(11), rs.getDouble(12), rs.getLong(13),
                        rs.getString(14), rs.getString(15)));
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
        return runs;
    }

    /**
     * Runs, tokens and cost per template, model or day, from {@code since} on (everything when null): days in order,
     * templates and models most expensive first.
     */
    public List<Total> totals(Grouping by, Instant since) {
        // unary + keeps SQLite from walking the prompt_id or model index for the grouping, which costs a lookup
        // per row: a scan (or a range of the created_at index, with since) is several times faster on a big log
        String key = switch (by) {
            case TEMPLATE -> "+prompt_id";
            case MODEL -> columns.contains("model") ? "+model" : "NULL";
            case DAY -> "substr(created_at, 1, 10)";
        };
        StringBuilder sql = new StringBuilder("SELECT ").append(key).append(" AS k, ").append(sums())
                .append(" FROM logs");
        List<Object> args = new ArrayList<>();
        where(sql, args, null, null, since);
        sql.append(" GROUP BY k ORDER BY ").append(by == Grouping.DAY ? "k" : "5 DESC, k IS NULL, k");
        return totals(sql.toString(), args);
    }

    /** Runs, tokens and cost of every run from {@code since} on (everything when null). */
    public Total total(Instant since) {
        StringBuilder sql = new StringBuilder("SELECT NULL, ").append(sums()).append(" FROM logs");
        List<Object> args = new ArrayList<>();
        where(sql, args, null, null, since);
        return totals(sql.toString(), args).get(0);
    }

    private List<Total> totals(String sql, List<Object> args) {
        List<Total> totals = new ArrayList<>();
        try (PreparedStatement s = prepare(sql, args); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                totals.add(new Total(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
            }
        } catch (SQLException e) {
            throw failure(file, e);
        }
        return totals;
    }

    private String sums() {
        return "COUNT(*), TOTAL(" + column("tokens_in") + "), TOTAL(" + column("tokens_out") + "), TOTAL(" + cost()
                + ")";
    }

    /** The cost of a row: cost_usd, else the original's older cost column, else 0. */
    private String cost() {
        return columns.contains("cost_usd") ? "COALESCE(cost_usd, cost, 0)" : "COALESCE(cost, 0)";
    }

    /** A column, or NULL in its place when the table (an older one) lacks it. */
    private String column(String name) {
        return columns.contains(name) ? name : "NULL";
    }

    private void where(StringBuilder sql, List<Object> args, String templateId, String model, Instant since) {
        List<String> conditions = new ArrayList<>();
        if (templateId != null) {
            conditions.add("prompt_id = ?");
            args.add(templateId);
        }
        if (model != null) {
            int slash = model.indexOf('/');
            if (!columns.contains("model")) {
                conditions.add("0");
            } else if (slash > 0 && columns.contains("provider")) {
                conditions.add("(model = ? OR (provider = ? AND model = ?))");
                args.add(model);
                args.add(model.substring(0, slash));
                args.add(model.substring(slash + 1));
            } else {
                conditions.add("model = ?");
                args.add(model);
            }
        }
        if (since != null) {
            // created_at is text in CURRENT_TIMESTAMP's form, which sorts as the times do
            conditions.add("created_at >= ?");
            args.add(LogSchema.sqlTime(since));
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
    }

    private PreparedStatement prepare(String sql, List<Object> args) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
        return s;
    }

    private static IllegalStateException failure(Path file, SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("SQLITE_NOTADB")) {
            return new IllegalStateException(file + " is not an execution log: it is not an SQLite database", e);
        }
        return new IllegalStateException("cannot read the execution log " + file + ": " + message, e);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing was read through it
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    /** For messages. */
    public Path file() {
        return file;
    }
}
