package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
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
 * Throughput of {@link LmdbRegistry#load(String)}: one full record (the example {@code multi-input-template}:
 * 12 inputs with defaults, description, metadata) read in a pooled read transaction, MessagePack-decoded,
 * validated and built into a {@link TemplateSpec}, from a database of 1,000 such templates. One registry is shared
 * by the benchmark's threads; {@code load2Threads} reports the aggregate of both threads. A record whose stored
 * bytes are unchanged since this process last decoded them is not decoded again: {@code load} measures that
 * steady state, {@code loadEachInTurn} the same over all 1,000 ids in turn, and {@code decodeSpec} what a first
 * load (or a load after any change) adds: MessagePack decoding, validation and the {@link TemplateSpec}, from a
 * heap array. {@code decodeRecord} is the MessagePack decoding alone: the original's "raw decode" figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LmdbLoadBenchmark {
    static final int TEMPLATES = 1_000;
    static final String ID = RegistryFixtures.id(TEMPLATES / 2);

    Path dir;
    LmdbRegistry registry;
    byte[] record;
    String[] ids = new String[TEMPLATES];

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-load");
        registry = LmdbRegistry.open(dir);
        TemplateSpec spec = RegistryFixtures.fullTemplate();
        RegistryFixtures.save(registry, spec, TEMPLATES);
        for (int i = 0; i < TEMPLATES; i++) {
            ids[i] = RegistryFixtures.id(i);
        }
        record = MsgPackCodec.encode(SpecRecords.toRecord(registry.load(ID)));
        if (!registry.load(ID).equals(RegistryFixtures.copy(spec, ID))) {
            throw new IllegalStateException("the stored template does not read back equal");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    @Threads(1)
    public TemplateSpec load() {
        return registry.load(ID);
    }

    @Benchmark
    @Threads(2)
    public TemplateSpec load2Threads() {
        return registry.load(ID);
    }

    @Benchmark
    @Threads(1)
    public TemplateSpec loadEachInTurn(Turn turn) {
        return registry.load(ids[turn.next(TEMPLATES)]);
    }

    @Benchmark
    @Threads(1)
    public TemplateSpec decodeSpec() {
        return SpecRecords.fromRecord(MsgPackCodec.decode(record), ID);
    }

    /** A per-thread counter over the ids. */
    @State(Scope.Thread)
    public static class Turn {
        int i;

        int next(int n) {
            i = i + 1 == n ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    @Threads(1)
    public Object decodeRecord() {
        return MsgPackCodec.decode(record);
    }
}
