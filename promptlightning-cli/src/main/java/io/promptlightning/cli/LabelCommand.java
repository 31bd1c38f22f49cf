package io.promptlightning.cli;

import io.promptlightning.LabelMove;
import io.promptlightning.Labels;
import io.promptlightning.Registry;
import io.promptlightning.Versions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class LabelCommand extends CliCommand {
    LabelCommand(PromptLightningCli root) {
        super(root, "label", "Point a label at a version of a template, or remove it (--delete).",
                "The move is atomic and appended to the template's label history (see 'labels --history'). VERSION"
                        + " may also be another label, such as latest, to point LABEL where that one points now. The"
                        + " label 'latest' follows the last saved version and cannot be moved by hand: use 'rollback'."
                        + " Prints ID@LABEL: FROM -> TO, FROM being where the label pointed when it moved.");
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
        String printed;
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            if (delete) {
                printed = move(id, Lookup.inTemplate(project, id, () -> registry.removeLabel(id, label, message)));
            } else {
                Map<String, String> labels = Lookup.inTemplate(project, id, () -> registry.labels(id));
                String to = Versions.isValid(version) || !Labels.isValid(version) ? version : labels.get(version);
                if (to == null) {
                    throw new CliException("template '" + id + "' has no label '" + version + "'; labels: "
                            + String.join(", ", labels.keySet()), "VERSION is a version such as 1.2.0 or a label");
                }
                // what the registry recorded, not what was read above: another writer may have moved the label since
                Optional<LabelMove> moved = Lookup.inTemplate(project, id,
                        () -> registry.moveLabel(id, label, to, message));
                printed = recorded(id, label, to, moved);
            }
        }
        ctx().out().println(printed);
        return PromptLightningCli.OK;
    }

    private static String move(String id, LabelMove move) {
        return move(id, move.label(), move.from(), move.to());
    }

    /** The move {@link Registry#moveLabel} recorded, or that it recorded none: the label was at {@code to} already. */
    static String recorded(String id, String label, String to, Optional<LabelMove> moved) {
        return moved.map(m -> move(id, m))
                .orElseGet(() -> move(id, label, to, to) + " (already there: nothing recorded)");
    }

    /** {@code ID@LABEL: FROM -> TO}, as the label history shows a move. */
    static String move(String id, String label, String from, String to) {
        return id + "@" + label + ": " + Objects.requireNonNullElse(from, "(new)") + " -> "
                + Objects.requireNonNullElse(to, "(removed)");
    }
}
