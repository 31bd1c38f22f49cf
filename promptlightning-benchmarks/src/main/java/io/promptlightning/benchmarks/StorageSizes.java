package io.promptlightning.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * What {@code compressHistory} saves on disk. For the nine example templates in turn and for the long system prompt
 * ({@link RegistryFixtures#largeTemplate()}), it writes a database of 1,000 templates × 5 versions with compression
 * off and on, and prints a Markdown table: the template records' MessagePack bytes, the same as the versions hold
 * them (deflated when that is smaller), the pages of the
 * {@code pl_versions} database, the space the registry reports in use, and the {@code data.mdb} of a compacting
 * backup. Run with {@code java --add-opens=java.base/java.nio=ALL-UNNAMED
 * --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -cp benchmarks.jar io.promptlightning.benchmarks.StorageSizes}.
 *
 * <p>The helpers deflate and inflate as the registry does (the JDK's zlib at its default level), to size the
 * benchmarks' fixtures and to time those two steps alone in {@link RecordCodecBenchmark}.
 */
public final class StorageSizes {
    static final int TEMPLATES = 1_000;
    static final int VERSIONS = 5;

    private StorageSizes() {
    }

    /** The template's MessagePack record, as the {@code templates} database holds it. */
    static byte[] record(TemplateSpec spec) {
        return MsgPackCodec.encode(SpecRecords.toRecord(spec));
    }

    /** The record's bytes as a stored version holds them: deflated when compressing makes them smaller. */
    static int body(TemplateSpec spec, boolean compress) {
        byte[] record = record(spec);
        return compress ? Math.min(record.length, deflate(record).length) : record.length;
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static byte[] inflate(byte[] data, int size) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[size];
            int n = inflater.inflate(out);
            if (n != size || !inflater.finished()) {
                throw new IllegalStateException("inflated " + n + " bytes, expected " + size);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
    }

    public static void main(String[] args) {
        System.out.println("| templates | compressHistory | records (MessagePack) | records as stored in versions"
                + " | pl_versions pages | stats().usedBytes | data.mdb after a compacting backup |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String templates : List.of("examples", "large")) {
            List<TemplateSpec> examples = templates.equals("large") ? List.of(RegistryFixtures.largeTemplate())
                    : RegistryFixtures.examples();
            for (boolean compress : new boolean[] {false, true}) {
                System.out.println(measure(templates, examples, compress));
            }
        }
    }

    private static String measure(String templates, List<TemplateSpec> examples, boolean compress) {
        Path dir = RegistryFixtures.tempDir("sizes");
        Path copy = dir.resolveSibling(dir.getFileName() + "-backup");
        try {
            long records = 0;
            long bodies = 0;
            long used;
            try (LmdbRegistry registry = LmdbRegistry.builder(dir).mapSize(1L << 30).compressHistory(compress)
                    .build()) {
                for (int n = 0; n < VERSIONS; n++) {
                    List<TemplateSpec> specs = RegistryFixtures.revisions(examples, TEMPLATES, n);
                    for (TemplateSpec spec : specs) {
                        records += record(spec).length;
                        bodies += body(spec, compress);
                    }
                    RegistryFixtures.saveInBatches(registry, specs, TEMPLATES);
                }
                used = registry.stats().usedBytes();
                registry.backup(copy);
            }
            long versionPages = versionPagesBytes(dir);
            long backup = Files.size(copy.resolve("data.mdb"));
            return String.format("| %s | %s | %s | %s | %s | %s | %s |", templates, compress, perVersion(records),
                    perVersion(bodies), perVersion(versionPages), mib(used), mib(backup));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            RegistryFixtures.deleteTree(dir);
            RegistryFixtures.deleteTree(copy);
        }
    }

    /** Bytes in the pages of {@code pl_versions} (branch, leaf and overflow), read once the registry is closed. */
    private static long versionPagesBytes(Path dir) {
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(16).open(dir.toFile(), EnvFlags.MDB_RDONLY_ENV);
             Txn<ByteBuffer> txn = env.txnRead()) {
            Dbi<ByteBuffer> versions = env.openDbi(txn, "pl_versions".getBytes(StandardCharsets.UTF_8), null,
                    false);
            Stat stat = versions.stat(txn);
            return (stat.branchPages + stat.leafPages + stat.overflowPages) * stat.pageSize;
        }
    }

    private static String perVersion(long bytes) {
        return String.format("%s (%,d B per version)", mib(bytes), bytes / (TEMPLATES * VERSIONS));
    }

    private static String mib(long bytes) {
        return String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
    }
}
