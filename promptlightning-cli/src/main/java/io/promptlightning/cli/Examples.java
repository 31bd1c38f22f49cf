package io.promptlightning.cli;

import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The example template files shipped in the jar (the original library's examples). */
final class Examples {
    private static final String DIR = "examples/";

    private Examples() {
    }

    /** The file names of the examples, as listed in {@code examples/INDEX}. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String line : new String(bytes("INDEX"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        return names;
    }

    /** The content of one example file. */
    static byte[] bytes(String name) {
        try (InputStream in = Examples.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("example " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every example, parsed. */
    static List<TemplateSpec> specs() {
        List<TemplateSpec> specs = new ArrayList<>();
        for (String name : names()) {
            specs.add(spec(name));
        }
        return specs;
    }

    static TemplateSpec spec(String name) {
        return SpecYaml.parse(bytes(name), Path.of(name)).specOrThrow();
    }
}
