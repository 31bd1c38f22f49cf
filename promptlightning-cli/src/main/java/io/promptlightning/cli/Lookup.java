package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.Labels;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.TemplateHandle;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.TemplateRef;
import io.promptlightning.TemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finding a template by id or by reference ({@code ID@VERSION}, {@code ID@LABEL}), with a suggestion when the id is
 * mistyped and a pointer to the template's versions when a version or label is unknown.
 */
final class Lookup {
    private Lookup() {
    }

    /**
     * What {@code reference} names, compiled and cached by the project's vault: a plain id serves the project's
     * {@code default_label} ({@code latest} unless configured).
     *
     * @throws CliException when there is no such template, suggesting close ids, or no such version or label
     */
    static TemplateHandle handle(Project project, String reference) {
        TemplateRef ref = TemplateRef.parse(reference);
        return inTemplate(project, ref.id(), () -> project.vault().get(reference));
    }

    /**
     * The template as stored that {@code reference} names, a plain id serving the project's {@code default_label}
     * as in {@link #handle}.
     *
     * @throws CliException when there is no such template, suggesting close ids, or no such version or label
     */
    static TemplateSpec spec(Project project, String reference) {
        TemplateRef ref = TemplateRef.parse(reference);
        String defaultLabel = project.config.defaultLabel();
        if (isPlain(ref) && !Labels.LATEST.equals(defaultLabel)) {
            ref = TemplateRef.ofLabel(ref.id(), defaultLabel);
        }
        return spec(project, ref);
    }

    /** The template as stored that {@code ref} names; a plain id is the latest version. */
    static TemplateSpec spec(Project project, TemplateRef ref) {
        Registry registry = project.registry();
        return inTemplate(project, ref.id(), () -> isPlain(ref) ? registry.load(ref.id()) : registry.resolve(ref));
    }

    private static boolean isPlain(TemplateRef ref) {
        return ref.version() == null && ref.label() == null;
    }

    /**
     * Runs {@code action} on the template {@code id}, turning "not found" into an error that says what is missing:
     * the template (with close ids suggested) or, for a template that exists, the version or label asked for (the
     * registry's message lists the known ones).
     */
    static <T> T inTemplate(Project project, String id, Supplier<T> action) {
        try {
            return action.get();
        } catch (TemplateNotFoundException e) {
            if (!exists(project, id)) {
                throw notFound(project, id, e);
            }
            throw new CliException(e.getMessage(), "'promptlightning versions " + id + "' lists its versions and"
                    + " labels", e);
        }
    }

    /** {@link #inTemplate(Project, String, Supplier)} for an action without a result. */
    static void inTemplate(Project project, String id, Runnable action) {
        inTemplate(project, id, () -> {
            action.run();
            return null;
        });
    }

    private static boolean exists(Project project, String id) {
        try {
            project.registry().load(id);
            return true;
        } catch (TemplateNotFoundException e) {
            return false;
        } catch (PromptLightningException brokenButThere) {
            return true;
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
