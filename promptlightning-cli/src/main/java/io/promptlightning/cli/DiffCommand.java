package io.promptlightning.cli;

import io.promptlightning.TemplateDiff;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.TemplateRef;
import io.promptlightning.TemplateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.PositionalParamSpec;

final class DiffCommand extends CliCommand {
    DiffCommand(PromptLightningCli root) {
        super(root, "diff", "Print what changed between two versions of a template, as a unified diff.",
                "'diff ID A B' compares version or label A of the template with B; 'diff REF REF' compares two"
                        + " references, each ID (the latest version), ID@VERSION or ID@LABEL. The diff covers the"
                        + " version, description, template text, inputs and metadata, as lines of the template"
                        + " file, with 3 lines of context. Prints nothing (and a note on stderr) when they are the"
                        + " same; the exit code is 0 either way.");
        spec.usageMessage().customSynopsis("promptlightning diff ID A B", "promptlightning diff REF REF");
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("2..3").paramLabel("ARG")
                .type(List.class).auxiliaryTypes(String.class)
                .description("ID A B, or two references REF REF.").build());
        flag("--json", "Print {\"from\": REF, \"to\": REF, \"diff\": TEXT} (TEXT is empty when they are the same).");
    }

    @Override
    public Integer call() {
        List<String> args = positionals();
        TemplateRef fromRef;
        TemplateRef toRef;
        if (args.size() == 3) {
            fromRef = TemplateRef.parse(args.get(0) + "@" + args.get(1));
            toRef = TemplateRef.parse(args.get(0) + "@" + args.get(2));
        } else {
            fromRef = TemplateRef.parse(args.get(0));
            toRef = TemplateRef.parse(args.get(1));
        }
        TemplateSpec from;
        TemplateSpec to;
        try (Project project = root.openProject(false)) {
            from = resolve(project, fromRef);
            to = resolve(project, toRef);
        }
        String diff = TemplateDiff.unified(from, to);
        String fromName = from.id() + "@" + from.version();
        String toName = to.id() + "@" + to.version();
        if (flag("--json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("from", fromName);
            out.put("to", toName);
            out.put("diff", diff);
            ctx().out().println(Json.compact(out));
        } else if (diff.isEmpty()) {
            ctx().err().println("note: " + describe(fromRef, fromName) + " and " + describe(toRef, toName)
                    + " are the same");
        } else {
            ctx().out().print(diff);
        }
        return PromptLightningCli.OK;
    }

    /** The reference as asked for, with the version it names when it is not plain. */
    private static String describe(TemplateRef ref, String resolved) {
        return ref.pinned() || ref.toString().equals(resolved) ? resolved : ref + " (" + resolved + ")";
    }

    /**
     * The template the reference names; an unknown id suggests close ones, while an unknown version or label
     * keeps the registry's message, which lists the known ones.
     */
    private static TemplateSpec resolve(Project project, TemplateRef ref) {
        try {
            return project.registry().resolve(ref);
        } catch (TemplateNotFoundException e) {
            if (!project.registry().listIds().contains(ref.id())) {
                throw Lookup.notFound(project, ref.id(), e);
            }
            throw new CliException(e.getMessage(), null, e);
        }
    }
}
