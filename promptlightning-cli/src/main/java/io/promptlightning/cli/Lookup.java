package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.TemplateHandle;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.TemplateSpec;
import java.util.ArrayList;
import java.util.List;

/** Finding a template by id, with a suggestion when the id is mistyped. */
final class Lookup {
    private Lookup() {
    }

    /** The template compiled, ready to render. @throws CliException when there is none, suggesting close ids */
    static TemplateHandle handle(Project project, String id) {
        try {
            return project.vault().get(id);
        } catch (TemplateNotFoundException e) {
            throw notFound(project, id, e);
        }
    }

    /** The template as stored. @throws CliException when there is none, suggesting close ids */
    static TemplateSpec spec(Project project, String id) {
        try {
            return project.registry().load(id);
        } catch (TemplateNotFoundException e) {
            throw notFound(project, id, e);
        }
    }

    static CliException notFound(Project project, String id, TemplateNotFoundException e) {
        List<String> close = closeIds(id, project.registry().listIds());
        String hint = close.isEmpty() ? PromptLightningCli.hintFor(e)
                : "did you mean " + String.join(" or ", close.stream().map(s -> "'" + s + "'").toList()) + "?";
        return new CliException("no template '" + id + "' in " + project.storage(), hint, e);
    }

    /** Ids within a small edit distance of {@code id}, closest first, at most three. */
    static List<String> closeIds(String id, List<String> ids) {
        List<String> out = new ArrayList<>();
        int limit = Math.max(1, Math.min(3, id.length() / 3));
        for (int d = 0; d <= limit && out.size() < 3; d++) {
            for (String candidate : Ids.sorted(ids)) {
                if (out.size() < 3 && !out.contains(candidate)
                        && distance(id.toLowerCase(java.util.Locale.ROOT),
                                candidate.toLowerCase(java.util.Locale.ROOT)) == d) {
                    out.add(candidate);
                }
            }
        }
        return out;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
