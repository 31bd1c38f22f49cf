package io.promptlightning.cli;

import io.promptlightning.Labels;
import io.promptlightning.Registry;
import io.promptlightning.Versions;
import java.util.Map;
import java.util.Objects;

final class LabelCommand extends CliCommand {
    LabelCommand(PromptLightningCli root) {
        super(root, "label", "Point a label at a version of a template, or remove it (--delete).",
                "The move is atomic and appended to the template's label history (see 'labels --history'). VERSION"
                        + " may also be another label, such as latest, to point LABEL where that one points now. The"
                        + " label 'latest' follows the last saved version and cannot be moved by hand: use 'rollback'."
                        + " Prints ID@LABEL: FROM -> TO.");
        spec.usageMessage().customSynopsis("promptlightning label ID LABEL VERSION [-m MESSAGE]",
                "promptlightning label ID LABEL --delete [-m MESSAGE]");
        idParameter();
        positional(1, "LABEL", true, "The label: a letter, then letters, digits, '_', '-' or '.'.");
        positional(2, "VERSION", false, "The version to point it at, or a label pointing at it.");
        flag("--delete", "Remove the label instead.");
        messageOption();
    }

    @Override
    public Integer call() {
        String id = templateId();
        String label = positional(1);
        String version = positional(2);
        boolean delete = flag("--delete");
        if (delete && version != null) {
            throw usage("--delete removes the label: give no VERSION with it");
        }
        if (!delete && version == null) {
            throw usage("give the VERSION to point " + label + " at, or --delete to remove it");
        }
        if (delete && Labels.LATEST.equals(label)) {
            throw new CliException("the label 'latest' always names the latest version of '" + id + "' and cannot be"
                    + " removed", "'promptlightning delete " + id + " --version VERSION' removes a version");
        }
        String message = value("--message");
        String from;
        String to;
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            Map<String, String> labels = Lookup.inTemplate(project, id, () -> registry.labels(id));
            from = labels.get(label);
            if (delete) {
                Lookup.inTemplate(project, id, () -> registry.removeLabel(id, label, message));
                to = null;
            } else {
                to = Versions.isValid(version) || !Labels.isValid(version) ? version : labels.get(version);
                if (to == null) {
                    throw new CliException("template '" + id + "' has no label '" + version + "'; labels: "
                            + String.join(", ", labels.keySet()), "VERSION is a version such as 1.2.0 or a label");
                }
                String target = to;
                Lookup.inTemplate(project, id, () -> registry.moveLabel(id, label, target, message));
            }
        }
        ctx().out().println(move(id, label, from, to));
        return PromptLightningCli.OK;
    }

    /** {@code ID@LABEL: FROM -> TO}, as the label history shows a move. */
    static String move(String id, String label, String from, String to) {
        return id + "@" + label + ": " + Objects.requireNonNullElse(from, "(new)") + " -> "
                + Objects.requireNonNullElse(to, "(removed)");
    }
}
