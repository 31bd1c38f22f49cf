package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.LocalRegistry;
import io.promptlightning.internal.Authors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * versions, labels, label, rollback, save, delete, bump's history, and ID@VERSION / ID@LABEL in get and render, end to
 * end on a project holding the example templates, in a prompt directory and in LMDB.
 */
class HistoryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT_1_0 = "Summarize the following into exactly 3 bullet points:\n\n{{ input_text }}\n";
    private static final String TEXT_1_1 = "Summarize in 3 bullets:\n{{ input_text }}\n";

    @TempDir
    Path tmp;

    private Cli cli(Cli.Kind kind) throws Exception {
        Cli.project(tmp.resolve("project"), kind);
        return new Cli(tmp.resolve("project"), tmp.resolve("home"));
    }

    /** A summarizer file of another version and text, outside the project. */
    private Path summarizerFile(String version, String text) throws Exception {
        Path file = tmp.resolve("summarizer-" + version + ".yaml");
        Files.writeString(file, "id: summarizer\n"
                + "version: " + version + "\n"
                + "description: Summarize text into exactly 3 bullets.\n"
                + "template: " + JSON.writeValueAsString(text) + "\n"
                + "inputs:\n"
                + "  input_text:\n"
                + "    type: string\n");
        return file;
    }

    /** The summarizer at 1.0.0 and 1.1.0 (latest), with production at 1.0.0. */
    private Cli twoVersions(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        ok(cli.run("save", summarizerFile("1.1.0", TEXT_1_1).toString(), "-m", "Tighter"));
        ok(cli.run("label", "summarizer", "production", "1.0.0", "-m", "Ship it"));
        return cli;
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    /** Exit code {@code code} with one {@code error:} line on stderr and nothing on stdout. */
    private static Cli.Result fails(int code, Cli.Result r) {
        assertEquals(code, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertTrue(r.err().startsWith("error: "), r::toString);
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r::toString);
        return r;
    }

    private static List<Map<String, Object>> jsonArray(Cli.Result r) throws Exception {
        return JSON.readValue(ok(r).out(), List.class);
    }

    private static Map<String, Object> jsonObject(Cli.Result r) throws Exception {
        return JSON.readValue(ok(r).out(), Map.class);
    }

    // --------------------------------------------------------------------------------------------- versions

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void versionsListsEveryVersionWithWhoWhyAndItsLabels(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(2, versions.size());
        assertEquals("1.0.0", versions.get(0).get("version"));
        assertEquals(List.of("production"), versions.get(0).get("labels"));
        Map<String, Object> latest = versions.get(1);
        assertEquals(List.of("version", "saved_at", "author", "message", "labels", "unsaved_edit"),
                List.copyOf(latest.keySet()));
        assertEquals(false, latest.get("unsaved_edit"));
        assertEquals("1.1.0", latest.get("version"));
        assertEquals("Tighter", latest.get("message"));
        assertEquals(Authors.current(), latest.get("author"));
        assertTrue(Instant.parse((String) latest.get("saved_at")).isAfter(Instant.now().minusSeconds(3600)));
        assertEquals(List.of("latest"), latest.get("labels"));

        List<String> lines = ok(cli.run("versions", "summarizer")).outLines();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("VERSION +SAVED +BY +LABELS +MESSAGE"), lines::toString);
        assertTrue(lines.get(1).matches("1\\.0\\.0 .* production"), lines::toString);
        assertTrue(lines.get(2).matches("1\\.1\\.0 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +"
                + java.util.regex.Pattern.quote(Authors.current()) + " +latest +Tighter"), lines::toString);
    }

    @Test
    void aFileEditedByHandUnderASavedVersionIsMarkedAsAnUnsavedEdit() throws Exception {
        Cli cli = twoVersions(Cli.Kind.LOCAL);
        ok(cli.run("label", "summarizer", "staging", "1.1.0"));
        Path file = tmp.resolve("project/prompts/summarizer.yaml");
        Files.writeString(file, Files.readString(file).replace("3 bullets:", "three bullets:"));

        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of(false, true), versions.stream().map(v -> v.get("unsaved_edit")).toList());
        assertEquals("Tighter", versions.get(1).get("message"), "the version listed is the one saved");

        List<String> lines = ok(cli.run("versions", "summarizer")).outLines();
        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(2).matches("1\\.1\\.0 \\(edited\\) +\\d{4}-.* +latest, staging +Tighter"),
                lines::toString);
        assertEquals("(edited): the template's file is an unsaved edit of 1.1.0: 'summarizer' loads the edit,"
                + " 'summarizer@1.1.0' what was saved; bump to save the edit as a new version, or save the file with"
                + " --force to replace 1.1.0", lines.get(3));

        assertEquals("Summarize in three bullets:\n{{ input_text }}\n", ok(cli.run("get", "summarizer")).out());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@1.1.0")).out());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@staging")).out());
        assertTrue(ok(cli.run("diff", "summarizer@1.1.0", "summarizer")).outLines().stream()
                .anyMatch(l -> l.startsWith("+") && l.contains("Summarize in three bullets:")),
                "diff shows the edit against the saved version");

        Cli.Result refused = fails(1, cli.run("save", "prompts/summarizer.yaml"));
        assertTrue(refused.err().contains("--force"), refused::toString);
        ok(cli.run("bump", "summarizer", "--patch"));
        versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0", "1.1.1"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals(List.of(false, false, false), versions.stream().map(v -> v.get("unsaved_edit")).toList());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@staging")).out());
        assertEquals("Summarize in three bullets:\n{{ input_text }}\n", ok(cli.run("get", "summarizer@1.1.1")).out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void versionsOfOneVersionOrLabel(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        List<Map<String, Object>> production = jsonArray(cli.run("versions", "summarizer@production", "--json"));
        assertEquals(1, production.size());
        assertEquals("1.0.0", production.get(0).get("version"));
        assertEquals("1.1.0", jsonArray(cli.run("versions", "summarizer@1.1.0", "--json")).get(0).get("version"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aTemplateNeverSavedThroughTheRegistryHasOneVersion(Cli.Kind kind) throws Exception {
        List<Map<String, Object>> versions = jsonArray(cli(kind).run("versions", "analyzer", "--json"));
        assertEquals(1, versions.size());
        assertEquals(List.of("latest"), versions.get(0).get("labels"));
        if (kind == Cli.Kind.LOCAL) {
            assertNull(versions.get(0).get("saved_at"), "a file written by hand has no save time");
        }
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void versionsOfAnUnknownIdSuggestsCloseOnes(Cli.Kind kind) throws Exception {
        Cli.Result r = fails(1, cli(kind).run("versions", "sumarizer"));
        assertTrue(r.err().startsWith("error: no template 'sumarizer' in "), r::toString);
        assertTrue(r.err().contains("did you mean 'summarizer'?"), r::toString);
    }

    // ------------------------------------------------------------------------------ ID@VERSION and ID@LABEL

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void getAndRenderTakeAVersionOrALabel(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer")).out());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@latest")).out());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer@1.0.0")).out());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer@production")).out());
        Map<String, Object> record = jsonObject(cli.run("get", "summarizer@1.0.0", "--format", "json"));
        assertEquals("1.0.0", record.get("version"));
        assertEquals(TEXT_1_0, record.get("template"));

        assertEquals("Summarize in 3 bullets:\nhi\n", ok(cli.run("render", "summarizer", "--input-text", "hi")).out());
        assertEquals("Summarize the following into exactly 3 bullet points:\n\nhi\n",
                ok(cli.run("render", "summarizer@production", "--input-text", "hi")).out());
        Map<String, Object> rendered = jsonObject(cli.run("render", "summarizer@1.0.0", "--input-text", "x", "--json"));
        assertEquals("summarizer@1.0.0", rendered.get("id"));

        Cli.Result missingInput = fails(1, cli.run("render", "summarizer@production"));
        assertTrue(missingInput.err().contains("missing input: input_text"), missingInput::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void renderBatchTakesVersionsAndLabels(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Cli.Result r = cli.runWithInput("{\"id\": \"summarizer@production\", \"inputs\": {\"input_text\": \"a\"}}\n"
                + "{\"id\": \"summarizer\", \"inputs\": {\"input_text\": \"b\"}}\n"
                + "{\"id\": \"summarizer@9.9.9\", \"inputs\": {\"input_text\": \"c\"}}\n", "render", "--batch");
        assertEquals(1, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertEquals("Summarize the following into exactly 3 bullet points:\n\na",
                JSON.readValue(lines.get(0), Map.class).get("output"));
        assertEquals("Summarize in 3 bullets:\nb", JSON.readValue(lines.get(1), Map.class).get("output"));
        Map<?, ?> error = (Map<?, ?>) JSON.readValue(lines.get(2), Map.class).get("error");
        assertEquals("not_found", error.get("type"));
        assertTrue(((String) error.get("message")).contains("9.9.9"), error::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void anUnknownVersionOrLabelListsTheKnownOnes(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Cli.Result version = fails(1, cli.run("get", "summarizer@9.9.9"));
        assertTrue(version.err().contains("9.9.9") && version.err().contains("1.0.0")
                && version.err().contains("1.1.0"), version::toString);
        assertTrue(version.err().contains("'promptlightning versions summarizer'"), version::toString);

        Cli.Result label = fails(1, cli.run("render", "summarizer@staging", "--input-text", "x"));
        assertTrue(label.err().contains("staging") && label.err().contains("production"), label::toString);

        Cli.Result id = fails(1, cli.run("get", "sumarizer@1.0.0"));
        assertTrue(id.err().startsWith("error: no template 'sumarizer' in "), id::toString);
        assertTrue(id.err().contains("did you mean 'summarizer'?"), id::toString);

        Cli.Result invalid = fails(1, cli.run("get", "summarizer@"));
        assertTrue(invalid.err().contains("invalid reference 'summarizer@'"), invalid::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aPlainIdServesTheProjectsDefaultLabel(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Path config = tmp.resolve("project/promptlightning.yaml");
        Files.writeString(config, Files.readString(config) + "default_label: production\n");
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer")).out());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@latest")).out());
        assertEquals("Summarize the following into exactly 3 bullet points:\n\nhi\n",
                ok(cli.run("render", "summarizer", "--input-text", "hi")).out());
        // a template without that label is not served by its plain id
        Cli.Result unlabelled = fails(1, cli.run("render", "analyzer"));
        assertTrue(unlabelled.err().contains("production"), unlabelled::toString);
        // bump increases the latest version, whatever the plain id serves
        assertEquals("summarizer: 1.1.0 -> 1.1.1 (" + (kind == Cli.Kind.LOCAL ? "prompts/summarizer.yaml"
                : "templates.lmdb") + ")\n", ok(cli.run("bump", "summarizer", "--patch")).out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void aReadOnlyProjectRefusesChangesAndKeepsItsContent(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Path config = tmp.resolve("project/promptlightning.yaml");
        Files.writeString(config, Files.readString(config) + "read_only: true\n");
        for (String[] args : List.of(new String[] {"label", "summarizer", "production", "1.1.0"},
                new String[] {"rollback", "summarizer", "latest"},
                new String[] {"save", summarizerFile("2.0.0", TEXT_1_1).toString()},
                new String[] {"delete", "summarizer", "--yes"}, new String[] {"bump", "summarizer", "--major"})) {
            Cli.Result r = fails(1, cli.run(args));
            assertTrue(r.err().contains("read-only"), r::toString);
        }
        assertEquals(List.of("1.0.0", "1.1.0"), jsonArray(cli.run("versions", "summarizer", "--json")).stream()
                .map(v -> v.get("version")).toList());
        assertEquals(Map.of("latest", "1.1.0", "production", "1.0.0"),
                jsonObject(cli.run("labels", "summarizer", "--json")));
    }

    // ------------------------------------------------------------------------------------- label and labels

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void labelMovesAndRemovesALabelAndEveryMoveIsInTheHistory(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        assertEquals("summarizer@production: 1.0.0 -> 1.1.0\n",
                ok(cli.run("label", "summarizer", "production", "1.1.0", "-m", "Promote")).out());
        assertEquals(Map.of("latest", "1.1.0", "production", "1.1.0"), jsonObject(cli.run("labels", "summarizer",
                "--json")));
        assertEquals("latest      1.1.0\nproduction  1.1.0\n", ok(cli.run("labels", "summarizer")).out());

        assertEquals("summarizer@production: 1.1.0 -> (removed)\n",
                ok(cli.run("label", "summarizer", "production", "--delete", "--message", "Retire")).out());
        assertEquals(Map.of("latest", "1.1.0"), jsonObject(cli.run("labels", "summarizer", "--json")));

        List<Map<String, Object>> moves = jsonArray(cli.run("labels", "summarizer@production", "--history", "--json"));
        assertEquals(3, moves.size(), moves::toString);
        assertEquals(List.of("label", "from", "to", "at", "author", "message"), List.copyOf(moves.get(0).keySet()));
        assertMove(moves.get(0), null, "1.0.0", "Ship it");
        assertMove(moves.get(1), "1.0.0", "1.1.0", "Promote");
        assertMove(moves.get(2), "1.1.0", null, "Retire");

        List<String> lines = ok(cli.run("labels", "summarizer@production", "--history")).outLines();
        assertTrue(lines.get(0).matches("WHEN +BY +LABEL +MOVE +MESSAGE"), lines::toString);
        assertTrue(lines.get(1).matches(".* production +\\(new\\) -> 1\\.0\\.0 +Ship it"), lines::toString);
        assertTrue(lines.get(3).matches(".* production +1\\.1\\.0 -> \\(removed\\) +Retire"), lines::toString);

        // every label's moves, latest's among them
        List<Map<String, Object>> all = jsonArray(cli.run("labels", "summarizer", "--history", "--json"));
        assertTrue(all.stream().anyMatch(m -> m.get("label").equals("latest") && "1.1.0".equals(m.get("to"))),
                all::toString);
    }

    private static void assertMove(Map<String, Object> move, String from, String to, String message) {
        assertEquals("production", move.get("label"));
        assertEquals(from, move.get("from"));
        assertEquals(to, move.get("to"));
        assertEquals(message, move.get("message"));
        assertEquals(Authors.current(), move.get("author"));
        assertNotNull(Instant.parse((String) move.get("at")));
    }

    /** The line printed is the move the registry recorded, as the label history shows it. */
    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void labelPrintsTheMoveRecordedInTheHistory(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        for (String[] args : List.of(new String[] {"summarizer", "staging", "1.0.0"},
                new String[] {"summarizer", "staging", "latest"}, new String[] {"summarizer", "staging", "--delete"})) {
            String printed = ok(cli.run("label", args[0], args[1], args[2])).out();
            List<Map<String, Object>> moves = jsonArray(cli.run("labels", "summarizer@staging", "--history",
                    "--json"));
            Map<String, Object> last = moves.get(moves.size() - 1);
            assertEquals(LabelCommand.move("summarizer", "staging", (String) last.get("from"),
                    (String) last.get("to")) + "\n", printed);
        }
        ok(cli.run("label", "summarizer", "staging", "1.1.0"));
        int moves = jsonArray(cli.run("labels", "summarizer", "--history", "--json")).size();
        assertEquals("summarizer@staging: 1.1.0 -> 1.1.0 (already there: nothing recorded)\n",
                ok(cli.run("label", "summarizer", "staging", "1.1.0")).out());
        assertEquals(moves, jsonArray(cli.run("labels", "summarizer", "--history", "--json")).size());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void labelToWhereAnotherLabelPoints(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        assertEquals("summarizer@staging: (new) -> 1.1.0\n", ok(cli.run("label", "summarizer", "staging",
                "latest")).out());
        assertEquals("1.1.0", jsonObject(cli.run("labels", "summarizer", "--json")).get("staging"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void labelErrorsChangeNothing(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Map<String, Object> before = jsonObject(cli.run("labels", "summarizer", "--json"));
        int moves = jsonArray(cli.run("labels", "summarizer", "--history", "--json")).size();

        Cli.Result latest = fails(1, cli.run("label", "summarizer", "latest", "1.0.0"));
        assertTrue(latest.err().contains("'latest'"), latest::toString);
        Cli.Result version = fails(1, cli.run("label", "summarizer", "production", "9.9.9"));
        assertTrue(version.err().contains("9.9.9") && version.err().contains("1.1.0"), version::toString);
        Cli.Result name = fails(1, cli.run("label", "summarizer", "1st", "1.0.0"));
        assertTrue(name.err().contains("invalid label '1st'"), name::toString);
        Cli.Result noLabel = fails(1, cli.run("label", "summarizer", "staging", "--delete"));
        assertTrue(noLabel.err().contains("staging"), noLabel::toString);
        fails(1, cli.run("label", "summarizer", "latest", "--delete"));
        fails(1, cli.run("label", "summarizer", "production", "nosuchlabel"));
        Cli.Result id = fails(1, cli.run("label", "sumarizer", "production", "1.0.0"));
        assertTrue(id.err().contains("did you mean 'summarizer'?"), id::toString);
        fails(2, cli.run("label", "summarizer", "production"));
        fails(2, cli.run("label", "summarizer", "production", "1.0.0", "--delete"));
        fails(2, cli.run("label", "summarizer@1.0.0", "production", "1.0.0"));

        assertEquals(before, jsonObject(cli.run("labels", "summarizer", "--json")));
        assertEquals(moves, jsonArray(cli.run("labels", "summarizer", "--history", "--json")).size());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void labelsAtOneVersion(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        assertEquals(Map.of("production", "1.0.0"), jsonObject(cli.run("labels", "summarizer@1.0.0", "--json")));
        assertEquals(Map.of("production", "1.0.0"), jsonObject(cli.run("labels", "summarizer@production", "--json")));
        Cli.Result unknown = fails(1, cli.run("labels", "summarizer@staging"));
        assertTrue(unknown.err().contains("production"), unknown::toString);
    }

    // ---------------------------------------------------------------------------------------------- rollback

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void rollbackMovesALabelBackAndRollingBackAgainUndoesIt(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        ok(cli.run("label", "summarizer", "production", "1.1.0"));
        assertEquals("summarizer@production: 1.1.0 -> 1.0.0\n", ok(cli.run("rollback", "summarizer",
                "production")).out());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer@production")).out());
        List<Map<String, Object>> moves = jsonArray(cli.run("labels", "summarizer@production", "--history", "--json"));
        assertEquals("roll back to 1.0.0", moves.get(moves.size() - 1).get("message"));

        assertEquals("summarizer@production: 1.0.0 -> 1.1.0\n", ok(cli.run("rollback", "summarizer",
                "production", "-m", "Again")).out());
        moves = jsonArray(cli.run("labels", "summarizer@production", "--history", "--json"));
        assertEquals("Again", moves.get(moves.size() - 1).get("message"));

        assertEquals("summarizer@production: 1.1.0 -> 1.0.0\n", ok(cli.run("rollback", "summarizer",
                "production", "--to", "1.0.0")).out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void rollbackOfLatestSavesThePreviousVersionAgain(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        assertEquals("summarizer@latest: 1.1.0 -> 1.0.0\n", ok(cli.run("rollback", "summarizer", "latest")).out());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer")).out());
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals(List.of("latest", "production"), versions.get(0).get("labels"));

        // and as a new version: the content of 1.1.0, which latest left, as 1.1.1
        assertEquals("summarizer@latest: 1.0.0 -> 1.1.1 (the content of 1.1.0)\n",
                ok(cli.run("rollback", "summarizer", "latest", "--as-new", "-m", "Back")).out());
        Map<String, Object> record = jsonObject(cli.run("get", "summarizer", "--format", "json"));
        assertEquals("1.1.1", record.get("version"));
        assertEquals(TEXT_1_1, record.get("template"));
        versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0", "1.1.1"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals("Back", versions.get(2).get("message"));
    }

    @Test
    void rollbackOfLatestAfterAHandEditGoesBackToTheVersionSavedBeforeIt() throws Exception {
        Cli cli = twoVersions(Cli.Kind.LOCAL);
        Path file = tmp.resolve("project/prompts/summarizer.yaml");
        Files.writeString(file, Files.readString(file).replace("1.1.0", "1.2.0").replace("3 bullets:", "three:"));
        assertEquals("1.2.0", jsonObject(cli.run("get", "summarizer", "--format", "json")).get("version"));
        assertEquals("summarizer@latest: 1.2.0 -> 1.1.0\n", ok(cli.run("rollback", "summarizer", "latest")).out());
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer")).out());
        // the hand-edited version was kept
        assertEquals("Summarize in three:\n{{ input_text }}\n", ok(cli.run("get", "summarizer@1.2.0")).out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void rollbackErrors(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        Cli.Result latest = fails(1, cli.run("rollback", "analyzer", "latest"));
        assertTrue(latest.err().contains("no earlier version to roll back to"), latest::toString);
        assertTrue(latest.err().contains("--to VERSION"), latest::toString);
        Cli.Result label = fails(1, cli.run("rollback", "analyzer", "production"));
        assertTrue(label.err().contains("no move of the label 'production'"), label::toString);
        Cli.Result to = fails(1, cli.run("rollback", "analyzer", "latest", "--to", "9.9.9"));
        assertTrue(to.err().contains("9.9.9"), to::toString);
        fails(1, cli.run("rollback", "nope", "latest"));
        fails(2, cli.run("rollback", "analyzer", "production", "--as-new"));
        fails(2, cli.run("rollback", "analyzer"));
        assertEquals(Map.of("latest", "1.0.0"), jsonObject(cli.run("labels", "analyzer", "--json")));
    }

    // -------------------------------------------------------------------------------------------------- save

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void saveRecordsTheVersionAndRefusesToChangeASavedOne(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        Path file = summarizerFile("1.1.0", TEXT_1_1);
        String where = kind == Cli.Kind.LOCAL ? "prompts/summarizer.yaml" : "templates.lmdb";
        assertEquals("summarizer@1.1.0: saved (" + where + ")\n", ok(cli.run("save", file.toString())).out());
        // saving it again changes nothing
        ok(cli.run("save", file.toString()));

        Files.writeString(file, Files.readString(file).replace("3 bullets", "three bullets"));
        Cli.Result refused = fails(1, cli.run("save", file.toString(), "-m", "Sneaky"));
        assertTrue(refused.err().contains("--force"), refused::toString);
        assertEquals(TEXT_1_1, ok(cli.run("get", "summarizer@1.1.0")).out());

        ok(cli.run("save", file.toString(), "--force", "-m", "Forced"));
        assertEquals("Summarize in three bullets:\n{{ input_text }}\n", ok(cli.run("get", "summarizer")).out());
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0"), versions.stream().map(v -> v.get("version")).toList());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void saveOfABadFileNamesTheFileAndLineAndChangesNothing(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "id: summarizer\nversion: 2.0.0\ntemplate: \"{{ unclosed\"\n");
        Cli.Result r = fails(1, cli.run("save", file.toString()));
        assertTrue(r.err().startsWith("error: " + file + ":3: template 'summarizer': "), r::toString);

        Files.writeString(file, "id: summarizer\nversion: [2.0.0\n");
        r = fails(1, cli.run("save", file.toString()));
        assertTrue(r.err().startsWith("error: " + file + ":"), r::toString);

        r = fails(1, cli.run("save", tmp.resolve("missing.yaml").toString()));
        assertTrue(r.err().contains("missing.yaml") && r.err().contains("file not found"), r::toString);
        fails(2, cli.run("save"));

        assertEquals(1, jsonArray(cli.run("versions", "summarizer", "--json")).size());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer")).out());
    }

    @Test
    void saveInAPromptDirectoryKeepsTheLayoutOfTheFile() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        Path served = tmp.resolve("project/prompts/summarizer.yaml");
        String original = Files.readString(served);
        // a file written by hand: recorded by its first save, which leaves it as it is
        assertEquals("summarizer@1.0.0: saved (prompts/summarizer.yaml)\n",
                ok(cli.run("save", "prompts/summarizer.yaml")).out());
        assertEquals(original, Files.readString(served));
        String edited = "# the summarizer, edited\n" + Files.readString(served).replace("1.0.0", "1.0.1")
                .replace("exactly 3", "exactly three") + "# end\n";
        Files.writeString(served, edited);
        ok(cli.run("save", "prompts/summarizer.yaml", "-m", "Words, not digits"));
        assertEquals(edited, Files.readString(served));
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.0.1"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals("Words, not digits", versions.get(1).get("message"));
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer@1.0.0")).out());

        // a file from elsewhere keeps its layout in the prompt directory too
        Path file = summarizerFile("1.2.0", TEXT_1_1);
        String text = "# from elsewhere\n" + Files.readString(file);
        Files.writeString(file, text);
        assertEquals("summarizer@1.2.0: saved (prompts/summarizer.yaml)\n", ok(cli.run("save", file.toString())).out());
        assertEquals(text, Files.readString(served));
    }

    @Test
    void validateOfAPromptDirectoryLeavesItsHistoryAlone() throws Exception {
        Cli cli = twoVersions(Cli.Kind.LOCAL);
        assertTrue(Files.isDirectory(tmp.resolve("project/prompts/" + LocalRegistry.HISTORY_DIRECTORY)));
        // the examples' own findings, and nothing about the files of the history
        Cli.Result r = cli.run("validate");
        assertFalse(r.out().contains(LocalRegistry.HISTORY_DIRECTORY), r::toString);
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("prompts/multi-input-template.yaml:")), r::toString);
        assertTrue(r.err().contains(" problems in 10 templates"), r::toString);
    }

    // ------------------------------------------------------------------------------------------------ delete

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void deleteOfATemplateAsksForYesAndKeepsTheLabelHistory(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Cli.Result asked = fails(1, cli.run("delete", "summarizer"));
        assertTrue(asked.err().contains("removes its 2 versions and the label production; nothing was deleted"),
                asked::toString);
        assertTrue(asked.err().contains("--yes"), asked::toString);
        ok(cli.run("get", "summarizer"));

        assertEquals("summarizer: deleted with its 2 versions and the label production (its label history is"
                + " kept)\n", ok(cli.run("delete", "summarizer", "--yes")).out());
        fails(1, cli.run("get", "summarizer"));
        assertFalse(ok(cli.run("list")).outLines().contains("summarizer"));
        List<Map<String, Object>> moves = jsonArray(cli.run("labels", "summarizer@production", "--history", "--json"));
        assertMove(moves.get(0), null, "1.0.0", "Ship it");

        Cli.Result unknown = fails(1, cli.run("delete", "summarizer", "--yes"));
        assertTrue(unknown.err().startsWith("error: no template 'summarizer' in "), unknown::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void deletingATemplateAppendsTheRemovalOfEachLabelToItsHistory(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        ok(cli.run("delete", "summarizer", "--yes"));
        List<Map<String, Object>> moves = jsonArray(cli.run("labels", "summarizer@production", "--history", "--json"));
        assertEquals(2, moves.size(), moves::toString);
        assertEquals("1.0.0", moves.get(1).get("from"));
        assertNull(moves.get(1).get("to"));
        List<String> lines = ok(cli.run("labels", "summarizer", "--history")).outLines();
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* latest +1\\.1\\.0 -> \\(removed\\).*")),
                lines::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void deleteOfOneVersion(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        Cli.Result labelled = fails(1, cli.run("delete", "summarizer@1.0.0"));
        assertTrue(labelled.err().contains("production"), labelled::toString);
        fails(1, cli.run("delete", "summarizer", "--version", "9.9.9"));
        fails(2, cli.run("delete", "summarizer@production"));
        fails(2, cli.run("delete", "summarizer@1.0.0", "--version", "1.1.0"));
        assertEquals(2, jsonArray(cli.run("versions", "summarizer", "--json")).size());

        assertEquals("summarizer@1.1.0: deleted; the latest version is now 1.0.0\n",
                ok(cli.run("delete", "summarizer", "--version", "1.1.0")).out());
        assertEquals(TEXT_1_0, ok(cli.run("get", "summarizer")).out());
        Cli.Result only = fails(1, cli.run("delete", "summarizer@1.0.0"));
        assertTrue(only.err().contains("only version") || only.err().contains("production"), only::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void deleteOfAVersionThatIsNotTheLatest(Cli.Kind kind) throws Exception {
        Cli cli = twoVersions(kind);
        ok(cli.run("label", "summarizer", "production", "--delete"));
        assertEquals("summarizer@1.0.0: deleted\n", ok(cli.run("delete", "summarizer@1.0.0")).out());
        assertEquals(List.of("1.1.0"), jsonArray(cli.run("versions", "summarizer", "--json")).stream()
                .map(v -> v.get("version")).toList());
        Cli.Result only = fails(1, cli.run("delete", "summarizer@1.1.0"));
        assertTrue(only.err().contains("only version"), only::toString);
    }

    // -------------------------------------------------------------------------------------------------- bump

    @Test
    void bumpInLmdbRecordsTheNewVersionWithItsMessage() throws Exception {
        Cli cli = cli(Cli.Kind.LMDB);
        assertEquals("summarizer: 1.0.0 -> 1.1.0 (templates.lmdb)\n",
                ok(cli.run("bump", "summarizer", "--minor", "-m", "New wording")).out());
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "summarizer", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals("New wording", versions.get(1).get("message"));
        assertEquals("1.0.0", jsonObject(cli.run("get", "summarizer@1.0.0", "--format", "json")).get("version"));
    }

    @Test
    void bumpInAPromptDirectoryKeepsTheFileAndRecordsBothVersions() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path prompts = Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\n");
        String text = "# my greeting\n"
                + "id: greet   # keep this comment\n"
                + "version: '1.2.3'  # and this one\n"
                + "template: Hello {{ name }}!\n"
                + "inputs: {name: {type: string}}\n";
        Files.writeString(prompts.resolve("greet.yaml"), text);
        Cli cli = new Cli(project, tmp.resolve("home"));

        assertEquals("greet: 1.2.3 -> 1.2.4 (prompts/greet.yaml)\n",
                ok(cli.run("bump", "greet", "--patch", "-m", "Fix")).out());
        assertEquals(text.replace("'1.2.3'", "'1.2.4'"), Files.readString(prompts.resolve("greet.yaml")));
        List<Map<String, Object>> versions = jsonArray(cli.run("versions", "greet", "--json"));
        assertEquals(List.of("1.2.3", "1.2.4"), versions.stream().map(v -> v.get("version")).toList());
        assertEquals("Fix", versions.get(1).get("message"));
        assertEquals(List.of("latest"), versions.get(1).get("labels"));
        assertEquals("1.2.3", jsonObject(cli.run("get", "greet@1.2.3", "--format", "json")).get("version"));
        fails(2, cli.run("bump", "greet@1.2.3", "--patch"));
    }

    // ---------------------------------------------------------------------------------------- search, stats

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void searchByTagAndMetadata(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        assertEquals(List.of("chat_assistant"), ok(cli.run("search", "--tag", "chat")).outLines());
        assertEquals(List.of("analyzer"), ok(cli.run("search", "--tag", "ai", "--tag", "analysis")).outLines());
        assertEquals(List.of("analyzer", "chat_assistant"),
                JSON.readValue(ok(cli.run("search", "--meta", "author=Dakora Example", "--json")).out(), List.class));
        assertEquals(List.of("chat_assistant"), ok(cli.run("search", "--meta", "use_cases=Q&A")).outLines());
        Cli.Result none = ok(cli.run("search", "--tag", "chat", "--meta", "author=someone"));
        assertEquals(List.of(), none.outLines());
        assertEquals("no template matches\n", none.err(), "said on stderr, so a pipe gets nothing");
        assertEquals(Cli.EXAMPLE_IDS, ok(cli.run("search")).outLines());
        fails(2, cli.run("search", "--meta", "author"));
        fails(2, cli.run("search", "--meta", "=x"));
        fails(2, cli.run("search", "--meta", "a=1", "--meta", "a=2"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void statsCountTemplatesVersionsAndLabels(Cli.Kind kind) throws Exception {
        Cli cli = cli(kind);
        Map<String, Object> before = jsonObject(cli.run("stats", "--json"));
        assertEquals(List.of("registry", "storage", "templates", "versions", "labels", "map_size", "used_bytes",
                "last_modified"), List.copyOf(before.keySet()));
        assertEquals(kind == Cli.Kind.LOCAL ? "local" : "lmdb", before.get("registry"));
        assertEquals(10, before.get("templates"));
        assertEquals(10, before.get("versions"));
        assertEquals(0, before.get("labels"));
        assertTrue(((Number) before.get("used_bytes")).longValue() > 0, before::toString);
        if (kind == Cli.Kind.LOCAL) {
            assertNull(before.get("map_size"));
        } else {
            assertTrue(((Number) before.get("map_size")).longValue() > 0, before::toString);
        }

        ok(cli.run("save", summarizerFile("1.1.0", TEXT_1_1).toString()));
        ok(cli.run("label", "summarizer", "production", "1.0.0"));
        Map<String, Object> after = jsonObject(cli.run("stats", "--json"));
        assertEquals(10, after.get("templates"));
        assertEquals(11, after.get("versions"));
        assertEquals(1, after.get("labels"));
        assertNotNull(Instant.parse((String) after.get("last_modified")));

        List<String> lines = ok(cli.run("stats")).outLines();
        assertTrue(lines.contains("versions       11"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("used +\\d+(\\.\\d)? (bytes|KiB|MiB)")), lines::toString);
        assertEquals(kind == Cli.Kind.LMDB, lines.stream().anyMatch(l -> l.startsWith("map size ")), lines::toString);
    }

    // ------------------------------------------------------------------------------------------------- help

    @Test
    void everyCommandExplainsItselfInHelp() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        for (String command : List.of("versions", "labels", "label", "rollback", "save", "delete", "search", "stats",
                "bump")) {
            Cli.Result r = ok(cli.run(command, "--help"));
            assertTrue(r.out().startsWith("Usage: promptlightning " + command), r::toString);
        }
        assertTrue(ok(cli.run("--help")).out().contains("rollback"));
        assertTrue(ok(cli.run("get", "--help")).out().contains("ID@VERSION"));
    }
}
