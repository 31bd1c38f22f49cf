package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the command in-process, in a directory of its own, with captured output; and makes example projects. */
final class Cli {
    /** What a run gave: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Which registry a project uses. */
    enum Kind { LOCAL, LMDB }

    private final Path workDir;
    private final Path home;
    private final Map<String, String> environment;

    Cli(Path workDir, Path home) {
        this(workDir, home, null);
    }

    private Cli(Path workDir, Path home, Map<String, String> environment) {
        this.workDir = workDir;
        this.home = home;
        this.environment = environment;
    }

    /** Runs that see {@code environment} as their only environment variables (by default, the process's). */
    Cli withEnvironment(Map<String, String> environment) {
        return new Cli(workDir, home, environment);
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        return run(stdin, false, args);
    }

    /** As if a person watched the output on a terminal. */
    Result runOnTerminal(String... args) {
        return run("", true, args);
    }

    private Result run(String stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(workDir, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal);
        int code = PromptLightningCli.run(environment == null ? ctx : ctx.withEnvironment(environment), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A project in {@code dir} holding the example templates; its config is {@code dir/promptlightning.yaml}. */
    static Path project(Path dir, Kind kind) throws IOException {
        Files.createDirectories(dir);
        if (kind == Kind.LOCAL) {
            Path prompts = Files.createDirectories(dir.resolve("prompts"));
            for (String name : Examples.names()) {
                Files.write(prompts.resolve(name), Examples.bytes(name));
            }
            Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n");
        } else {
            try (LmdbRegistry registry = LmdbRegistry.open(dir.resolve("templates.lmdb"))) {
                for (TemplateSpec spec : Examples.specs()) {
                    registry.save(spec);
                }
            }
            Files.writeString(dir.resolve("promptlightning.yaml"), "registry: lmdb\ndb_path: ./templates.lmdb\n");
        }
        return dir.resolve("promptlightning.yaml");
    }

    static final List<String> EXAMPLE_IDS = List.of("analyst_system", "analyzer", "chat_assistant",
            "coordinator_system", "id-2", "multi-input-template", "planner_system", "report_template", "summarizer",
            "synthesizer_system");
}
