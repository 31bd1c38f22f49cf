package io.promptlightning.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
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
 * Throughput of {@link LocalRegistry#load(String)} in a prompt directory of 10 or 10,000 YAML files (copies of the
 * example {@code multi-input-template} under numbered ids, all in one directory). Each operation loads the next id
 * in turn, so every file is looked up; the registry parsed the files when it opened (in the setup), and a load is
 * the index lookup plus the check that the file is unchanged.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalRegistryLoadBenchmark {
    @Param({"10", "10000"})
    public int files;

    Path dir;
    LocalRegistry registry;
    String[] ids;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        dir = RegistryFixtures.tempDir("local");
        RegistryFixtures.writeFiles(dir, RegistryFixtures.fullTemplate(), files);
        registry = LocalRegistry.open(dir);
        ids = registry.listIds().toArray(new String[0]);
        if (ids.length != files || !registry.problems().isEmpty()) {
            throw new IllegalStateException(ids.length + " ids, problems " + registry.problems());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        RegistryFixtures.deleteTree(dir);
    }

    @Benchmark
    public TemplateSpec load() {
        int i = next;
        next = i + 1 == ids.length ? 0 : i + 1;
        return registry.load(ids[i]);
    }
}
