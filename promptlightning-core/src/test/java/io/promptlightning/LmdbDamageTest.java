package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.junit.jupiter.api.io.TempDir;

/** Damaged LMDB files: each is refused with a clear error before LMDB follows it, and nothing is written over it. */
class LmdbDamageTest {
    @TempDir
    Path tmp;

    private static TemplateSpec spec(String id, String version, String text) {
        return new TemplateSpec(id, version, "about " + id, text + " {{ name }}",
                Map.of("name", InputSpec.of(InputType.STRING, true)), Map.of("team", "core"));
    }

    /** A database of 60 templates of about 2 KB, so that its file has branch, leaf and overflow pages. */
    private Path database() {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            List<TemplateSpec> specs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                specs.add(spec("t" + i, "1.0.0", ("MARKER-" + i + " ").repeat(i % 3 == 0 ? 600 : 150)));
            }
            registry.saveAll(specs, SaveOptions.message("seed"));
            registry.moveLabel("t1", "production", "1.0.0", "ship");
        }
        return db;
    }

    /** A copy of the database the original library wrote. */
    private Path seedCopy() throws Exception {
        Path db = Files.createDirectories(tmp.resolve("seed"));
        LmdbRegistryTest.copySeed(db);
        return db;
    }

    private static Path dataFile(Path db) {
        return db.resolve(LmdbFile.DATA_FILE);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    @Test
    void aTruncatedDataFileIsRefusedBeforeLmdbMapsIt() throws Exception {
        Path db = database();
        long required = LmdbFile.checkHeader(dataFile(db)).requiredBytes();
        assertTrue(required > 100_000, "the database spans many pages: " + required);
        for (long size : new long[] {8192, 100_000, required / 2, required - 1}) {
            Path copy = Files.createDirectories(tmp.resolve("copy-" + size));
            Files.copy(dataFile(db), dataFile(copy));
            truncate(dataFile(copy), size);
            for (boolean readOnly : new boolean[] {false, true}) {
                RegistryException e = assertThrows(RegistryException.class,
                        () -> LmdbRegistry.builder(copy).readOnly(readOnly).build().close());
                assertEquals("the database file is truncated: " + size + " bytes, expected at least " + required
                        + "; restore it from a backup", e.detail());
                assertEquals(dataFile(copy), e.file());
            }
            assertEquals(size, Files.size(dataFile(copy)), "nothing was written to the damaged file");
        }
    }

    @Test
    void anEmptyDataFileIsRefusedAndNoDatabaseIsCreatedOverIt() throws Exception {
        Path db = database();
        truncate(dataFile(db), 0);
        for (boolean readOnly : new boolean[] {false, true}) {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> LmdbRegistry.builder(db).readOnly(readOnly).build().close());
            assertTrue(e.detail().startsWith("the database file is empty (0 bytes)"), e.detail());
        }
        assertEquals(0, Files.size(dataFile(db)), "a save never starts a new database over the damaged file");
    }

    @Test
    void aDamagedPageIsReportedInsteadOfFollowed() throws Exception {
        Path db = database();
        LmdbFile.Meta meta = LmdbFile.checkHeader(dataFile(db));
        long page = meta.main().root(); // the main database's only page: the named databases are its entries
        assertEquals(1, meta.main().depth());
        try (RandomAccessFile raf = new RandomAccessFile(dataFile(db).toFile(), "rw")) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            raf.seek(page * meta.pageSize());
            raf.readFully(header.array());
            assertEquals(page, header.getLong(0));
            header.putShort(12, (short) 0xFFF0); // the lower bound of its free space, past its upper bound
            raf.seek(page * meta.pageSize());
            raf.write(header.array());
        }
        byte[] before = Files.readAllBytes(dataFile(db));
        RegistryException e = assertThrows(RegistryException.class, () -> LmdbRegistry.open(db).close());
        assertTrue(e.detail().contains("impossible bounds"), e.detail());
        assertTrue(e.detail().contains("restore the database from a backup"), e.detail());
        assertArrayEquals(before, Files.readAllBytes(dataFile(db)));
    }

    /** Replaces every occurrence of {@code from} in the data file with {@code to}, of the same length. */
    private static int replaceInFile(Path file, String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        int count = 0;
        outer:
        for (int i = 0; i + a.length <= bytes.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (bytes[i + j] != a[j]) {
                    continue outer;
                }
            }
            System.arraycopy(b, 0, bytes, i, b.length);
            count++;
        }
        Files.write(file, bytes);
        return count;
    }

    @Test
    void aChangedRecordFailsItsChecksumNamingTheTemplateWhileOthersLoad() throws Exception {
        Path db = database();
        assertTrue(replaceInFile(dataFile(db), "MARKER-7 ", "MARKER-8 ") >= 2); // its latest record and its version
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            RegistryException latest = assertThrows(RegistryException.class, () -> registry.load("t7"));
            assertEquals("t7", latest.templateId());
            assertTrue(latest.detail().contains("its record does not match the checksum"), latest.detail());
            RegistryException version = assertThrows(RegistryException.class, () -> registry.load("t7", "1.0.0"));
            assertTrue(version.detail().contains("its version 1.0.0 does not match"), version.detail());
            assertEquals("t6", registry.load("t6").id());
            assertEquals("t1", registry.resolve(TemplateRef.parse("t1@production")).id());
        }
    }

    @Test
    void aChangedLabelFailsItsChecksum() throws Exception {
        Path db = database();
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("t1", "1.0.1", "next"));
        }
        // the label's value "1.0.0" stored next to its key "t1\0production"
        assertEquals(1, replaceInFile(dataFile(db), "production1.0.0", "production1.0.1"));
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> registry.resolve(TemplateRef.parse("t1@production")));
            assertTrue(e.detail().contains("its label 'production' does not match"), e.detail());
            assertThrows(RegistryException.class, () -> registry.labels("t1"));
        }
    }

    @Test
    void theOriginalsDatabaseGetsChecksumsAtOurFirstWrite() throws Exception {
        Path db = seedCopy();
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            assertEquals("multi-input-template", registry.load("multi-input-template").id()); // no checksums: read
            registry.save(spec("ours", "1.0.0", "written by us"));
        }
        assertTrue(replaceInFile(dataFile(db), "customer_name", "customer_nama") >= 1);
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            RegistryException e = assertThrows(RegistryException.class, () -> registry.load("multi-input-template"));
            assertTrue(e.detail().contains("checksum"), e.detail());
            assertEquals("ours", registry.load("ours").id());
        }
    }

    @Test
    void aReadOnlyHandleFindsHistoryDatabasesCreatedAfterItOpened() throws Exception {
        Path db = seedCopy();
        try (LmdbRegistry reader = LmdbRegistry.builder(db).readOnly(true).build()) {
            assertEquals(List.of(), reader.labelHistory("multi-input-template"));
            try (SecondJvm writer = SecondJvm.start(LmdbSecondProcess.class, db.toString(),
                    Long.toString(LmdbRegistry.DEFAULT_MAP_SIZE))) {
                assertEquals("ok", writer.ask("save fresh 1.0.0"));
                assertEquals("ok", writer.ask("label fresh production 1.0.0 first"));
                assertEquals("bye", writer.ask("quit"));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (reader.labelHistory("fresh").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<LabelMove> moves = reader.labelHistory("fresh");
            assertEquals(List.of("latest", "production"), moves.stream().map(LabelMove::label).toList());
            assertEquals(Map.of("latest", "1.0.0", "production", "1.0.0"), reader.labels("fresh"));
        }
    }

    // --- verify --------------------------------------------------------------------------------------------------

    @Test
    void verifyFindsASoundDatabaseSoundAndCountsIt() throws Exception {
        Path db = database();
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("t1", "1.1.0", "a second version"));
        }
        VerifyReport report = LmdbRegistry.verify(db);
        assertEquals(List.of(), report.problems());
        assertEquals(60, report.templates());
        assertEquals(61, report.versions());
        assertEquals("lmdb", report.kind());
    }

    @Test
    void verifyAcceptsTheOriginalsDatabaseAsItWroteIt() throws Exception {
        Path db = seedCopy();
        VerifyReport report = LmdbRegistry.verify(db);
        assertEquals(List.of(), report.problems());
        assertEquals(25, report.templates());
    }

    @Test
    void verifyReportsATruncatedFileAndAChangedRecord() throws Exception {
        Path db = database();
        Path truncated = Files.createDirectories(tmp.resolve("truncated"));
        Files.copy(dataFile(db), dataFile(truncated));
        truncate(dataFile(truncated), 100_000);
        VerifyReport cut = LmdbRegistry.verify(truncated);
        assertEquals(1, cut.problems().size(), cut.problems()::toString);
        assertTrue(cut.problems().get(0).message().startsWith("the database file is truncated: 100000 bytes"),
                cut.problems()::toString);

        replaceInFile(dataFile(db), "MARKER-7 ", "MARKER-8 ");
        VerifyReport changed = LmdbRegistry.verify(db);
        assertEquals(List.of("t7"), changed.problems().stream().map(Problem::templateId).toList());
        assertTrue(changed.problems().get(0).message().contains("does not match the checksum"),
                changed.problems()::toString);
        assertEquals(59, changed.templates());
    }

    @Test
    void verifyReportsATemplateIdWithoutItsChecksum() throws Exception {
        Path db = database();
        ByteBuffer key = ByteBuffer.allocateDirect(4).put("T\0t5".getBytes(StandardCharsets.US_ASCII)).flip();
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(LmdbRegistry.MAX_DBS).open(db.toFile(),
                EnvFlags.MDB_NOTLS)) {
            Dbi<ByteBuffer> checksums = env.openDbi(LmdbRegistry.CHECKSUMS);
            Dbi<ByteBuffer> info = env.openDbi(LmdbRegistry.INFO);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                assertTrue(checksums.delete(txn, key));
                // recorded as our own last write, as a checksum lost on disk would leave it
                ByteBuffer name = ByteBuffer.allocateDirect(LmdbRegistry.INDEXED_TXN.length())
                        .put(LmdbRegistry.INDEXED_TXN.getBytes(StandardCharsets.US_ASCII)).flip();
                info.put(txn, name, ByteBuffer.allocateDirect(8).putLong(txn.getId()).flip());
                txn.commit();
            }
        }
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            RegistryException e = assertThrows(RegistryException.class, registry::listIds);
            assertEquals("t5", e.templateId());
            assertTrue(e.detail().contains("the id of this template has no checksum"), e.detail());
        }
        VerifyReport report = LmdbRegistry.verify(db);
        assertEquals(List.of("t5"), report.problems().stream().map(Problem::templateId).toList());
        assertTrue(report.problems().get(0).message().contains("has no checksum"), report.problems()::toString);
    }
}
