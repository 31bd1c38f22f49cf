package io.promptlightning.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Average time of one LMDB write transaction through the registry, committed and synced to disk as LMDB does by
 * default, on a database that starts with 1,000 templates (copies of the example {@code multi-input-template}):
 * <ul>
 * <li>{@code saveNewId}: a template under an id not yet stored (the database grows during the run);</li>
 * <li>{@code saveExistingId}: a new version of a stored template (the version index entry is replaced);</li>
 * <li>{@code delete}: a stored template; an untimed save before each operation puts it back.</li>
 * <li>{@code bareLmdbPut}: the floor set by LMDB and the disk, without the registry: one put of the same record
 * bytes into a database of the same size opened with lmdbjava directly, committed the same way.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbWriteBenchmark {
    static final int TEMPLATES = 1_000;
    static final String DELETED_ID = "deleted";

    Path dir;
    LmdbRegistry registry;
    TemplateSpec spec;
    TemplateSpec[] versions;
    int saved;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-write");
        registry = LmdbRegistry.open(dir);
        spec = RegistryFixtures.fullTemplate();
        RegistryFixtures.save(registry, spec, TEMPLATES);
        String existing = RegistryFixtures.id(TEMPLATES / 2);
        versions = new TemplateSpec[] {RegistryFixtures.copy(spec, existing).withVersion("1.0.1"),
            RegistryFixtures.copy(spec, existing).withVersion("1.0.2")};
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    /** Puts back the template that {@link #delete} removes, untimed. */
    @State(Scope.Thread)
    public static class Deletable {
        @Setup(Level.Invocation)
        public void put(LmdbWriteBenchmark bench) {
            bench.registry.save(RegistryFixtures.copy(bench.spec, DELETED_ID));
        }
    }

    /** A database opened with lmdbjava as the registry opens its own, holding 1,000 records of the same bytes. */
    @State(Scope.Benchmark)
    public static class BareLmdb {
        Path dir;
        Env<ByteBuffer> env;
        Dbi<ByteBuffer> dbi;
        ByteBuffer key;
        ByteBuffer value;

        @Setup(Level.Trial)
        public void setUp() {
            dir = RegistryFixtures.tempDir("lmdb-bare");
            env = Env.create().setMapSize(LmdbRegistry.DEFAULT_MAP_SIZE).setMaxDbs(10).open(dir.toFile(),
                    EnvFlags.MDB_NOTLS);
            dbi = env.openDbi("templates", DbiFlags.MDB_CREATE);
            TemplateSpec spec = RegistryFixtures.fullTemplate();
            byte[] record = MsgPackCodec.encode(SpecRecords.toRecord(spec));
            value = ByteBuffer.allocateDirect(record.length).put(record).flip();
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = 0; i < TEMPLATES; i++) {
                    dbi.put(txn, direct(RegistryFixtures.id(i)), value);
                }
                txn.commit();
            }
            key = direct(RegistryFixtures.id(TEMPLATES / 2));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            env.close();
            RegistryFixtures.deleteTree(dir);
        }

        private static ByteBuffer direct(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
    }

    @Benchmark
    public void bareLmdbPut(BareLmdb bare) {
        try (Txn<ByteBuffer> txn = bare.env.txnWrite()) {
            bare.dbi.put(txn, bare.key, bare.value);
            txn.commit();
        }
    }

    @Benchmark
    public void saveNewId() {
        registry.save(RegistryFixtures.copy(spec, String.format("new%07d", saved++))); // ascending, as in lmdb_write_baseline.py
    }

    @Benchmark
    public void saveExistingId() {
        registry.save(versions[saved++ & 1]);
    }

    @Benchmark
    public void delete(Deletable deletable) {
        registry.delete(DELETED_ID);
    }
}
