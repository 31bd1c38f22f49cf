package io.promptlightning.cli;

import io.promptlightning.Ids;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class SearchCommand extends CliCommand {
    SearchCommand(PromptLightningCli root) {
        super(root, "search", "Print the ids of the templates whose metadata matches, sorted, one per line.",
                "A template matches when its latest version has every --tag in its metadata's 'tags' list and every"
                        + " --meta KEY=VALUE in its metadata (a list value matches when one of its items does; numbers"
                        + " and booleans compare as text: --meta reviewed=true). With no criteria, every id.");
        repeatableOption("--tag", "TAG", "A tag the template must have (repeat for several).");
        repeatableOption("--meta", "KEY=VALUE", "A metadata value the template must have (repeat for several).");
        flag("--json", "Print a JSON array of the ids.");
    }

    @Override
    public Integer call() {
        List<String> tags = values("--tag");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String pair : values("--meta")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw usage("--meta takes KEY=VALUE, not '" + pair + "'");
            }
            String key = pair.substring(0, eq);
            if (metadata.put(key, pair.substring(eq + 1)) != null) {
                throw usage("--meta " + key + " is given twice: a template matches one value of each key");
            }
        }
        List<String> ids;
        try (Project project = root.openProject(false)) {
            ids = Ids.sorted(project.registry().search(tags, metadata));
        }
        if (flag("--json")) {
            ctx().out().println(Json.compact(ids));
        } else {
            StringBuilder sb = new StringBuilder();
            for (String id : ids) {
                sb.append(id).append('\n');
            }
            ctx().out().print(sb);
            if (ids.isEmpty()) {
                ctx().err().println("no template matches");
            }
        }
        return PromptLightningCli.OK;
    }
}
