package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateDiffTest {
    private static String resource(String path) throws IOException {
        try (InputStream in = TemplateDiffTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static TemplateSpec spec(String path) throws IOException {
        return SpecYaml.parse(resource(path), Path.of(path)).specOrThrow();
    }

    private static TemplateSpec withTemplate(String template) {
        return new TemplateSpec("t", "1.0.0", null, template, Map.of(), Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"summarizer", "trailing-spaces", "reordered"})
    void printsWhatGnuDiffPrintsForTheTwoFiles(String name) throws IOException {
        String dir = "/diff/spec/" + name + "/";
        assertEquals(resource(dir + "expected.diff"),
                TemplateDiff.unified(spec(dir + "from.yaml"), spec(dir + "to.yaml")));
    }

    @Test
    void identicalTemplatesGiveNothing() throws IOException {
        TemplateSpec summarizer = spec("/examples/summarizer.yaml");
        assertEquals("", TemplateDiff.unified(summarizer, spec("/examples/summarizer.yaml")));
    }

    @Test
    void theHeaderNamesBothVersionsAndEveryPartCounts() {
        TemplateSpec base = new TemplateSpec("t", "1.0.0", "d", "x", Map.of("x", InputSpec.of(InputType.STRING, true)),
                Map.of("k", "v"));
        List<TemplateSpec> changed = List.of(
                base.withVersion("1.0.1"),
                new TemplateSpec("t", "1.0.0", "other", "x", base.inputs(), base.metadata()),
                new TemplateSpec("t", "1.0.0", "d", "y", base.inputs(), base.metadata()),
                new TemplateSpec("t", "1.0.0", "d", "x", Map.of("x", InputSpec.of(InputType.INTEGER, true)),
                        base.metadata()),
                new TemplateSpec("t", "1.0.0", "d", "x", base.inputs(), Map.of("k", "w")));
        for (TemplateSpec other : changed) {
            String diff = TemplateDiff.unified(base, other);
            assertTrue(diff.startsWith("--- t@1.0.0\n+++ t@" + other.version() + "\n@@ "), diff);
            assertEquals(1, diff.lines().filter(l -> l.startsWith("-") && !l.startsWith("---")).count(), diff);
            assertEquals(1, diff.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).count(), diff);
        }
    }

    @Test
    void theTextIsTheTemplateFileWhereTheTemplateIsALiteralBlockThere() throws IOException {
        for (String name : List.of("analyst_system", "analyzer", "chat_assistant", "coordinator_system", "id-2",
                "multi-input-template", "planner_system", "report_template", "summarizer", "synthesizer_system")) {
            TemplateSpec spec = spec("/examples/" + name + ".yaml");
            assertEquals(SpecYaml.write(spec), TemplateDiff.text(spec), name);
        }
        for (String template : List.of("", "one line", "two\nlines", "two\nlines\n", "kept\n\n", "\n", " indented\nx\n",
                "x\n\n\nend")) {
            TemplateSpec spec = withTemplate(template);
            assertEquals(SpecYaml.write(spec), TemplateDiff.text(spec), template);
        }
    }

    @Test
    void templateLinesStayLinesWhereTheFileWouldQuoteThem() {
        // trailing spaces and tabs make the file a double-quoted string on one line
        TemplateSpec spec = withTemplate("Hello {{ name }}, \n\tWelcome back.\n");
        assertTrue(SpecYaml.write(spec).contains("template: \"Hello {{ name }}, \\n\\tWelcome back.\\n\"\n"));
        assertEquals("id: t\nversion: 1.0.0\ntemplate: |\n  Hello {{ name }}, \n  \tWelcome back.\n",
                TemplateDiff.text(spec));
        assertEquals("--- t@1.0.0\n+++ t@1.0.0\n@@ -2,4 +2,4 @@\n version: 1.0.0\n template: |\n"
                        + "   Hello {{ name }}, \n-  \tWelcome back.\n+  \tWelcome back!\n",
                TemplateDiff.unified(spec, withTemplate("Hello {{ name }}, \n\tWelcome back!\n")));
    }
}
