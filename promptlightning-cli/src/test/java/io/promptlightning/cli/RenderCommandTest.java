package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RenderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUMMARY = "Summarize the following into exactly 3 bullet points:\n\n";

    @TempDir
    Path tmp;

    private Cli cli(Cli.Kind kind) throws Exception {
        Cli.project(tmp.resolve("project"), kind);
        return new Cli(tmp.resolve("project"), tmp.resolve("home"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void flagsGiveInputsWithDashesAsUnderscores(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("render", "summarizer", "--input-text", "Héllo, wörld ✨");
        assertEquals(0, r.code(), r::toString);
        assertEquals(SUMMARY + "Héllo, wörld ✨\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void flagsWithEqualsAndBeforeTheId() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        assertEquals(SUMMARY + "a=b\n", cli.run("render", "summarizer", "--input-text=a=b").out());
        assertEquals(SUMMARY + "-5\n", cli.run("render", "summarizer", "--input_text", "-5").out());
        Cli.Result before = cli.run("render", "--input-text", "x", "summarizer");
        assertEquals(0, before.code(), before::toString);
        assertEquals(SUMMARY + "x\n", before.out());
    }

    @Test
    void inputsJsonAndFlagsTogetherFlagsWin() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        Cli.Result r = cli.run("render", "summarizer", "--inputs", "{\"input_text\": \"from json\"}");
        assertEquals(0, r.code(), r::toString);
        assertEquals(SUMMARY + "from json\n", r.out());

        Cli.Result both = cli.run("render", "summarizer", "--inputs", "{\"input_text\": \"json\"}", "--input-text",
                "flag");
        assertEquals(SUMMARY + "flag\n", both.out());

        Files.writeString(tmp.resolve("project/in.json"), "{\"input_text\": \"from a file\"}");
        assertEquals(SUMMARY + "from a file\n", cli.run("render", "summarizer", "--inputs", "@in.json").out());
    }

    @Test
    void inputsFromAMissingFileNameTheFile() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("render", "summarizer", "--inputs", "@missing.json");
        assertEquals(1, r.code(), r::toString);
        assertEquals("error: cannot read " + tmp.resolve("project/missing.json") + ": no such file (--inputs @FILE"
                + " reads a JSON object from FILE)\n", r.err());
    }

    @Test
    void stringValuesAreCoercedByTheInputTypes() throws Exception {
        Cli cli = cli(Cli.Kind.LMDB);
        Cli.Result r = cli.run("render", "multi-input-template", "--customer-name", "Ada", "--price", "12",
                "--available", "no", "--features", "[\"fast\", \"small\"]", "--json");
        assertEquals(0, r.code(), r::toString);
        String out = (String) JSON.readValue(r.out(), Map.class).get("output");
        assertTrue(out.contains("Dear Ada,"), out);
        assertTrue(out.contains("Price: $12.0\n"), out); // as the original reads "12" for a number: float("12")
        assertTrue(out.contains("Availables: False"), out);
        assertTrue(out.contains("- fast\n- small\n"), out);

        Cli.Result repeated = cli.run("render", "multi-input-template", "--features", "one", "--features", "two");
        assertTrue(repeated.out().contains("- one\n- two\n"), repeated::toString);

        Cli.Result bad = cli.run("render", "multi-input-template", "--price", "cheap");
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().startsWith("error: template 'multi-input-template': "), bad::toString);
        assertTrue(bad.err().contains("type mismatch for 'price': expected number, got 'cheap'"), bad::toString);
    }

    /** Numbers given as JSON numbers keep their type, as in the original: 12 renders 12, 12.0 renders 12.0. */
    @Test
    void numbersGivenAsJsonKeepTheirType() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        for (String price : List.of("12", "12.0", "1e20", "\"1_000\"")) {
            Cli.Result r = cli.run("render", "multi-input-template", "--inputs", "{\"price\": " + price + "}",
                    "--json");
            String out = (String) JSON.readValue(r.out(), Map.class).get("output");
            String expected = Map.of("12", "12", "12.0", "12.0", "1e20", "1e+20", "\"1_000\"", "1000.0").get(price);
            assertTrue(out.contains("Price: $" + expected + "\n"), price + " gives " + out);
        }
    }

    @Test
    void jsonOutput() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("render", "summarizer", "--input-text", "x\ny", "--json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(1, r.outLines().size());
        assertEquals(Map.of("id", "summarizer", "output", SUMMARY + "x\ny"), JSON.readValue(r.out(), Map.class));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void missingRequiredInputIsExitOneWithTheInputNamed(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("render", "summarizer");
        assertEquals(1, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("error: template 'summarizer': missing input: input_text ("), r::toString);
        assertTrue(r.err().contains("input_text (string, required)"), r::toString);
        assertFalse(r.err().contains("at io.promptlightning"), "no stack trace without --debug");
    }

    @Test
    void debugPrintsTheStackTrace() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("--debug", "render", "summarizer");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("\tat io.promptlightning."), r::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void unknownIdIsExitOneWithASuggestion(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("render", "sumarizer", "--input-text", "x");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: no template 'sumarizer' in "), r::toString);
        assertTrue(r.err().contains("did you mean 'summarizer'?"), r::toString);
    }

    @Test
    void undeclaredFlagsAreIgnoredWithAWarning() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("render", "summarizer", "--input-text", "x", "--input-txt", "y");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().startsWith("warning: template 'summarizer' has no input input_txt (ignored)"),
                r::toString);
    }

    @Test
    void wrongUsageIsExitTwo() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        for (List<String> args : List.<List<String>>of(List.of("render"),
                List.of("render", "summarizer", "--input-text"),
                List.of("render", "summarizer", "extra"), List.of("render", "summarizer", "-x", "1"),
                List.of("render", "--batch", "summarizer"), List.of("render", "summarizer", "--inputs"))) {
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), () -> args + ": " + r);
            assertTrue(r.err().startsWith("error: "), () -> args + ": " + r);
            assertTrue(r.err().contains("(see 'promptlightning render --help')"), () -> args + ": " + r);
        }
        Cli.Result badJson = cli.run("render", "summarizer", "--inputs", "{nope");
        assertEquals(1, badJson.code(), badJson::toString);
        assertTrue(badJson.err().startsWith("error: --inputs is not a JSON object: "), badJson::toString);
    }

    @Test
    void batchAnswersEveryLineInOrder() throws Exception {
        String input = "{\"id\": \"summarizer\", \"inputs\": {\"input_text\": \"one\"}}\n"
                + "this is not json\n"
                + "{\"id\": \"nope\", \"inputs\": {}}\n"
                + "\n"
                + "{\"id\": \"summarizer\"}\n"
                + "{\"id\": 7}\n"
                + "{\"id\": \"summarizer\", \"inputs\": {\"input_text\": \"two\"}}\n";
        Cli.Result r = cli(Cli.Kind.LMDB).runWithInput(input, "render", "--batch");
        assertEquals(1, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(6, lines.size(), r::toString);
        assertEquals(Map.of("id", "summarizer", "output", SUMMARY + "one"), JSON.readValue(lines.get(0), Map.class));
        assertError(lines.get(1), null, "invalid_request", "line 2: not a JSON object: ");
        assertError(lines.get(2), "nope", "not_found", "no template 'nope'");
        assertError(lines.get(3), "summarizer", "validation", "template 'summarizer': missing input: input_text");
        assertError(lines.get(4), 7, "invalid_request", "line 6: \"id\" must be a string, found a number");
        assertEquals(Map.of("id", "summarizer", "output", SUMMARY + "two"), JSON.readValue(lines.get(5), Map.class));
        assertEquals("error: 4 of 6 requests failed (their error objects are on stdout)\n", r.err());
    }

    @Test
    void batchOfGoodLinesIsExitZero() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("{\"id\": \"summarizer\", \"inputs\": {\"input_text\": \"n").append(i).append("\"}}\n");
        }
        Cli.Result r = cli(Cli.Kind.LOCAL).runWithInput(input.toString(), "render", "--batch");
        assertEquals(0, r.code(), r::toString);
        assertEquals(200, r.outLines().size());
        assertEquals(SUMMARY + "n199", JSON.readValue(r.outLines().get(199), Map.class).get("output"));
    }

    private static void assertError(String line, Object id, String type, String messageStart) throws Exception {
        Map<?, ?> answer = JSON.readValue(line, Map.class);
        assertEquals(List.of("id", "error"), List.copyOf(answer.keySet()), line);
        assertEquals(id, answer.get("id"), line);
        Map<?, ?> error = (Map<?, ?>) answer.get("error");
        assertEquals(type, error.get("type"), line);
        assertTrue(((String) error.get("message")).startsWith(messageStart), line);
    }
}
