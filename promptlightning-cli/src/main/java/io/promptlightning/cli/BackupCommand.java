package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.RegistryStats;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

final class BackupCommand extends CliCommand {
    BackupCommand(PromptLightningCli root) {
        super(root, "backup", "Copy the project's registry, history included, to a new path.",
                "The copy is consistent even while other processes read and write: for LMDB, a compacted copy of the"
                        + " database; for a prompt directory, its template files with their history"
                        + " (.promptlightning/). The copy opens as a registry of the same kind, and"
                        + " 'promptlightning restore PATH' brings it back.");
        pathParameter("Where to write the copy; it must not exist yet.");
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Path destination = path();
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(destination + " already exists; a backup never overwrites anything",
                    "give a path that does not exist yet");
        }
        Path storage;
        try (Project project = root.openProject(false)) {
            storage = project.storage().toAbsolutePath().normalize();
            if (destination.startsWith(storage)) {
                throw new CliException("cannot back up " + storage + " into itself (" + destination + ")",
                        "give a path outside it");
            }
            Registry registry = project.registry();
            int templates = registry.listIds().size();
            try (ProgressDisplay bar = ProgressDisplay.start(ctx, "backing up", templates)) {
                registry.backup(destination);
                bar.stepTo(templates);
            }
        }
        RegistryStats copied;
        try (Registry copy = HistorySource.isLmdb(destination)
                ? LmdbRegistry.builder(destination).readOnly(true).build()
                : LocalRegistry.builder(destination).readOnly(true).build()) {
            copied = copy.stats();
        } catch (PromptLightningException e) {
            throw new CliException("the backup " + destination + " was written but does not open: " + e.getMessage(),
                    "report this as a bug", e);
        }
        ctx.out().println("backed up " + count(copied.templates(), "template") + " ("
                + count(copied.versions(), "version") + ", " + count(copied.labels(), "label") + ") from "
                + ctx.show(storage) + " to " + ctx.show(destination));
        return PromptLightningCli.OK;
    }
}
