package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateHandle;
import io.promptlightning.TemplateRef;
import io.promptlightning.TemplateSpec;
import io.promptlightning.Vault;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Throughput, on one thread, of reading a given version or label of a template from an LMDB database of 1,000
 * templates with 5 versions each ({@code 1.0.0} to {@code 1.4.0}; the nine example templates in turn, each revision
 * with a different last line) and a {@code production} label on {@code 1.3.0} of each:
 * <ul>
 * <li>{@code loadOldVersion}: {@link LmdbRegistry#load(String, String)} of {@code 1.1.0}, not the latest;
 * {@code loadOldVersionEachInTurn} the same over all 1,000 ids in turn; {@code loadLatest} a plain id, for
 * comparison;</li>
 * <li>{@code resolveLabel}: {@code resolve(TemplateRef.parse("id@production"))}, parsing included;
 * {@code resolveLabelEachInTurn} over all ids; {@code resolveParsedLabel} the reference parsed once, in the setup,
 * and {@code parseReference} the parsing alone;</li>
 * <li>{@code vaultGetLabel}, {@code vaultGetVersion}: {@link Vault#get(String)} of {@code id@production} and
 * {@code id@1.0.0}, whose handles are cached.</li>
 * </ul>
 * Every version was read once in the setup, so these are the steady state: the registry reuses a decoded record
 * while its stored bytes are unchanged ({@link LmdbFirstLoadBenchmark} measures loads that decode). With
 * {@code compressHistory}, the versions are stored deflated.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class LmdbVersionsBenchmark {
    static final int TEMPLATES = 1_000;
    static final int VERSIONS = 5;
    static final String PRODUCTION = "production";
    static final String OLD_VERSION = RegistryFixtures.version(1);
    static final String PRODUCTION_VERSION = RegistryFixtures.version(3);
    /** A copy of the example {@code multi-input-template}, the record {@link LmdbLoadBenchmark} loads. */
    static final String ID = RegistryFixtures.id(506);

    @Param({"false", "true"})
    public boolean compressHistory;

    Path dir;
    LmdbRegistry registry;
    Vault vault;
    String[] ids = new String[TEMPLATES];
    String[] productionRefs = new String[TEMPLATES];
    String productionRef;
    TemplateRef parsedProductionRef;
    String pinnedRef;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("lmdb-versions");
        registry = LmdbRegistry.builder(dir).compressHistory(compressHistory).build();
        List<TemplateSpec> examples = RegistryFixtures.examples();
        for (int n = 0; n < VERSIONS; n++) {
            registry.saveAll(RegistryFixtures.revisions(examples, TEMPLATES, n), SaveOptions.DEFAULT);
        }
        for (int i = 0; i < TEMPLATES; i++) {
            ids[i] = RegistryFixtures.id(i);
            productionRefs[i] = ids[i] + "@" + PRODUCTION;
            registry.moveLabel(ids[i], PRODUCTION, PRODUCTION_VERSION, "release");
        }
        for (int i = 0; i < TEMPLATES; i++) {
            String id = ids[i];
            for (int n = 0; n < VERSIONS; n++) {
                TemplateSpec spec = registry.load(id, RegistryFixtures.version(n));
                if (!spec.equals(RegistryFixtures.revision(examples.get(i % examples.size()), id, n))) {
                    throw new IllegalStateException(id + " " + RegistryFixtures.version(n) + " reads back different");
                }
            }
            if (!registry.resolve(TemplateRef.ofLabel(id, PRODUCTION)).version().equals(PRODUCTION_VERSION)) {
                throw new IllegalStateException(id + "@" + PRODUCTION + " is not " + PRODUCTION_VERSION);
            }
        }
        if (!registry.load(ID).description().equals(RegistryFixtures.fullTemplate().description())) {
            throw new IllegalStateException(ID + " is not a copy of " + Examples.MULTI_INPUT);
        }
        productionRef = ID + "@" + PRODUCTION;
        parsedProductionRef = TemplateRef.parse(productionRef);
        pinnedRef = ID + "@" + RegistryFixtures.version(0);
        vault = Vault.builder(registry).build();
        for (String ref : new String[] {productionRef, pinnedRef}) {
            if (vault.get(ref) != vault.get(ref)) {
                throw new IllegalStateException("the second get of " + ref + " did not come from the cache");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vault.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public TemplateSpec loadLatest() {
        return registry.load(ID);
    }

    @Benchmark
    public TemplateSpec loadOldVersion() {
        return registry.load(ID, OLD_VERSION);
    }

    @Benchmark
    public TemplateSpec loadOldVersionEachInTurn(LmdbLoadBenchmark.Turn turn) {
        return registry.load(ids[turn.next(TEMPLATES)], OLD_VERSION);
    }

    @Benchmark
    public TemplateSpec resolveLabel() {
        return registry.resolve(TemplateRef.parse(productionRef));
    }

    @Benchmark
    public TemplateSpec resolveParsedLabel() {
        return registry.resolve(parsedProductionRef);
    }

    @Benchmark
    public TemplateRef parseReference() {
        return TemplateRef.parse(productionRef);
    }

    @Benchmark
    public TemplateSpec resolveLabelEachInTurn(LmdbLoadBenchmark.Turn turn) {
        return registry.resolve(TemplateRef.parse(productionRefs[turn.next(TEMPLATES)]));
    }

    @Benchmark
    public TemplateHandle vaultGetLabel() {
        return vault.get(productionRef);
    }

    @Benchmark
    public TemplateHandle vaultGetVersion() {
        return vault.get(pinnedRef);
    }
}
