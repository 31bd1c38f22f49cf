package io.promptlightning.cli;

import io.promptlightning.ImportMode;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import java.nio.file.Path;

final class RestoreCommand extends CliCommand {
    RestoreCommand(PromptLightningCli root) {
        super(root, "restore", "Make the project hold exactly what a backup holds, and nothing else.",
                "PATH is what 'promptlightning backup' writes (an LMDB database directory or a prompt directory), or"
                        + " anything 'promptlightning export' writes. Every template, version, label and label move"
                        + " of PATH is read and checked first, then written in one atomic step that also removes"
                        + " every other template; a problem is reported with its file and line, and then nothing"
                        + " changes.",
                "A project that holds templates is replaced only with --yes.");
        pathParameter("The backup: an LMDB database directory, a prompt directory or a .jsonl export.");
        flag("--yes", "Replace the templates the project holds now.");
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Path path = path();
        HistorySource source = HistorySource.read(ctx, path, "restoring");
        source.requireNoProblems(ctx, "restored");
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            int before = registry.listIds().size();
            if (before > 0 && !flag("--yes")) {
                throw new CliException("the project holds " + count(before, "template") + ", and a restore replaces"
                        + " them all with the " + count(source.histories.size(), "template") + " of "
                        + ctx.show(path) + "; nothing was changed", "give --yes to replace them");
            }
            try {
                registry.importHistory(source.histories, ImportMode.REPLACE_ALL);
            } catch (PromptLightningException e) {
                throw new CliException(source.locate(e) + "; nothing was changed", null, e);
            }
            ctx.out().println("restored " + source.tally() + " from " + ctx.show(path) + " into "
                    + ctx.show(project.storage()) + (before == 0 ? "" : ", which held " + count(before, "template")
                    + " before"));
        }
        return PromptLightningCli.OK;
    }
}
