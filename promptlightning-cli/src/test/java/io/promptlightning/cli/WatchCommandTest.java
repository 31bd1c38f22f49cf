package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchCommandTest {
    /** How long to wait for output that a change should bring before giving up (a bound, not a measurement). */
    private static final long PATIENCE_MILLIS = 60_000;

    @TempDir
    Path tmp;

    /** {@code watch} running on a thread of this process, with its output captured. */
    private static final class Watching implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Thread thread;
        volatile int code = -1;

        Watching(Path workDir, Path home, String... args) {
            CliContext ctx = new CliContext(workDir, home, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "watch";
            System.arraycopy(args, 0, all, 1, args.length);
            thread = new Thread(() -> code = PromptLightningCli.run(ctx, all), "watch under test");
            thread.start();
        }

        List<String> outLines() {
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Waits until stdout has {@code count} lines. */
        List<String> awaitOutLines(int count) throws InterruptedException {
            await(() -> outLines().size() >= count, () -> count + " lines of output");
            return outLines();
        }

        void awaitErr(String text) throws InterruptedException {
            await(() -> err().contains(text), () -> "'" + text + "' on stderr");
        }

        private void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
            while (!condition.get()) {
                if (System.nanoTime() > deadline || !thread.isAlive()) {
                    fail("no " + what.get() + "; exit " + code + "\n--- stdout\n"
                            + out.toString(StandardCharsets.UTF_8) + "--- stderr\n" + err());
                }
                Thread.sleep(20);
            }
        }

        /** Ends the watch when a test fails half-way. */
        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }

        /** Interrupts the watch and returns its exit code. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(PATIENCE_MILLIS);
            assertTrue(!thread.isAlive(), "watch did not stop");
            return code;
        }
    }

    private Path localProject() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n");
        return project;
    }

    /** Replaces a file the way editors save: a new file renamed over the old one. */
    private void save(Path file, String... lines) throws IOException {
        Path staged = Files.createDirectories(tmp.resolve("staging")).resolve(file.getFileName());
        Files.writeString(staged, String.join("\n", lines) + "\n");
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void printsEachChangeToAPromptDirectoryWithTheProblemsOfWhatChanged() throws Exception {
        Path project = localProject();
        Path prompts = project.resolve("prompts");
        save(prompts.resolve("greet.yaml"), "id: greet", "version: 1.0.0", "template: |", "  Hello {{ name }}!",
                "inputs:", "  name: {type: string}");
        try (Watching watch = new Watching(project, tmp.resolve("home"))) {
            watch.awaitErr("watching prompts (1 template); stop with Ctrl-C\n");

            save(prompts.resolve("hello.yaml"), "id: hello", "version: 1.0.0", "template: Hi {{ who }}",
                    "inputs:", "  who: {type: string}");
            assertEquals(List.of("added hello 1.0.0"), watch.awaitOutLines(1));

            save(prompts.resolve("greet.yaml"), "id: greet", "version: 1.1.0", "template: |", "  Hello {{ name }}!",
                    "  {{ extra }}", "inputs:", "  name: {type: string}");
            List<String> lines = watch.awaitOutLines(3);
            assertEquals("changed greet 1.0.0 -> 1.1.0", lines.get(1));
            assertEquals("prompts/greet.yaml:5: greet: uses 'extra', which is not a declared input (inputs that are"
                    + " not declared are dropped, so rendering always fails); declare it under 'inputs'", lines.get(2));

            save(prompts.resolve("hello.yaml"), "id: hello", "version: 1.0.0", "template: Hi {{ who",
                    "inputs:", "  who: {type: string}");
            lines = watch.awaitOutLines(5);
            assertEquals("changed hello 1.0.0 -> invalid", lines.get(3));
            assertTrue(lines.get(4).startsWith("prompts/hello.yaml:3: hello: template syntax error: "),
                    lines::toString);

            Files.delete(prompts.resolve("greet.yaml"));
            assertEquals("removed greet", watch.awaitOutLines(6).get(5));

            save(prompts.resolve("junk.yaml"), "id: [unclosed");
            lines = watch.awaitOutLines(7);
            assertTrue(lines.get(6).startsWith("prompts/junk.yaml:2: invalid YAML: "), lines::toString);

            save(prompts.resolve("hello.yaml"), "id: hello", "version: 1.0.0", "template: Hi {{ who }}",
                    "inputs:", "  who: {type: string}");
            assertEquals("changed hello invalid -> 1.0.0", watch.awaitOutLines(8).get(7));

            assertEquals(0, watch.stop());
            assertEquals(8, watch.outLines().size(), () -> String.join("\n", watch.outLines()));
            assertEquals("watching prompts (1 template); stop with Ctrl-C\n", watch.err());
        }
    }

    @Test
    void anEditThatKeepsTheVersionIsAChangeToo() throws Exception {
        Path project = localProject();
        Path prompts = project.resolve("prompts");
        save(prompts.resolve("greet.yaml"), "id: greet", "template: Hello", "metadata: {owner: a}");
        try (Watching watch = new Watching(project, tmp.resolve("home"))) {
            watch.awaitErr("stop with Ctrl-C");
            save(prompts.resolve("greet.yaml"), "id: greet", "template: Hello", "metadata: {owner: b}");
            assertEquals(List.of("changed greet 0.1.0"), watch.awaitOutLines(1));
            assertEquals(0, watch.stop());
        }
    }

    private static final String UNSAVED_EDIT = "prompts/greet.yaml: greet: unsaved edit of version 1.0.3: the file"
            + " differs from the saved 1.0.3, which greet@1.0.3 (and any label on it) still loads; save the file as a"
            + " new version (bump), or replace the saved 1.0.3 with it (save --force)";

    /** A prompt directory where greet 1.0.3 ("Hello") is saved. */
    private Path projectWithASavedVersion() throws IOException {
        Path project = localProject();
        try (LocalRegistry registry = LocalRegistry.open(project.resolve("prompts"))) {
            registry.save(new TemplateSpec("greet", "1.0.3", null, "Hello", null, null));
        }
        return project;
    }

    @Test
    void anEditThatKeepsASavedVersionIsReportedAsAnUnsavedEdit() throws Exception {
        Path project = projectWithASavedVersion();
        Path file = project.resolve("prompts/greet.yaml");
        try (Watching watch = new Watching(project, tmp.resolve("home"))) {
            watch.awaitErr("watching prompts (1 template); stop with Ctrl-C\n");
            save(file, "id: greet", "version: 1.0.3", "template: Hello there");
            assertEquals(List.of("edited greet 1.0.3 (unsaved edit of a saved version)", UNSAVED_EDIT),
                    watch.awaitOutLines(2));

            save(file, "id: greet", "version: 1.0.3", "template: Hello again");
            assertEquals("edited greet 1.0.3 (unsaved edit of a saved version)", watch.awaitOutLines(3).get(2),
                    "its problem, reported already, is not repeated");

            save(file, "id: greet", "version: 1.0.4", "template: Hello again");
            assertEquals("changed greet 1.0.3 -> 1.0.4", watch.awaitOutLines(4).get(3), "a new version is no edit");
            assertEquals(0, watch.stop());
            assertEquals(4, watch.outLines().size(), () -> String.join("\n", watch.outLines()));
        }
    }

    @Test
    void jsonNamesAnUnsavedEditAnEditedEvent() throws Exception {
        Path project = projectWithASavedVersion();
        try (Watching watch = new Watching(project, tmp.resolve("home"), "--json")) {
            watch.awaitErr("stop with Ctrl-C");
            save(project.resolve("prompts/greet.yaml"), "id: greet", "version: 1.0.3", "template: Hello there");
            Map<String, Object> problem = new HashMap<>();
            problem.put("file", "prompts/greet.yaml");
            problem.put("line", null);
            problem.put("message", UNSAVED_EDIT.substring("prompts/greet.yaml: greet: ".length()));
            assertEquals(Map.of("event", "edited", "id", "greet", "from", "1.0.3", "to", "1.0.3", "problems",
                    List.of(problem)), new ObjectMapper().readValue(watch.awaitOutLines(1).get(0), Map.class));
            assertEquals(0, watch.stop());
        }
    }

    @Test
    void jsonPrintsOneObjectPerChange() throws Exception {
        Path project = localProject();
        Path prompts = project.resolve("prompts");
        save(prompts.resolve("broken.yaml"), "template: no id");
        try (Watching watch = new Watching(project, tmp.resolve("home"), "--json")) {
            watch.awaitErr("watching prompts (0 templates, 1 problem: 'promptlightning validate' lists them); stop"
                    + " with Ctrl-C\n");
            ObjectMapper json = new ObjectMapper();

            save(prompts.resolve("hello.yaml"), "id: hello", "version: 1.2.0", "template: Hi {{ who }} {{ extra }}",
                    "inputs:", "  who: {type: string}");
            assertEquals(Map.of("event", "added", "id", "hello", "version", "1.2.0", "problems", List.of(Map.of(
                    "file", "prompts/hello.yaml", "line", 3, "message", "uses 'extra', which is not a declared"
                            + " input (inputs that are not declared are dropped, so rendering always fails); declare"
                            + " it under 'inputs'"))),
                    json.readValue(watch.awaitOutLines(1).get(0), Map.class));

            save(prompts.resolve("hello.yaml"), "id: hello", "version: 1.3.0", "template: Hi {{ who }}",
                    "inputs:", "  who: {type: string}");
            assertEquals(Map.of("event", "changed", "id", "hello", "from", "1.2.0", "to", "1.3.0",
                    "problems", List.of()),
                    json.readValue(watch.awaitOutLines(2).get(1), Map.class));

            try (LocalRegistry registry = LocalRegistry.open(prompts)) {
                registry.moveLabel("hello", "production", "1.3.0", "release");
            }
            Map<String, Object> label = new HashMap<>();
            label.putAll(Map.of("event", "label", "id", "hello", "label", "production", "to", "1.3.0"));
            label.put("from", null);
            assertEquals(label, json.readValue(watch.awaitOutLines(3).get(2), Map.class));

            Files.delete(prompts.resolve("hello.yaml"));
            assertEquals(Map.of("event", "removed", "id", "hello", "version", "1.3.0"),
                    json.readValue(watch.awaitOutLines(4).get(3), Map.class));

            save(prompts.resolve("other.yaml"), "id: [");
            @SuppressWarnings("unchecked")
            Map<String, Object> problem = json.readValue(watch.awaitOutLines(5).get(4), Map.class);
            assertEquals("problem", problem.get("event"));
            assertEquals("prompts/other.yaml", problem.get("file"));
            assertTrue(((String) problem.get("message")).startsWith("invalid YAML: "), problem::toString);
            assertEquals(0, watch.stop());
        }
    }

    /**
     * The command as users run it: its own process, following an LMDB database that another process writes
     * (versions, labels, a removal), until it is sent the signal of Ctrl-C.
     */
    @Test
    void aSeparateProcessFollowsAnLmdbDatabaseAndExitsZeroOnCtrlC() throws Exception {
        Path project = tmp.resolve("project");
        Cli.project(project, Cli.Kind.LMDB);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-Djnr.ffi.asm.enabled=false",
                "-D" + CliContext.HOME_PROPERTY + "=" + tmp.resolve("home"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "watch")
                .directory(project.toFile()).start();
        try {
            LinkedBlockingQueue<String> out = lines(p.getInputStream());
            LinkedBlockingQueue<String> err = lines(p.getErrorStream());
            assertEquals("watching templates.lmdb (10 templates); stop with Ctrl-C", next(err, p));

            try (LmdbRegistry registry = LmdbRegistry.open(project.resolve("templates.lmdb"))) {
                TemplateSpec summarizer = registry.load("summarizer");
                registry.save(new TemplateSpec("summarizer", "1.0.1", summarizer.description(),
                        "Summarize:\n{{ input_text }} in a {{ tone }} tone", summarizer.inputs(), Map.of()));
                assertEquals("changed summarizer 1.0.0 -> 1.0.1", next(out, p));
                assertEquals("templates.lmdb: summarizer: uses 'tone', which is not a declared input (inputs that are"
                        + " not declared are dropped, so rendering always fails); declare it under 'inputs' (template"
                        + " line 2)", next(out, p));
                registry.moveLabel("summarizer", "production", "1.0.1", "release");
                assertEquals("label summarizer production -> 1.0.1", next(out, p));
                registry.moveLabel("summarizer", "production", "1.0.0", "roll back");
                assertEquals("label summarizer production 1.0.1 -> 1.0.0", next(out, p));
                registry.removeLabel("summarizer", "production", null);
                assertEquals("label summarizer production removed (was 1.0.0)", next(out, p));
                registry.delete("analyzer");
                assertEquals("removed analyzer", next(out, p));
            }

            interrupt(p);
            assertTrue(p.waitFor(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "watch did not end on SIGINT");
            assertEquals(0, p.exitValue());
            assertTrue(out.isEmpty(), out::toString);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Sends SIGINT, what a terminal sends on Ctrl-C. A process started with SIGINT ignored (as commands put in the
     * background by a shell without job control are) passes that on and the JVM would not see it; then SIGTERM,
     * which the JVM handles in the same way (its shutdown hooks run), stands in for it.
     */
    private static void interrupt(Process p) throws IOException, InterruptedException {
        String signal = sigintIgnored() ? "-TERM" : "-INT";
        Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // SIGINT is 2
            }
        }
        return false;
    }

    private static LinkedBlockingQueue<String> lines(InputStream stream) {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    queue.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        });
        pump.setDaemon(true);
        pump.start();
        return queue;
    }

    private static String next(LinkedBlockingQueue<String> queue, Process p) throws InterruptedException {
        String line = queue.poll(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("no line from the watch process (alive: " + p.isAlive() + ")");
        }
        return line;
    }
}
