package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.ImportMode;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.TemplateHistory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

final class ImportCommand extends CliCommand {
    /** How many ids a refusal names before it only counts the others. */
    static final int IDS_NAMED = 20;

    ImportCommand(PromptLightningCli root) {
        super(root, "import", "Add the templates of an export to the project, with all their versions and labels.",
                "PATH is what 'promptlightning export' writes: a JSON lines file, a prompt directory or an LMDB"
                        + " database directory.",
                "All or nothing: every entry is checked first, and a problem (a line that is not JSON, an invalid id,"
                        + " version or record, a template syntax error, a template listed twice) is reported with its"
                        + " file and line, and then nothing is imported. Templates the project already has are"
                        + " refused, naming them, unless --replace is given.",
                "Exit code 1 if nothing was imported.");
        pathParameter("The export: a .jsonl file, a prompt directory or an LMDB database directory.");
        flag("--replace", "Replace the whole history of the templates the project already has (the others stay).");
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Path path = path();
        HistorySource source = HistorySource.read(ctx, path, "importing");
        source.requireNoProblems(ctx, "imported");
        boolean replace = flag("--replace");
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            Set<String> incoming = new HashSet<>();
            for (TemplateHistory history : source.histories) {
                incoming.add(history.id());
            }
            List<String> existing = Ids.sorted(registry.listIds().stream().filter(incoming::contains).toList());
            if (!replace && !existing.isEmpty()) {
                throw new CliException(count(existing.size(), "template") + " of " + ctx.show(path)
                        + (existing.size() == 1 ? " is" : " are") + " already in the project: " + named(existing)
                        + "; nothing was imported", "give --replace to replace their history with the imported one");
            }
            try {
                registry.importHistory(source.histories, replace ? ImportMode.REPLACE_IDS : ImportMode.ADD);
            } catch (PromptLightningException e) {
                throw new CliException(source.locate(e) + "; nothing was imported", null, e);
            }
            ctx.out().println("imported " + source.tally() + " from " + ctx.show(path) + " into "
                    + ctx.show(project.storage()) + (existing.isEmpty() ? "" : ", replacing the history of "
                    + count(existing.size(), "template") + " it had"));
        }
        return PromptLightningCli.OK;
    }

    /** The ids, quoted; past {@value #IDS_NAMED}, only counted. */
    static String named(List<String> ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(ids.size(), IDS_NAMED); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(ids.get(i)).append('\'');
        }
        if (ids.size() > IDS_NAMED) {
            sb.append(" and ").append(ids.size() - IDS_NAMED).append(" more");
        }
        return sb.toString();
    }
}
