package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/** Real template files migrated into real LMDB databases. */
class MigrationTest {
    private static final List<String> EXAMPLE_IDS = LocalRegistryTest.EXAMPLE_IDS;

    /** Valid YAML, but {@code nope} is no input type: a problem at line 4 that still declares its id. */
    private static final String BAD_TYPE = "id: bad_type\nversion: 1.0.0\ntemplate: 'Hi {{ x }}'\ninputs:\n"
            + "  x: {type: nope}\n";

    @TempDir
    Path tmp;

    Path prompts;
    Path db;

    @BeforeEach
    void examples() throws IOException, URISyntaxException {
        prompts = Files.createDirectory(tmp.resolve("prompts"));
        db = tmp.resolve("templates.lmdb");
        Path examples = Path.of(MigrationTest.class.getResource("/examples").toURI());
        try (Stream<Path> files = Files.list(examples)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, prompts.resolve(f.getFileName()));
            }
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static Migration.Options overwrite() {
        return Migration.Options.defaults().withOverwrite(true);
    }

    private List<String> dbIds() {
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            return registry.listIds();
        }
    }

    // ------------------------------------------------------------------------------------------ migrating

    @Test
    void migratesEveryExampleTemplateAndTheDatabaseReadsThemBackEqual() {
        MigrationReport report = Migration.migrate(prompts, db);

        assertTrue(report.ok(), report::toString);
        assertEquals(EXAMPLE_IDS, report.migrated());
        assertEquals(List.of(), report.failed());
        assertEquals(List.of(), report.verificationErrors());
        try (LocalRegistry local = LocalRegistry.open(prompts); LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertEquals(EXAMPLE_IDS, lmdb.listIds());
            assertEquals(EXAMPLE_IDS.size(), lmdb.count());
            for (String id : EXAMPLE_IDS) {
                TemplateSpec expected = local.load(id);
                TemplateSpec actual = lmdb.load(id);
                assertEquals(expected, actual, id);
                assertEquals(SpecRecords.toRecord(expected), SpecRecords.toRecord(actual), id);
                assertEquals(actual, lmdb.load(id, expected.version()), id);
            }
            assertEquals(List.of(), Migration.verify(local, lmdb));
        }
    }

    @Test
    void brokenFilesInvalidSpecsAndDuplicatesAreReportedWithFileLineAndIdWhileTheRestMigrates() throws IOException {
        Path broken = write(prompts.resolve("broken.yaml"), "id: broken\ntemplate: 'never closed\n");
        Path badType = write(prompts.resolve("nested/bad-type.yaml"), BAD_TYPE);
        // after summarizer.yaml in path order, so summarizer.yaml serves the id and this file is the duplicate
        Path duplicate = write(prompts.resolve("zz/copy.yaml"), "# a copy\nid: summarizer\ntemplate: other\n");

        MigrationReport report = Migration.migrate(prompts, db);

        assertFalse(report.ok());
        assertEquals(EXAMPLE_IDS, report.migrated());
        assertEquals(List.of(), report.verificationErrors());
        assertEquals(List.of(broken, badType, duplicate),
                report.failed().stream().map(Problem::file).collect(Collectors.toList()),
                "each problem once, sorted by file: " + report.failed());

        Problem brokenProblem = report.failed().get(0);
        assertTrue(brokenProblem.line() >= 2, brokenProblem::toString);
        Problem badTypeProblem = report.failed().get(1);
        assertEquals("bad_type", badTypeProblem.templateId());
        assertEquals(5, badTypeProblem.line(), badTypeProblem::toString);
        assertTrue(badTypeProblem.message().contains("unknown input type 'nope'"), badTypeProblem::toString);
        Problem duplicateProblem = report.failed().get(2);
        assertEquals("summarizer", duplicateProblem.templateId());
        assertEquals(2, duplicateProblem.line());
        assertTrue(duplicateProblem.message().startsWith("duplicate id"), duplicateProblem::toString);
        assertEquals(List.of("bad_type", "summarizer"), report.failedIds());

        assertEquals(EXAMPLE_IDS, dbIds());
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertTrue(lmdb.load("summarizer").template().startsWith("Summarize"), "the first file in path order");
        }
    }

    @Test
    void legacyIdsMigrateAsTheyAreAndAnIdTheDatabaseRefusesIsReportedWithItsFileAndLine() throws IOException {
        write(prompts.resolve("old/legacy.yaml"), "# written for the original\nid: \"my prompt: v2 ✓\"\ntemplate: Hi\n");
        String tooLong = "x".repeat(600);
        Path refused = write(prompts.resolve("old/long.yaml"), "# an id LMDB cannot key\nid: " + tooLong
                + "\ntemplate: Hello\n");

        MigrationReport report = Migration.migrate(prompts, db);

        List<String> expected = new ArrayList<>(EXAMPLE_IDS);
        expected.add("my prompt: v2 ✓");
        expected.sort(null); // code point order, as both registries list ids
        assertEquals(expected, report.migrated());
        assertEquals(1, report.failed().size(), report.failed()::toString);
        Problem p = report.failed().get(0);
        assertEquals(refused, p.file());
        assertEquals(2, p.line());
        assertEquals(tooLong, p.templateId());
        assertTrue(p.message().contains("cannot be an LMDB key"), p::toString);
        assertEquals(List.of(), report.verificationErrors(), "a template that failed is not also a difference");
        assertEquals(expected, dbIds());
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertEquals("Hi", lmdb.load("my prompt: v2 ✓").template());
        }
    }

    @Test
    void progressIsToldOfEveryTemplateIdIncludingThoseThatFail() throws IOException {
        write(prompts.resolve("bad-type.yaml"), BAD_TYPE);
        List<String> calls = new ArrayList<>();

        MigrationReport report = Migration.migrate(prompts, db,
                Migration.Options.defaults().withProgress((done, total) -> calls.add(done + "/" + total)));

        int total = EXAMPLE_IDS.size() + 1;
        List<String> expected = new ArrayList<>();
        for (int done = 0; done <= total; done++) {
            expected.add(done + "/" + total);
        }
        assertEquals(expected, calls);
        assertEquals(EXAMPLE_IDS.size(), report.migrated().size());
    }

    @Test
    void anEmptyExistingDatabaseIsMigratedIntoWithoutOverwrite() {
        LmdbRegistry.open(db).close();
        assertTrue(Migration.migrate(prompts, db).ok());
        assertEquals(EXAMPLE_IDS, dbIds());
    }

    @Test
    void aSmallMapSizeGrowsAsTheTemplatesNeed() throws IOException {
        String text = "x".repeat(2000);
        for (int i = 0; i < 300; i++) {
            write(prompts.resolve("many/t" + i + ".yaml"), "id: t" + i + "\ntemplate: " + text + "\n");
        }
        MigrationReport report = Migration.migrate(prompts, db, Migration.Options.defaults().withMapSize(64 * 1024));
        assertTrue(report.ok(), report::toString);
        assertEquals(EXAMPLE_IDS.size() + 300, report.migrated().size());
        assertThrows(IllegalArgumentException.class, () -> Migration.Options.defaults().withMapSize(0));
    }

    // ------------------------------------------------------------------------------------------ refusing

    @Test
    void aDatabaseHoldingTemplatesIsRefusedWithoutOverwriteAndLeftUnchanged() throws IOException {
        assertTrue(Migration.migrate(prompts, db).ok());
        byte[] before = Files.readAllBytes(db.resolve("data.mdb"));
        write(prompts.resolve("new.yaml"), "id: new_one\ntemplate: new\n");
        Files.writeString(prompts.resolve("summarizer.yaml"), "id: summarizer\ntemplate: changed\n");

        RegistryException e = assertThrows(RegistryException.class, () -> Migration.migrate(prompts, db));

        assertEquals(db, e.file());
        assertTrue(e.getMessage().startsWith(db.toString()), e::getMessage);
        assertTrue(e.detail().contains("already holds 10 templates"), e::detail);
        assertTrue(e.detail().contains("overwrite"), e::detail);
        assertArrayEquals(before, Files.readAllBytes(db.resolve("data.mdb")), "nothing written");
        assertEquals(EXAMPLE_IDS, dbIds());
    }

    @Test
    void aMissingPromptDirectoryFailsBeforeTheDatabaseIsCreated() {
        Path missing = tmp.resolve("no-such-dir");
        RegistryException e = assertThrows(RegistryException.class, () -> Migration.migrate(missing, db));
        assertEquals(missing.toAbsolutePath(), e.file());
        assertFalse(Files.exists(db));
    }

    @Test
    void aDirectoryOfOtherFilesIsNotTakenForADatabase() throws IOException {
        Path project = Files.createDirectory(tmp.resolve("project"));
        write(project.resolve("notes.txt"), "mine");

        RegistryException e = assertThrows(RegistryException.class, () -> Migration.migrate(prompts, project,
                overwrite()));

        assertEquals(project, e.file());
        assertTrue(e.detail().startsWith("not an LMDB database"), e::detail);
        assertFalse(Files.exists(project.resolve("data.mdb")));
    }

    // ------------------------------------------------------------------------------------------ overwriting

    @Test
    void overwriteLeavesTheDatabaseEqualToTheDirectory() throws IOException {
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            lmdb.save(new TemplateSpec("only_in_db", "1.0.0", null, "stale", null, null));
            lmdb.save(new TemplateSpec("summarizer", "0.9.0", null, "old text", null, null));
        }
        assertTrue(Migration.migrate(prompts, db, overwrite()).ok());
        assertEquals(EXAMPLE_IDS, dbIds(), "only_in_db is removed");

        // the directory changes: one template edited, one removed, one made invalid
        Files.writeString(prompts.resolve("summarizer.yaml"), "id: summarizer\nversion: 2.0.0\ntemplate: new\n");
        Files.delete(prompts.resolve("analyzer.yaml"));
        Files.writeString(prompts.resolve("chat_assistant.yaml"), BAD_TYPE.replace("bad_type", "chat_assistant"));

        MigrationReport report = Migration.migrate(prompts, db, overwrite());

        List<String> expected = new ArrayList<>(EXAMPLE_IDS);
        expected.removeAll(List.of("analyzer", "chat_assistant"));
        assertEquals(expected, report.migrated());
        assertEquals(List.of("chat_assistant"), report.failedIds());
        assertEquals(List.of(), report.verificationErrors());
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertEquals(expected, lmdb.listIds(), "a removed file and an invalid file leave the database too");
            assertEquals(expected.size(), lmdb.count());
            assertEquals("new", lmdb.load("summarizer").template());
            assertEquals("1.0.0", lmdb.load("summarizer", "1.0.0").version(), "the replaced version stays in history");
            assertEquals("2.0.0", lmdb.load("summarizer", "2.0.0").version());
        }
    }

    // ------------------------------------------------------------------------------------------ verifying

    @Test
    void verifyFindsATamperedRecordAnUnreadableOneAMissingOneAndAnIntruder() {
        assertTrue(Migration.migrate(prompts, db).ok());
        Map<String, Object> tampered;
        try (LocalRegistry local = LocalRegistry.open(prompts)) {
            tampered = SpecRecords.toRecord(local.load("analyzer"));
        }
        tampered.put("template", "Analyze nothing.");
        Map<String, Object> intruder = SpecRecords.toRecord(new TemplateSpec("intruder", "1.0.0", null, "x", null,
                null));
        // another program writes to the database behind the registry's back
        rawWrite((txn, templates) -> {
            templates.put(txn, direct("analyzer"), direct(MsgPackCodec.encode(tampered)));
            templates.put(txn, direct("chat_assistant"), direct(new byte[] {(byte) 0xc1}));
            templates.delete(txn, direct("summarizer"));
            templates.put(txn, direct("intruder"), direct(MsgPackCodec.encode(intruder)));
        });

        List<String> errors;
        try (LocalRegistry local = LocalRegistry.open(prompts); LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            errors = Migration.verify(local, lmdb);
        }

        assertEquals(4, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("template 'analyzer' differs between the prompt directory and the"
                + " database: at 'template': directory has"), errors.get(0));
        assertTrue(errors.get(0).endsWith("database has 'Analyze nothing.'"), errors.get(0));
        assertTrue(errors.get(1).startsWith("template 'chat_assistant': the database's record is not a valid"
                + " template"), errors.get(1));
        assertEquals("template 'summarizer' is in the prompt directory but not in the database", errors.get(2));
        assertEquals("template 'intruder' is in the database but not in the prompt directory", errors.get(3));
    }

    @Test
    void verifyNamesTheFieldThatDiffers() throws IOException {
        assertTrue(Migration.migrate(prompts, db).ok());
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            TemplateSpec stored = lmdb.load("analyzer");
            Map<String, Object> metadata = new LinkedHashMap<>(stored.metadata());
            metadata.put("tags", List.of("analysis", "ai"));
            lmdb.save(new TemplateSpec(stored.id(), stored.version(), stored.description(), stored.template(),
                    stored.inputs(), metadata), SaveOptions.DEFAULT.forced());
        }
        try (LocalRegistry local = LocalRegistry.open(prompts); LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertEquals(List.of("template 'analyzer' differs between the prompt directory and the database: at"
                    + " 'metadata.tags': directory has 3 items, database has 2"), Migration.verify(local, lmdb));
        }
    }

    @Test
    void verifyDuringMigrationReportsWhatVerifyFinds() throws IOException {
        // a database id in a directory file that is invalid: verify flags it, since migrating would not serve it
        write(prompts.resolve("bad-type.yaml"), BAD_TYPE);
        assertTrue(Migration.migrate(prompts, db, Migration.Options.defaults().withVerify(false))
                .verificationErrors().isEmpty());
        try (LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            lmdb.save(new TemplateSpec("bad_type", "1.0.0", null, "from elsewhere", null, null));
        }
        try (LocalRegistry local = LocalRegistry.open(prompts); LmdbRegistry lmdb = LmdbRegistry.open(db)) {
            assertEquals(List.of("template 'bad_type' is in the database, but the prompt directory has no valid"
                    + " template with this id that migrated"), Migration.verify(local, lmdb));
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private interface RawWrite {
        void write(Txn<ByteBuffer> txn, Dbi<ByteBuffer> templates);
    }

    /** Writes with lmdbjava directly; no registry may have the database open in this process meanwhile. */
    private void rawWrite(RawWrite body) {
        try (Env<ByteBuffer> env = Env.create().setMapSize(LmdbRegistry.DEFAULT_MAP_SIZE).setMaxDbs(10)
                .open(db.toFile(), EnvFlags.MDB_NOTLS)) {
            Dbi<ByteBuffer> templates = env.openDbi(LmdbRegistry.TEMPLATES, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                body.write(txn, templates);
                txn.commit();
            }
        }
    }

    private static ByteBuffer direct(String s) {
        return direct(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }
}
