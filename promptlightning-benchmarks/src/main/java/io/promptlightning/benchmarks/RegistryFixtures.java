package io.promptlightning.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;

/**
 * What the registry benchmarks store: copies of the example {@code multi-input-template} (12 inputs, each with a
 * default, among them a list and a map; a description; metadata), the fullest record of the examples, under
 * numbered ids. Files and databases go to a fresh directory under {@code java.io.tmpdir}, which the benchmark
 * deletes in its {@code @TearDown}.
 */
final class RegistryFixtures {
    private RegistryFixtures() {
    }

    /** The example {@code multi-input-template}, read from its YAML file as a {@code LocalRegistry} reads it. */
    static TemplateSpec fullTemplate() {
        String resource = "examples/" + Examples.MULTI_INPUT + ".yaml";
        try (InputStream in = RegistryFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return SpecYaml.parse(in.readAllBytes(), null).specOrThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code t00000}, {@code t00001}, ...: ids that sort in number order. */
    static String id(int n) {
        return String.format("t%05d", n);
    }

    /** The full template under another id. */
    static TemplateSpec copy(TemplateSpec spec, String id) {
        return new TemplateSpec(id, spec.version(), spec.description(), spec.template(), spec.inputs(),
                spec.metadata());
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("promptlightning-bench-" + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} YAML files {@code t00000.yaml}... in {@code dir}, written plainly (not one fsync each). */
    static void writeFiles(Path dir, TemplateSpec spec, int count) {
        try {
            for (int i = 0; i < count; i++) {
                String id = id(i);
                Files.write(dir.resolve(id + ".yaml"), SpecYaml.write(copy(spec, id)).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} copies saved through the registry, one transaction each, as an application would. */
    static void save(LmdbRegistry registry, TemplateSpec spec, int count) {
        for (int i = 0; i < count; i++) {
            registry.save(copy(spec, id(i)));
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
