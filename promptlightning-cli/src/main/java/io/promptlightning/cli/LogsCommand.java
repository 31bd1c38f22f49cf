package io.promptlightning.cli;

import io.promptlightning.internal.ExecutionLogReader;
import io.promptlightning.internal.ExecutionLogReader.Filter;
import io.promptlightning.internal.ExecutionLogReader.LoggedRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class LogsCommand extends CliCommand {
    static final int DEFAULT_LIMIT = 50;

    LogsCommand(PromptLightningCli root) {
        super(root, "logs", "Print the most recent runs from the execution log, newest first.",
                "Each run: when it ended (UTC), the template and version, the model, tokens in and out, the cost in"
                        + " US dollars, the latency, and the error of a run that failed. The log is the project's"
                        + " logging.db_path, or --db.");
        option("--template", String.class, "ID", null, "Only the runs of this template.");
        option("--model", String.class, "MODEL", null, "Only the runs of this model (gpt-4o, or openai/gpt-4o).");
        ExecutionLogFile.declareOptions(this);
        option("--limit", int.class, "N", String.valueOf(DEFAULT_LIMIT), "At most N runs (default "
                + DEFAULT_LIMIT + ").");
        flag("--json", "Print a JSON array of {id, created_at, prompt_id, version, label, provider, model, tokens_in,"
                + " tokens_out, cost_usd, latency_ms, error, price_source, inputs, output}.");
    }

    @Override
    public Integer call() {
        int limit = value("--limit");
        if (limit < 1) {
            throw usage("--limit must be at least 1, not " + limit);
        }
        Instant since = ExecutionLogFile.since(this, Instant.now());
        List<LoggedRun> runs;
        try (ExecutionLogReader reader = ExecutionLogFile.open(this)) {
            runs = reader.runs(new Filter(value("--template"), value("--model"), since, limit));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), null, e);
        }
        if (flag("--json")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (LoggedRun run : runs) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", run.id());
                entry.put("created_at", TextTable.jsonTime(run.createdAt()));
                entry.put("prompt_id", run.promptId());
                entry.put("version", run.version());
                entry.put("label", run.label());
                entry.put("provider", run.provider());
                entry.put("model", run.model());
                entry.put("tokens_in", run.tokensIn());
                entry.put("tokens_out", run.tokensOut());
                entry.put("cost_usd", run.costUsd());
                entry.put("latency_ms", run.latencyMs());
                entry.put("error", run.error());
                entry.put("price_source", run.priceSource());
                entry.put("inputs", run.inputs());
                entry.put("output", run.output());
                out.add(entry);
            }
            ctx().out().println(Json.compact(out));
            return PromptLightningCli.OK;
        }
        if (runs.isEmpty()) {
            boolean filtered = value("--template") != null || value("--model") != null || since != null;
            ctx().out().println(filtered ? "no logged runs match these filters" : "no runs logged");
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable().row("TIME", "TEMPLATE", "VERSION", "MODEL", "TOKENS IN", "TOKENS OUT",
                "COST (USD)", "LATENCY", "ERROR");
        for (LoggedRun run : runs) {
            table.row(TextTable.time(run.createdAt()), run.promptId(), run.version(), run.model(),
                    String.valueOf(run.tokensIn()), String.valueOf(run.tokensOut()), ExecutionLogFile.usd(
                            run.costUsd()), run.latencyMs() + " ms", run.error() == null ? "" : run.error());
        }
        ctx().out().print(table);
        return PromptLightningCli.OK;
    }
}
