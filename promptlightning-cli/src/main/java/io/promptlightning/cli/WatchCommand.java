package io.promptlightning.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

final class WatchCommand extends CliCommand {
    /** How long the process waits, after Ctrl-C, for the loop to finish its round and close the registry. */
    private static final long STOP_WAIT_SECONDS = 5;

    WatchCommand(PromptLightningCli root) {
        super(root, "watch", "Follow the project's templates and print each change as it happens.",
                "Prints 'added ID VERSION', 'changed ID OLD -> NEW' (just 'changed ID VERSION' when the version"
                        + " stayed; 'edited' instead of 'changed' when the template now differs from the saved version"
                        + " it names, an unsaved edit), 'removed ID' and label moves, then checks the templates that"
                        + " changed as 'validate' does and prints their problems as FILE:LINE: ID: MESSAGE; in a prompt"
                        + " directory also files that stop being valid templates. Runs until stopped with Ctrl-C.");
        flag("--json", "Print each change as one JSON object per line.");
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        boolean json = flag("--json");
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean stopRequested = new AtomicBoolean();
        AtomicReference<RegistryWatch> running = new AtomicReference<>();
        // On Ctrl-C the JVM runs its shutdown hooks and would then exit with 130: this one lets the loop end its
        // round, close the registry and flush, and then ends the process with 0, as a stop asked for is a success.
        Thread hook = new Thread(() -> {
            stopRequested.set(true);
            RegistryWatch watch = running.get();
            if (watch != null) {
                watch.stop();
            }
            try {
                finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(PromptLightningCli.OK);
        }, "promptlightning-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (Project project = root.openProject(false)) {
                RegistryWatch watch = new RegistryWatch(ctx, project);
                running.set(watch);
                if (stopRequested.get()) {
                    return PromptLightningCli.OK; // stopped while opening
                }
                ctx.err().println(watch.start() + "; stop with Ctrl-C");
                watch.follow(changes -> print(ctx, changes, json));
            }
        } finally {
            ctx.out().flush();
            ctx.err().flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook ends the process
            }
        }
        return PromptLightningCli.OK;
    }

    private static void print(CliContext ctx, List<RegistryWatch.Change> changes, boolean json) {
        StringBuilder sb = new StringBuilder();
        for (RegistryWatch.Change change : changes) {
            if (json) {
                sb.append(Json.compact(record(change))).append('\n');
            } else {
                sb.append(change.text()).append('\n');
                if (change.kind() != RegistryWatch.Kind.PROBLEM) {
                    for (RegistryWatch.Finding f : change.findings()) {
                        sb.append(f.text()).append('\n');
                    }
                }
            }
        }
        ctx.out().print(sb);
        ctx.out().flush();
    }

    private static Map<String, Object> record(RegistryWatch.Change change) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", change.kind().name().toLowerCase(java.util.Locale.ROOT));
        switch (change.kind()) {
            case ADDED -> {
                out.put("id", change.id());
                out.put("version", change.to());
            }
            case CHANGED, EDITED -> {
                out.put("id", change.id());
                out.put("from", change.from());
                out.put("to", change.to());
            }
            case REMOVED -> {
                out.put("id", change.id());
                out.put("version", change.from());
            }
            case LABEL -> {
                out.put("id", change.id());
                out.put("label", change.label());
                out.put("from", change.from());
                out.put("to", change.to());
            }
            case PROBLEM -> {
                RegistryWatch.Finding f = change.findings().get(0);
                out.put("file", f.file());
                out.put("line", f.line() > 0 ? f.line() : null);
                out.put("id", f.id());
                out.put("message", f.message());
                return out;
            }
        }
        if (change.kind() != RegistryWatch.Kind.REMOVED && change.kind() != RegistryWatch.Kind.LABEL) {
            out.put("problems", change.findings().stream().map(f -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("file", f.file());
                p.put("line", f.line() > 0 ? f.line() : null);
                p.put("message", f.message());
                return p;
            }).toList());
        }
        return out;
    }
}
