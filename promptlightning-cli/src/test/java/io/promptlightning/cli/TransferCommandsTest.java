package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.Ids;
import io.promptlightning.LabelMove;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Registry;
import io.promptlightning.SaveOptions;
import io.promptlightning.SavedVersion;
import io.promptlightning.TemplateHistory;
import io.promptlightning.TemplateSpec;
import io.promptlightning.VersionInfo;
import io.promptlightning.internal.SpecRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** export, import, backup and restore: every version, label and label move kept, bad input refused whole. */
class TransferCommandsTest {
    @TempDir
    Path tmp;

    // ------------------------------------------------------------------------------------------- projects

    private Cli cliIn(String name) {
        return new Cli(tmp.resolve(name), tmp.resolve("home"));
    }

    /** A project in {@code tmp/name} that holds no template. */
    private Cli emptyProject(String name, Cli.Kind kind) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        if (kind == Cli.Kind.LOCAL) {
            Files.createDirectories(dir.resolve("prompts"));
            Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n");
        } else {
            LmdbRegistry.open(dir.resolve("templates.lmdb")).close();
            Files.writeString(dir.resolve("promptlightning.yaml"), "registry: lmdb\ndb_path: ./templates.lmdb\n");
        }
        return cliIn(name);
    }

    /** A project whose registry is {@code promptDir}, a prompt directory made elsewhere. */
    private Cli localProjectOn(String name, Path promptDir) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: " + promptDir + "\n");
        return cliIn(name);
    }

    private static Registry open(Path projectDir, Cli.Kind kind) {
        return kind == Cli.Kind.LOCAL ? LocalRegistry.open(projectDir.resolve("prompts"))
                : LmdbRegistry.open(projectDir.resolve("templates.lmdb"));
    }

    static TemplateSpec version(TemplateSpec spec, String version, String text) {
        return new TemplateSpec(spec.id(), version, spec.description(), text, spec.inputs(), spec.metadata());
    }

    /**
     * The examples, where {@code summarizer} has three versions saved with messages, the label {@code production}
     * and a label {@code staging} moved twice and removed, and {@code analyzer} a label: 10 templates, 12 versions,
     * 2 labels.
     */
    private Cli projectWithHistory(String name, Cli.Kind kind) throws IOException {
        Cli.project(tmp.resolve(name), kind);
        try (Registry registry = open(tmp.resolve(name), kind)) {
            TemplateSpec summarizer = registry.load("summarizer");
            registry.moveLabel("summarizer", "production", summarizer.version(), "first release");
            registry.save(version(summarizer, "1.1.0", "Summarize in 3 bullets:\n\n{{ input_text }}"),
                    SaveOptions.message("shorter"));
            registry.moveLabel("summarizer", "staging", "1.1.0", null);
            registry.save(version(summarizer, "1.2.0", "Three bullets, please:\n\n{{ input_text }}"),
                    SaveOptions.message("third"));
            registry.moveLabel("summarizer", "staging", "1.2.0", "try it");
            registry.removeLabel("summarizer", "staging", "not needed");
            registry.moveLabel("analyzer", "production", registry.load("analyzer").version(), null);
        }
        return cliIn(name);
    }

    /** Everything the registry keeps, by id. */
    private static Map<String, TemplateHistory> histories(Registry registry) {
        Map<String, TemplateHistory> all = new LinkedHashMap<>();
        for (String id : Ids.sorted(registry.listIds())) {
            all.put(id, registry.history(id));
        }
        return all;
    }

    private static Map<String, TemplateHistory> histories(Path projectDir, Cli.Kind kind) {
        try (Registry registry = open(projectDir, kind)) {
            return histories(registry);
        }
    }

    private static List<String> ids(Path projectDir, Cli.Kind kind) {
        try (Registry registry = open(projectDir, kind)) {
            return Ids.sorted(registry.listIds());
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static void assertOk(Cli.Result r) {
        assertEquals(0, r.code(), r::toString);
    }

    // ------------------------------------------------------------------------------------------ round trips

    @Test
    void jsonlToLmdbToYamlDirToJsonlKeepsEveryVersionLabelAndLabelMove() throws Exception {
        Cli a = projectWithHistory("a", Cli.Kind.LMDB);
        Map<String, TemplateHistory> original = histories(tmp.resolve("a"), Cli.Kind.LMDB);
        TemplateHistory summarizer = original.get("summarizer");
        assertEquals(List.of("1.0.0", "1.1.0", "1.2.0"), summarizer.versions().stream()
                .map(v -> v.info().version()).toList());
        assertEquals("third", summarizer.versions().get(2).info().message());
        assertEquals(Map.of("production", "1.0.0"), summarizer.labels());

        Path aJsonl = tmp.resolve("a.jsonl");
        Cli.Result exported = a.run("export", "--out", aJsonl.toString());
        assertOk(exported);
        assertEquals("exported 10 templates to " + aJsonl + " (12 versions, 2 labels)\n", exported.err());

        Cli b = emptyProject("b", Cli.Kind.LMDB);
        Cli.Result imported = b.run("import", aJsonl.toString());
        assertOk(imported);
        assertEquals("imported 10 templates (12 versions, 2 labels) from " + aJsonl + " into templates.lmdb\n",
                imported.out());
        assertEquals(original, histories(tmp.resolve("b"), Cli.Kind.LMDB));

        Path yamlDir = tmp.resolve("yaml");
        assertOk(b.run("export", "--format", "yaml-dir", "--out", yamlDir.toString()));
        assertTrue(Files.isRegularFile(yamlDir.resolve("summarizer.yaml")));
        assertTrue(Files.isDirectory(yamlDir.resolve(".promptlightning")), "the history is kept beside the files");
        try (LocalRegistry exportedDir = LocalRegistry.open(yamlDir)) {
            assertEquals(List.of(), exportedDir.problems());
            assertEquals(summarizer.latestSpec(), exportedDir.load("summarizer"));
            assertEquals(original, histories(exportedDir));
        }

        Cli c = localProjectOn("c", yamlDir);
        Path cJsonl = tmp.resolve("c.jsonl");
        assertOk(c.run("export", "--out", cJsonl.toString()));
        List<String> aLines = lines(aJsonl);
        List<String> cLines = lines(cJsonl);
        assertEquals(11, aLines.size());
        assertEquals(aLines.subList(1, aLines.size()), cLines.subList(1, cLines.size()));

        Path lmdbDir = tmp.resolve("exported.lmdb");
        Cli.Result toLmdb = c.run("export", "--format", "lmdb", "--out", lmdbDir.toString());
        assertOk(toLmdb);
        try (LmdbRegistry exportedDb = LmdbRegistry.builder(lmdbDir).readOnly(true).build()) {
            assertEquals(original, histories(exportedDb));
        }
    }

    @ParameterizedTest
    @CsvSource({"LOCAL, LOCAL", "LOCAL, LMDB", "LMDB, LOCAL", "LMDB, LMDB"})
    void anExportImportsIntoEitherKindOfProjectUnchanged(Cli.Kind from, Cli.Kind into) throws Exception {
        Cli source = projectWithHistory("source", from);
        Map<String, TemplateHistory> original = histories(tmp.resolve("source"), from);
        Path file = tmp.resolve("all.jsonl");
        assertOk(source.run("export", "--out", file.toString()));
        assertOk(emptyProject("target", into).run("import", file.toString()));
        assertEquals(original, histories(tmp.resolve("target"), into), "times are kept to the millisecond by both kinds");
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aPromptDirectoryOrAnLmdbDatabaseImportsAsWellAsAFile(Cli.Kind kind) throws Exception {
        Cli source = projectWithHistory("source", Cli.Kind.LMDB);
        Map<String, TemplateHistory> original = histories(tmp.resolve("source"), Cli.Kind.LMDB);
        Path exported = tmp.resolve("exported");
        assertOk(source.run("export", "--format", kind == Cli.Kind.LOCAL ? "yaml-dir" : "lmdb", "--out",
                exported.toString()));
        assertEquals(kind == Cli.Kind.LMDB, HistorySource.isLmdb(exported));

        Cli target = emptyProject("target", Cli.Kind.LMDB);
        Cli.Result r = target.run("import", exported.toString());
        assertOk(r);
        assertEquals("imported 10 templates (12 versions, 2 labels) from " + exported + " into templates.lmdb\n",
                r.out());
        assertEquals(original, histories(tmp.resolve("target"), Cli.Kind.LMDB));
    }

    @Test
    void eachTemplateLineIsTheOriginalsRecordOfTheLatestVersionAfterAHeader() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LOCAL);
        Cli.Result r = cli.run("export");
        assertOk(r);
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        Map<String, Object> header = Json.parseObject(lines.get(0));
        assertEquals(List.of("format", "format_version", "exported_at"), new ArrayList<>(header.keySet()));
        assertEquals("promptlightning-export", header.get("format"));
        assertEquals(1, header.get("format_version"));
        Instant.parse((String) header.get("exported_at"));

        List<String> ids = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, Object> record = Json.parseObject(line);
            record.remove("history");
            TemplateSpec spec = SpecRecords.fromRecord(record, null);
            assertEquals(Json.compact(SpecRecords.toRecord(spec)), Json.compact(record));
            ids.add(spec.id());
        }
        assertEquals(Cli.EXAMPLE_IDS, ids);

        // a version that was in the file before any save has no time, author or message
        Map<?, ?> analyzer = Json.parseObject(lines.get(1 + Cli.EXAMPLE_IDS.indexOf("analyzer")));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) ((Map<?, ?>) analyzer.get("history")).get("versions")).get(0);
        assertEquals(null, first.get("saved_at"));
        assertEquals(null, first.get("author"));
        Map<?, ?> summarizer = Json.parseObject(lines.get(1 + Cli.EXAMPLE_IDS.indexOf("summarizer")));
        assertEquals("1.2.0", summarizer.get("version"));
        List<?> moves = (List<?>) ((Map<?, ?>) summarizer.get("history")).get("label_history");
        Map<?, ?> removal = (Map<?, ?>) moves.get(moves.size() - 1);
        assertEquals("staging", removal.get("label"));
        assertEquals("1.2.0", removal.get("from"));
        assertEquals(null, removal.get("to"));
        assertEquals("not needed", removal.get("message"));
    }

    @Test
    void anUnsavedEditIsExportedAndRestoredAsItsVersionWasSavedWithAWarning() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LOCAL);
        Path file = tmp.resolve("p/prompts/summarizer.yaml");
        Files.writeString(file, Files.readString(file).replace("Three bullets, please", "Three bullets, thanks"));
        Cli.Result r = cli.run("export");
        assertOk(r);
        assertEquals("warning: template 'summarizer': its file is an unsaved edit of 1.2.0, which is exported as it"
                + " was saved; bump to save the edit as a new version, or save the file with --force, to carry the"
                + " edit along\n", r.err());
        Map<?, ?> summarizer = Json.parseObject(r.outLines().get(1 + Cli.EXAMPLE_IDS.indexOf("summarizer")));
        assertEquals("1.2.0", summarizer.get("version"));
        assertEquals("Three bullets, please:\n\n{{ input_text }}", summarizer.get("template"));

        Cli target = emptyProject("target", Cli.Kind.LOCAL);
        Cli.Result restored = target.run("restore", tmp.resolve("p/prompts").toString());
        assertOk(restored);
        assertEquals("warning: template 'summarizer': its file is an unsaved edit of 1.2.0, which is read as it was"
                + " saved; bump to save the edit as a new version, or save the file with --force, to carry the edit"
                + " along\n", restored.err());
        assertEquals(histories(tmp.resolve("p"), Cli.Kind.LOCAL), histories(tmp.resolve("target"), Cli.Kind.LOCAL));
    }

    // ---------------------------------------------------------------------------------------------- import

    @Test
    void badLinesAreReportedWithTheirNumbersAndNothingIsImported() throws Exception {
        Cli.project(tmp.resolve("p"), Cli.Kind.LMDB);
        Cli cli = cliIn("p");
        Path file = tmp.resolve("p/bad.jsonl");
        Files.writeString(file, String.join("\n",
                HistoryFile.header(Instant.now()),
                "{\"id\": \"brand_new\", \"version\": \"1.0.0\", \"template\": \"Hi {{ name }}\"}",
                "{\"id\": \"half\", ",
                "{\"id\": \"brand_new\", \"version\": \"2.0.0\", \"template\": \"Bye\"}",
                "{\"id\": \"short_version\", \"version\": \"1.0\", \"template\": \"x\"}",
                "",
                "{\"id\": \"broken\", \"template\": \"{% if %}\"}",
                "{\"id\": \"tab\\tid\", \"template\": \"x\"}",
                "[1, 2]",
                "{\"id\": \"fine\", \"template\": \"ok\"}") + "\n");

        Cli.Result r = cli.run("import", "bad.jsonl");
        assertEquals(1, r.code(), r::toString);
        assertEquals("", r.out());
        List<String> errors = r.err().lines().toList();
        assertEquals(7, errors.size(), r::toString);
        assertTrue(errors.get(0).startsWith("error: " + file + ":3: not JSON: "), r::toString);
        assertEquals("error: " + file + ":4: template 'brand_new': the template is already on line 2 (an export"
                + " holds each template once, with all its versions)", errors.get(1));
        assertTrue(errors.get(2).startsWith("error: " + file + ":5: template 'short_version': invalid version"
                + " '1.0'"), r::toString);
        assertTrue(errors.get(3).startsWith("error: " + file + ":7: template 'broken': version 0.1.0: template"
                + " syntax error"), r::toString);
        assertEquals("error: " + file + ":8: invalid template id 'tab\\tid': it contains a control character",
                errors.get(4));
        assertEquals("error: " + file + ":9: not a template: expected a JSON object {...}, found an array",
                errors.get(5));
        assertEquals("error: 6 problems in bad.jsonl (see above); nothing was imported", errors.get(6));
        assertEquals(Cli.EXAMPLE_IDS, ids(tmp.resolve("p"), Cli.Kind.LMDB));
    }

    @Test
    void aFileOfAnotherFormatOrNoneIsRefused() throws Exception {
        Cli cli = emptyProject("p", Cli.Kind.LMDB);
        Files.writeString(tmp.resolve("p/newer.jsonl"), "{\"format\": \"promptlightning-export\", \"format_version\":"
                + " 2}\n{\"id\": \"a\", \"template\": \"x\"}\n");
        Cli.Result newer = cli.run("import", "newer.jsonl");
        assertEquals(1, newer.code(), newer::toString);
        assertTrue(newer.err().startsWith("error: " + tmp.resolve("p/newer.jsonl") + ":1: format_version 2 is not"
                + " one this version of PromptLightning reads (it reads 1); the file was written by a newer one\n"),
                newer::toString);
        assertTrue(newer.err().endsWith("error: 1 problem in newer.jsonl (see above); nothing was imported\n"),
                newer::toString);

        Cli.Result missing = cli.run("import", "missing.jsonl");
        assertEquals(1, missing.code(), missing::toString);
        assertTrue(missing.err().startsWith("error: nothing to read at " + tmp.resolve("p/missing.jsonl")
                + ": it does not exist ("), missing::toString);
        assertEquals(List.of(), ids(tmp.resolve("p"), Cli.Kind.LMDB));

        assertEquals(2, cli.run("import").code(), "PATH is required");
    }

    @Test
    void plainRecordsAsExportWroteThemBeforeHistoryImportAsOneVersionEach() throws Exception {
        Cli cli = emptyProject("p", Cli.Kind.LOCAL);
        StringBuilder plain = new StringBuilder();
        for (TemplateSpec spec : Examples.specs()) {
            plain.append(Json.compact(SpecRecords.toRecord(spec))).append('\n');
        }
        Files.writeString(tmp.resolve("p/plain.jsonl"), plain);
        Cli.Result r = cli.run("import", "plain.jsonl");
        assertOk(r);
        assertEquals("imported 10 templates (10 versions, 0 labels) from plain.jsonl into prompts\n", r.out());
        try (Registry registry = open(tmp.resolve("p"), Cli.Kind.LOCAL)) {
            for (TemplateSpec spec : Examples.specs()) {
                assertEquals(spec, registry.load(spec.id()));
                assertEquals(List.of(new VersionInfo(spec.version(), null, null, null)),
                        registry.versions(spec.id()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void existingIdsAreRefusedByNameUnlessReplaceWhichReplacesOnlyTheirHistory(Cli.Kind kind) throws Exception {
        Cli.project(tmp.resolve("p"), kind);
        Cli cli = cliIn("p");
        Map<String, TemplateHistory> before = histories(tmp.resolve("p"), kind);
        TemplateSpec summarizer = Examples.spec("summarizer.yaml");
        TemplateSpec next = version(summarizer, "3.0.0", "Just {{ input_text }}");
        Instant savedAt = Instant.parse("2024-12-24T18:00:00Z");
        TemplateHistory replacement = new TemplateHistory("summarizer", List.of(
                new SavedVersion(summarizer, new VersionInfo(summarizer.version(), null, null, null)),
                new SavedVersion(next, new VersionInfo("3.0.0", savedAt, "ada", "rewritten"))),
                "3.0.0", Map.of("production", summarizer.version()), List.of(
                new LabelMove("production", null, summarizer.version(), savedAt, "ada", null)));
        TemplateSpec brandNew = new TemplateSpec("brand_new", "1.0.0", null, "Hi {{ name }}", null, null);
        Files.writeString(tmp.resolve("p/some.jsonl"), HistoryFile.header(Instant.now()) + "\n"
                + HistoryFile.line(replacement) + "\n" + Json.compact(SpecRecords.toRecord(brandNew)) + "\n");

        Cli.Result refused = cli.run("import", "some.jsonl");
        assertEquals(1, refused.code(), refused::toString);
        assertEquals("error: 1 template of some.jsonl is already in the project: 'summarizer'; nothing was imported"
                + " (give --replace to replace their history with the imported one)\n", refused.err());
        assertEquals(before, histories(tmp.resolve("p"), kind));

        Cli.Result replaced = cli.run("import", "some.jsonl", "--replace");
        assertOk(replaced);
        assertEquals("imported 2 templates (3 versions, 1 label) from some.jsonl into "
                + (kind == Cli.Kind.LOCAL ? "prompts" : "templates.lmdb") + ", replacing the history of 1 template"
                + " it had\n", replaced.out());
        Map<String, TemplateHistory> after = histories(tmp.resolve("p"), kind);
        assertEquals(replacement, after.get("summarizer"));
        assertEquals(brandNew, after.get("brand_new").latestSpec());
        assertEquals(before.get("analyzer"), after.get("analyzer"), "other templates stay as they were");
        assertEquals(11, after.size());
    }

    @Test
    void refusalsNameUpToTwentyIds() {
        assertEquals("'a', 'b'", ImportCommand.named(List.of("a", "b")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add("t" + (char) ('a' + i));
        }
        String named = ImportCommand.named(many);
        assertTrue(named.startsWith("'ta', 'tb', "), named);
        assertTrue(named.endsWith(", 'tt' and 5 more"), named);
    }

    // ---------------------------------------------------------------------------------------------- export

    @Test
    void exportIntoADirectoryThatHoldsSomethingIsRefused() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LMDB);
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        for (String format : List.of("yaml-dir", "lmdb")) {
            Cli.Result r = cli.run("export", "--format", format, "--out", full.toString());
            assertEquals(1, r.code(), r::toString);
            assertEquals("error: " + full + " is not empty; export writes into a new or empty directory only (give a"
                    + " new path with --out, or empty the directory)\n", r.err());
        }
        try (Stream<Path> files = Files.list(full)) {
            assertEquals(List.of(full.resolve("keep.txt")), files.toList());
        }

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOk(cli.run("export", "--format", "lmdb", "--out", empty.toString()));
        assertTrue(HistorySource.isLmdb(empty));

        Cli.Result noOut = cli.run("export", "--format", "lmdb");
        assertEquals(2, noOut.code(), noOut::toString);
        assertTrue(noOut.err().startsWith("error: --format lmdb needs --out DIR"), noOut::toString);
    }

    @Test
    void aPromptDirectoryIsNotExportedIntoItself() throws Exception {
        Cli.project(tmp.resolve("p"), Cli.Kind.LOCAL);
        Cli.Result r = cliIn("p").run("export", "--format", "yaml-dir", "--out", "prompts/copy");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: cannot export into " + tmp.resolve("p/prompts/copy") + ", inside the"
                + " project's prompt directory"), r::toString);
        assertFalse(Files.exists(tmp.resolve("p/prompts/copy")));
    }

    // ------------------------------------------------------------------------------------ backup and restore

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aBackupRestoresTheProjectExactlyAndOnlyWithYesOverTemplates(Cli.Kind kind) throws Exception {
        Cli cli = projectWithHistory("p", kind);
        Path project = tmp.resolve("p");
        Map<String, TemplateHistory> backedUp = histories(project, kind);
        Path backup = tmp.resolve("backup");

        Cli.Result r = cli.run("backup", backup.toString());
        assertOk(r);
        assertEquals("backed up 10 templates (12 versions, 2 labels) from "
                + (kind == Cli.Kind.LOCAL ? "prompts" : "templates.lmdb") + " to " + backup + "\n", r.out());
        assertEquals(kind == Cli.Kind.LMDB, HistorySource.isLmdb(backup));

        try (Registry registry = open(project, kind)) {
            registry.delete("analyzer");
            registry.save(new TemplateSpec("added", "1.0.0", null, "New", null, null));
            registry.moveLabel("summarizer", "production", "1.2.0", "too early");
        }
        Map<String, TemplateHistory> changed = histories(project, kind);

        Cli.Result refused = cli.run("restore", backup.toString());
        assertEquals(1, refused.code(), refused::toString);
        assertEquals("error: the project holds 10 templates, and a restore replaces them all with the 10 templates of "
                + backup + "; nothing was changed (give --yes to replace them)\n", refused.err());
        assertEquals(changed, histories(project, kind));

        Cli.Result restored = cli.run("restore", backup.toString(), "--yes");
        assertOk(restored);
        assertEquals("restored 10 templates (12 versions, 2 labels) from " + backup + " into "
                + (kind == Cli.Kind.LOCAL ? "prompts" : "templates.lmdb") + ", which held 10 templates before\n",
                restored.out());
        assertEquals(backedUp, histories(project, kind));
    }

    @Test
    void anEmptyProjectIsRestoredWithoutYesFromAnyExport() throws Exception {
        Cli source = projectWithHistory("source", Cli.Kind.LOCAL);
        Map<String, TemplateHistory> original = histories(tmp.resolve("source"), Cli.Kind.LOCAL);
        Path file = tmp.resolve("all.jsonl");
        assertOk(source.run("export", "--out", file.toString()));

        Cli target = emptyProject("target", Cli.Kind.LMDB);
        Cli.Result r = target.run("restore", file.toString());
        assertOk(r);
        assertEquals("restored 10 templates (12 versions, 2 labels) from " + file + " into templates.lmdb\n",
                r.out());
        assertEquals(original, histories(tmp.resolve("target"), Cli.Kind.LMDB));
    }

    @Test
    void aRestoreFromASourceWithProblemsChangesNothing() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LMDB);
        Map<String, TemplateHistory> before = histories(tmp.resolve("p"), Cli.Kind.LMDB);
        Path dir = Files.createDirectories(tmp.resolve("prompts"));
        Files.writeString(dir.resolve("good.yaml"), "id: good\ntemplate: Hi\n");
        Files.writeString(dir.resolve("bad.yaml"), "id: bad\ntemplate: x\ninputs:\n  a: {type: nope}\n");

        Cli.Result r = cli.run("restore", dir.toString(), "--yes");
        assertEquals(1, r.code(), r::toString);
        List<String> errors = r.err().lines().toList();
        assertTrue(errors.get(0).startsWith("error: " + dir.resolve("bad.yaml") + ":4: template 'bad': "), r::toString);
        assertEquals("error: 1 problem in " + dir + " (see above); nothing was restored", errors.get(1));
        assertEquals(before, histories(tmp.resolve("p"), Cli.Kind.LMDB));
    }

    @Test
    void aBackupNeverOverwritesAndNeverGoesInsideWhatItCopies() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LOCAL);
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Cli.Result r = cli.run("backup", existing.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("error: " + existing + " already exists; a backup never overwrites anything (give a path that"
                + " does not exist yet)\n", r.err());
        try (Stream<Path> files = Files.list(existing)) {
            assertEquals(0, files.count());
        }

        Cli.Result inside = cli.run("backup", "prompts/copy");
        assertEquals(1, inside.code(), inside::toString);
        assertTrue(inside.err().startsWith("error: cannot back up " + tmp.resolve("p/prompts") + " into itself"),
                inside::toString);
        assertFalse(Files.exists(tmp.resolve("p/prompts/copy")));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aBackupIntoADirectoryThatCannotBeWrittenFailsClearlyAndLeavesNothing(Cli.Kind kind) throws Exception {
        Cli cli = projectWithHistory("p", kind);
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Path destination = locked.resolve("backup");
        try (AutoCloseable readOnly = readOnly(locked)) {
            Cli.Result r = cli.run("backup", destination.toString());
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().startsWith("error: ") && r.err().contains(locked.toString()), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertFalse(Files.exists(destination));
        }
    }

    /**
     * Makes {@code dir} refuse new entries until closed: by its permissions, or, for root (whom permissions do not
     * stop), by the file system's immutable attribute.
     */
    private static AutoCloseable readOnly(Path dir) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        if (!Files.isWritable(dir)) {
            return () -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Process chattr = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
        String output = new String(chattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(chattr.waitFor() == 0, () -> "running as root and cannot make " + dir
                + " immutable: " + output);
        return () -> new ProcessBuilder("chattr", "-i", dir.toString()).inheritIO().start().waitFor();
    }

    // -------------------------------------------------------------------------------------------- progress

    @Test
    void onATerminalExportImportAndBackupShowAProgressBar() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LMDB);
        Cli.Result export = cli.runOnTerminal("export", "--out", "all.jsonl");
        assertOk(export);
        assertTrue(export.err().contains("exporting") && export.err().contains("10/10"), export::toString);

        Cli.Result toStdout = cli.runOnTerminal("export");
        assertOk(toStdout);
        assertEquals("", toStdout.err(), "no bar over the lines written to the terminal");

        Cli.Result backup = cli.runOnTerminal("backup", "backup");
        assertOk(backup);
        assertTrue(backup.err().contains("backing up") && backup.err().contains("10/10"), backup::toString);

        Cli target = emptyProject("target", Cli.Kind.LMDB);
        Cli.Result imported = target.runOnTerminal("import", tmp.resolve("p/all.jsonl").toString());
        assertOk(imported);
        assertTrue(imported.err().contains("importing") && imported.err().contains("11/11"), imported::toString);
        assertEquals(1, imported.outLines().size(), "the report stays on stdout");

        Cli.Result restored = target.runOnTerminal("restore", tmp.resolve("p/backup").toString(), "--yes");
        assertOk(restored);
        assertTrue(restored.err().contains("restoring") && restored.err().contains("10/10"), restored::toString);
    }

    @Test
    void whenPipedNoProgressBarIsShown() throws Exception {
        Cli cli = projectWithHistory("p", Cli.Kind.LMDB);
        Cli.Result export = cli.run("export", "--out", "all.jsonl");
        assertOk(export);
        assertEquals("exported 10 templates to all.jsonl (12 versions, 2 labels)\n", export.err());
        Cli.Result backup = cli.run("backup", "backup");
        assertOk(backup);
        assertEquals("", backup.err());
        Cli.Result imported = emptyProject("target", Cli.Kind.LOCAL).run("import",
                tmp.resolve("p/all.jsonl").toString());
        assertOk(imported);
        assertEquals("", imported.err());
    }
}
