package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.Authors;
import io.promptlightning.internal.MsgPackCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

class LmdbRegistryHistoryTest {
    @TempDir
    Path tmp;

    private static TemplateSpec spec(String id, String version, String text, Map<String, Object> metadata) {
        return new TemplateSpec(id, version, "about " + id, text + " {{ name }}",
                Map.of("name", InputSpec.of(InputType.STRING, true)), metadata);
    }

    static TemplateSpec spec(String id, String version, String text) {
        return spec(id, version, text, Map.of());
    }

    private LmdbRegistry open() {
        return LmdbRegistry.open(tmp.resolve("db"));
    }

    // --- versions ------------------------------------------------------------------------------------------------

    @Test
    void everySavedVersionStaysReadableWithWhoWhenAndWhy() {
        Instant before = Instant.now().minusSeconds(1);
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"), SaveOptions.message("first"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.save(spec("g", "1.10.0", "ten"), SaveOptions.message("tenth"));
            registry.save(spec("g", "1.2.0", "three"));

            assertEquals("three {{ name }}", registry.load("g").template(), "the last save is the latest");
            assertEquals("one {{ name }}", registry.load("g", "1.0.0").template());
            assertEquals("ten {{ name }}", registry.load("g", "1.10.0").template());
            List<VersionInfo> versions = registry.versions("g");
            assertEquals(List.of("1.0.0", "1.1.0", "1.2.0", "1.10.0"),
                    versions.stream().map(VersionInfo::version).toList(), "semantic version order");
            VersionInfo first = versions.get(0);
            assertEquals("first", first.message());
            assertNull(versions.get(1).message());
            assertEquals(Authors.current(), first.author());
            assertTrue(!first.savedAt().isBefore(before) && !first.savedAt().isAfter(Instant.now()));
        }
    }

    @Test
    void theOriginalsDatabasesStillHoldTheLatestAndItsVersionIndexOnly() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "2.0.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", null);
        }
        Map<String, byte[]> templates = raw(db, LmdbRegistry.TEMPLATES);
        assertEquals(Set.of("g"), templates.keySet());
        assertEquals("2.0.0", ((Map<?, ?>) MsgPackCodec.decode(templates.get("g"))).get("version"));
        assertEquals(Set.of("g:2.0.0"), raw(db, LmdbRegistry.VERSION_INDEX).keySet());
        assertEquals(1L, MsgPackCodec.decode(raw(db, LmdbRegistry.METADATA).get("count")));
    }

    @Test
    void aVersionKeepsItsContentUnlessTheSaveIsForced() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.save(spec("g", "1.0.0", "one"));
            assertEquals("1.0.0", registry.load("g").version(), "saving an identical version makes it latest again");
            assertEquals(2, registry.versions("g").size());

            ValidationException e = assertThrows(ValidationException.class,
                    () -> registry.save(spec("g", "1.1.0", "changed")));
            assertEquals("template 'g': version 1.1.0 is already saved with different content, and versions do not"
                    + " change: save it as a new version, or force the save to replace it", e.getMessage());
            assertEquals("two {{ name }}", registry.load("g", "1.1.0").template());
            assertEquals("1.0.0", registry.load("g").version(), "a refused save changes nothing");

            registry.save(spec("g", "1.1.0", "changed"), SaveOptions.message("fix").forced());
            assertEquals("changed {{ name }}", registry.load("g", "1.1.0").template());
            assertEquals("fix", registry.versions("g").get(1).message());
        }
    }

    @Test
    void anUnknownVersionOrLabelListsTheKnownOnes() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "staging", "1.1.0", null);
            TemplateNotFoundException v = assertThrows(TemplateNotFoundException.class,
                    () -> registry.load("g", "9.9.9"));
            assertEquals("template 'g': no version 9.9.9 of this template; versions: 1.0.0, 1.1.0", v.getMessage());
            TemplateNotFoundException l = assertThrows(TemplateNotFoundException.class,
                    () -> registry.resolve(TemplateRef.parse("g@production")));
            assertEquals("template 'g': no label 'production' on this template; labels: latest, staging",
                    l.getMessage());
            assertThrows(TemplateNotFoundException.class, () -> registry.resolve(TemplateRef.parse("nope@1.0.0")));
            assertThrows(TemplateNotFoundException.class, () -> registry.versions("nope"));
        }
    }

    // --- labels --------------------------------------------------------------------------------------------------

    @Test
    void labelsPointAtVersionsAndEveryMoveIsKept() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"), SaveOptions.message("created"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", "ship it");
            assertEquals("one {{ name }}", registry.resolve(TemplateRef.parse("g@production")).template());
            assertEquals("two {{ name }}", registry.resolve(TemplateRef.parse("g@latest")).template());
            assertEquals("two {{ name }}", registry.resolve(TemplateRef.parse("g")).template());
            assertEquals("one {{ name }}", registry.resolve(TemplateRef.parse("g@1.0.0")).template());

            registry.moveLabel("g", "production", "1.1.0", "promote");
            registry.moveLabel("g", "production", "1.1.0", "again"); // already there: nothing moves
            registry.removeLabel("g", "production", "retire");
            registry.moveLabel("g", "staging", "1.0.0", null);
            assertEquals(Map.of("latest", "1.1.0", "staging", "1.0.0"), registry.labels("g"));

            List<String> moves = new ArrayList<>();
            for (LabelMove m : registry.labelHistory("g")) {
                moves.add(m.label() + " " + m.from() + " -> " + m.to() + " " + m.message());
                assertEquals(Authors.current(), m.author());
                assertNotNull(m.at());
            }
            assertEquals(List.of("latest null -> 1.0.0 created", "latest 1.0.0 -> 1.1.0 null",
                    "production null -> 1.0.0 ship it", "production 1.0.0 -> 1.1.0 promote",
                    "production 1.1.0 -> null retire", "staging null -> 1.0.0 null"), moves);
        }
    }

    @Test
    void labelMistakesAreRefusedClearly() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"));
            assertEquals("template 'g': the label 'latest' follows the last saved version and cannot be moved by"
                    + " hand; save or roll back instead", assertThrows(ValidationException.class,
                            () -> registry.moveLabel("g", "latest", "1.0.0", null)).getMessage());
            assertThrows(ValidationException.class, () -> registry.moveLabel("g", "1prod", "1.0.0", null));
            assertThrows(TemplateNotFoundException.class, () -> registry.moveLabel("g", "prod", "2.0.0", null));
            assertThrows(TemplateNotFoundException.class, () -> registry.moveLabel("nope", "prod", "1.0.0", null));
            assertThrows(TemplateNotFoundException.class, () -> registry.removeLabel("g", "prod", null));
            assertEquals(Map.of("latest", "1.0.0"), registry.labels("g"));
            assertEquals(1, registry.labelHistory("g").size(), "only the first save's move of latest");
        }
    }

    @Test
    void aLabelledVersionCannotBeDeletedAndAMissingTargetIsReported() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", null);
            ValidationException e = assertThrows(ValidationException.class, () -> registry.deleteVersion("g",
                    "1.0.0"));
            assertEquals("template 'g': version 1.0.0 is labelled production; move or remove those labels first",
                    e.getMessage());
            assertEquals("one {{ name }}", registry.load("g", "1.0.0").template());
        }
        // another tool removes the version behind the label's back
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(10).open(db.toFile(), EnvFlags.MDB_NOTLS)) {
            Dbi<ByteBuffer> versions = env.openDbi(LmdbRegistry.VERSIONS);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                assertTrue(versions.delete(txn, key("g\u00001.0.0")));
                txn.commit();
            }
        }
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class,
                    () -> registry.resolve(TemplateRef.parse("g@production")));
            assertEquals("template 'g': the label 'production' points at version 1.0.0, which no longer exists;"
                    + " versions: 1.1.0", e.getMessage());
        }
    }

    @Test
    void deletingVersionsAndTemplates() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one", Map.of("tags", List.of("a"))));
            registry.save(spec("g", "1.1.0", "two", Map.of("tags", List.of("b"))));
            registry.deleteVersion("g", "1.1.0");
            assertEquals("1.0.0", registry.load("g").version(), "the highest remaining version becomes latest");
            assertEquals(List.of("g"), registry.search(List.of("a"), Map.of()), "and is what the index holds");
            assertEquals(List.of(), registry.search(List.of("b"), Map.of()));
            assertEquals("template 'g': version 1.0.0 is the template's only version; delete the template instead",
                    assertThrows(ValidationException.class, () -> registry.deleteVersion("g", "1.0.0"))
                            .getMessage());
            assertThrows(TemplateNotFoundException.class, () -> registry.deleteVersion("g", "3.0.0"));

            registry.moveLabel("g", "production", "1.0.0", null);
            registry.delete("g");
            assertEquals(List.of(), registry.listIds());
            assertThrows(TemplateNotFoundException.class, () -> registry.load("g", "1.0.0"));
            List<LabelMove> history = registry.labelHistory("g");
            assertEquals(List.of("production 1.0.0 -> null", "latest 1.0.0 -> null"), history.subList(
                    history.size() - 2, history.size()).stream().map(LmdbRegistryHistoryTest::describe).toList(),
                    "the label history outlives the template, with every label's removal");
            registry.save(spec("g", "1.1.0", "new content"));
            assertEquals(List.of("1.1.0"), registry.versions("g").stream().map(VersionInfo::version).toList(),
                    "a deleted template's versions are gone, so its versions can be saved afresh");
        }
    }

    private static String describe(LabelMove m) {
        return m.label() + " " + m.from() + " -> " + m.to();
    }

    // --- batches -------------------------------------------------------------------------------------------------

    @Test
    void aBatchIsSavedOrDeletedWhollyOrNotAtAll() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("kept", "1.0.0", "one"));
            List<TemplateSpec> batch = List.of(spec("a", "1.0.0", "a"), spec("b", "1.0.0", "b"),
                    spec("kept", "1.0.0", "different"));
            ValidationException e = assertThrows(ValidationException.class,
                    () -> registry.saveAll(batch, SaveOptions.DEFAULT));
            assertEquals("kept", e.templateId());
            assertEquals(List.of("kept"), registry.listIds(), "nothing of the refused batch was saved");

            registry.saveAll(batch.subList(0, 2), SaveOptions.message("two at once"));
            assertEquals(List.of("a", "b", "kept"), registry.listIds());
            assertEquals("two at once", registry.versions("b").get(0).message());

            assertThrows(TemplateNotFoundException.class, () -> registry.deleteAll(List.of("a", "missing")));
            assertEquals(List.of("a", "b", "kept"), registry.listIds(), "nothing of the refused batch was deleted");
            registry.deleteAll(List.of("a", "b"));
            assertEquals(List.of("kept"), registry.listIds());
        }
    }

    /** A process killed in the middle of saving batches leaves each batch whole or absent. */
    @Test
    void aProcessKilledMidBatchLeavesWholeBatchesOnly() throws Exception {
        Path db = tmp.resolve("db");
        LmdbRegistry.open(db).close();
        SecondJvm child = secondProcess(db);
        child.send("batches k 500");
        assertEquals("batch 0", child.next());
        assertEquals("batch 1", child.next());
        child.kill(); // SIGKILL, in the middle of a later batch

        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            Map<String, Integer> perBatch = new HashMap<>();
            for (String id : registry.listIds()) {
                perBatch.merge(id.substring(0, id.lastIndexOf('-')), 1, Integer::sum);
            }
            assertTrue(perBatch.size() >= 2, perBatch::toString);
            perBatch.forEach((batch, n) -> assertEquals(500, n, batch + " is whole"));
            assertEquals(registry.listIds().size(), registry.count());
            assertEquals(registry.listIds().size(), registry.stats().versions());
            registry.save(spec("after", "1.0.0", "the database takes writes again"));
        }
    }

    // --- two processes ------------------------------------------------------------------------------------------

    @Test
    void twoProcessesMovingOneLabelBothLandInTheHistory() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "2.0.0", "two"));
        }
        int rounds = 50;
        try (SecondJvm first = secondProcess(db); SecondJvm second = secondProcess(db)) {
            for (int i = 0; i < rounds; i++) {
                first.send("label g production 1.0.0 first-" + i);
                second.send("label g production 2.0.0 second-" + i);
            }
            for (SecondJvm p : List.of(first, second)) {
                for (int i = 0; i < rounds; i++) {
                    assertEquals("ok", p.next());
                }
            }
        }
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            List<LabelMove> moves = registry.labelHistory("g").stream()
                    .filter(m -> m.label().equals("production")).toList();
            String current = registry.labels("g").get("production");
            assertEquals(moves.get(moves.size() - 1).to(), current, "the label is where the last move put it");
            String previous = null;
            for (LabelMove move : moves) {
                assertEquals(previous, move.from(), "each move starts where the one before ended");
                previous = move.to();
            }
            assertTrue(moves.stream().anyMatch(m -> m.message().startsWith("first-")));
            assertTrue(moves.stream().anyMatch(m -> m.message().startsWith("second-")));
        }
    }

    /**
     * A caller that read where a label points, then moves it, is told where it pointed when it moved: here another
     * process moved it in between.
     */
    @Test
    void aLabelMoveReturnsTheMoveRecordedNotTheStateTheCallerRead() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "2.0.0", "two"));
            registry.save(spec("g", "3.0.0", "three"));
            assertNull(registry.moveLabel("g", "production", "1.0.0", null).orElseThrow().from(), "a new label");
            assertEquals("1.0.0", registry.labels("g").get("production"), "what the caller read");
            try (SecondJvm other = secondProcess(db)) {
                assertEquals("ok", other.ask("label g production 2.0.0 elsewhere"));
            }

            LabelMove moved = registry.moveLabel("g", "production", "3.0.0", "here").orElseThrow();
            assertEquals("2.0.0", moved.from());
            assertEquals("3.0.0", moved.to());
            assertEquals("here", moved.message());
            assertEquals(Authors.current(), moved.author());
            List<LabelMove> history = registry.labelHistory("g");
            assertEquals(moved, history.get(history.size() - 1));

            assertEquals(Optional.empty(), registry.moveLabel("g", "production", "3.0.0", "again"),
                    "already there: nothing recorded");
            assertEquals(history, registry.labelHistory("g"));

            LabelMove removed = registry.removeLabel("g", "production", "retire");
            assertEquals(List.of("3.0.0", "retire"), Arrays.asList(removed.from(), removed.message()));
            assertNull(removed.to());
            history = registry.labelHistory("g");
            assertEquals(removed, history.get(history.size() - 1));
        }
    }

    private static SecondJvm secondProcess(Path db) throws Exception {
        return SecondJvm.start(LmdbSecondProcess.class, db.toString(), Long.toString(LmdbRegistry.DEFAULT_MAP_SIZE));
    }

    // --- the original writing beside us -------------------------------------------------------------------------

    /** The original library writes only its own three databases; our history catches up without losing a version. */
    @Test
    void writesByTheOriginalAreRecordedAndIndexedOnOurNextWrite() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one", Map.of("tags", List.of("old"))));
        }
        writeAsTheOriginal(db, spec("g", "1.5.0", "by the original", Map.of("tags", List.of("new"))));
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            assertEquals("1.5.0", registry.load("g").version());
            assertEquals("by the original {{ name }}", registry.load("g", "1.5.0").template());
            assertEquals(List.of("1.0.0", "1.5.0"), registry.versions("g").stream().map(VersionInfo::version)
                    .toList());
            assertNull(registry.versions("g").get(1).savedAt(), "not saved through us: when is unknown");
            assertEquals(List.of("g"), registry.search(List.of("new"), Map.of()), "search reads the records");
            assertEquals(List.of(), registry.search(List.of("old"), Map.of()));
            assertEquals(2, registry.stats().versions());

            registry.save(spec("h", "1.0.0", "other"));
            assertEquals(List.of("g"), registry.search(List.of("new"), Map.of()), "the rebuilt index");
            assertEquals(List.of(), registry.search(List.of("old"), Map.of()));
            registry.save(spec("g", "2.0.0", "two"));
            assertEquals("by the original {{ name }}", registry.load("g", "1.5.0").template(),
                    "the original's version was recorded before it was replaced");
        }
    }

    /**
     * The original's save rewrites a record in place under its version: the version we saved stays what it was, and
     * the rewritten record is an unsaved edit that only the plain id serves, before and after our next write.
     */
    @Test
    void aRecordTheOriginalRewroteUnderASavedVersionLeavesThatVersionAsSaved() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.3", "saved"));
            registry.moveLabel("g", "production", "1.0.3", "ship");
            assertEquals(java.util.Optional.empty(), registry.unsavedEdit("g"));
        }
        writeAsTheOriginal(db, spec("g", "1.0.3", "edited in place"));
        for (int pass = 0; pass < 2; pass++) {
            try (LmdbRegistry registry = LmdbRegistry.open(db)) {
                assertEquals("edited in place {{ name }}", registry.load("g").template());
                assertEquals("saved {{ name }}", registry.load("g", "1.0.3").template());
                assertEquals("saved {{ name }}", registry.resolve(TemplateRef.parse("g@production")).template());
                assertEquals(java.util.Optional.of("1.0.3"), registry.unsavedEdit("g"));
                registry.save(spec("other", "1.0.0", "a write of ours, which records nothing over the edit"));
            }
        }
    }

    private static void writeAsTheOriginal(Path db, TemplateSpec spec) {
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(10).open(db.toFile(), EnvFlags.MDB_NOTLS)) {
            Dbi<ByteBuffer> templates = env.openDbi(LmdbRegistry.TEMPLATES, DbiFlags.MDB_CREATE);
            Dbi<ByteBuffer> index = env.openDbi(LmdbRegistry.VERSION_INDEX, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                templates.put(txn, key(spec.id()), value(MsgPackCodec.encode(
                        io.promptlightning.internal.SpecRecords.toRecord(spec))));
                index.put(txn, key(spec.id() + ":" + spec.version()), key(spec.id()));
                txn.commit();
            }
        }
    }

    // --- search --------------------------------------------------------------------------------------------------

    @Test
    void searchByTagsAndMetadataThroughTheIndex() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("a", "1.0.0", "a", Map.of("tags", List.of("rag", "chat"), "author", "ada")));
            registry.save(spec("b", "1.0.0", "b", Map.of("tags", List.of("rag"), "author", "bob", "tier", 2)));
            registry.save(spec("c", "1.0.0", "c", Map.of("tags", "rag", "reviewed", true,
                    "use_cases", List.of("Q&A", "support"))));
            assertEquals(List.of("a", "b", "c"), registry.search(List.of("rag"), Map.of()));
            assertEquals(List.of("a"), registry.search(List.of("rag"), Map.of("author", "ada")));
            assertEquals(List.of("a"), registry.search(List.of("rag", "chat"), Map.of()));
            assertEquals(List.of("b"), registry.search(List.of(), Map.of("tier", "2")));
            assertEquals(List.of("c"), registry.search(List.of(), Map.of("reviewed", "true")));
            assertEquals(List.of("c"), registry.search(List.of(), Map.of("use_cases", "Q&A")));
            assertEquals(List.of(), registry.search(List.of("nothing"), Map.of()));
            assertEquals(List.of("a", "b", "c"), registry.search(List.of(), Map.of()));

            registry.save(spec("a", "1.1.0", "a", Map.of("tags", List.of("chat"), "author", "ada")));
            assertEquals(List.of("b", "c"), registry.search(List.of("rag"), Map.of()),
                    "the index follows the latest version");
            registry.delete("b");
            assertEquals(List.of("c"), registry.search(List.of("rag"), Map.of()));
        }
    }

    // --- storage features ----------------------------------------------------------------------------------------

    @Test
    void readOnlyRefusesEveryWriteAndChangesNothing() {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.moveLabel("g", "production", "1.0.0", null);
        }
        try (LmdbRegistry registry = LmdbRegistry.builder(db).readOnly(true).build()) {
            assertTrue(registry.readOnly());
            TemplateSpec other = spec("g", "2.0.0", "two");
            List<Executable> writes = List.of(() -> registry.save(other), () -> registry.saveAll(List.of(other),
                    SaveOptions.DEFAULT), () -> registry.delete("g"), () -> registry.deleteAll(List.of("g")),
                    () -> registry.deleteVersion("g", "1.0.0"), () -> registry.moveLabel("g", "x", "1.0.0", null),
                    () -> registry.removeLabel("g", "production", null),
                    () -> registry.importHistory(List.of(), ImportMode.REPLACE_ALL));
            for (Executable write : writes) {
                RegistryException e = assertThrows(RegistryException.class, write);
                assertEquals("the registry is read-only", e.detail());
                assertEquals(db, e.file());
            }
            assertEquals("1.0.0", registry.resolve(TemplateRef.parse("g@production")).version());
            assertEquals(List.of("g"), registry.listIds());
        }
    }

    /** On a medium where not even LMDB's lock file can be written, a read-only registry still reads. */
    @Test
    void readOnlyWorksWhereNothingCanBeWritten() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
        }
        List<Path> locked = List.of(db.resolve("data.mdb"), db.resolve("lock.mdb"), db);
        try (AutoCloseable unlock = immutable(locked)) {
            try (LmdbRegistry registry = LmdbRegistry.builder(db).readOnly(true).build()) {
                assertEquals("one {{ name }}", registry.load("g", "1.0.0").template());
                assertThrows(RegistryException.class, () -> registry.save(spec("h", "1.0.0", "x")));
            }
        }
    }

    /** Files that nobody may change, not even root: the immutable attribute. */
    private static AutoCloseable immutable(List<Path> paths) throws Exception {
        for (Path p : paths) {
            Process chattr = new ProcessBuilder("chattr", "+i", p.toString()).redirectErrorStream(true).start();
            String output = new String(chattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(chattr.waitFor() == 0, () -> "cannot make " + p + " immutable: " + output);
        }
        return () -> {
            for (Path p : paths) {
                new ProcessBuilder("chattr", "-i", p.toString()).inheritIO().start().waitFor();
            }
        };
    }

    @Test
    void compressedHistoryReadsTheSameAndIsSmaller() throws Exception {
        String text = String.join("\n", java.util.Collections.nCopies(40,
                "You are a careful assistant. Answer the question about {{ topic }} in a friendly tone."));
        Path plain = tmp.resolve("plain");
        Path compressed = tmp.resolve("compressed");
        for (Path db : List.of(plain, compressed)) {
            try (LmdbRegistry registry = LmdbRegistry.builder(db).compressHistory(db == compressed).build()) {
                registry.save(spec("g", "1.0.0", text));
                registry.save(spec("g", "1.1.0", text + "!"));
            }
        }
        Map<String, byte[]> plainVersions = raw(plain, LmdbRegistry.VERSIONS);
        Map<String, byte[]> compressedVersions = raw(compressed, LmdbRegistry.VERSIONS);
        for (String key : plainVersions.keySet()) {
            assertTrue(compressedVersions.get(key).length * 4 < plainVersions.get(key).length, key);
            assertEquals("deflate", ((Map<?, ?>) MsgPackCodec.decode(compressedVersions.get(key))).get("encoding"));
        }
        assertFalse(new String(raw(compressed, LmdbRegistry.TEMPLATES).get("g"), StandardCharsets.UTF_8)
                .isEmpty());
        try (LmdbRegistry reader = LmdbRegistry.open(compressed)) { // opened without the option: readers need none
            assertEquals(text + " {{ name }}", reader.load("g", "1.0.0").template());
            try (LmdbRegistry plainReader = LmdbRegistry.open(plain)) {
                assertEquals(plainReader.history("g").versions().stream().map(SavedVersion::spec).toList(),
                        reader.history("g").versions().stream().map(SavedVersion::spec).toList());
            }
        }
    }

    @Test
    void backupIsAConsistentCopyThatOpensWithItsHistory() throws Exception {
        Path backup = tmp.resolve("backup");
        try (LmdbRegistry registry = open()) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", "ok");
            registry.backup(backup);
            registry.save(spec("g", "1.2.0", "after the backup"));

            RegistryException exists = assertThrows(RegistryException.class, () -> registry.backup(backup));
            assertEquals("the backup destination already exists; a backup goes to a new directory", exists.detail());
            assertEquals(backup, exists.file());
            try (LmdbRegistry copy = LmdbRegistry.open(backup)) {
                assertEquals(List.of("1.0.0", "1.1.0"), copy.versions("g").stream().map(VersionInfo::version)
                        .toList());
                assertEquals("1.0.0", copy.resolve(TemplateRef.parse("g@production")).version());
                assertEquals(registry.labelHistory("g").subList(0, 3), copy.labelHistory("g"));
            }
            Path lockedParent = Files.createDirectory(tmp.resolve("locked"));
            try (AutoCloseable unlock = LocalRegistryTest.readOnly(lockedParent)) {
                RegistryException e = assertThrows(RegistryException.class,
                        () -> registry.backup(lockedParent.resolve("b")));
                assertTrue(e.detail().startsWith("cannot create the backup directory"), e::detail);
            }
            assertFalse(Files.exists(lockedParent.resolve("b")));
            assertThrows(RegistryException.class, () -> registry.backup(tmp.resolve("no/such/parent/b")));
        }
    }

    // --- import and history ------------------------------------------------------------------------------------

    @Test
    void historyMovesToAnotherRegistryWithoutLoss() {
        TemplateHistory exported;
        try (LmdbRegistry registry = LmdbRegistry.open(tmp.resolve("a"))) {
            registry.save(spec("g", "1.0.0", "one"), SaveOptions.message("m1"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", "p");
            exported = registry.history("g");
        }
        try (LmdbRegistry target = LmdbRegistry.open(tmp.resolve("b"))) {
            target.save(spec("other", "1.0.0", "x"));
            target.importHistory(List.of(exported), ImportMode.ADD);
            assertEquals(exported, target.history("g"));
            assertEquals(List.of("g", "other"), target.listIds());

            ValidationException e = assertThrows(ValidationException.class,
                    () -> target.importHistory(List.of(exported), ImportMode.ADD));
            assertTrue(e.detail().startsWith("already in the registry: g"), e::detail);
            target.importHistory(List.of(exported), ImportMode.REPLACE_IDS);
            assertEquals(exported, target.history("g"));

            target.importHistory(List.of(exported), ImportMode.REPLACE_ALL);
            assertEquals(List.of("g"), target.listIds());
            assertEquals(1, target.count());
        }
    }

    @Test
    void anInvalidImportWritesNothing() {
        try (LmdbRegistry registry = open()) {
            registry.save(spec("kept", "1.0.0", "one"));
            TemplateHistory good = history(spec("good", "1.0.0", "fine"));
            TemplateHistory broken = new TemplateHistory("bad", List.of(saved(spec("bad", "1.0.0", "{% if %}"))),
                    "1.0.0", Map.of(), List.of());
            ValidationException syntax = assertThrows(ValidationException.class,
                    () -> registry.importHistory(List.of(good, broken), ImportMode.REPLACE_ALL));
            assertEquals("bad", syntax.templateId());
            ValidationException twice = assertThrows(ValidationException.class,
                    () -> registry.importHistory(List.of(good, good), ImportMode.ADD));
            assertEquals("template 'good': the template appears twice in the import", twice.getMessage());
            TemplateHistory danglingLabel = new TemplateHistory("d", List.of(saved(spec("d", "1.0.0", "x"))),
                    "1.0.0", Map.of("production", "2.0.0"), List.of());
            assertThrows(ValidationException.class,
                    () -> registry.importHistory(List.of(danglingLabel), ImportMode.ADD));
            assertEquals(List.of("kept"), registry.listIds());
        }
    }

    private static SavedVersion saved(TemplateSpec spec) {
        return new SavedVersion(spec, new VersionInfo(spec.version(), Instant.ofEpochMilli(1_700_000_000_000L),
                "ada", null));
    }

    private static TemplateHistory history(TemplateSpec spec) {
        return new TemplateHistory(spec.id(), List.of(saved(spec)), spec.version(), Map.of(), List.of());
    }

    @Test
    void statsCountTemplatesVersionsAndLabels() {
        try (LmdbRegistry registry = open()) {
            RegistryStats empty = registry.stats();
            assertEquals(0, empty.templates());
            assertNull(empty.lastModified());
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.save(spec("h", "1.0.0", "one"));
            registry.moveLabel("g", "production", "1.0.0", null);
            RegistryStats stats = registry.stats();
            assertEquals(2, stats.templates());
            assertEquals(3, stats.versions());
            assertEquals(1, stats.labels());
            assertEquals(LmdbRegistry.DEFAULT_MAP_SIZE, stats.mapSize());
            assertTrue(stats.usedBytes() > 0 && stats.usedBytes() < stats.mapSize());
            assertNotNull(stats.lastModified());
        }
    }

    // --- the Vault -----------------------------------------------------------------------------------------------

    @Test
    void theVaultServesLabelsFreshAndPinnedVersionsForGood() {
        try (Vault vault = Vault.ofLmdb(tmp.resolve("db"))) {
            Registry registry = vault.registry();
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", null);
            TemplateHandle production = vault.get("g@production");
            assertEquals("1.0.0", production.version());
            TemplateHandle pinned = vault.get("g@1.1.0");
            assertEquals("1.1.0", pinned.version());
            assertEquals("two World", vault.get("g").render(Map.of("name", "World")));

            registry.moveLabel("g", "production", "1.1.0", null);
            assertEquals("1.1.0", vault.get("g@production").version(), "never stale once the move is visible");
            assertTrue(pinned == vault.get("g@1.1.0"), "a pinned version stays cached");
            assertThrows(TemplateNotFoundException.class, () -> vault.get("g@staging"));
            assertThrows(ValidationException.class, () -> vault.get("g@!"));
        }
    }

    @Test
    void theVaultsDefaultLabelServesPlainIds() {
        try (Vault vault = Vault.builder(LmdbRegistry.open(tmp.resolve("db"))).defaultLabel("production").build()) {
            Registry registry = vault.registry();
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "1.1.0", "two"));
            registry.moveLabel("g", "production", "1.0.0", null);
            assertEquals("1.0.0", vault.get("g").version());
            assertEquals("1.1.0", vault.get("g@latest").version());
            registry.save(spec("new", "1.0.0", "n"));
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class, () -> vault.get("new"));
            assertTrue(e.detail().startsWith("no label 'production'"), e::detail);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static ByteBuffer key(String text) {
        return value(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer value(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }

    private static Map<String, byte[]> raw(Path db, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(10).open(db.toFile(), EnvFlags.MDB_NOTLS,
                EnvFlags.MDB_RDONLY_ENV)) {
            Dbi<ByteBuffer> dbi = env.openDbi(name);
            try (Txn<ByteBuffer> txn = env.txnRead(); var cursor = dbi.openCursor(txn)) {
                if (cursor.first()) {
                    do {
                        byte[] k = new byte[cursor.key().remaining()];
                        cursor.key().get(k);
                        byte[] v = new byte[cursor.val().remaining()];
                        cursor.val().get(v);
                        out.put(new String(k, StandardCharsets.UTF_8), v);
                    } while (cursor.next());
                }
            }
        }
        return out;
    }
}
