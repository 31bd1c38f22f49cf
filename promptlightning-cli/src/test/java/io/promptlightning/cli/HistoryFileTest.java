package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.LabelMove;
import io.promptlightning.SavedVersion;
import io.promptlightning.TemplateHistory;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import io.promptlightning.VersionInfo;
import io.promptlightning.internal.SpecRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export file's lines: written and read back without loss, and every malformed part named. */
class HistoryFileTest {
    private static final Instant T1 = Instant.parse("2025-01-02T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2025-01-03T11:30:00Z");

    static TemplateSpec version(TemplateSpec spec, String version, String text) {
        return new TemplateSpec(spec.id(), version, spec.description(), text, spec.inputs(), spec.metadata());
    }

    /** Three versions of the example with inputs of every kind, two labels and four label moves. */
    static TemplateHistory history() {
        TemplateSpec base = Examples.spec("multi-input-template.yaml");
        TemplateSpec v1 = version(base, "1.0.0", base.template());
        TemplateSpec v2 = version(base, "1.1.0", base.template() + "\nMore.");
        TemplateSpec v3 = version(base, "2.0.0-rc.1", "Only {{ name }}");
        return new TemplateHistory(base.id(), List.of(
                new SavedVersion(v1, new VersionInfo("1.0.0", null, null, null)),
                new SavedVersion(v2, new VersionInfo("1.1.0", T1, "ada", "more")),
                new SavedVersion(v3, new VersionInfo("2.0.0-rc.1", T2, "grace", null))),
                "1.1.0", Map.of("production", "1.0.0", "beta", "2.0.0-rc.1"), List.of(
                new LabelMove("latest", null, "1.1.0", T1, "ada", "more"),
                new LabelMove("production", null, "1.0.0", T1, "ada", "first release"),
                new LabelMove("staging", null, "1.1.0", T2, null, null),
                new LabelMove("staging", "1.1.0", null, T2, "grace", "not needed")));
    }

    @Test
    void aLineIsTheLatestRecordWithItsHistoryAndReadsBackEqual() {
        TemplateHistory history = history();
        String line = HistoryFile.line(history);
        assertFalse(line.contains("\n"));
        Map<String, Object> parsed = Json.parseObject(line);
        List<String> keys = new ArrayList<>(parsed.keySet());
        assertEquals(List.of("id", "version", "description", "template", "inputs", "metadata", "history"), keys);

        Map<String, Object> record = new LinkedHashMap<>(parsed);
        record.remove("history");
        assertEquals(history.latestSpec(), SpecRecords.fromRecord(record, null));
        assertEquals(Json.compact(SpecRecords.toRecord(history.latestSpec())), Json.compact(record));

        assertEquals(history, HistoryFile.parse(parsed));
    }

    @Test
    void theLatestVersionsEntryCarriesNoRecord() {
        Map<?, ?> historyObject = (Map<?, ?>) Json.parseObject(HistoryFile.line(history())).get("history");
        List<?> versions = (List<?>) historyObject.get("versions");
        assertEquals(3, versions.size());
        Map<?, ?> latest = (Map<?, ?>) versions.get(1);
        assertEquals("1.1.0", latest.get("version"));
        assertEquals("2025-01-02T10:00:00.123Z", latest.get("saved_at"));
        assertFalse(latest.containsKey("record"));
        assertTrue(((Map<?, ?>) versions.get(0)).containsKey("record"));
        assertEquals(Map.of("beta", "2.0.0-rc.1", "production", "1.0.0"), historyObject.get("labels"));
    }

    @Test
    void aPlainRecordIsATemplateWithOneVersionAndNoLabels() {
        TemplateSpec spec = Examples.spec("summarizer.yaml");
        TemplateHistory history = HistoryFile.parse(Json.parseObject(Json.compact(SpecRecords.toRecord(spec))));
        assertEquals(new TemplateHistory(spec.id(), List.of(new SavedVersion(spec, new VersionInfo(spec.version(),
                null, null, null))), spec.version(), Map.of(), List.of()), history);
    }

    @Test
    void theHeaderNamesTheFormatAndItsVersion() {
        Map<String, Object> header = Json.parseObject(HistoryFile.header(T2));
        assertEquals(Map.of("format", "promptlightning-export", "format_version", 1, "exported_at",
                "2025-01-03T11:30:00Z"), header);
        assertTrue(HistoryFile.isHeader(header));
        HistoryFile.checkHeader(header);

        IllegalArgumentException newer = assertThrows(IllegalArgumentException.class,
                () -> HistoryFile.checkHeader(Map.of("format", "promptlightning-export", "format_version", 2)));
        assertTrue(newer.getMessage().contains("written by a newer one"), newer::getMessage);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> HistoryFile.checkHeader(Map.of("format", "something-else", "format_version", 1)));
        assertTrue(other.getMessage().startsWith("not a PromptLightning export"), other::getMessage);
    }

    /** The message of parsing the history line after {@code edit} changed it. */
    private static String problem(java.util.function.Consumer<Map<String, Object>> edit) {
        Map<String, Object> line = Json.parseObject(HistoryFile.line(history()));
        edit.accept(line);
        ValidationException e = assertThrows(ValidationException.class, () -> HistoryFile.parse(line));
        assertEquals("multi-input-template", e.templateId());
        return e.detail();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> historyOf(Map<String, Object> line) {
        return (Map<String, Object>) line.get("history");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> versionEntry(Map<String, Object> line, int index) {
        return ((List<Map<String, Object>>) historyOf(line).get("versions")).get(index);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMalformedPartIsNamed() {
        assertEquals("version 1.0.0 is listed twice in \"history.versions\"", problem(line ->
                ((List<Object>) historyOf(line).get("versions")).add(versionEntry(line, 0))));
        assertEquals("version 1.0.0 is listed twice in \"history.versions\" with different content", problem(line -> {
            Map<String, Object> copy = new LinkedHashMap<>(versionEntry(line, 0));
            Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) copy.get("record"));
            record.put("template", "changed");
            copy.put("record", record);
            ((List<Object>) historyOf(line).get("versions")).add(copy);
        }));
        assertEquals("version 1.1.0 is listed twice with different content: as the line's record and in"
                + " \"history.versions\"", problem(line -> {
                    Map<String, Object> record = new LinkedHashMap<>(line);
                    record.remove("history");
                    record.put("template", "changed");
                    versionEntry(line, 1).put("record", record);
                }));
        assertTrue(problem(line -> versionEntry(line, 0).put("version", "1.0")).startsWith("invalid version '1.0'"));
        assertTrue(problem(line -> versionEntry(line, 0).remove("record")).startsWith("version 1.0.0 has no"
                + " \"record\""));
        assertEquals("the record of version 1.0.0 says version 1.1.0", problem(line ->
                ((Map<String, Object>) versionEntry(line, 0).get("record")).put("version", "1.1.0")));
        assertEquals("the record of version 1.0.0 has the id 'other'", problem(line ->
                ((Map<String, Object>) versionEntry(line, 0).get("record")).put("id", "other")));
        assertEquals("version 1.0.0: \"saved_at\" is not a UTC time such as 2025-01-02T10:00:00Z: 'yesterday'",
                problem(line -> versionEntry(line, 0).put("saved_at", "yesterday")));
        assertEquals("version 1.0.0: \"author\" must be a string or null, found a number",
                problem(line -> versionEntry(line, 0).put("author", 7)));
        assertEquals("\"history.versions\" does not list the line's own version 1.1.0",
                problem(line -> ((List<Object>) historyOf(line).get("versions")).remove(1)));
        assertTrue(problem(line -> ((Map<String, Object>) historyOf(line).get("labels")).put("prod", "9.9.9"))
                .startsWith("label 'prod' points at version 9.9.9, which is not among the versions"));
        assertTrue(problem(line -> ((Map<String, Object>) historyOf(line).get("labels")).put("latest", "1.1.0"))
                .startsWith("\"history.labels\" lists 'latest'"));
        assertTrue(problem(line -> ((Map<String, Object>) historyOf(line).get("labels")).put("9lives", "1.1.0"))
                .startsWith("invalid label '9lives'"));
        assertEquals("label move 2: \"to\" is not a version: 'soon'", problem(line ->
                ((List<Map<String, Object>>) historyOf(line).get("label_history")).get(1).put("to", "soon")));
        assertEquals("label move 1: \"at\" is missing: every move has its time", problem(line ->
                ((List<Map<String, Object>>) historyOf(line).get("label_history")).get(0).put("at", null)));
        assertEquals("\"history\" must be a JSON object, found an array", problem(line ->
                line.put("history", List.of())));
        assertEquals("\"history.versions\" must be a JSON array, found null",
                problem(line -> historyOf(line).remove("versions")));
    }
}
