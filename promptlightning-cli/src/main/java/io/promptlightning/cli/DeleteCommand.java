package io.promptlightning.cli;

import io.promptlightning.Labels;
import io.promptlightning.Registry;
import io.promptlightning.TemplateRef;
import io.promptlightning.VersionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;

final class DeleteCommand extends CliCommand {
    DeleteCommand(PromptLightningCli root) {
        super(root, "delete", "Delete a template with all its versions and labels (--yes), or one version of it.",
                "Deleting a whole template asks for --yes; its label history is kept. A version cannot be deleted"
                        + " while a label other than latest points at it (move or remove the label first), nor when it"
                        + " is the template's only version (delete the template instead). Deleting the latest version"
                        + " makes the highest remaining one the latest.");
        spec.usageMessage().customSynopsis("promptlightning delete ID --yes",
                "promptlightning delete ID --version VERSION", "promptlightning delete ID@VERSION");
        referenceParameter("The template id, or ID@VERSION for one version.");
        // --version names the version to delete here; the program's version is still printed by -V
        spec.remove(spec.findOption("--version"));
        spec.addOption(OptionSpec.builder("-V").versionHelp(true).description("Print version information and exit.")
                .build());
        option("--version", String.class, "VERSION", null, "Delete only this version.");
        flag("--yes", "Really delete the whole template.");
    }

    @Override
    public Integer call() {
        TemplateRef ref = TemplateRef.parse(id());
        if (ref.label() != null && !Labels.LATEST.equals(ref.label())) {
            throw usage("delete takes ID or ID@VERSION, not a label: '" + id() + "'");
        }
        String version = value("--version");
        if (version != null && ref.version() != null && !version.equals(ref.version())) {
            throw usage("two versions given: " + ref.version() + " and --version " + version);
        }
        if (version == null) {
            version = ref.version();
        }
        String id = ref.id();
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            if (version != null) {
                String gone = version;
                String latestBefore = Lookup.inTemplate(project, id, () -> registry.labels(id)).get(Labels.LATEST);
                Lookup.inTemplate(project, id, () -> registry.deleteVersion(id, gone));
                String latest = registry.labels(id).get(Labels.LATEST);
                ctx().out().println(id + "@" + version + ": deleted" + (gone.equals(latestBefore)
                        ? "; the latest version is now " + latest : ""));
                return PromptLightningCli.OK;
            }
            List<VersionInfo> versions = Lookup.inTemplate(project, id, () -> registry.versions(id));
            Map<String, String> labels = registry.labels(id);
            List<String> named = new ArrayList<>(labels.keySet());
            named.remove(Labels.LATEST);
            String what = versions.size() + (versions.size() == 1 ? " version" : " versions")
                    + (named.isEmpty() ? "" : " and " + (named.size() == 1 ? "the label " : "the labels ")
                            + String.join(", ", named));
            if (!flag("--yes")) {
                throw new CliException("deleting '" + id + "' removes its " + what + "; nothing was deleted",
                        "give --yes to delete it, or --version VERSION to delete one version");
            }
            Lookup.inTemplate(project, id, () -> registry.delete(id));
            ctx().out().println(id + ": deleted with its " + what + " (its label history is kept)");
        }
        return PromptLightningCli.OK;
    }
}
