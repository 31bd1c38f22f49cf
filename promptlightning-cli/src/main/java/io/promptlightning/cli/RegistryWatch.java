package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.Labels;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Problem;
import io.promptlightning.PromptLightningException;
import io.promptlightning.Registry;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The loop of {@code watch}: it polls {@link Registry#generation()}, which is cheap, and when it moves, reads every
 * template again and reports what differs from the last reading, with the problems of what changed.
 */
final class RegistryWatch {
    /** How often the registry's generation is read. */
    static final long POLL_MILLIS = 100;
    /** How many polls a burst of changes may take to settle before it is reported anyway. */
    private static final int MAX_SETTLE_POLLS = 10;

    /** {@code EDITED}: a change that leaves the template an unsaved edit of a saved version. */
    enum Kind { ADDED, CHANGED, EDITED, REMOVED, LABEL, PROBLEM }

    /**
     * One problem, located as {@code validate} locates it: {@code file} as the user would type it, {@code line}
     * in it (0 when unknown), the template concerned (or null) and the message.
     */
    record Finding(String file, int line, String id, String message) {
        String text() {
            return ValidateCommand.Entry.of(file, line, id, message).text();
        }
    }

    /**
     * One change: {@code from} and {@code to} are versions (null when the template, or its file, is not valid;
     * {@code to} is null for a removal, {@code from} for an addition); {@code findings} are the problems of the
     * template as it is now, or for {@link Kind#PROBLEM} the one problem reported.
     */
    record Change(Kind kind, String id, String label, String from, String to, List<Finding> findings) {
        String text() {
            return switch (kind) {
                case ADDED -> "added " + id + " " + version(to);
                case CHANGED -> "changed " + id + " " + versions();
                case EDITED -> "edited " + id + " " + versions() + " (unsaved edit of a saved version)";
                case REMOVED -> "removed " + id;
                case LABEL -> to == null ? "label " + id + " " + label + " removed (was " + from + ")"
                        : from == null ? "label " + id + " " + label + " -> " + to
                        : "label " + id + " " + label + " " + from + " -> " + to;
                case PROBLEM -> findings.get(0).text();
            };
        }

        /** {@code OLD -> NEW}, or just the version when it stayed. */
        private String versions() {
            return Objects.equals(from, to) ? version(to) : version(from) + " -> " + version(to);
        }

        private static String version(String v) {
            return v == null ? "invalid" : v;
        }
    }

    /**
     * A template as read: its spec, or the error reading it gave, the saved version it is an unsaved edit of (or
     * null), and its labels other than {@code latest} with the versions they point at (null when they could not be
     * read).
     */
    private record Read(TemplateSpec spec, PromptLightningException error, String unsavedEdit,
            Map<String, String> labels) {
        String version() {
            return spec == null ? null : spec.version();
        }
    }

    /** Everything read in one round. */
    private record Snapshot(Map<String, Read> templates, Set<Problem> problems) {
    }

    private final CliContext ctx;
    private final Project project;
    private final Registry registry;
    private volatile boolean stopped;
    /** The generation and the reading that the next changes are compared with; only the watching thread uses them. */
    private long generation;
    private Snapshot last;

    RegistryWatch(CliContext ctx, Project project) {
        this.ctx = ctx;
        this.project = project;
        this.registry = project.registry();
    }

    /** Ends {@link #follow} after its current round. */
    void stop() {
        stopped = true;
    }

    /**
     * Reads the registry as it is now, which the first changes are compared with.
     *
     * @return what is watched, for the line printed when watching starts
     */
    String start() {
        generation = registry.generation();
        last = snapshot();
        int templates = last.templates.size();
        String what = "watching " + ctx.show(project.storage()) + " (" + templates
                + (templates == 1 ? " template" : " templates");
        int problems = last.problems.size();
        if (problems > 0) {
            what += ", " + problems + (problems == 1 ? " problem" : " problems")
                    + ": 'promptlightning validate' lists them";
        }
        return what + ")";
    }

    /**
     * After {@link #start()}: reports changes to {@code report}, one list per round in which something changed,
     * until {@link #stop()} is called or the thread is interrupted.
     */
    void follow(Consumer<List<Change>> report) {
        long seen = generation;
        while (!stopped) {
            if (!pause()) {
                return;
            }
            long now = registry.generation();
            if (now == seen) {
                continue;
            }
            // an editor's save can be several file events: report once they have settled
            for (int polls = 0; polls < MAX_SETTLE_POLLS && !stopped; polls++) {
                seen = now;
                if (!pause()) {
                    return;
                }
                now = registry.generation();
                if (now == seen) {
                    break;
                }
            }
            seen = now;
            Snapshot next;
            try {
                next = snapshot();
            } catch (RuntimeException e) {
                if (stopped || Thread.currentThread().isInterrupted()) {
                    return; // an interrupt can break off a file read; the watch was ending anyway
                }
                throw e;
            }
            List<Change> changes = changes(last, next);
            last = next;
            if (!changes.isEmpty()) {
                report.accept(changes);
            }
        }
    }

    /** Sleeps one poll; false when interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Snapshot snapshot() {
        Set<Problem> problems = new LinkedHashSet<>();
        if (registry instanceof LocalRegistry local) {
            problems.addAll(local.problems());
            problems.addAll(local.unsavedEdits());
        }
        Map<String, Read> templates = new LinkedHashMap<>();
        for (String id : registry.listIds()) {
            try {
                TemplateSpec spec = null;
                PromptLightningException error = null;
                try {
                    spec = registry.load(id);
                } catch (TemplateNotFoundException e) {
                    throw e;
                } catch (PromptLightningException e) {
                    error = e;
                }
                String unsavedEdit = null;
                if (spec != null) {
                    try {
                        unsavedEdit = registry.unsavedEdit(id).orElse(null);
                    } catch (TemplateNotFoundException e) {
                        throw e;
                    } catch (PromptLightningException unreadableSavedVersion) {
                        // a problem of its own, reported with the others
                    }
                }
                Map<String, String> labels;
                try {
                    labels = new LinkedHashMap<>(registry.labels(id));
                    labels.remove(Labels.LATEST); // every save moves it: the change says so already
                } catch (TemplateNotFoundException e) {
                    throw e;
                } catch (PromptLightningException e) {
                    labels = null;
                }
                templates.put(id, new Read(spec, error, unsavedEdit, labels));
            } catch (TemplateNotFoundException goneSinceListed) {
                // removed while we read: the next round reports it
            }
        }
        return new Snapshot(templates, problems);
    }

    private List<Change> changes(Snapshot before, Snapshot after) {
        List<Change> changes = new ArrayList<>();
        Set<String> ids = new TreeSet<>(Ids.ORDER);
        ids.addAll(before.templates.keySet());
        ids.addAll(after.templates.keySet());
        List<Problem> newProblems = new ArrayList<>();
        for (Problem p : after.problems) {
            if (!before.problems.contains(p)) {
                newProblems.add(p);
            }
        }
        Set<Problem> reported = new LinkedHashSet<>();
        for (String id : ids) {
            Read was = before.templates.get(id);
            Read now = after.templates.get(id);
            if (now == null) {
                changes.add(new Change(Kind.REMOVED, id, null, was.version(), null, List.of()));
                continue;
            }
            if (was == null || !sameRead(was, now)) {
                changes.add(templateChange(id, was, now, newProblems, reported));
            }
            Map<String, String> labelsBefore = was == null ? Map.of() : was.labels;
            if (now.labels != null && labelsBefore != null) {
                Set<String> labels = new TreeSet<>(now.labels.keySet());
                labels.addAll(labelsBefore.keySet());
                for (String label : labels) {
                    String from = labelsBefore.get(label);
                    String to = now.labels.get(label);
                    if (!Objects.equals(from, to)) {
                        changes.add(new Change(Kind.LABEL, id, label, from, to, List.of()));
                    }
                }
            }
        }
        for (Problem p : newProblems) {
            if (!reported.contains(p)) {
                changes.add(new Change(Kind.PROBLEM, p.templateId(), null, null, null, List.of(finding(p))));
            }
        }
        return changes;
    }

    /** The addition or change of a template, with its problems; the new problems it takes are added to reported. */
    private Change templateChange(String id, Read was, Read now, List<Problem> newProblems, Set<Problem> reported) {
        Set<Finding> findings = new LinkedHashSet<>();
        for (Problem p : newProblems) {
            if (id.equals(p.templateId())) {
                findings.add(finding(p));
                reported.add(p);
            }
        }
        if (now.error != null) {
            findings.add(finding(now.error, id));
        } else {
            findings.addAll(check(id, now.spec));
        }
        Kind kind = was == null ? Kind.ADDED : now.unsavedEdit != null ? Kind.EDITED : Kind.CHANGED;
        return new Change(kind, id, null, was == null ? null : was.version(), now.version(), List.copyOf(findings));
    }

    private static boolean sameRead(Read a, Read b) {
        if (a.spec != null || b.spec != null) {
            return Objects.equals(a.spec, b.spec);
        }
        return Objects.equals(a.error.getMessage(), b.error.getMessage());
    }

    private Finding finding(Problem p) {
        return new Finding(ctx.show(p.file()), p.line(), p.templateId(), p.message());
    }

    private Finding finding(PromptLightningException e, String id) {
        if (e.file() != null) {
            return new Finding(ctx.show(e.file()), e.line(), id, e.detail());
        }
        return new Finding(ctx.show(project.storage()), 0, id, e.detail() + atTemplateLine(e.line()));
    }

    /**
     * The checks of {@code validate} for one template: in a prompt directory on the file that serves it, with its
     * lines; otherwise on the template alone, with lines of the template text.
     */
    private List<Finding> check(String id, TemplateSpec spec) {
        if (registry instanceof LocalRegistry) {
            Path file = servingFile((LocalRegistry) registry, id);
            if (file != null) {
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    SpecYaml.Result read = SpecYaml.parse(bytes, file);
                    if (read.ok() && read.spec().equals(spec)) {
                        String where = ctx.show(file);
                        List<Finding> out = new ArrayList<>();
                        try {
                            for (TemplateChecks.Finding f : TemplateChecks.check(spec,
                                    new String(bytes, StandardCharsets.UTF_8))) {
                                out.add(new Finding(where, f.line(), id, f.message()));
                            }
                        } catch (PromptLightningException e) {
                            out.add(new Finding(where, e.line(), id, e.detail()));
                        }
                        return out;
                    }
                } catch (IOException changedAgain) {
                    // the file moved on since the registry read it: check the template as read
                }
            }
        }
        String where = ctx.show(project.storage());
        List<Finding> out = new ArrayList<>();
        try {
            for (TemplateChecks.Finding f : TemplateChecks.check(spec, null)) {
                out.add(new Finding(where, 0, id, f.message() + atTemplateLine(f.line())));
            }
        } catch (PromptLightningException e) {
            out.add(new Finding(where, 0, id, e.detail() + atTemplateLine(e.line())));
        }
        return out;
    }

    /**
     * The file serving {@code id}: {@code ID.yaml} or {@code ID.yml} at the top of the directory when it declares
     * the id and no other file is reported for it (reading every file would make a large directory slow to
     * follow), else the first valid file in path order, as the registry picks it.
     */
    private static Path servingFile(LocalRegistry registry, String id) {
        if (Ids.isValidNewId(id)) {
            for (String extension : new String[] {".yaml", ".yml"}) {
                Path file = registry.directory().resolve(id + extension);
                boolean othersClaimIt = registry.problems().stream()
                        .anyMatch(p -> id.equals(p.templateId()) && !p.file().equals(file));
                if (!othersClaimIt && Files.isRegularFile(file)) {
                    SpecYaml.Result read = SpecYaml.parse(file);
                    if (read.ok() && read.spec().id().equals(id)) {
                        return file;
                    }
                }
            }
        }
        return BumpCommand.servingFile(registry.directory(), id);
    }

    private static String atTemplateLine(int line) {
        return line > 0 ? " (template line " + line + ")" : "";
    }
}
