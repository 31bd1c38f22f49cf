package io.promptlightning.cli;

import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecRecords;
import io.promptlightning.internal.SpecYaml;
import java.util.List;

final class GetCommand extends CliCommand {
    GetCommand(PromptLightningCli root) {
        super(root, "get", "Print a template.",
                "text: the template text as written; json: the stored record {id, version, description, template,"
                        + " inputs, metadata}; yaml: the template file.");
        referenceParameter(REFERENCE);
        option("--format", String.class, "FORMAT", "text", "text, json or yaml (default: text).");
    }

    @Override
    public Integer call() {
        String format = oneOf("--format", List.of("text", "json", "yaml"));
        TemplateSpec template;
        try (Project project = root.openProject(false)) {
            template = Lookup.spec(project, id());
        }
        String text;
        switch (format) {
            case "json":
                text = Json.pretty(SpecRecords.toRecord(template)) + "\n";
                break;
            case "yaml":
                text = SpecYaml.write(template);
                break;
            default:
                text = template.template();
                break;
        }
        ctx().out().print(text.endsWith("\n") ? text : text + "\n");
        return PromptLightningCli.OK;
    }
}
