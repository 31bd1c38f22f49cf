package io.promptlightning.cli;

import io.promptlightning.internal.ExecutionLogReader;
import io.promptlightning.internal.ExecutionLogReader.Grouping;
import io.promptlightning.internal.ExecutionLogReader.Total;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

final class CostsCommand extends CliCommand {
    static final List<String> GROUPINGS = List.of("template", "model", "day");

    CostsCommand(PromptLightningCli root) {
        super(root, "costs", "Print the runs, tokens and cost in the execution log, per template, model or day, with"
                        + " their total.",
                "Templates and models are listed most expensive first, days in order (UTC). Costs are in US dollars,"
                        + " as priced when each run was logged. The log is the project's logging.db_path, or --db.");
        option("--by", String.class, "GROUP", "template", "template (the default), model or day.");
        ExecutionLogFile.declareOptions(this);
        flag("--json", "Print a JSON object {by, since, groups: [{template|model|day, runs, tokens_in, tokens_out,"
                + " cost_usd}], total: {runs, tokens_in, tokens_out, cost_usd}}.");
    }

    @Override
    public Integer call() {
        String by = oneOf("--by", GROUPINGS);
        Instant since = ExecutionLogFile.since(this, Instant.now());
        List<Total> groups;
        Total total;
        try (ExecutionLogReader reader = ExecutionLogFile.open(this)) {
            groups = reader.totals(Grouping.valueOf(by.toUpperCase(Locale.ROOT)), since);
            total = reader.total(since);
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), null, e);
        }
        if (flag("--json")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Total group : groups) {
                out.add(sums(by, group));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("by", by);
            json.put("since", TextTable.jsonTime(since));
            json.put("groups", out);
            json.put("total", sums(null, total));
            ctx().out().println(Json.compact(json));
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable().row(by.toUpperCase(Locale.ROOT), "RUNS", "TOKENS IN", "TOKENS OUT",
                "COST (USD)");
        for (Total group : groups) {
            row(table, group.key() == null ? "(none)" : group.key(), group);
        }
        row(table, "TOTAL", total);
        ctx().out().print(table);
        return PromptLightningCli.OK;
    }

    private static void row(TextTable table, String key, Total sums) {
        table.row(key, String.valueOf(sums.runs()), String.valueOf(sums.tokensIn()), String.valueOf(sums.tokensOut()),
                ExecutionLogFile.usd(sums.costUsd()));
    }

    private static Map<String, Object> sums(String keyName, Total sums) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (keyName != null) {
            out.put(keyName, sums.key());
        }
        out.put("runs", sums.runs());
        out.put("tokens_in", sums.tokensIn());
        out.put("tokens_out", sums.tokensOut());
        out.put("cost_usd", sums.costUsd());
        return out;
    }
}
