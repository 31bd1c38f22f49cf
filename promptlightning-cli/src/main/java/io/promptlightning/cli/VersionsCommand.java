package io.promptlightning.cli;

import io.promptlightning.Registry;
import io.promptlightning.TemplateRef;
import io.promptlightning.ValidationException;
import io.promptlightning.VersionInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class VersionsCommand extends CliCommand {
    VersionsCommand(PromptLightningCli root) {
        super(root, "versions", "Print every version of a template: when it was saved, by whom, why, and the labels"
                        + " that point at it.",
                "Oldest first, in semantic version order; the label 'latest' marks the version a plain ID loads. A"
                        + " version that was never saved through a registry recording history (a file edited by hand,"
                        + " a record written by the original library) shows '-' for when and who. A saved version"
                        + " whose template file was edited by hand without a new version is marked '(edited)': a"
                        + " plain ID loads the edit, ID@VERSION what was saved.");
        referenceParameter("The template id; ID@VERSION or ID@LABEL prints only that version.");
        flag("--json", "Print a JSON array of {version, saved_at, author, message, labels, unsaved_edit}.");
    }

    @Override
    public Integer call() {
        TemplateRef ref = TemplateRef.parse(id());
        List<VersionInfo> versions;
        Map<String, String> labels;
        String edited;
        try (Project project = root.openProject(false)) {
            Registry registry = project.registry();
            versions = Lookup.inTemplate(project, ref.id(), () -> registry.versions(ref.id()));
            labels = Lookup.inTemplate(project, ref.id(), () -> registry.labels(ref.id()));
            edited = unsavedEdit(project, ref.id());
            if (ref.version() != null || ref.label() != null) {
                String only = Lookup.spec(project, ref).version();
                versions = versions.stream().filter(v -> v.version().equals(only)).toList();
            }
        }
        Map<String, List<String>> labelsByVersion = new LinkedHashMap<>();
        labels.forEach((label, version) -> labelsByVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(label));
        if (flag("--json")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (VersionInfo v : versions) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("version", v.version());
                entry.put("saved_at", TextTable.jsonTime(v.savedAt()));
                entry.put("author", v.author());
                entry.put("message", v.message());
                entry.put("labels", labelsByVersion.getOrDefault(v.version(), List.of()));
                entry.put("unsaved_edit", v.version().equals(edited));
                out.add(entry);
            }
            ctx().out().println(Json.compact(out));
            return PromptLightningCli.OK;
        }
        TextTable table = new TextTable().row("VERSION", "SAVED", "BY", "LABELS", "MESSAGE");
        boolean marked = false;
        for (VersionInfo v : versions) {
            boolean isEdited = v.version().equals(edited);
            marked |= isEdited;
            table.row(v.version() + (isEdited ? " (edited)" : ""), TextTable.time(v.savedAt()), v.author(),
                    String.join(", ", labelsByVersion.getOrDefault(v.version(), List.of())),
                    v.message() == null ? "" : v.message());
        }
        StringBuilder out = new StringBuilder(table.toString());
        if (marked) {
            out.append("(edited): the template's file is an unsaved edit of ").append(edited).append(": '")
                    .append(ref.id()).append("' loads the edit, '").append(ref.id()).append('@').append(edited)
                    .append("' what was saved; bump to save the edit as a new version, or save the file with --force"
                            + " to replace ").append(edited).append('\n');
        }
        ctx().out().print(out);
        return PromptLightningCli.OK;
    }

    /**
     * The saved version the template's latest content is an unsaved edit of, or null; a saved version that cannot
     * be read is left to {@code validate} to report, the listing is still of use.
     */
    private static String unsavedEdit(Project project, String id) {
        try {
            return Lookup.inTemplate(project, id, () -> project.registry().unsavedEdit(id)).orElse(null);
        } catch (ValidationException unreadable) {
            return null;
        }
    }
}
