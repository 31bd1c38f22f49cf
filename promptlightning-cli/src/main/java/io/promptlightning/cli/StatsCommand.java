package io.promptlightning.cli;

import io.promptlightning.RegistryStats;
import java.util.LinkedHashMap;
import java.util.Map;

final class StatsCommand extends CliCommand {
    StatsCommand(PromptLightningCli root) {
        super(root, "stats", "Print what the project's registry holds: templates, versions, labels, space used.",
                "Labels are counted without 'latest'. For an LMDB database, the map size is the space reserved (it"
                        + " grows when full) and 'used' the pages in use; for a prompt directory, 'used' is the size"
                        + " of the template files and their history.");
        flag("--json", "Print a JSON object {registry, storage, templates, versions, labels, map_size, used_bytes,"
                + " last_modified}; map_size is null for a prompt directory.");
    }

    @Override
    public Integer call() {
        RegistryStats stats;
        String kind;
        String storage;
        try (Project project = root.openProject(false)) {
            stats = project.registry().stats();
            kind = project.config.usesLmdb() ? "lmdb" : "local";
            storage = ctx().show(project.storage());
        }
        if (flag("--json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("registry", kind);
            out.put("storage", storage);
            out.put("templates", stats.templates());
            out.put("versions", stats.versions());
            out.put("labels", stats.labels());
            out.put("map_size", stats.mapSize() < 0 ? null : stats.mapSize());
            out.put("used_bytes", stats.usedBytes());
            out.put("last_modified", TextTable.jsonTime(stats.lastModified()));
            ctx().out().println(Json.compact(out));
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable()
                .row("registry", kind + " (" + storage + ")")
                .row("templates", String.valueOf(stats.templates()))
                .row("versions", String.valueOf(stats.versions()))
                .row("labels", String.valueOf(stats.labels()));
        if (stats.mapSize() >= 0) {
            table.row("map size", TextTable.bytes(stats.mapSize()));
        }
        table.row("used", TextTable.bytes(stats.usedBytes()))
                .row("last modified", stats.lastModified() == null ? "never" : TextTable.time(stats.lastModified()));
        ctx().out().print(table);
        return PromptLightningCli.OK;
    }
}
