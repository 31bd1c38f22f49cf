package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reads of {@link LmdbVersionsBenchmark} on a prompt directory: throughput, on one thread, of
 * {@link LocalRegistry#load(String, String)} of an old version ({@code loadOldVersion}, and over all ids in turn),
 * {@code resolve(TemplateRef.parse("id@production"))} ({@code resolveLabel}; {@code resolveParsedLabel} with the
 * reference parsed in the setup), {@link Vault#get(String)} of {@code id@production} and {@code id@1.0.0} (cached),
 * and {@code load(id)} for comparison. The directory holds 1,000 templates with 5 versions each ({@code 1.0.0} to
 * {@code 1.4.0}, saved with {@code saveAll}; the nine example templates in turn) and a {@code production} label on
 * {@code 1.3.0} of each, the history under {@code .promptlightning/}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalVersionsBenchmark {
    static final int TEMPLATES = LmdbVersionsBenchmark.TEMPLATES;
    static final int VERSIONS = LmdbVersionsBenchmark.VERSIONS;
    static final String PRODUCTION = LmdbVersionsBenchmark.PRODUCTION;
    static final String OLD_VERSION = LmdbVersionsBenchmark.OLD_VERSION;
    static final String PRODUCTION_VERSION = LmdbVersionsBenchmark.PRODUCTION_VERSION;
    static final String ID = LmdbVersionsBenchmark.ID;

    Path dir;
    LocalRegistry registry;
    Vault vault;
    String[] ids = new String[TEMPLATES];
    String productionRef;
    TemplateRef parsedProductionRef;
    String pinnedRef;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("local-versions");
        registry = LocalRegistry.open(dir);
        List<TemplateSpec> examples = RegistryFixtures.examples();
        for (int n = 0; n < VERSIONS; n++) {
            registry.saveAll(RegistryFixtures.revisions(examples, TEMPLATES, n), SaveOptions.DEFAULT);
        }
        for (int i = 0; i < TEMPLATES; i++) {
            ids[i] = RegistryFixtures.id(i);
            registry.moveLabel(ids[i], PRODUCTION, PRODUCTION_VERSION, "release");
        }
        for (int i = 0; i < TEMPLATES; i++) {
            for (int n = 0; n < VERSIONS; n++) {
                TemplateSpec spec = registry.load(ids[i], RegistryFixtures.version(n));
                if (!spec.equals(RegistryFixtures.revision(examples.get(i % examples.size()), ids[i], n))) {
                    throw new IllegalStateException(ids[i] + " " + RegistryFixtures.version(n)
                            + " reads back different");
                }
            }
        }
        productionRef = ID + "@" + PRODUCTION;
        parsedProductionRef = TemplateRef.parse(productionRef);
        if (!registry.resolve(parsedProductionRef).version().equals(PRODUCTION_VERSION)) {
            throw new IllegalStateException(productionRef + " is not " + PRODUCTION_VERSION);
        }
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
    public TemplateHandle vaultGetLabel() {
        return vault.get(productionRef);
    }

    @Benchmark
    public TemplateHandle vaultGetVersion() {
        return vault.get(pinnedRef);
    }
}
