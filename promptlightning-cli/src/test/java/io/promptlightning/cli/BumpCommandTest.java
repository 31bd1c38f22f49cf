package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BumpCommandTest {
    @TempDir
    Path tmp;

    @Test
    void inAPromptDirectoryOnlyTheVersionChanges() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path prompts = Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\n");
        String text = "# my greeting\n"
                + "id: greet   # keep this comment\n"
                + "version: \"1.2.3-beta\"  # and this one\n"
                + "template: |\n"
                + "  Hello {{ name }}!\n"
                + "inputs: {name: {type: string}}\n";
        Files.writeString(prompts.resolve("greet.yaml"), text);
        Cli cli = new Cli(project, tmp.resolve("home"));

        Cli.Result patch = cli.run("bump", "greet", "--patch");
        assertEquals(0, patch.code(), patch::toString);
        assertEquals("greet: 1.2.3-beta -> 1.2.4 (prompts/greet.yaml)\n", patch.out());
        assertEquals(text.replace("\"1.2.3-beta\"", "\"1.2.4\""), Files.readString(prompts.resolve("greet.yaml")));

        assertEquals("greet: 1.2.4 -> 1.3.0 (prompts/greet.yaml)\n", cli.run("bump", "greet", "--minor").out());
        assertEquals("greet: 1.3.0 -> 2.0.0 (prompts/greet.yaml)\n", cli.run("bump", "greet", "--major").out());
        assertEquals(text.replace("\"1.2.3-beta\"", "\"2.0.0\""), Files.readString(prompts.resolve("greet.yaml")));
        assertTrue(cli.run("get", "greet", "--format", "json").out().contains("\"version\": \"2.0.0\""));
    }

    @Test
    void aFileWithoutAVersionGetsOneAfterItsId() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path prompts = Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\n");
        Files.writeString(prompts.resolve("x.yaml"), "id: x\ntemplate: hi\n");
        Cli.Result r = new Cli(project, tmp.resolve("home")).run("bump", "x", "--minor");
        assertEquals(0, r.code(), r::toString);
        assertEquals("x: 0.1.0 -> 0.2.0 (prompts/x.yaml)\n", r.out());
        assertEquals("id: x\nversion: 0.2.0\ntemplate: hi\n", Files.readString(prompts.resolve("x.yaml")));
    }

    @Test
    void aRecordedVersionInTheHistoryDirectoryIsNotTakenForTheTemplateFile() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path prompts = Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\n");
        try (LocalRegistry registry = LocalRegistry.open(prompts)) {
            registry.save(new TemplateSpec("greet", "1.0.0", null, "Hello", null, null));
        }
        Path recorded = prompts.resolve(LocalRegistry.HISTORY_DIRECTORY + "/templates/greet/versions/1.0.0.yaml");
        String recordedText = Files.readString(recorded);
        Cli.Result r = new Cli(project, tmp.resolve("home")).run("bump", "greet", "--patch");
        assertEquals(0, r.code(), r::toString);
        assertEquals("greet: 1.0.0 -> 1.0.1 (prompts/greet.yaml)\n", r.out());
        assertEquals(recordedText, Files.readString(recorded));
    }

    @Test
    void inLmdbTheRecordIsSaved() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LMDB);
        Cli cli = new Cli(tmp.resolve("project"), tmp.resolve("home"));
        Cli.Result r = cli.run("bump", "summarizer", "--major");
        assertEquals(0, r.code(), r::toString);
        assertEquals("summarizer: 1.0.0 -> 2.0.0 (templates.lmdb)\n", r.out());
        try (LmdbRegistry registry = LmdbRegistry.open(tmp.resolve("project/templates.lmdb"))) {
            assertEquals("2.0.0", registry.load("summarizer").version());
            assertEquals("2.0.0", registry.load("summarizer", "2.0.0").version());
        }
    }

    @Test
    void anUnknownIdIsExitOne() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LOCAL);
        Cli.Result r = new Cli(tmp.resolve("project"), tmp.resolve("home")).run("bump", "nope", "--patch");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: no template 'nope' in "), r::toString);
    }
}
