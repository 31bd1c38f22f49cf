package io.promptlightning.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Average time of the steps a stored version goes through, per template record, over the nine example templates in
 * turn ({@code templates=examples}) or the long system prompt ({@code templates=large}):
 * <ul>
 * <li>{@code encode}: the {@link TemplateSpec} to its MessagePack record, as every save does;</li>
 * <li>{@code deflate}: what {@code compressHistory} adds to a save, per version (the JDK's zlib at its default
 * level, as the registry calls it);</li>
 * <li>{@code deflateReusingDeflater}, {@code deflateBestSpeed}: two cheaper ways to deflate, for comparison: one
 * {@link Deflater} reset between records instead of a new one each time (zlib allocates and clears about 256 KiB of
 * state for each), and a new one at level 1 instead of the default 6;</li>
 * <li>{@code inflate}: what it adds to the first load of a version;</li>
 * <li>{@code decode}: the MessagePack record to a validated {@link TemplateSpec}, as every first load does.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class RecordCodecBenchmark {
    @Param({"examples", "large"})
    public String templates;

    TemplateSpec[] specs;
    byte[][] records;
    byte[][] deflated;
    Deflater reused = new Deflater(Deflater.DEFAULT_COMPRESSION);
    byte[] deflateOutput = new byte[64 * 1024];
    int next;

    @Setup
    public void setUp() {
        List<TemplateSpec> examples = templates.equals("large") ? List.of(RegistryFixtures.largeTemplate())
                : RegistryFixtures.examples();
        int n = examples.size();
        specs = new TemplateSpec[n];
        records = new byte[n][];
        deflated = new byte[n][];
        long storedDefault = 0;
        long storedBestSpeed = 0;
        for (int i = 0; i < n; i++) {
            specs[i] = RegistryFixtures.revision(examples.get(i), RegistryFixtures.id(i), 1);
            records[i] = StorageSizes.record(specs[i]);
            deflated[i] = StorageSizes.deflate(records[i]);
            if (!SpecRecords.fromRecord(MsgPackCodec.decode(StorageSizes.inflate(deflated[i], records[i].length)),
                    specs[i].id()).equals(specs[i])) {
                throw new IllegalStateException(specs[i].id() + " does not read back equal");
            }
            storedDefault += deflated[i].length;
            storedBestSpeed += deflateBestSpeed(records[i]).length;
        }
        System.out.printf("%nrecords deflated at level 6: %,d bytes, at level 1: %,d bytes%n", storedDefault,
                storedBestSpeed);
    }

    @TearDown
    public void tearDown() {
        reused.end();
    }

    private static byte[] deflateBestSpeed(byte[] record) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(record);
            deflater.finish();
            byte[] out = new byte[record.length + 64];
            int n = deflater.deflate(out);
            if (!deflater.finished()) {
                throw new IllegalStateException("the deflated record is larger than the buffer");
            }
            return Arrays.copyOf(out, n);
        } finally {
            deflater.end();
        }
    }

    private int turn() {
        int i = next;
        next = i + 1 == specs.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public byte[] encode() {
        return StorageSizes.record(specs[turn()]);
    }

    @Benchmark
    public byte[] deflate() {
        return StorageSizes.deflate(records[turn()]);
    }

    @Benchmark
    public int deflateReusingDeflater() {
        reused.reset();
        reused.setInput(records[turn()]);
        reused.finish();
        int n = reused.deflate(deflateOutput);
        if (!reused.finished()) {
            throw new IllegalStateException("the deflated record is larger than the buffer");
        }
        return n;
    }

    @Benchmark
    public byte[] deflateBestSpeed() {
        return deflateBestSpeed(records[turn()]);
    }

    @Benchmark
    public byte[] inflate() {
        int i = turn();
        return StorageSizes.inflate(deflated[i], records[i].length);
    }

    @Benchmark
    public TemplateSpec decode() {
        int i = turn();
        return SpecRecords.fromRecord(MsgPackCodec.decode(records[i]), specs[i].id());
    }
}
