package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.PromptLightningException;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecRecords;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

final class ExportCommand extends CliCommand {
    ExportCommand(PromptLightningCli root) {
        super(root, "export", "Write every template out.",
                "jsonl: one JSON record {id, version, description, template, inputs, metadata} per line, sorted by"
                        + " id, to stdout or --out FILE.",
                "yaml-dir: one <id>.yaml template file per template in the directory --out DIR (a prompt"
                        + " directory).");
        option("--format", String.class, "FORMAT", "jsonl", "jsonl or yaml-dir (default: jsonl).");
        option("--out", Path.class, "PATH", null,
                "The file (jsonl; default: stdout) or directory (yaml-dir; required) to write.");
    }

    @Override
    public Integer call() throws IOException {
        boolean jsonl = oneOf("--format", List.of("jsonl", "yaml-dir")).equals("jsonl");
        Path out = value("--out");
        if (!jsonl && out == null) {
            throw usage("--format yaml-dir needs --out DIR");
        }
        CliContext ctx = ctx();
        int failed = 0;
        int written = 0;
        try (Project project = root.openProject(false)) {
            List<String> ids = Ids.sorted(project.registry().listIds());
            if (jsonl) {
                StringBuilder lines = new StringBuilder();
                for (String id : ids) {
                    TemplateSpec template = load(project, id);
                    if (template == null) {
                        failed++;
                        continue;
                    }
                    lines.append(Json.compact(SpecRecords.toRecord(template))).append('\n');
                    written++;
                }
                if (out == null) {
                    ctx.out().print(lines);
                } else {
                    Path target = ctx.workDir().resolve(out);
                    try {
                        FileWrites.replace(target, lines.toString().getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new CliException("cannot write " + target + ": " + e, "check --out");
                    }
                    ctx.err().println(exported(written) + ctx.show(target));
                }
            } else {
                Path dir = ctx.workDir().resolve(out);
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new CliException("cannot create the directory " + dir + ": " + e, "check --out");
                }
                // lower-cased file name -> id, for case-insensitive file systems
                Map<String, String> takenNames = new HashMap<>();
                for (String id : ids) {
                    String problem = fileNameProblem(id);
                    if (problem == null) {
                        String other = takenNames.putIfAbsent((id + ".yaml").toLowerCase(Locale.ROOT), id);
                        if (other != null) {
                            problem = "its file name differs from that of '" + other + "' only in letter case";
                        }
                    }
                    if (problem != null) {
                        ctx.err().println("error: template '" + id + "' not exported: " + problem);
                        failed++;
                        continue;
                    }
                    TemplateSpec template = load(project, id);
                    if (template == null) {
                        failed++;
                        continue;
                    }
                    Path file = dir.resolve(id + ".yaml");
                    try {
                        FileWrites.replace(file, SpecYaml.write(template).getBytes(StandardCharsets.UTF_8));
                    } catch (IOException | RuntimeException e) {
                        ctx.err().println("error: template '" + id + "' not exported: cannot write " + file + ": " + e);
                        failed++;
                        continue;
                    }
                    written++;
                }
                ctx.err().println(exported(written) + ctx.show(dir));
            }
        }
        if (failed > 0) {
            ctx.err().println("error: " + failed + " template" + (failed == 1 ? " was" : "s were") + " not exported"
                    + " (see above; 'promptlightning validate' lists every problem)");
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }

    private static String exported(int count) {
        return "exported " + count + (count == 1 ? " template" : " templates") + " to ";
    }

    /** The template, or null after reporting why it cannot be read. */
    private TemplateSpec load(Project project, String id) {
        try {
            return project.registry().load(id);
        } catch (PromptLightningException e) {
            root.ctx.err().println("error: " + PromptLightningCli.oneLine(e.getMessage()));
            return null;
        }
    }

    /**
     * Why {@code id + ".yaml"} cannot be a file name on common systems, or null when it can. Ids written by the
     * original library may hold anything but control characters.
     */
    static String fileNameProblem(String id) {
        if (id.equals(".") || id.equals("..") || id.startsWith(".")) {
            return "an id starting with '.' would make a hidden file";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ("/\\:*?\"<>|".indexOf(c) >= 0 || Character.isISOControl(c)) {
                return "the id holds '" + c + "', which a file name cannot hold (on every system)";
            }
        }
        if (id.endsWith(" ")) {
            return "the id ends with a space, which some systems drop from file names";
        }
        if ((id + ".yaml").getBytes(StandardCharsets.UTF_8).length > 255) {
            return "the id is too long for a file name";
        }
        return null;
    }
}
