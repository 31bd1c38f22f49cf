package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.SpecYaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init, the default project, --config and the exit codes of wrong usage. */
class ProjectCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void initMakesAProjectAndKeepsEverythingTheSecondTime() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result first = cli.run("init");
        assertEquals(0, first.code(), first::toString);
        assertEquals(List.of("created promptlightning.yaml (registry: local)", "created prompts/",
                "created prompts/summarizer.yaml",
                "try: promptlightning render summarizer --input-text \"Your text here\""), first.outLines());
        assertTrue(Files.readString(dir.resolve("promptlightning.yaml")).contains("registry: local"));
        Path example = dir.resolve("prompts/summarizer.yaml");
        assertEquals(new String(Examples.bytes("summarizer.yaml"), StandardCharsets.UTF_8), Files.readString(example));

        Files.writeString(example, Files.readString(example).replace("exactly 3 bullet points", "two bullet points"));
        String config = Files.readString(dir.resolve("promptlightning.yaml")) + "# my note\n";
        Files.writeString(dir.resolve("promptlightning.yaml"), config);

        Cli.Result second = cli.run("init");
        assertEquals(0, second.code(), second::toString);
        assertEquals(List.of("kept promptlightning.yaml (it exists)", "kept prompts/ (it exists)",
                "kept prompts/summarizer.yaml (it exists)",
                "try: promptlightning render summarizer --input-text \"Your text here\""), second.outLines());
        assertEquals(config, Files.readString(dir.resolve("promptlightning.yaml")));
        assertTrue(Files.readString(dir.resolve("prompts/summarizer.yaml")).contains("two bullet points"));

        Cli.Result render = cli.run("render", "summarizer", "--input-text", "x");
        assertEquals("Summarize the following into two bullet points:\n\nx\n", render.out());

        Cli.Result lmdb = cli.run("init", "--registry", "lmdb");
        assertEquals(0, lmdb.code(), lmdb::toString);
        assertTrue(lmdb.err().contains("says registry: local; --registry lmdb was not applied"), lmdb::toString);
    }

    @Test
    void initWithLmdbMakesTheDatabaseHoldingTheExample() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result r = cli.run("init", "--registry", "lmdb");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("created templates.lmdb/ (an LMDB database holding summarizer)"), r::toString);
        assertEquals(List.of("summarizer"), cli.run("list").outLines());
        assertEquals("Summarize the following into exactly 3 bullet points:\n\nx\n",
                cli.run("render", "summarizer", "--input-text", "x").out());
        Cli.Result again = cli.run("init", "--registry", "lmdb");
        assertTrue(again.out().contains("kept templates.lmdb/ (it exists)"), again::toString);
    }

    @Test
    void initDoesNotAddASecondTemplateWithTheExamplesId() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(dir.resolve("prompts"));
        Files.write(dir.resolve("prompts/mine.yaml"), Examples.bytes("summarizer.yaml"));
        Cli.Result r = new Cli(dir, tmp.resolve("home")).run("init");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("kept prompts/ as it is (a template there already has the id summarizer)"),
                r::toString);
        assertFalse(Files.exists(dir.resolve("prompts/summarizer.yaml")));
    }

    @Test
    void withoutAConfigTheDefaultProjectIsMadeOnceInTheHome() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("somewhere/deeper"));
        Path home = tmp.resolve("home");
        Cli cli = new Cli(work, home);
        Cli.Result first = cli.run("list");
        assertEquals(0, first.code(), first::toString);
        assertEquals(Cli.EXAMPLE_IDS, first.outLines());
        assertTrue(first.err().startsWith("note: no promptlightning.yaml in " + work + " or its parents, so using the"
                + " default project " + home.resolve("default") + ", created now with 10 example templates"),
                first::toString);
        assertTrue(Files.isDirectory(home.resolve("default/templates.lmdb")));
        assertTrue(Files.isRegularFile(home.resolve("default/promptlightning.yaml")));
        try (var leftovers = Files.list(home)) {
            assertEquals(List.of(home.resolve("default")), leftovers.toList());
        }

        Cli.Result second = cli.run("render", "summarizer", "--input-text", "x");
        assertEquals(0, second.code(), second::toString);
        assertEquals("", second.err(), "said once");
    }

    @Test
    void firstRunsAtOnceMakeOneDefaultProject() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Cli cli = new Cli(work, tmp.resolve("home"));
        List<java.util.concurrent.Future<Cli.Result>> runs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> cli.run("list")));
            }
            int notes = 0;
            for (var run : runs) {
                Cli.Result r = run.get();
                assertEquals(0, r.code(), r::toString);
                assertEquals(Cli.EXAMPLE_IDS, r.outLines());
                notes += r.err().startsWith("note: ") ? 1 : 0;
            }
            assertEquals(1, notes);
        } finally {
            pool.shutdown();
        }
        try (var entries = Files.list(tmp.resolve("home"))) {
            assertEquals(List.of(tmp.resolve("home/default")), entries.toList(), "no temporary directory left");
        }
    }

    @Test
    void aConfigInAParentDirectoryIsFound() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LOCAL);
        Path sub = Files.createDirectories(tmp.resolve("project/a/b"));
        Cli.Result r = new Cli(sub, tmp.resolve("home")).run("list");
        assertEquals(Cli.EXAMPLE_IDS, r.outLines());
        assertFalse(Files.exists(tmp.resolve("home")), "no default project when a config is found");
    }

    @Test
    void configOption() throws Exception {
        Path config = Cli.project(tmp.resolve("project"), Cli.Kind.LMDB);
        Cli cli = new Cli(tmp, tmp.resolve("home"));
        assertEquals(Cli.EXAMPLE_IDS, cli.run("--config", config.toString(), "list").outLines());
        assertEquals(Cli.EXAMPLE_IDS, cli.run("list", "--config", "project/promptlightning.yaml").outLines());
        assertEquals(Cli.EXAMPLE_IDS, cli.run("list", "--config=project").outLines());

        Cli.Result missing = cli.run("--config", "nope.yaml", "list");
        assertEquals(1, missing.code(), missing::toString);
        assertEquals("error: config file not found: " + tmp.resolve("nope.yaml") + " (check --config, or create a"
                + " project with 'promptlightning init')\n", missing.err());

        Files.writeString(tmp.resolve("bad.yaml"), "registry: sqlite\n");
        Cli.Result bad = cli.run("--config", "bad.yaml", "list");
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().startsWith("error: " + tmp.resolve("bad.yaml") + ": 'registry' must be 'local' or"
                + " 'lmdb'"), bad::toString);

        Files.writeString(tmp.resolve("nodb.yaml"), "registry: lmdb\ndb_path: ./missing.lmdb\n");
        Cli.Result noDb = cli.run("--config", "nodb.yaml", "list");
        assertEquals(1, noDb.code(), noDb::toString);
        assertTrue(noDb.err().startsWith("error: no LMDB database at " + tmp.resolve("missing.lmdb")), noDb::toString);
        assertFalse(Files.exists(tmp.resolve("missing.lmdb")), "reading commands create nothing");
    }

    /** As the original does, the first write creates the configured database; reading commands create nothing. */
    @Test
    void aWriteCreatesTheConfiguredLmdbDatabaseWhenItDoesNotExistYet() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(dir.resolve("promptlightning.yaml"), "registry: lmdb\ndb_path: ./data/templates.lmdb\n");
        Files.write(dir.resolve("summarizer.yaml"), Examples.bytes("summarizer.yaml"));
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result list = cli.run("list");
        assertEquals(1, list.code(), list::toString);
        assertFalse(Files.exists(dir.resolve("data")), "reading commands create nothing");

        Cli.Result save = cli.run("save", "summarizer.yaml");
        assertEquals(0, save.code(), save::toString);
        assertEquals("note: created the LMDB database " + dir.resolve("data/templates.lmdb") + " (db_path in "
                + dir.resolve("promptlightning.yaml") + ")\n", save.err());
        assertEquals(List.of("summarizer"), cli.run("list").outLines());
        Cli.Result again = cli.run("label", "summarizer", "production", "latest");
        assertEquals("", again.err(), "said once, when it was created");
    }

    @Test
    void initRefusesADbPathOrPromptDirThatIsAFileAndCreatesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(dir.resolve("templates.lmdb"), "not a database");
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result r = cli.run("init", "--registry", "lmdb");
        assertEquals(1, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("error: " + dir.resolve("templates.lmdb") + " exists and is not a directory, so it cannot be an"
                + " LMDB database (a directory holding data.mdb and lock.mdb) (fix db_path in "
                + dir.resolve("promptlightning.yaml") + ", or move " + dir.resolve("templates.lmdb") + " away)\n",
                r.err());
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("templates.lmdb")), entries.toList(), "nothing created");
        }

        Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./afile\n");
        Files.writeString(dir.resolve("afile"), "x");
        Cli.Result prompts = cli.run("init");
        assertEquals(1, prompts.code(), prompts::toString);
        assertTrue(prompts.err().startsWith("error: " + dir.resolve("afile") + " exists and is not a directory"),
                prompts::toString);
    }

    /** The limit on template files is documented in the error, and max_file_size in the config raises it. */
    @Test
    void maxFileSizeInTheConfigReadsLargerTemplateFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n");
        long size = SpecYaml.maxFileBytes() + (1 << 20);
        Files.writeString(prompts.resolve("big.yaml"), "id: big\ntemplate: '" + "a".repeat((int) size) + "'\n");
        Cli cli = new Cli(dir, tmp.resolve("home"));
        Cli.Result refused = cli.run("validate");
        assertEquals(1, refused.code(), refused::toString);
        assertTrue(refused.out().startsWith("prompts/big.yaml:1: file too large: " + Files.size(
                prompts.resolve("big.yaml")) + " bytes; template files are read up to " + SpecYaml.maxFileBytes()
                + " bytes"), refused::toString);
        assertTrue(refused.out().contains("raise the limit with max_file_size in promptlightning.yaml"),
                refused::toString);

        Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n"
                + "max_file_size: " + (size + 1024) + "\n");
        assertEquals(List.of("big"), cli.run("list").outLines());
    }

    @Test
    void wrongUsageIsExitTwoAndNoCommandPrintsTheUsage() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LOCAL);
        Cli cli = new Cli(tmp.resolve("project"), tmp.resolve("home"));
        for (List<String> args : List.<List<String>>of(List.of(), List.of("frobnicate"), List.of("list", "--bogus"),
                List.of("get"), List.of("get", "summarizer", "--format", "xml"), List.of("bump", "summarizer"),
                List.of("bump", "summarizer", "--patch", "--major"), List.of("export", "--format", "csv"),
                List.of("init", "--registry", "sqlite"))) {
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), () -> args + ": " + r);
            assertTrue(r.err().startsWith("error: "), () -> args + ": " + r);
            assertEquals("", r.out(), () -> args + ": " + r);
        }
        assertTrue(cli.run().err().contains("Commands:"));
    }

    @Test
    void helpAndVersion() throws Exception {
        Cli cli = new Cli(tmp, tmp.resolve("home"));
        Cli.Result help = cli.run("--help");
        assertEquals(0, help.code());
        for (String command : List.of("init", "list", "get", "export", "render", "validate", "bump")) {
            assertTrue(help.out().contains("\n  " + command + " "), command);
        }
        assertFalse(help.out().contains("cds-training"));
        Cli.Result render = cli.run("render", "--help");
        assertEquals(0, render.code());
        assertTrue(render.out().contains("--batch"));
        assertEquals(0, cli.run("--version").code());
        assertFalse(Files.exists(tmp.resolve("home")), "help needs no project");
    }
}
