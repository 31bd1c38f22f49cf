package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.LmdbRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate: a project's prompt directory into LMDB, with report, refusal, verification and progress. */
class MigrateCommandTest {
    @TempDir
    Path tmp;
    Path dir;
    Cli cli;

    @BeforeEach
    void localProject() throws Exception {
        dir = tmp.resolve("project");
        Cli.project(dir, Cli.Kind.LOCAL);
        cli = new Cli(dir, tmp.resolve("home"));
    }

    private List<String> idsIn(Path db) {
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            return registry.listIds();
        }
    }

    @Test
    void migratesTheProjectsPromptDirectoryIntoTemplatesLmdbAndVerifies() {
        Cli.Result r = cli.run("migrate");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("migrated 10 templates from prompts to templates.lmdb",
                "verified: the database and the directory hold the same 10 templates"), r.outLines());
        assertEquals("", r.err(), "no progress bar when the output is not a terminal");
        assertEquals(Cli.EXAMPLE_IDS, idsIn(dir.resolve("templates.lmdb")));

        // the migrated database serves a project configured for it
        Cli lmdbCli = new Cli(dir, tmp.resolve("home"));
        Cli.Result render = lmdbCli.run("--config", writeLmdbConfig(), "render", "summarizer", "--input-text", "x");
        assertEquals(0, render.code(), render::toString);
        assertTrue(render.out().startsWith("Summarize the following"), render::toString);
    }

    private String writeLmdbConfig() {
        try {
            return Files.writeString(tmp.resolve("lmdb.yaml"), "registry: lmdb\ndb_path: " + dir.resolve("templates.lmdb")
                    + "\n").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void explicitPathsMapSizeAndNoVerify() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(other.resolve("one.yaml"), "id: one\ntemplate: Hi {{ who }}\ninputs:\n  who: {type: string}\n");
        Cli.Result r = cli.run("migrate", "--prompt-dir", other.toString(), "--db-path", "out/db", "--map-size",
                "1MiB", "--no-verify");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("migrated 1 template from " + other + " to out/db"), r.outLines());
        assertEquals(List.of("one"), idsIn(dir.resolve("out/db")));
    }

    @Test
    void verifyTakesAValueAndFalseSkipsTheComparison() {
        Cli.Result off = cli.run("migrate", "--verify=false");
        assertEquals(0, off.code(), off::toString);
        assertEquals(List.of("migrated 10 templates from prompts to templates.lmdb"), off.outLines());

        Cli.Result on = cli.run("migrate", "--overwrite", "--verify=true");
        assertEquals(0, on.code(), on::toString);
        assertEquals("verified: the database and the directory hold the same 10 templates", on.outLines().get(1));
        Cli.Result noVerifyFalse = cli.run("migrate", "--overwrite", "--no-verify=false");
        assertEquals(2, noVerifyFalse.outLines().size(), noVerifyFalse::toString);
    }

    @Test
    void badFilesAreReportedWithFileAndLineAndTheOthersMigrate() throws Exception {
        Path bad = dir.resolve("prompts/bad.yaml");
        Files.writeString(bad, "id: bad\ntemplate: x\ninputs:\n  a: {type: nope}\n");
        Cli.Result r = cli.run("migrate");
        assertEquals(1, r.code(), r::toString);
        assertEquals("migrated 10 templates from prompts to templates.lmdb", r.outLines().get(0));
        List<String> errors = r.err().lines().toList();
        assertEquals(2, errors.size(), r::toString);
        assertTrue(errors.get(0).startsWith("error: not migrated: " + bad + ":4: template 'bad': "), r::toString);
        assertTrue(errors.get(0).contains("nope"), r::toString);
        assertTrue(errors.get(1).startsWith("error: 1 file was not migrated"), r::toString);
        assertEquals(Cli.EXAMPLE_IDS, idsIn(dir.resolve("templates.lmdb")));
    }

    @Test
    void aDatabaseHoldingTemplatesIsRefusedUnlessOverwriteAndThenMatchesTheDirectory() throws Exception {
        assertEquals(0, cli.run("migrate").code());
        Files.delete(dir.resolve("prompts/analyzer.yaml"));

        Cli.Result refused = cli.run("migrate");
        assertEquals(1, refused.code(), refused::toString);
        assertTrue(refused.err().startsWith("error: " + dir.resolve("templates.lmdb") + ": the database already holds"
                + " 10 templates; nothing was written"), refused::toString);
        assertTrue(idsIn(dir.resolve("templates.lmdb")).contains("analyzer"), "nothing changed");

        Cli.Result overwritten = cli.run("migrate", "--overwrite");
        assertEquals(0, overwritten.code(), overwritten::toString);
        List<String> expected = new ArrayList<>(Cli.EXAMPLE_IDS);
        expected.remove("analyzer");
        assertEquals(expected, idsIn(dir.resolve("templates.lmdb")));
    }

    @Test
    void wrongUsageIsExitCode2() {
        assertEquals(2, cli.run("migrate", "--verify", "--no-verify").code());
        Cli.Result size = cli.run("migrate", "--map-size", "lots");
        assertEquals(2, size.code(), size::toString);
        assertTrue(size.err().contains("--map-size must be a size such as"), size::toString);
        assertEquals(2, cli.run("migrate", "--map-size", "0").code());
        assertFalse(Files.exists(dir.resolve("templates.lmdb")), "nothing was created");
    }

    @Test
    void withoutAProjectItAsksForThePromptDirectory() {
        Cli outside = new Cli(tmp, tmp.resolve("home"));
        Cli.Result r = outside.run("migrate");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: no prompt directory to migrate"), r::toString);
        assertTrue(r.err().contains("give --prompt-dir DIR"), r::toString);
    }

    @Test
    void onATerminalAProgressBarCountsTheTemplates() {
        Cli.Result r = cli.runOnTerminal("migrate");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("migrating"), r::toString);
        assertTrue(r.err().contains("10/10"), r::toString);
        assertEquals(2, r.outLines().size(), "the report stays on stdout");
    }
}
