package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.ImportMode;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.TemplateHistory;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

final class ExportCommand extends CliCommand {
    ExportCommand(PromptLightningCli root) {
        super(root, "export", "Write every template out, with all its versions, labels and label history.",
                "jsonl: a header line, then one line per template, sorted by id: the record of its latest version"
                        + " {id, version, description, template, inputs, metadata} with a \"history\" object holding"
                        + " every version, the labels and the label history. To stdout or --out FILE.",
                "yaml-dir: a new prompt directory --out DIR: one <id>.yaml per template holding its latest version,"
                        + " every version and label kept under DIR/.promptlightning/.",
                "lmdb: a new LMDB database --out DIR.",
                "'promptlightning import' and 'promptlightning restore' read all three.");
        option("--format", String.class, "FORMAT", "jsonl", "jsonl, yaml-dir or lmdb (default: jsonl).");
        option("--out", Path.class, "PATH", null, "The file (jsonl; default: stdout) or the directory (yaml-dir and"
                + " lmdb; required; new or empty) to write.");
    }

    @Override
    public Integer call() throws IOException {
        String format = oneOf("--format", List.of("jsonl", "yaml-dir", "lmdb"));
        boolean jsonl = format.equals("jsonl");
        Path out = value("--out");
        if (!jsonl && out == null) {
            throw usage("--format " + format + " needs --out DIR");
        }
        CliContext ctx = ctx();
        Path target = out == null ? null : ctx.workDir().resolve(out).normalize();
        if (!jsonl) {
            requireNewOrEmptyDirectory(target);
        }
        Tally tally = new Tally();
        try (Project project = root.openProject(false)) {
            if (format.equals("yaml-dir") && !project.config.usesLmdb() && target.startsWith(project.storage())) {
                // the exported files would be read as the project's own templates, each id twice
                throw new CliException("cannot export into " + target + ", inside the project's prompt directory "
                        + project.storage(), "give a path outside it with --out");
            }
            List<String> ids = Ids.sorted(project.registry().listIds());
            if (jsonl) {
                exportJsonl(project.registry(), ids, target, tally);
            } else {
                exportRegistry(project.registry(), ids, target, format.equals("lmdb"), tally);
            }
        }
        if (target != null) {
            ctx.err().println("exported " + count(tally.templates, "template") + " to " + ctx.show(target) + " ("
                    + count(tally.versions, "version") + ", " + count(tally.labels, "label") + ")");
        }
        if (tally.failed > 0) {
            ctx.err().println("error: " + tally.failed + " template" + (tally.failed == 1 ? " was" : "s were")
                    + " not exported (see above; 'promptlightning validate' lists every problem)");
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }

    /** What was exported, and how many templates could not be. */
    private static final class Tally {
        int templates;
        int versions;
        int labels;
        int failed;

        void add(TemplateHistory history) {
            templates++;
            versions += history.versions().size();
            labels += history.labels().size();
        }
    }

    /** Streams the lines, one template read at a time, to stdout or (whole or not at all) to {@code target}. */
    private void exportJsonl(Registry registry, List<String> ids, Path target, Tally tally) {
        CliContext ctx = ctx();
        if (target == null) {
            // on a terminal the lines go to the same screen as a bar would: show none
            ctx.out().print(HistoryFile.header(Instant.now()) + "\n");
            eachHistory(registry, ids, ProgressDisplay.none(), tally, history -> {
                ctx.out().print(HistoryFile.line(history) + "\n");
                tally.add(history);
            });
            return;
        }
        try {
            FileWrites.replace(target, stream -> {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                writer.write(HistoryFile.header(Instant.now()) + "\n");
                IOException[] failure = new IOException[1];
                try (ProgressDisplay bar = ProgressDisplay.start(ctx, "exporting", ids.size())) {
                    eachHistory(registry, ids, bar, tally, history -> {
                        if (failure[0] == null) {
                            try {
                                writer.write(HistoryFile.line(history) + "\n");
                                tally.add(history);
                            } catch (IOException e) {
                                failure[0] = e;
                            }
                        }
                    });
                }
                if (failure[0] != null) {
                    throw failure[0];
                }
                writer.flush();
            });
        } catch (IOException e) {
            throw new CliException("cannot write " + target + ": " + e, "check --out");
        }
    }

    /**
     * Reads every history, then writes them all into a new registry in {@code target} in one import; if that fails,
     * what was made there is removed.
     */
    private void exportRegistry(Registry registry, List<String> ids, Path target, boolean lmdb, Tally tally) {
        CliContext ctx = ctx();
        List<String> exportable = lmdb ? ids : withFileNames(ids, tally);
        List<TemplateHistory> histories = new ArrayList<>();
        try (ProgressDisplay bar = ProgressDisplay.start(ctx, "exporting", exportable.size())) {
            eachHistory(registry, exportable, bar, tally, histories::add);
        }
        boolean created = !Files.exists(target);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new CliException("cannot create the directory " + target + ": " + e, "check --out");
        }
        boolean done = false;
        try (Registry into = lmdb ? LmdbRegistry.open(target) : LocalRegistry.open(target)) {
            into.importHistory(histories, ImportMode.ADD);
            done = true;
        } catch (PromptLightningException e) {
            throw new CliException(e.getMessage() + "; nothing was exported", null, e);
        } finally {
            if (!done) {
                removeWhatWasMade(target, created);
            }
        }
        histories.forEach(tally::add);
    }

    /**
     * Hands each template's history to {@code sink}, in order; a template that cannot be read is reported and
     * counted in {@code tally}, and the others go on.
     */
    private void eachHistory(Registry registry, List<String> ids, ProgressDisplay bar, Tally tally,
            Consumer<TemplateHistory> sink) {
        int done = 0;
        for (String id : ids) {
            TemplateHistory history;
            try {
                history = registry.history(id);
            } catch (PromptLightningException e) {
                ctx().err().println("error: " + PromptLightningCli.oneLine(e.getMessage()));
                tally.failed++;
                history = null;
            }
            if (history != null) {
                HistorySource.warnOfUnsavedEdit(ctx(), registry, id, "exported");
                sink.accept(history);
            }
            bar.stepTo(++done);
        }
    }

    /** The ids that can be file names, everywhere; the others are reported and counted as failed. */
    private List<String> withFileNames(List<String> ids, Tally tally) {
        List<String> fit = new ArrayList<>();
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
                ctx().err().println("error: template '" + id + "' not exported: " + problem);
                tally.failed++;
            } else {
                fit.add(id);
            }
        }
        return fit;
    }

    /** @throws CliException unless {@code dir} is absent or an empty directory */
    static void requireNewOrEmptyDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException(dir + " is a file; export writes a new directory", "give a new path with --out");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new CliException(dir + " is not empty; export writes into a new or empty directory only",
                        "give a new path with --out, or empty the directory");
            }
        } catch (IOException e) {
            throw new CliException("cannot read the directory " + dir + ": " + e, "check --out");
        }
    }

    /** Removes {@code dir} if this command created it, else what it now holds (it was empty). */
    private static void removeWhatWasMade(Path dir, boolean created) {
        if (created) {
            Project.deleteTree(dir);
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(Project::deleteTree);
        } catch (IOException ignored) {
            // best effort: the error being reported matters more
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
