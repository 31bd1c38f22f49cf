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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.promptlightning.InputSpec;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.Registry;
import io.promptlightning.RegistryStats;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;

/**
 * What the registry benchmarks store: copies of the example {@code multi-input-template} (12 inputs, each with a
 * default, among them a list and a map; a description; metadata), the fullest record of the examples, under
 * numbered ids. The benchmarks of versions, labels and storage store the nine example templates in turn
 * ({@link #examples()}) or a larger system prompt ({@link #largeTemplate()}), in several revisions
 * ({@link #revision}). Files and databases go to a fresh directory under {@code java.io.tmpdir}, which the
 * benchmark deletes in its {@code @TearDown}.
 */
final class RegistryFixtures {
    private RegistryFixtures() {
    }

    /** Every example template under {@code examples/}: MessagePack records of 225 to 1,864 bytes (1,164 on average). */
    static final List<String> EXAMPLE_IDS = List.of(Examples.SUMMARIZER, Examples.ANALYZER, Examples.MULTI_INPUT,
            "chat_assistant", "analyst_system", "coordinator_system", "planner_system", "report_template",
            "synthesizer_system");
    /** The agent system prompts that {@link #largeTemplate()} joins. */
    private static final List<String> SYSTEM_PROMPT_IDS = List.of("coordinator_system", "planner_system",
            "analyst_system", "synthesizer_system", "report_template");

    /** The example {@code multi-input-template}, read from its YAML file as a {@code LocalRegistry} reads it. */
    static TemplateSpec fullTemplate() {
        return example(Examples.MULTI_INPUT);
    }

    /** The nine example templates, in {@link #EXAMPLE_IDS} order. */
    static List<TemplateSpec> examples() {
        return EXAMPLE_IDS.stream().map(RegistryFixtures::example).toList();
    }

    /**
     * A long system prompt such as an agent application keeps: the coordinator, planner, analyst, synthesizer and
     * report templates of the examples as the sections of one template (5,826 characters of text, a 7,066-byte
     * MessagePack record), with all their inputs.
     */
    static TemplateSpec largeTemplate() {
        StringBuilder text = new StringBuilder();
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        for (String id : SYSTEM_PROMPT_IDS) {
            TemplateSpec part = example(id);
            text.append("## ").append(part.description()).append("\n\n").append(part.template()).append('\n');
            part.inputs().forEach(inputs::putIfAbsent);
        }
        return new TemplateSpec("research_agent", "1.0.0", "System prompt of a research agent: coordination,"
                + " planning, analysis, synthesis and the report", text.toString(), inputs,
                Map.of("tags", List.of("research", "agent", "system-prompt"), "author", "Research Team"));
    }

    /**
     * Revision {@code n} of {@code spec} under {@code id}: version {@code 1.n.0}, its text ending with an
     * instruction that differs from one revision to the next, as prompts are edited.
     */
    static TemplateSpec revision(TemplateSpec spec, String id, int n) {
        String text = spec.template() + "\nKeep the answer under " + (100 + 50 * n) + " words.\n";
        return new TemplateSpec(id, version(n), spec.description(), text, spec.inputs(), spec.metadata());
    }

    /** {@code 1.n.0}. */
    static String version(int n) {
        return "1." + n + ".0";
    }

    /**
     * The backup benchmarks' registry: {@code templates} templates (the examples in turn) with {@code versions}
     * versions each, a {@code production} label on the second version of each and a {@code staging} label on the
     * latest version of every other one. Returns its stats, checked.
     */
    static RegistryStats saveLabelledVersions(Registry registry, int templates, int versions) {
        List<TemplateSpec> examples = examples();
        for (int n = 0; n < versions; n++) {
            saveInBatches(registry, revisions(examples, templates, n), templates);
        }
        for (int i = 0; i < templates; i++) {
            registry.moveLabel(id(i), "production", version(1), "release");
            if (i % 2 == 0) {
                registry.moveLabel(id(i), "staging", version(versions - 1), null);
            }
        }
        RegistryStats stats = registry.stats();
        if (stats.templates() != templates || stats.versions() != (long) templates * versions
                || stats.labels() != templates + templates / 2) {
            throw new IllegalStateException("unexpected fixture: " + stats);
        }
        return stats;
    }

    /** @throws IllegalStateException unless {@code copy} holds what {@code original} holds (counts, one history) */
    static void requireSameContent(Registry original, RegistryStats stats, Registry copy, String sampleId) {
        RegistryStats copied = copy.stats();
        if (copied.templates() != stats.templates() || copied.versions() != stats.versions()
                || copied.labels() != stats.labels() || !copy.history(sampleId).equals(original.history(sampleId))) {
            throw new IllegalStateException("the backup differs: " + copied);
        }
    }

    /** Saves {@code specs} with {@code saveAll}, {@code batch} templates per transaction. */
    static void saveInBatches(Registry registry, List<TemplateSpec> specs, int batch) {
        for (int from = 0; from < specs.size(); from += batch) {
            registry.saveAll(specs.subList(from, Math.min(specs.size(), from + batch)), SaveOptions.DEFAULT);
        }
    }

    /** {@code count} templates {@code t00000}..., the examples in turn, each at revision {@code n}. */
    static List<TemplateSpec> revisions(List<TemplateSpec> examples, int count, int n) {
        List<TemplateSpec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            specs.add(revision(examples.get(i % examples.size()), id(i), n));
        }
        return specs;
    }

    private static TemplateSpec example(String name) {
        String resource = "examples/" + name + ".yaml";
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

    /** Each template as {@code <id>.yaml} in {@code dir}, written plainly. */
    static void writeFiles(Path dir, List<TemplateSpec> specs) {
        try {
            for (TemplateSpec spec : specs) {
                Files.write(dir.resolve(spec.id() + ".yaml"), SpecYaml.write(spec).getBytes(StandardCharsets.UTF_8));
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

    private static final List<Path> DELETE_LATER = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Deletes {@code root} at the end of the trial ({@link #deleteDeferred}) rather than now. On this file system
     * (ext4 without a journal), creating files soon after deleting tens of thousands is several times slower than
     * in a directory tree where nothing was deleted, so a benchmark that deletes its last invocation's files before
     * the next would measure that, not its own writes.
     */
    static void deleteLater(Path root) {
        DELETE_LATER.add(root);
    }

    /** Deletes what {@link #deleteLater} set aside. */
    static void deleteDeferred() {
        for (Path root : DELETE_LATER) {
            deleteTree(root);
        }
        DELETE_LATER.clear();
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
