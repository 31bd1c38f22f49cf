package io.promptlightning.cli;

import io.promptlightning.Ids;
import java.util.List;

final class ListCommand extends CliCommand {
    ListCommand(PromptLightningCli root) {
        super(root, "list", "Print every template id, sorted, one per line.");
        flag("--json", "Print a JSON array of the ids.");
    }

    @Override
    public Integer call() {
        List<String> ids;
        try (Project project = root.openProject(false)) {
            ids = Ids.sorted(project.registry().listIds());
        }
        if (flag("--json")) {
            ctx().out().println(Json.compact(ids));
        } else {
            StringBuilder sb = new StringBuilder();
            for (String id : ids) {
                sb.append(id).append('\n');
            }
            ctx().out().print(sb);
        }
        return PromptLightningCli.OK;
    }
}
