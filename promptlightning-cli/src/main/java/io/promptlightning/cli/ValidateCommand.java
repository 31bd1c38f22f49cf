package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Problem;
import io.promptlightning.PromptLightningException;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

final class ValidateCommand extends CliCommand {
    ValidateCommand(PromptLightningCli root) {
        super(root, "validate", "Check every template and print each problem as FILE:LINE: ID: MESSAGE.",
                "Finds files that are not valid templates (YAML, fields, input types and defaults), ids declared"
                        + " twice, template syntax errors, variables a template uses but does not declare as inputs,"
                        + " and declared inputs it never uses; in a prompt directory also template files edited by hand"
                        + " under a saved version (unsaved edits). Exit code 1 if there is any problem.",
                "Warns (FILE:LINE: ID: warning: MESSAGE, exit code 0) of an id that no new template may have, such"
                        + " as ../escape: it is served where it is, but cannot be saved elsewhere or exported as a"
                        + " file.");
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        List<Entry> problems = new ArrayList<>();
        int checked;
        try (Project project = root.openProject(false)) {
            if (project.registry() instanceof LocalRegistry) {
                checked = checkDirectory(ctx, (LocalRegistry) project.registry(), problems);
            } else {
                checked = checkRecords(ctx, project, problems);
            }
        }
        problems.sort(Comparator.comparing(Entry::file).thenComparingInt(Entry::line));
        StringBuilder sb = new StringBuilder();
        for (Entry p : problems) {
            sb.append(p.text).append('\n');
        }
        long warnings = problems.stream().filter(Entry::warning).count();
        problems.removeIf(Entry::warning);
        if (problems.isEmpty()) {
            sb.append("ok: ").append(checked).append(checked == 1 ? " template" : " templates")
                    .append(", no problems").append(warnings == 0 ? "" : warnings == 1 ? " (1 warning above)"
                            : " (" + warnings + " warnings above)").append('\n');
        }
        ctx.out().print(sb);
        if (!problems.isEmpty()) {
            ctx.out().flush();
            ctx.err().println("error: " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " in " + checked + (checked == 1 ? " template" : " templates")
                    + " (each line above gives the file and line to fix)");
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }

    /**
     * A prompt directory: the registry's problems and unsaved edits, then the static check of every valid file.
     */
    private static int checkDirectory(CliContext ctx, LocalRegistry registry, List<Entry> out) {
        for (Problem p : registry.problems()) {
            out.add(Entry.of(ctx.show(p.file()), p.line(), p.templateId(), p.message()));
        }
        for (Problem p : registry.unsavedEdits()) {
            out.add(Entry.of(ctx.show(p.file()), p.line(), p.templateId(), p.message()));
        }
        int checked = 0;
        for (Path file : templateFiles(registry.directory())) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                continue; // reported by the registry
            }
            SpecYaml.Result result = SpecYaml.parse(bytes, file);
            if (!result.ok()) {
                checked++;
                continue; // reported by the registry, with its line
            }
            checked++;
            String text = new String(bytes, StandardCharsets.UTF_8);
            TemplateSpec template = result.spec();
            for (TemplateChecks.Finding f : TemplateChecks.check(template, text)) {
                out.add(Entry.of(ctx.show(file), f.line(), template.id(), f.message()));
            }
            String idWarning = idWarning(template.id(), "this file still serves it");
            if (idWarning != null) {
                out.add(Entry.warning(ctx.show(file), result.idLine(), template.id(), idWarning));
            }
        }
        return checked;
    }

    /** An LMDB database: every record loaded and checked; lines are lines of the template text. */
    private static int checkRecords(CliContext ctx, Project project, List<Entry> out) {
        String where = ctx.show(project.storage());
        int checked = 0;
        for (String id : Ids.sorted(project.registry().listIds())) {
            checked++;
            List<TemplateChecks.Finding> findings;
            try {
                findings = TemplateChecks.check(project.registry().load(id), null);
            } catch (PromptLightningException e) {
                out.add(Entry.of(where, 0, id, e.detail() + atTemplateLine(e.line())));
                continue;
            }
            for (TemplateChecks.Finding f : findings) {
                out.add(Entry.of(where, 0, id, f.message() + atTemplateLine(f.line())));
            }
            String idWarning = idWarning(id, "the database still serves it");
            if (idWarning != null) {
                out.add(Entry.warning(where, 0, id, idWarning));
            }
        }
        return checked;
    }

    /**
     * Why an id that is no {@linkplain Ids#isValidNewId valid new id} (one the original accepted, or one written
     * by hand, such as {@code ../escape}) will be a problem, or null for a valid one: the templates that have it
     * stay readable where they are, but no registry creates a template with it, and some cannot be file names.
     */
    static String idWarning(String id, String stillServed) {
        if (Ids.isValidNewId(id)) {
            return null;
        }
        String fileName = ExportCommand.fileNameProblem(id);
        return "no new template may have this id (an id is " + Ids.NEW_ID_RULE + "): " + stillServed + ", but it"
                + " cannot be saved into another project" + (fileName == null ? ""
                        : " nor exported as a file (" + fileName + ")") + "; give the template another id";
    }

    private static String atTemplateLine(int line) {
        return line > 0 ? " (template line " + line + ")" : "";
    }

    /**
     * One problem, printed as {@code FILE:LINE: ID: MESSAGE} (leaving out the line or id when unknown), or a
     * warning, printed as {@code FILE:LINE: ID: warning: MESSAGE}, which does not fail the check.
     */
    record Entry(String file, int line, String text, boolean warning) {
        static Entry of(String file, int line, String id, String message) {
            return new Entry(file, line, prefix(file, line, id) + PromptLightningCli.oneLine(message), false);
        }

        static Entry warning(String file, int line, String id, String message) {
            return new Entry(file, line, prefix(file, line, id) + "warning: " + PromptLightningCli.oneLine(message),
                    true);
        }

        private static String prefix(String file, int line, String id) {
            StringBuilder sb = new StringBuilder(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
            if (id != null) {
                sb.append(id).append(": ");
            }
            return sb.toString();
        }
    }

    /** The files a prompt directory reads, in path order: not those of its history directory. */
    static List<Path> templateFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        Path history = dir.resolve(LocalRegistry.HISTORY_DIRECTORY);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.equals(history) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if ((name.endsWith(".yaml") && name.length() > 5) || (name.endsWith(".yml") && name.length() > 4)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // reported by the registry
        }
        files.sort(null);
        return files;
    }
}
