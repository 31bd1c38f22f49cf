package io.promptlightning.cli;

import io.promptlightning.LabelMove;
import io.promptlightning.Labels;
import io.promptlightning.Registry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
import io.promptlightning.VersionInfo;
import io.promptlightning.Versions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class RollbackCommand extends CliCommand {
    RollbackCommand(PromptLightningCli root) {
        super(root, "rollback", "Move a label back to where it pointed before its last move, or to --to VERSION.",
                "The version comes from the label history, so rolling back twice returns to where you started. For"
                        + " 'latest', the version a plain ID loads, the old version's content is saved again: it"
                        + " becomes the latest once more, or with --as-new it is saved as a new version (the highest"
                        + " version with its patch number increased), for those who want versions only to grow. The"
                        + " message recorded is -m MESSAGE, else 'roll back to VERSION'. Prints ID@LABEL: FROM -> TO.");
        idParameter();
        positional(1, "LABEL", true, "The label to move back, or latest.");
        option("--to", String.class, "VERSION", null, "The version to move it to, instead of its previous one.");
        flag("--as-new", "For latest: save the old content as a new version instead of making the old version the"
                + " latest again.");
        messageOption();
    }

    @Override
    public Integer call() {
        String id = templateId();
        String label = positional(1);
        boolean latest = Labels.LATEST.equals(label);
        if (flag("--as-new") && !latest) {
            throw usage("--as-new is for the label latest: other labels only point at versions");
        }
        String to = value("--to");
        if (to != null) {
            Versions.require(to, id);
        }
        Labels.require(label, id);
        String from;
        String target;
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            Map<String, String> labels = Lookup.inTemplate(project, id, () -> registry.labels(id));
            from = labels.get(label);
            target = to != null ? to : previous(id, label, from, registry.labelHistory(id));
            String message = Objects.requireNonNullElse(value("--message"), "roll back to " + target);
            if (!latest) {
                Optional<LabelMove> moved = Lookup.inTemplate(project, id,
                        () -> registry.moveLabel(id, label, target, message));
                ctx().out().println(LabelCommand.recorded(id, label, target, moved));
                return PromptLightningCli.OK;
            }
            TemplateSpec old = Lookup.inTemplate(project, id, () -> registry.load(id, target));
            if (flag("--as-new")) {
                List<VersionInfo> versions = registry.versions(id);
                String version = Versions.bump(versions.get(versions.size() - 1).version(), Versions.Part.PATCH);
                registry.save(old.withVersion(version), SaveOptions.message(message));
                ctx().out().println(LabelCommand.move(id, label, from, version) + " (the content of " + target + ")");
            } else {
                registry.save(old, SaveOptions.message(message));
                ctx().out().println(LabelCommand.move(id, label, from, target));
            }
        }
        return PromptLightningCli.OK;
    }

    /**
     * Where {@code label} pointed before its last move. When the last move recorded does not end where the label
     * points now, the template changed without a recorded move (a template file edited by hand changes its latest
     * version): the version to return to is then the one that move left.
     */
    private static String previous(String id, String label, String current, List<LabelMove> history) {
        LabelMove last = null;
        for (LabelMove move : history) {
            if (move.label().equals(label)) {
                last = move;
            }
        }
        String hint = "give --to VERSION; 'promptlightning versions " + id + "' lists them";
        if (last == null) {
            throw new CliException("no move of the label '" + label + "' of '" + id + "' is recorded, so there is no"
                    + " earlier version to roll back to", hint);
        }
        if (last.to() != null && !last.to().equals(current)) {
            return last.to();
        }
        if (last.from() == null) {
            throw new CliException("the label '" + label + "' of '" + id + "' has pointed at " + last.to()
                    + " since it was created, so there is no earlier version to roll back to", hint);
        }
        return last.from();
    }
}
