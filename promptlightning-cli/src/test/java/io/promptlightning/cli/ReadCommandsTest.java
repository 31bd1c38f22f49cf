package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.SpecRecords;
import io.promptlightning.internal.SpecYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** list, get and export on the example templates, from a prompt directory and from LMDB. */
class ReadCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Cli cli(Cli.Kind kind) throws Exception {
        Cli.project(tmp.resolve("project"), kind);
        return new Cli(tmp.resolve("project"), tmp.resolve("home"));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void listPrintsTheSortedIds(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("list");
        assertEquals(0, r.code(), r::toString);
        assertEquals(Cli.EXAMPLE_IDS, r.outLines());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void listJsonIsAnArrayOfIds(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("list", "--json");
        assertEquals(0, r.code(), r::toString);
        assertEquals(Cli.EXAMPLE_IDS, JSON.readValue(r.out(), List.class));
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void getPrintsTheTemplateText(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("get", "summarizer");
        assertEquals(0, r.code(), r::toString);
        assertEquals("Summarize the following into exactly 3 bullet points:\n\n{{ input_text }}\n", r.out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void getJsonIsTheStoredRecordExactly(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("get", "multi-input-template", "--format", "json");
        assertEquals(0, r.code(), r::toString);
        TemplateSpec spec = Examples.spec("multi-input-template.yaml");
        Map<String, Object> record = SpecRecords.toRecord(spec);
        assertEquals(Json.pretty(record) + "\n", r.out());
        // and it is that record as JSON: same keys in the same order, same values
        Map<?, ?> parsed = JSON.readValue(r.out(), Map.class);
        assertEquals(List.of("id", "version", "description", "template", "inputs", "metadata"),
                new ArrayList<>(parsed.keySet()));
        assertEquals(JSON.readValue(JSON.writeValueAsString(record), Map.class), parsed);
        assertEquals(99.99, ((Map<?, ?>) ((Map<?, ?>) parsed.get("inputs")).get("price")).get("default"));
    }

    @Test
    void getJsonOfTheSummarizer() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("get", "summarizer", "--format=json");
        assertEquals("{\n"
                + "  \"id\": \"summarizer\",\n"
                + "  \"version\": \"1.0.0\",\n"
                + "  \"description\": \"Summarize text into exactly 3 bullets.\",\n"
                + "  \"template\": \"Summarize the following into exactly 3 bullet points:"
                + "\\n\\n{{ input_text }}\\n\",\n"
                + "  \"inputs\": {\n"
                + "    \"input_text\": {\n"
                + "      \"type\": \"string\",\n"
                + "      \"required\": true,\n"
                + "      \"default\": null\n"
                + "    }\n"
                + "  },\n"
                + "  \"metadata\": {}\n"
                + "}\n", r.out());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void getYamlIsATemplateFileThatReadsBackTheSame(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("get", "report_template", "--format", "yaml");
        assertEquals(0, r.code(), r::toString);
        TemplateSpec spec = Examples.spec("report_template.yaml");
        assertEquals(SpecYaml.write(spec), r.out());
        assertEquals(spec, SpecYaml.parse(r.out(), null).specOrThrow());
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void exportJsonlIsAHeaderThenTheLatestRecordOfEachTemplatePerLineSortedById(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("export");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(Cli.EXAMPLE_IDS.size() + 1, lines.size());
        assertEquals("promptlightning-export", JSON.readValue(lines.get(0), Map.class).get("format"));
        List<String> ids = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<?, ?> record = JSON.readValue(line, Map.class);
            ids.add((String) record.get("id"));
            TemplateSpec spec = SpecRecords.fromRecord(record, null);
            assertEquals(Examples.spec(spec.id() + ".yaml"), spec);
            // the record's fields come first, as the original orders them, then the history
            assertTrue(line.startsWith(Json.compact(SpecRecords.toRecord(spec)).replaceFirst("}$", ",\"history\":")),
                    line);
        }
        assertEquals(Cli.EXAMPLE_IDS, ids);
    }

    @Test
    void exportJsonlToAFile() throws Exception {
        Cli.Result r = cli(Cli.Kind.LMDB).run("export", "--out", "all.jsonl");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(tmp.resolve("project/all.jsonl"));
        assertEquals(Cli.EXAMPLE_IDS.size() + 1, lines.size());
        assertTrue(r.err().contains("exported 10 templates to all.jsonl"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(Cli.Kind.class)
    void exportYamlDirWritesAPromptDirectoryWithTheSameTemplates(Cli.Kind kind) throws Exception {
        Cli.Result r = cli(kind).run("export", "--format", "yaml-dir", "--out", "out");
        assertEquals(0, r.code(), r::toString);
        Path out = tmp.resolve("project/out");
        try (LocalRegistry exported = LocalRegistry.open(out)) {
            assertEquals(List.of(), exported.problems());
            assertEquals(Cli.EXAMPLE_IDS, exported.listIds());
            for (String name : Examples.names()) {
                TemplateSpec spec = Examples.spec(name);
                assertEquals(spec, exported.load(spec.id()));
                assertTrue(Files.exists(out.resolve(spec.id() + ".yaml")));
            }
        }
    }

    @Test
    void exportYamlDirNeedsOut() throws Exception {
        Cli.Result r = cli(Cli.Kind.LOCAL).run("export", "--format", "yaml-dir");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: --format yaml-dir needs --out DIR"), r::toString);
    }

    @Test
    void exportReportsIdsThatCannotBeFileNames() {
        assertEquals(null, ExportCommand.fileNameProblem("summarizer"));
        assertEquals(null, ExportCommand.fileNameProblem("my template ✨"));
        assertTrue(ExportCommand.fileNameProblem("a/b").contains("'/'"));
        assertTrue(ExportCommand.fileNameProblem("ns:name").contains("':'"));
        assertTrue(ExportCommand.fileNameProblem("..").contains("hidden"));
        assertTrue(ExportCommand.fileNameProblem("x".repeat(260)).contains("too long"));
    }

    @Test
    void idsWrittenByTheOriginalListRenderAndExportButNotAsFileNames() throws Exception {
        Cli cli = cli(Cli.Kind.LMDB);
        String odd = "team:odd/id ✨";
        putRecord(tmp.resolve("project/templates.lmdb"), odd, "Hi {{ name }}");

        Cli.Result list = cli.run("list");
        assertEquals(0, list.code(), list::toString);
        assertEquals(odd, list.outLines().get(list.outLines().size() - 1)); // U+0074 't' sorts after 's'

        Cli.Result render = cli.run("render", odd, "--name", "Ada");
        assertEquals(0, render.code(), render::toString);
        assertEquals("Hi Ada\n", render.out());

        Cli.Result export = cli.run("export", "--format", "yaml-dir", "--out", "out");
        assertEquals(1, export.code(), export::toString);
        assertTrue(export.err().contains("error: template '" + odd + "' not exported: the id holds ':'"),
                export::toString);
        assertTrue(export.err().contains("exported 10 templates to out"), export::toString);
        try (var files = Files.list(tmp.resolve("project/out"))) {
            assertEquals(10, files.filter(f -> f.toString().endsWith(".yaml")).count());
        }

        Cli.Result jsonl = cli.run("export");
        assertEquals(0, jsonl.code(), jsonl::toString);
        assertEquals(12, jsonl.outLines().size(), "the header and 11 templates");
    }

    /** Stores a record the way the original library did, whatever its id. */
    static void putRecord(Path db, String id, String template) {
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("id", id);
        record.put("version", "1.0.0");
        record.put("description", null);
        record.put("template", template);
        record.put("inputs", Map.of("name", Map.of("type", "string", "required", true)));
        record.put("metadata", Map.of());
        byte[] value = io.promptlightning.internal.MsgPackCodec.encode(record);
        try (org.lmdbjava.Env<java.nio.ByteBuffer> env = org.lmdbjava.Env.create().setMapSize(100L << 20)
                .setMaxDbs(10).open(db.toFile())) {
            org.lmdbjava.Dbi<java.nio.ByteBuffer> templates = env.openDbi("templates");
            byte[] key = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer k = java.nio.ByteBuffer.allocateDirect(key.length).put(key).flip();
            java.nio.ByteBuffer v = java.nio.ByteBuffer.allocateDirect(value.length).put(value).flip();
            templates.put(k, v);
        }
    }
}
