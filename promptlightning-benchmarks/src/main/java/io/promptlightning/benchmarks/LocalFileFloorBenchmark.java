package io.promptlightning.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;
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
 * What the file system alone costs for the files a {@link LocalRegistry#saveAll} of 10,000 new templates makes
 * ({@link LocalBatchBenchmark#saveAllNew}), as a floor to compare it with: for each template, its history directory
 * and {@code versions} directory, then the template file, its version file and its labels file each written to a
 * temporary file and renamed into place, and its label history created. The texts are made before the invocation;
 * nothing is parsed, checked, locked, journalled or synced.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class LocalFileFloorBenchmark {
    List<String> ids;
    List<byte[]> texts;
    byte[] labels = "latest: 1.0.0\n".getBytes(StandardCharsets.UTF_8);
    byte[] move = "- {label: latest, from: null, to: 1.0.0}\n".getBytes(StandardCharsets.UTF_8);
    Path dir;

    @Setup(Level.Trial)
    public void prepare() {
        List<TemplateSpec> specs = RegistryFixtures.revisions(RegistryFixtures.examples(),
                LocalBatchBenchmark.TEMPLATES, 0);
        ids = new ArrayList<>();
        texts = new ArrayList<>();
        for (TemplateSpec spec : specs) {
            ids.add(spec.id());
            texts.add(SpecYaml.write(spec).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Setup(Level.Invocation)
    public void open() {
        dir = RegistryFixtures.tempDir("local-floor");
    }

    @TearDown(Level.Invocation)
    public void delete() {
        RegistryFixtures.deleteLater(dir);
    }

    @TearDown(Level.Trial)
    public void deleteDirectories() {
        RegistryFixtures.deleteDeferred();
    }

    @Benchmark
    public void createTheFilesOfANewBatch() throws IOException {
        Path templates = dir.resolve(LocalRegistry.HISTORY_DIRECTORY).resolve("templates");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Path history = templates.resolve(id);
            Path versions = Files.createDirectories(history.resolve("versions"));
            replace(dir.resolve(id + ".yaml"), texts.get(i));
            replace(versions.resolve("1.0.0.yaml"), texts.get(i));
            replace(history.resolve("labels.yaml"), labels);
            Files.write(history.resolve("label-history.yaml"), move);
        }
    }

    private static void replace(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
