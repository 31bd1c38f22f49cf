package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/** Against real LMDB databases: one written by the original library, and ones we write. */
class LmdbRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    // --- reading what the original wrote -------------------------------------------------------------------------

    @Test
    void readsEveryRecordOfTheOriginalsDatabaseIdentically() throws Exception {
        Map<String, Object> expected = expectedSeed();
        try (LmdbRegistry registry = LmdbRegistry.open(seedCopy())) {
            assertEquals(new ArrayList<>(expected.keySet()), registry.listIds());
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                TemplateSpec spec = registry.load(e.getKey());
                assertSameValue(e.getKey(), e.getValue(), SpecRecords.toRecord(spec));
            }
            assertEquals(25, registry.count());
            assertEquals(Optional.of(Instant.ofEpochSecond(1795487290L)), registry.lastModified());
        }
    }

    @Test
    void keepsIntFloatAndOrderOfTheOriginalsValues() throws Exception {
        try (LmdbRegistry registry = LmdbRegistry.open(seedCopy())) {
            TemplateSpec v38 = registry.load("pub_gen_v38");
            assertEquals(Double.class, v38.metadata().get("score").getClass());
            assertEquals(-129L, v38.metadata().get("count"));
            Map<?, ?> def = (Map<?, ?>) v38.inputs().get("ζήτα_0").defaultValue();
            assertEquals(List.of("quote\"d", "tab\tsep", "alpha"), new ArrayList<>(def.keySet()));
            assertEquals(-2147483649L, def.get("alpha"));
            TemplateSpec multi = registry.load("multi-input-template");
            assertEquals(99.99, multi.inputs().get("price").defaultValue());
            assertEquals(List.of("title", "customer_name", "product", "features", "price", "available", "details",
                    "sender_name", "company", "contact_info", "tags", "priority"),
                    new ArrayList<>(multi.inputs().keySet()));
        }
    }

    @Test
    void readOnlyOpensTheOriginalsDatabaseAndRefusesWrites() throws Exception {
        Path dir = seedCopy();
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).readOnly(true).build()) {
            assertEquals(25, registry.listIds().size());
            assertEquals("1.0.0", registry.load("analyzer").version());
            RegistryException e = assertThrows(RegistryException.class,
                    () -> registry.save(registry.load("analyzer").withVersion("2.0.0")));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(RegistryException.class, () -> registry.delete("analyzer"));
            RegistryException shared = assertThrows(RegistryException.class, () -> LmdbRegistry.open(dir));
            assertTrue(shared.getMessage().contains("read-only"), shared.getMessage());
        }
        try (LmdbRegistry registry = LmdbRegistry.open(dir)) {
            assertEquals("1.0.0", registry.load("analyzer").version());
        }
    }

    @Test
    void legacyIdsWithAnyCharacterListLoadAndCanBeSavedAgain() throws Exception {
        Path dir = seedCopy();
        List<String> legacy = List.of("a", "with space", "a:b", "dir/name", "emoji🚀", "日本語", "../up", "x".repeat(300));
        rawWrite(dir, (txn, dbs) -> {
            for (String id : legacy) {
                Map<String, Object> record = record(id, "1.0.0", "Hi {{ name }}");
                dbs.templates.put(txn, direct(id), direct(MsgPackCodec.encode(record)));
                dbs.versionIndex.put(txn, direct(id + ":1.0.0"), direct(id));
            }
        });
        try (LmdbRegistry registry = LmdbRegistry.open(dir)) {
            List<String> ids = registry.listIds();
            List<String> sortedByUtf8 = new ArrayList<>(ids);
            sortedByUtf8.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(sortedByUtf8, ids, "LMDB key order is bytewise UTF-8");
            assertEquals(25 + legacy.size(), ids.size());
            for (String id : legacy) {
                assertTrue(ids.contains(id), id);
                TemplateSpec spec = registry.load(id);
                assertEquals(id, spec.id());
                assertEquals("Hi World", spec.compile().render(Map.of("name", "World")));
                assertEquals(spec, registry.load(id, "1.0.0"), id);
            }
            // an existing legacy id may be saved again, though it could not be created now
            TemplateSpec bumped = registry.load("a:b").withVersion("1.1.0");
            registry.save(bumped);
            assertEquals("1.1.0", registry.load("a:b").version());
            assertEquals("1.0.0", registry.load("a:b", "1.0.0").version(), "the version it replaced stays");
            assertEquals(bumped, registry.load("a:b", "1.1.0"));
            // saving "a" leaves "a:b"'s entry alone though it starts with "a:"
            registry.save(registry.load("a").withVersion("2.0.0"));
            registry.delete("with space");
            assertThrows(TemplateNotFoundException.class, () -> registry.load("with space"));
            assertEquals(25 + legacy.size() - 1, registry.count());
        }
        Map<String, String> index = rawVersionIndex(dir);
        assertEquals("a:b", index.get("a:b:1.1.0"));
        assertFalse(index.containsKey("a:b:1.0.0"), "the previous version's index entry is removed");
        assertFalse(index.containsKey("with space:1.0.0"));
        assertEquals("a", index.get("a:2.0.0"));
        assertFalse(index.containsKey("a:1.0.0"));
        assertEquals(legacy.size() - 1, index.keySet().stream().filter(k -> !k.startsWith("pub_")
                && !List.of("analyzer:", "multi-input-template:", "summarizer:").stream().anyMatch(k::startsWith))
                .count(), "one entry per template: " + index.keySet());
    }

    @Test
    void savingTheOriginalsRecordsAgainWritesTheOriginalsBytes() throws Exception {
        Path seed = seedCopy();
        Path ours = tmp.resolve("resaved");
        try (LmdbRegistry from = LmdbRegistry.open(seed); LmdbRegistry to = LmdbRegistry.open(ours)) {
            for (String id : from.listIds()) {
                to.save(from.load(id));
            }
        }
        Map<String, byte[]> original = rawDatabase(seed, LmdbRegistry.TEMPLATES);
        Map<String, byte[]> written = rawDatabase(ours, LmdbRegistry.TEMPLATES);
        assertEquals(original.keySet(), written.keySet());
        for (String id : original.keySet()) {
            assertTrue(Arrays.equals(original.get(id), written.get(id)), id + ": bytes differ from the original's");
        }
        assertEquals(rawVersionIndex(seed), rawVersionIndex(ours));
        assertEquals(rawMetadata(seed).get("count"), rawMetadata(ours).get("count"));
    }

    // --- writing -------------------------------------------------------------------------------------------------

    @Test
    void savesLoadsAndKeepsTheIndexAndMetadataExact() throws Exception {
        Path dir = tmp.resolve("db");
        long before = Instant.now().getEpochSecond();
        try (LmdbRegistry registry = LmdbRegistry.open(dir)) {
            assertTrue(Files.isRegularFile(dir.resolve("data.mdb")));
            assertEquals(List.of(), registry.listIds());
            assertEquals(0, registry.count());
            assertEquals(Optional.empty(), registry.lastModified());

            TemplateSpec greeting = greeting("greeting", "1.0.0");
            registry.save(greeting);
            assertEquals(greeting, registry.load("greeting"));
            registry.save(greeting.withVersion("1.1.0"));
            registry.save(greeting.withVersion("1.2.0"));
            registry.save(greeting("other", "0.1.0"));
            assertEquals(List.of("greeting", "other"), registry.listIds());
            assertEquals(2, registry.count(), "count is the number of templates, not of saves");
            assertEquals(greeting, registry.load("greeting", "1.0.0"),
                    "an old version is served with its own content, not the latest (the original's bug)");
            assertEquals("1.2.0", registry.load("greeting", "1.2.0").version());
            assertThrows(TemplateNotFoundException.class, () -> registry.load("missing", "1.0.0"));
            long modified = registry.lastModified().orElseThrow().getEpochSecond();
            assertTrue(modified >= before && modified <= Instant.now().getEpochSecond() + 1, "" + modified);

            registry.delete("other");
            assertThrows(TemplateNotFoundException.class, () -> registry.load("other"));
            TemplateNotFoundException missing = assertThrows(TemplateNotFoundException.class,
                    () -> registry.delete("other"));
            assertEquals("other", missing.templateId());
            assertEquals(1, registry.count());
        }
        assertEquals(Map.of("greeting:1.2.0", "greeting"), rawVersionIndex(dir));
        Map<String, Object> metadata = rawMetadata(dir);
        assertEquals(1L, metadata.get("count"));
        assertInstanceOf(Long.class, metadata.get("last_modified"));
        try (LmdbRegistry reopened = LmdbRegistry.open(dir)) {
            assertEquals("1.2.0", reopened.load("greeting").version());
        }
    }

    @Test
    void refusesInvalidNewIdsAndUnstorableValues() throws Exception {
        try (LmdbRegistry registry = LmdbRegistry.open(tmp.resolve("db"))) {
            for (String bad : List.of("../x", "a b", "a/b", "-lead", "x".repeat(129), "a..b", "emoji🚀")) {
                ValidationException e = assertThrows(ValidationException.class,
                        () -> registry.save(greeting(bad, "1.0.0")), bad);
                assertTrue(e.getMessage().contains("invalid template id"), e.getMessage());
            }
            assertThrows(ValidationException.class, () -> registry.save(greeting("bell\u0007", "1.0.0")));
            assertThrows(ValidationException.class, () -> registry.save(greeting("line\nbreak", "1.0.0")));

            Map<String, Object> huge = Map.of("n", BigInteger.ONE.shiftLeft(70));
            TemplateSpec unstorable = new TemplateSpec("big-number", "1.0.0", null, "x", Map.of(), huge);
            ValidationException e = assertThrows(ValidationException.class, () -> registry.save(unstorable));
            assertEquals("big-number", e.templateId());
            assertTrue(e.getMessage().contains("64 bits"), e.getMessage());

            assertEquals(List.of(), registry.listIds(), "nothing was written");
            assertEquals(0, registry.count());
        }
    }

    @Test
    void aFullMapGrowsAndTheWriteIsRetried() throws Exception {
        Path dir = tmp.resolve("tiny");
        long initial = 64 * 1024;
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).mapSize(initial).build()) {
            assertEquals(initial, registry.mapSize());
            String body = "y".repeat(3000);
            for (int i = 0; i < 300; i++) {
                registry.save(template("t" + i, body + i));
            }
            // one record far larger than the map: several doublings for one write
            registry.save(template("huge", "z".repeat(4 << 20)));
            assertTrue(registry.mapSize() >= 8L << 20, "map size " + registry.mapSize());
            assertEquals(301, registry.count());
            for (int i = 0; i < 300; i++) {
                assertEquals(body + i, registry.load("t" + i).template());
            }
            assertEquals(4 << 20, registry.load("huge").template().length());
        }
        try (LmdbRegistry reopened = LmdbRegistry.builder(dir).mapSize(initial).build()) {
            assertTrue(reopened.mapSize() > initial, "an existing larger database keeps its size");
            assertEquals(301, reopened.listIds().size());
        }
    }

    // --- bad input -----------------------------------------------------------------------------------------------

    @Test
    void aCorruptedRecordFailsNamingItsIdWhileOthersLoad() throws Exception {
        Path dir = seedCopy();
        byte[] valid = MsgPackCodec.encode(record("truncated", "1.0.0", "Hello {{ name }}"));
        Map<String, byte[]> corrupt = new LinkedHashMap<>();
        corrupt.put("garbage", new byte[] {(byte) 0xc1, 0x00, 0x13, 0x37});
        corrupt.put("truncated", Arrays.copyOf(valid, valid.length / 2));
        corrupt.put("not-a-map", MsgPackCodec.encode("just a string"));
        corrupt.put("bad-utf8", HexFormat.of().parseHex("81a26964a2c328"));
        corrupt.put("wrong-id", MsgPackCodec.encode(record("someone-else", "1.0.0", "x")));
        Map<String, Object> badType = record("bad-type", "1.0.0", "{{ a }}");
        badType.put("inputs", Map.of("a", Map.of("type", "nonsense")));
        corrupt.put("bad-type", MsgPackCodec.encode(badType));
        corrupt.put("bad-version", MsgPackCodec.encode(record("bad-version", "one", "x")));
        rawWrite(dir, (txn, dbs) -> corrupt.forEach((id, bytes) -> dbs.templates.put(txn, direct(id), direct(bytes))));

        try (LmdbRegistry registry = LmdbRegistry.open(dir)) {
            assertTrue(registry.listIds().containsAll(corrupt.keySet()));
            for (String id : corrupt.keySet()) {
                ValidationException e = assertThrows(ValidationException.class, () -> registry.load(id), id);
                assertEquals(id, e.templateId(), e.getMessage());
                assertTrue(e.getMessage().contains("'" + id + "'"), e.getMessage());
                assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            }
            for (String id : expectedSeed().keySet()) {
                assertEquals(id, registry.load(id).id());
            }
            // a corrupt record can be replaced (its id is in the store, so it is not subject to the new-id rules)
            registry.save(greeting("garbage", "2.0.0"));
            assertEquals("2.0.0", registry.load("garbage").version());
        }
    }

    @Test
    void aPathThatIsAFileIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-db"), "hello");
        RegistryException e = assertThrows(RegistryException.class, () -> LmdbRegistry.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("file"), e.getMessage());
        assertEquals(file, e.file());

        Path below = file.resolve("db");
        RegistryException cannotCreate = assertThrows(RegistryException.class, () -> LmdbRegistry.open(below));
        assertTrue(cannotCreate.getMessage().contains(below.toString()), cannotCreate.getMessage());
    }

    @Test
    void aDirectoryWithoutAnLmdbDatabaseIsRefusedNamingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Files.write(dir.resolve("data.mdb"), new byte[64 * 1024]);
        RegistryException e = assertThrows(RegistryException.class, () -> LmdbRegistry.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());

        Path missing = tmp.resolve("missing");
        RegistryException ro = assertThrows(RegistryException.class,
                () -> LmdbRegistry.builder(missing).readOnly(true).build());
        assertTrue(ro.getMessage().contains(missing.toString()), ro.getMessage());
        assertFalse(Files.exists(missing), "a read-only open creates nothing");

        Path empty = Files.createDirectories(tmp.resolve("plain-lmdb"));
        rawWrite(empty, null); // an LMDB environment without our databases
        RegistryException notOurs = assertThrows(RegistryException.class,
                () -> LmdbRegistry.builder(empty).readOnly(true).build());
        assertTrue(notOurs.getMessage().contains("templates"), notOurs.getMessage());
    }

    @Test
    void anUnreadableDirectoryIsRefusedNamingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(dir),
                    "running as root: permissions do not stop root, so this case cannot be produced here");
            RegistryException e = assertThrows(RegistryException.class, () -> LmdbRegistry.open(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void everyCallFailsAfterClose() throws Exception {
        LmdbRegistry registry = LmdbRegistry.open(seedCopy());
        registry.load("analyzer");
        registry.close();
        registry.close(); // idempotent
        List<Executable> calls = List.of(registry::listIds, () -> registry.load("analyzer"),
                () -> registry.save(greeting("new-one", "1.0.0")), () -> registry.delete("analyzer"),
                () -> registry.load("analyzer", "1.0.0"), registry::count, registry::lastModified,
                registry::generation);
        for (Executable call : calls) {
            RegistryException e = assertThrows(RegistryException.class, call);
            assertEquals("registry is closed", e.getMessage());
        }
    }

    // --- sharing: threads, registries, processes -----------------------------------------------------------------

    @Test
    void manyThreadsReadWhileAnotherSavesAndTheMapGrows() throws Exception {
        Path dir = seedCopy();
        List<String> seedIds = new ArrayList<>(expectedSeed().keySet());
        int saves = 300;
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).mapSize(1 << 20).build()) {
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(6);
            for (int t = 0; t < 6; t++) {
                int seed = t;
                Thread reader = new Thread(() -> {
                    started.countDown();
                    long lastCount = 0;
                    int i = seed;
                    try {
                        while (writing.get()) {
                            String id = seedIds.get(i++ % seedIds.size());
                            assertEquals(id, registry.load(id).id());
                            if (i % 50 == 0) {
                                long count = registry.count();
                                assertTrue(count >= lastCount && count >= 25, "count went back: " + count);
                                lastCount = count;
                                assertTrue(registry.listIds().size() >= 25);
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                reader.setDaemon(true);
                reader.start();
                readers.add(reader);
            }
            started.await();
            String body = "w".repeat(8000);
            try {
                for (int i = 0; i < saves; i++) {
                    registry.save(template("new-" + i, body));
                    if (i % 10 == 0) {
                        registry.save(registry.load("analyzer").withVersion("1.0." + i));
                    }
                }
            } finally {
                writing.set(false);
            }
            for (Thread reader : readers) {
                reader.join(60_000);
            }
            assertTrue(errors.isEmpty(), () -> "errors in readers: " + errors);
            assertTrue(registry.mapSize() > 1 << 20, "the map grew while readers ran");
            assertTrue(reads.get() > 0);
            assertEquals(25 + saves, registry.count());
            assertEquals("1.0.290", registry.load("analyzer").version());
        }
    }

    @Test
    void registriesOnOneDirectoryInOneProcessShareTheEnvironment() throws Exception {
        Path dir = seedCopy();
        LmdbRegistry first = LmdbRegistry.open(dir);
        LmdbRegistry second = LmdbRegistry.open(dir.resolve(".").resolve("..").resolve(dir.getFileName()));
        LmdbRegistry reader = LmdbRegistry.builder(dir).readOnly(true).build();
        try {
            long generation = second.generation();
            first.save(greeting("shared", "1.0.0"));
            assertEquals("1.0.0", second.load("shared").version());
            assertEquals("1.0.0", reader.load("shared").version());
            assertTrue(second.generation() > generation, "a commit changes the generation");
            assertThrows(RegistryException.class, () -> reader.save(greeting("nope", "1.0.0")));
            first.close();
            assertThrows(RegistryException.class, () -> first.load("shared"));
            second.save(greeting("shared", "1.1.0"));
            assertEquals("1.1.0", reader.load("shared").version());
        } finally {
            first.close();
            second.close();
            reader.close();
        }
        assertThrows(RegistryException.class, () -> reader.load("shared"));
    }

    @Test
    void anotherProcessSeesCommittedWritesAndViceVersa() throws Exception {
        Path dir = tmp.resolve("two-processes");
        long tinyMap = 64 * 1024;
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).mapSize(tinyMap).build();
                SecondJvm other = SecondJvm.start(LmdbSecondProcess.class, dir.toString(),
                        Long.toString(tinyMap))) {
            registry.save(greeting("from-parent", "1.0.0"));
            assertEquals("version 1.0.0", other.ask("load from-parent"));

            long before = registry.generation();
            assertEquals("ok", other.ask("save from-child 2.0.0"));
            assertEquals("2.0.0", registry.load("from-child").version());
            LocalRegistryTest.eventually(() -> registry.generation() > before,
                    "the other process's write moves the generation");

            registry.save(greeting("from-parent", "1.1.0"));
            assertEquals("version 1.1.0", other.ask("load from-parent"));
            assertEquals("2", other.ask("count"));

            // a record this process decoded before is decoded again once the other process rewrote it
            assertEquals("1.1.0", registry.load("from-parent").version());
            try (Vault vault = Vault.ofLmdb(dir)) {
                assertEquals("1.1.0", vault.get("from-parent").version());
                assertEquals("ok", other.ask("save from-parent 3.0.0"));
                assertEquals("3.0.0", registry.load("from-parent").version());
                LocalRegistryTest.eventually(() -> vault.get("from-parent").version().equals("3.0.0"),
                        "the vault serves the other process's version");
            }

            // the child grows the map far beyond ours; our next read adopts its size (MDB_MAP_RESIZED)
            for (int i = 0; i < 20; i++) {
                assertEquals("ok", other.ask("save big-" + i + " 1.0.0 100000"));
            }
            assertTrue(Long.parseLong(other.ask("mapsize")) > tinyMap);
            assertEquals(22, registry.count());
            assertEquals(100000 + "Hello {{ name }} ".length(), registry.load("big-19").template().length());
            assertTrue(registry.mapSize() > tinyMap, "adopted the map size the other process set");

            registry.delete("from-child");
            assertEquals("missing", other.ask("load from-child"));
            assertEquals("bye", other.ask("quit"));
        }
    }

    @Test
    void twoProcessesSavingAtOnceLoseNoWrite() throws Exception {
        Path dir = tmp.resolve("two-writers");
        int each = 300;
        try (LmdbRegistry registry = LmdbRegistry.open(dir);
                SecondJvm other = SecondJvm.start(LmdbSecondProcess.class, dir.toString(),
                        Long.toString(LmdbRegistry.DEFAULT_MAP_SIZE))) {
            other.send("saveMany child " + each);
            for (int i = 0; i < each; i++) {
                registry.save(new TemplateSpec("parent-" + i, "1.0.0", null, "n" + i, null, null));
            }
            assertEquals("ok", other.next());
            assertEquals(2L * each, registry.count());
            assertEquals(Long.toString(2L * each), other.ask("count"));
            for (int i = 0; i < each; i++) {
                assertEquals("n" + i, registry.load("child-" + i).template());
                assertEquals("version 1.0.0", other.ask("load parent-" + i));
            }
            assertEquals("bye", other.ask("quit"));
        }
    }


    // --- the original reads what we write --------------------------------------------------------------------------

    /**
     * Writes a database with this registry and checks it byte for byte against {@code lmdb/roundtrip.python.json},
     * which {@code lmdb/read_with_python.py} produced by reading such a database with Python's {@code lmdb} and
     * {@code msgpack} as the original does. Set {@code -Dpromptlightning.lmdb.roundtripDir=DIR} to keep the
     * database for the script.
     */
    @Test
    void writesExactlyWhatTheOriginalWasShownToRead() throws Exception {
        String keep = System.getProperty("promptlightning.lmdb.roundtripDir");
        Path dir = keep != null ? Path.of(keep) : tmp.resolve("roundtrip");
        if (keep != null && Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        writeRoundTripDatabase(dir);

        @SuppressWarnings("unchecked")
        Map<String, Object> python = JSON.readValue(resource("lmdb/roundtrip.python.json").toFile(), Map.class);
        Map<String, byte[]> templates = rawDatabase(dir, LmdbRegistry.TEMPLATES);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> seen = (Map<String, Map<String, Object>>) python.get("templates");
        assertEquals(new ArrayList<>(seen.keySet()), new ArrayList<>(templates.keySet()));
        for (Map.Entry<String, byte[]> e : templates.entrySet()) {
            Map<String, Object> py = seen.get(e.getKey());
            assertTrue(HexFormat.of().formatHex(e.getValue()).equals(py.get("raw")),
                    e.getKey() + ": the bytes we write now differ from those Python read");
            assertSameValue(e.getKey(), py.get("record"), MsgPackCodec.decode(e.getValue()));
        }
        try (LmdbRegistry registry = LmdbRegistry.builder(dir).readOnly(true).build()) {
            assertEquals(python.get("list_ids"), registry.listIds());
        }
        assertEquals(python.get("version_index"), rawVersionIndex(dir));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) python.get("get_metadata");
        assertEquals(((Number) metadata.get("count")).longValue(), rawMetadata(dir).get("count"));
        assertEquals("int", metadata.get("last_modified_type"));
        assertEquals(List.of(), python.get("original_model_errors"));
    }

    private static void writeRoundTripDatabase(Path dir) throws Exception {
        Path seed = Files.createTempDirectory("lmdb-seed");
        copySeed(seed);
        try (LmdbRegistry original = LmdbRegistry.open(seed); LmdbRegistry ours = LmdbRegistry.open(dir)) {
            for (String id : original.listIds()) {
                ours.save(original.load(id));
            }
            Map<String, InputSpec> inputs = new LinkedHashMap<>();
            inputs.put("name", InputSpec.of(InputType.STRING, true));
            inputs.put("ratio", new InputSpec(InputType.NUMBER, false, 2.0, null, null));
            inputs.put("count", new InputSpec(InputType.NUMBER, false, 7L, null, null));
            inputs.put("flag", new InputSpec(InputType.BOOLEAN, false, false, null, null));
            inputs.put("tags", new InputSpec(InputType.ARRAY_STRING, false, List.of("a", "é"), null, null));
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("deep", Arrays.asList(1L, 2.5, null, true));
            nested.put("big", new BigInteger("18446744073709551615"));
            nested.put("neg", Long.MIN_VALUE);
            inputs.put("obj", new InputSpec(InputType.OBJECT, false, nested, null, null));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("score", 1e-300);
            metadata.put("max", Long.MAX_VALUE);
            metadata.put("empty_list", List.of());
            metadata.put("empty_map", Map.of());
            metadata.put("none", null);
            metadata.put("text", "line1\nline2\t\"quoted\" 日本語 🚀");
            metadata.put("long", "L".repeat(300));
            ours.save(new TemplateSpec("types-and-unicode", "1.2.3", "Ünïcödé 🚀",
                    "Hi {{ name }} {{ ratio }} {{ count }} {{ flag }} {{ tags }} {{ obj }}", inputs, metadata));
            ours.save(greeting("bumped", "1.0.0"));
            ours.save(greeting("bumped", "1.1.0"));
            ours.save(greeting("deleted", "1.0.0"));
            ours.delete("deleted");
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static TemplateSpec greeting(String id, String version) {
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        inputs.put("name", InputSpec.of(InputType.STRING, true));
        inputs.put("age", InputSpec.of(InputType.NUMBER, false));
        inputs.put("message", new InputSpec(InputType.STRING, false, "Welcome!", null, null));
        return new TemplateSpec(id, version, "A greeting", "Hello {{ name }}!\n", inputs,
                Map.of("tags", List.of("greeting", "demo")));
    }

    private static TemplateSpec template(String id, String text) {
        return new TemplateSpec(id, "1.0.0", null, text, Map.of(), Map.of());
    }

    private static Map<String, Object> record(String id, String version, String template) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "string");
        input.put("required", true);
        input.put("default", null);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("name", input);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("version", version);
        record.put("description", null);
        record.put("template", template);
        record.put("inputs", inputs);
        record.put("metadata", Map.of());
        return record;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(LmdbRegistryTest.class.getClassLoader().getResource(name).toURI());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expectedSeed() throws Exception {
        return JSON.readValue(resource("lmdb/seed_lmdb_25.expected.json").toFile(), LinkedHashMap.class);
    }

    /** Opening a database writes to it, so tests work on a copy of the original's. */
    private Path seedCopy() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "seed");
        copySeed(dir);
        return dir;
    }

    /** Copies the database the original library wrote into {@code dir}. */
    static void copySeed(Path dir) throws Exception {
        Path seed = resource("lmdb/seed_lmdb_25");
        for (String file : List.of("data.mdb", "lock.mdb")) {
            Files.copy(seed.resolve(file), dir.resolve(file));
        }
    }

    /**
     * Deep equality that also requires the same kinds of number (an int is not a float) and the same key order.
     * {@code expected} comes from JSON, where ints and floats are told apart by their text.
     */
    static void assertSameValue(String path, Object expected, Object actual) {
        if (expected instanceof Integer || expected instanceof Long || expected instanceof BigInteger) {
            assertTrue(actual instanceof Long || actual instanceof BigInteger,
                    () -> path + ": expected the int " + expected + ", found " + describe(actual));
            assertEquals(new BigInteger(expected.toString()), new BigInteger(actual.toString()), path);
        } else if (expected instanceof Double) {
            assertInstanceOf(Double.class, actual, () -> path + ": expected the float " + expected);
            assertEquals(0, Double.compare((Double) expected, (Double) actual), () -> path + ": " + actual);
        } else if (expected instanceof Map) {
            assertInstanceOf(Map.class, actual, path);
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), path + ": keys in order");
            for (Object key : e.keySet()) {
                assertSameValue(path + "." + key, e.get(key), a.get(key));
            }
        } else if (expected instanceof List) {
            assertInstanceOf(List.class, actual, path);
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path + ": length");
            for (int i = 0; i < e.size(); i++) {
                assertSameValue(path + "[" + i + "]", e.get(i), a.get(i));
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    /** The three databases, opened with lmdbjava directly as another program would. */
    private static final class RawDbs {
        Dbi<ByteBuffer> templates;
        Dbi<ByteBuffer> versionIndex;
        Dbi<ByteBuffer> metadata;
    }

    private interface RawWrite {
        void write(Txn<ByteBuffer> txn, RawDbs dbs);
    }

    /** Writes with lmdbjava directly; no registry may have the directory open in this process meanwhile. */
    private static void rawWrite(Path dir, RawWrite body) {
        try (Env<ByteBuffer> env = Env.create().setMapSize(16 << 20).setMaxDbs(10).open(dir.toFile(),
                EnvFlags.MDB_NOTLS)) {
            if (body == null) {
                return;
            }
            RawDbs dbs = new RawDbs();
            dbs.templates = env.openDbi(LmdbRegistry.TEMPLATES, DbiFlags.MDB_CREATE);
            dbs.versionIndex = env.openDbi(LmdbRegistry.VERSION_INDEX, DbiFlags.MDB_CREATE);
            dbs.metadata = env.openDbi(LmdbRegistry.METADATA, DbiFlags.MDB_CREATE);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                body.write(txn, dbs);
                txn.commit();
            }
        }
    }

    private static Map<String, byte[]> rawDatabase(Path dir, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(10).open(dir.toFile(), EnvFlags.MDB_NOTLS,
                EnvFlags.MDB_RDONLY_ENV)) {
            Dbi<ByteBuffer> dbi = env.openDbi(name);
            try (Txn<ByteBuffer> txn = env.txnRead(); var cursor = dbi.openCursor(txn)) {
                if (cursor.first()) {
                    do {
                        byte[] value = new byte[cursor.val().remaining()];
                        cursor.val().duplicate().get(value);
                        out.put(StandardCharsets.UTF_8.decode(cursor.key().duplicate()).toString(), value);
                    } while (cursor.next());
                }
            }
        }
        return out;
    }

    private static Map<String, String> rawVersionIndex(Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        rawDatabase(dir, LmdbRegistry.VERSION_INDEX).forEach((k, v) -> out.put(k, new String(v,
                StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, Object> rawMetadata(Path dir) {
        Map<String, Object> out = new LinkedHashMap<>();
        rawDatabase(dir, LmdbRegistry.METADATA).forEach((k, v) -> out.put(k, MsgPackCodec.decode(v)));
        return out;
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
