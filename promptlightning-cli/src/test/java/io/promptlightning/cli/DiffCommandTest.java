package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Registry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiffCommandTest {
    private static final String ONE_TO_TWO = String.join("\n",
            "--- summarizer@1.0.0",
            "+++ summarizer@1.1.0",
            "@@ -1,11 +1,13 @@",
            " id: summarizer",
            "-version: 1.0.0",
            "+version: 1.1.0",
            " description: Summarize text into exactly 3 bullets.",
            " template: |",
            "-  Summarize the following into exactly 3 bullet points:",
            "+  Summarize the following into exactly 5 bullet points:",
            " ",
            "   {{ input_text }}",
            " inputs:",
            "   input_text:",
            "     type: string",
            "     required: true",
            "+metadata:",
            "+  owner: docs",
            "");

    @TempDir
    Path tmp;

    private Cli cli;

    /** The example project, the summarizer saved again as 1.1.0, with 'production' left at 1.0.0. */
    private void project(Cli.Kind kind) throws Exception {
        Path project = tmp.resolve("project");
        Cli.project(project, kind);
        try (Registry registry = kind == Cli.Kind.LMDB ? LmdbRegistry.open(project.resolve("templates.lmdb"))
                : LocalRegistry.open(project.resolve("prompts"))) {
            TemplateSpec first = registry.load("summarizer");
            registry.moveLabel("summarizer", "production", "1.0.0", "first release");
            registry.save(new TemplateSpec("summarizer", "1.1.0", first.description(),
                    first.template().replace("exactly 3", "exactly 5"), first.inputs(), Map.of("owner", "docs")),
                    SaveOptions.message("five bullets"));
        }
        cli = new Cli(project, tmp.resolve("home"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void comparesTwoVersionsOrLabelsOfATemplate(Cli.Kind kind) throws Exception {
        project(kind);
        for (String[] args : new String[][] {{"diff", "summarizer", "1.0.0", "1.1.0"},
                {"diff", "summarizer", "production", "latest"}, {"diff", "summarizer@production", "summarizer"},
                {"diff", "summarizer@1.0.0", "summarizer@latest"}}) {
            Cli.Result r = cli.run(args);
            assertEquals(0, r.code(), r::toString);
            assertEquals(ONE_TO_TWO, r.out(), String.join(" ", args));
            assertEquals("", r.err());
        }
    }

    @Test
    void theSameVersionTwiceIsNoDifferenceAndExitZero() throws Exception {
        project(Cli.Kind.LMDB);
        Cli.Result r = cli.run("diff", "summarizer", "1.1.0", "latest");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("note: summarizer@1.1.0 and summarizer@latest (summarizer@1.1.0) are the same\n", r.err());
    }

    @Test
    void jsonHoldsTheDiffText() throws Exception {
        project(Cli.Kind.LMDB);
        Cli.Result r = cli.run("diff", "summarizer", "1.0.0", "1.1.0", "--json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(Map.of("from", "summarizer@1.0.0", "to", "summarizer@1.1.0", "diff", ONE_TO_TWO),
                new ObjectMapper().readValue(r.out(), Map.class));
        r = cli.run("diff", "summarizer", "1.1.0", "1.1.0", "--json");
        assertEquals(Map.of("from", "summarizer@1.1.0", "to", "summarizer@1.1.0", "diff", ""),
                new ObjectMapper().readValue(r.out(), Map.class));
    }

    @Test
    void unknownVersionsLabelsAndIdsAreNamed() throws Exception {
        project(Cli.Kind.LMDB);
        Cli.Result r = cli.run("diff", "summarizer", "1.0.0", "2.0.0");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: template 'summarizer': no version 2.0.0 of this template; versions: "),
                r::toString);
        assertTrue(r.err().endsWith("1.0.0, 1.1.0\n"), r::toString);

        r = cli.run("diff", "summarizer", "1.0.0", "staging");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: template 'summarizer': no label 'staging' on this template; labels: "),
                r::toString);

        r = cli.run("diff", "sumarizer", "1.0.0", "1.1.0");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: no template 'sumarizer' in "), r::toString);
        assertTrue(r.err().endsWith("(did you mean 'summarizer'?)\n"), r::toString);

        r = cli.run("diff", "summarizer", "1.0.0", "1.x");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: template 'summarizer': invalid reference 'summarizer@1.x'"),
                r::toString);
        assertEquals("", r.out());
    }

    @Test
    void oneArgumentIsAUsageError() throws Exception {
        project(Cli.Kind.LMDB);
        Cli.Result r = cli.run("diff", "summarizer");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: "), r::toString);
        assertTrue(r.err().contains("(see 'promptlightning diff --help')"), r::toString);
    }
}
