package io.promptlightning.cli;

import io.promptlightning.LabelMove;
import io.promptlightning.Registry;
import io.promptlightning.TemplateRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

final class LabelsCommand extends CliCommand {
    LabelsCommand(PromptLightningCli root) {
        super(root, "labels", "Print a template's labels and the versions they point at.",
                "'latest' is always there: it names the version a plain ID loads. With --history, every move of"
                        + " every label instead, oldest first: when, by whom, FROM -> TO and the message ('(new)' for a"
                        + " label created, '(removed)' for one removed). The history is kept after the template is"
                        + " deleted.");
        referenceParameter("The template id; ID@LABEL shows only that label, ID@VERSION only the labels at (or, with"
                + " --history, moved to or from) that version.");
        flag("--history", "Print every label move instead of the current labels.");
        flag("--json", "Print a JSON object {label: version}; with --history a JSON array of {label, from, to, at,"
                + " author, message}.");
    }

    @Override
    public Integer call() {
        return flag("--history") ? history() : current();
    }

    private int current() {
        TemplateRef ref = TemplateRef.parse(id());
        Map<String, String> labels = new LinkedHashMap<>();
        try (Project project = root.openProject(false)) {
            Registry registry = project.registry();
            Map<String, String> all = Lookup.inTemplate(project, ref.id(), () -> registry.labels(ref.id()));
            if (ref.label() != null) {
                labels.put(ref.label(), Lookup.spec(project, ref).version());
            } else {
                String version = ref.version() == null ? null : Lookup.spec(project, ref).version();
                all.forEach((label, v) -> {
                    if (version == null || version.equals(v)) {
                        labels.put(label, v);
                    }
                });
            }
        }
        if (flag("--json")) {
            ctx().out().println(Json.compact(labels));
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable();
        labels.forEach(table::row);
        ctx().out().print(table);
        return PromptLightningCli.OK;
    }

    private int history() {
        TemplateRef ref = TemplateRef.parse(id());
        List<LabelMove> moves = new ArrayList<>();
        try (Project project = root.openProject(false)) {
            List<LabelMove> all = project.registry().labelHistory(ref.id());
            if (all.isEmpty()) {
                // an id that never existed, rather than one whose labels were never moved
                Lookup.inTemplate(project, ref.id(), () -> project.registry().labels(ref.id()));
            }
            for (LabelMove move : all) {
                if (ref.label() != null ? move.label().equals(ref.label())
                        : ref.version() == null || ref.version().equals(move.from())
                                || ref.version().equals(move.to())) {
                    moves.add(move);
                }
            }
        }
        if (flag("--json")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (LabelMove move : moves) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("label", move.label());
                entry.put("from", move.from());
                entry.put("to", move.to());
                entry.put("at", TextTable.jsonTime(move.at()));
                entry.put("author", move.author());
                entry.put("message", move.message());
                out.add(entry);
            }
            ctx().out().println(Json.compact(out));
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable().row("WHEN", "BY", "LABEL", "MOVE", "MESSAGE");
        for (LabelMove move : moves) {
            table.row(TextTable.time(move.at()), move.author(), move.label(),
                    Objects.requireNonNullElse(move.from(), "(new)") + " -> "
                            + Objects.requireNonNullElse(move.to(), "(removed)"),
                    move.message() == null ? "" : move.message());
        }
        ctx().out().print(table);
        return PromptLightningCli.OK;
    }
}
