package io.promptlightning.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Problem;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.SavedVersion;
import io.promptlightning.TemplateHistory;
import io.promptlightning.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every template history held by what {@code export} writes: a JSON lines file ({@link HistoryFile}), an LMDB
 * database (a directory holding {@code data.mdb}) or a prompt directory. Everything is read and checked before
 * anything is written, so that an import is all or nothing: each problem is kept with its file and line, and a
 * source with problems is not imported at all.
 */
final class HistorySource {
    /** How many problems are printed before the rest are only counted (a file of another kind has one a line). */
    static final int PROBLEMS_SHOWN = 50;

    /** Where a template came from, to point at it when the registry refuses it. */
    record Location(Path file, int line) {
    }

    final Path path;
    /** In the source's order. */
    final List<TemplateHistory> histories = new ArrayList<>();
    final Map<String, Location> locations = new HashMap<>();
    /** Each as {@code FILE[:LINE]: [template 'ID': ]WHAT}. */
    final List<String> problems = new ArrayList<>();

    private HistorySource(Path path) {
        this.path = path;
    }

    /** Whether {@code dir} holds an LMDB database rather than template files. */
    static boolean isLmdb(Path dir) {
        return Files.isRegularFile(dir.resolve("data.mdb"));
    }

    /**
     * Reads {@code path} whole, showing progress on a terminal.
     *
     * @param task what the progress bar says is going on
     *
     * @throws CliException when there is nothing at {@code path}
     */
    static HistorySource read(CliContext ctx, Path path, String task) {
        HistorySource source = new HistorySource(path);
        if (Files.isRegularFile(path)) {
            source.readLines(ctx, task);
        } else if (Files.isDirectory(path)) {
            source.readRegistry(ctx, task);
        } else {
            throw new CliException("nothing to read at " + path + (Files.exists(path) ? " (not a file or directory)"
                    : ": it does not exist"), "give a file written by 'promptlightning export', a prompt directory"
                    + " or an LMDB database directory");
        }
        return source;
    }

    /**
     * @param nothing what did not happen, for the message: {@code "imported"}, {@code "restored"}
     * @throws CliException after printing the problems, if there is one: then nothing may be written
     */
    void requireNoProblems(CliContext ctx, String nothing) {
        if (problems.isEmpty()) {
            return;
        }
        for (String problem : problems.subList(0, Math.min(problems.size(), PROBLEMS_SHOWN))) {
            ctx.err().println("error: " + PromptLightningCli.oneLine(problem));
        }
        if (problems.size() > PROBLEMS_SHOWN) {
            ctx.err().println("error: ... and " + (problems.size() - PROBLEMS_SHOWN) + " more");
        }
        throw new CliException(CliCommand.count(problems.size(), "problem") + " in " + ctx.show(path)
                + " (see above); nothing was " + nothing, null);
    }

    /** {@code 3 templates (5 versions, 1 label)}. */
    String tally() {
        return CliCommand.count(histories.size(), "template") + " (" + CliCommand.count(versionCount(), "version")
                + ", " + CliCommand.count(labelCount(), "label") + ")";
    }

    int versionCount() {
        return histories.stream().mapToInt(h -> h.versions().size()).sum();
    }

    int labelCount() {
        return histories.stream().mapToInt(h -> h.labels().size()).sum();
    }

    /** The registry's refusal of a template, pointing at where the template came from when it names one. */
    String locate(PromptLightningException e) {
        Location location = e.templateId() == null ? null : locations.get(e.templateId());
        if (location == null || e.file() != null) {
            return e.getMessage();
        }
        return new ValidationException(e.detail(), e.templateId(), location.file(), location.line(), e).getMessage();
    }

    private void readLines(CliContext ctx, String task) {
        long total = countLines();
        Map<String, Integer> lineOfId = new HashMap<>();
        boolean first = true;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
                ProgressDisplay bar = ProgressDisplay.start(ctx, task, total)) {
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                bar.stepTo(number);
                if (number == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1); // a byte order mark, as some editors write
                }
                if (text.isBlank()) {
                    continue;
                }
                Map<String, Object> object;
                try {
                    object = Json.parseObject(text);
                } catch (IllegalArgumentException e) {
                    problems.add(path + ":" + number + ": " + notJson(e));
                    first = false;
                    continue;
                }
                if (first) {
                    first = false;
                    if (HistoryFile.isHeader(object)) {
                        try {
                            HistoryFile.checkHeader(object);
                        } catch (IllegalArgumentException e) {
                            problems.add(path + ":" + number + ": " + e.getMessage());
                            return; // a file of another format: its lines would only add noise
                        }
                        continue;
                    }
                }
                TemplateHistory history;
                try {
                    history = HistoryFile.parse(object);
                } catch (ValidationException e) {
                    problems.add(new ValidationException(e.detail(), e.templateId(), path, number, e).getMessage());
                    continue;
                }
                Integer earlier = lineOfId.putIfAbsent(history.id(), number);
                if (earlier != null) {
                    problems.add(new ValidationException("the template is already on line " + earlier
                            + " (an export holds each template once, with all its versions)", history.id(), path,
                            number, null).getMessage());
                    continue;
                }
                Location at = new Location(path, number);
                checkSyntax(history, at);
                histories.add(history);
                locations.put(history.id(), at);
            }
        } catch (CharacterCodingException e) {
            problems.add(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw CliException.cannotRead(path, e, null);
        }
    }

    /** The number of lines, for the progress bar: a quick pass that decodes nothing. */
    private long countLines() {
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            boolean endsWithBreak = true;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                if (n > 0) {
                    endsWithBreak = buffer[n - 1] == '\n';
                }
            }
            return endsWithBreak ? lines : lines + 1;
        } catch (IOException e) {
            throw CliException.cannotRead(path, e, null);
        }
    }

    /** Jackson's reason, with the column: the line is known already. */
    private static String notJson(IllegalArgumentException e) {
        if (e.getCause() instanceof JsonProcessingException) {
            JsonProcessingException cause = (JsonProcessingException) e.getCause();
            String column = cause.getLocation() == null || cause.getLocation().getColumnNr() < 0 ? ""
                    : " (column " + cause.getLocation().getColumnNr() + ")";
            return "not JSON: " + PromptLightningCli.oneLine(cause.getOriginalMessage()) + column;
        }
        return "not a template: " + e.getMessage();
    }

    private void readRegistry(CliContext ctx, String task) {
        boolean lmdb = isLmdb(path);
        try (Registry registry = lmdb ? LmdbRegistry.builder(path).readOnly(true).build()
                : LocalRegistry.builder(path).readOnly(true).build()) {
            Set<String> reported = new HashSet<>();
            if (registry instanceof LocalRegistry) {
                for (Problem problem : ((LocalRegistry) registry).problems()) {
                    problems.add(problem.toString());
                    reported.add(problem.templateId());
                }
            }
            List<String> ids = registry.listIds();
            try (ProgressDisplay bar = ProgressDisplay.start(ctx, task, ids.size())) {
                int done = 0;
                for (String id : ids) {
                    try {
                        TemplateHistory history = registry.history(id);
                        Location at = new Location(path, 0);
                        checkSyntax(history, at);
                        histories.add(history);
                        warnOfUnsavedEdit(ctx, registry, id, "read");
                        locations.put(id, at);
                    } catch (PromptLightningException e) {
                        if (!reported.contains(id)) {
                            problems.add(e.file() != null ? e.getMessage() : path + ": " + e.getMessage());
                        }
                    }
                    bar.stepTo(++done);
                }
            }
        } catch (PromptLightningException e) {
            throw new CliException("cannot read " + (lmdb ? "the LMDB database " : "the prompt directory ") + path
                    + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * A history leaves out an unsaved edit (a template file edited by hand under a saved version), which its file
     * still holds: says so on stderr, as {@code what} ("exported", "read") was done with the saved version.
     */
    static void warnOfUnsavedEdit(CliContext ctx, Registry registry, String id, String what) {
        String edited;
        try {
            edited = registry.unsavedEdit(id).orElse(null);
        } catch (PromptLightningException changedSinceRead) {
            return; // deleted or damaged since its history was read: the next command says so
        }
        if (edited != null) {
            ctx.err().println("warning: template '" + id + "': its file is an unsaved edit of " + edited + ", which is "
                    + what + " as it was saved; bump to save the edit as a new version, or save the file with"
                    + " --force, to carry the edit along");
        }
    }

    /**
     * Compiles every version of the template, so that a syntax error is reported before anything is written rather
     * than when the template is first rendered.
     */
    private void checkSyntax(TemplateHistory history, Location at) {
        for (SavedVersion saved : history.versions()) {
            try {
                saved.spec().compile();
            } catch (ValidationException e) {
                String detail = "version " + saved.spec().version() + ": " + e.detail()
                        + (e.line() > 0 ? " (line " + e.line() + " of the template)" : "");
                problems.add(new ValidationException(detail, history.id(), at.file(), at.line(), e).getMessage());
            }
        }
    }
}
