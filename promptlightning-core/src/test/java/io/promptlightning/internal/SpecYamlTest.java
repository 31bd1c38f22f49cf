package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.InputSpec;
import io.promptlightning.InputType;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecYamlTest {
    static final List<String> EXAMPLES = List.of("analyst_system", "analyzer", "chat_assistant", "coordinator_system",
            "id-2", "multi-input-template", "planner_system", "report_template", "summarizer", "synthesizer_system");

    @TempDir
    Path dir;

    static byte[] example(String name) throws IOException {
        try (InputStream in = SpecYamlTest.class.getResourceAsStream("/examples/" + name + ".yaml")) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    /** Parses {@code yaml} as the file {@code t.yaml} and returns the error, failing if there is none. */
    private ValidationException error(String yaml) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, yaml);
        SpecYaml.Result r = SpecYaml.parse(file);
        assertFalse(r.ok(), () -> "expected an error for:\n" + yaml);
        assertNull(r.spec());
        ValidationException e = r.error();
        assertEquals(file, e.file());
        assertThrows(ValidationException.class, r::specOrThrow);
        return e;
    }

    private static void assertError(ValidationException e, int line, String fragment) {
        assertEquals(line, e.line(), e::getMessage);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().contains("t.yaml:" + line + ": "), e::getMessage);
    }

    private static TemplateSpec parseOk(String yaml) {
        SpecYaml.Result r = SpecYaml.parse(yaml, null);
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        return r.spec();
    }

    // ------------------------------------------------------------------------------------------ reading

    @Test
    void readsEveryExampleFile() throws IOException {
        for (String name : EXAMPLES) {
            SpecYaml.Result r = SpecYaml.parse(example(name), Path.of(name + ".yaml"));
            assertTrue(r.ok(), () -> name + ": " + r.error());
            assertEquals(name, r.spec().id());
            assertEquals(name, r.id());
            assertEquals(1, r.idLine());
        }
        TemplateSpec analyzer = SpecYaml.parse(example("analyzer"), null).spec();
        assertEquals("1.0.0", analyzer.version());
        assertEquals(List.of("content", "analysis_type"), List.copyOf(analyzer.inputs().keySet()));
        InputSpec type = analyzer.inputs().get("analysis_type");
        assertEquals(InputType.STRING, type.type());
        assertFalse(type.required());
        assertEquals("general", type.defaultValue());
        assertEquals(Map.of("description", "Type of analysis (sentiment, technical, business, general)"), type.extra());
        assertEquals(List.of("analysis", "ai", "content"), analyzer.metadata().get("tags"));
        assertTrue(analyzer.template().startsWith("Please provide a {{ analysis_type }} analysis"));

        TemplateSpec multi = SpecYaml.parse(example("multi-input-template"), null).spec();
        assertEquals(99.99, multi.inputs().get("price").defaultValue());
        assertEquals(Boolean.TRUE, multi.inputs().get("available").defaultValue());
        assertEquals(Map.of("email", "sales@company.com", "phone", "555-0123"),
                multi.inputs().get("contact_info").defaultValue());
        assertTrue(multi.template().startsWith("# {{title}}\n\nDear {{customer_name}},\n"));
    }

    @Test
    void yaml11ScalarsReadAsPyYamlReadsThem() {
        TemplateSpec spec = parseOk("id: t\ntemplate: x\ninputs:\n"
                + "  a: {type: boolean, required: no, default: yes}\n"
                + "  b: {type: string, required: off, default: on}\n"
                + "  c: {type: number, default: 0x1F}\n"
                + "  d: {required: NO}\n"
                + "metadata:\n  when: 2024-01-02\n  ratio: 1_000.5\n  sexagesimal: 1:30\n");
        assertEquals(Boolean.TRUE, spec.inputs().get("a").defaultValue());
        assertFalse(spec.inputs().get("a").required());
        assertEquals("True", spec.inputs().get("b").defaultValue(), "a YAML 1.1 boolean coerced to string");
        assertEquals(31L, spec.inputs().get("c").defaultValue());
        assertEquals(InputType.STRING, spec.inputs().get("d").type());
        assertFalse(spec.inputs().get("d").required());
        assertEquals("2024-01-02T00:00:00Z", spec.metadata().get("when"));
        assertEquals(1000.5, spec.metadata().get("ratio"));
        assertEquals(90L, spec.metadata().get("sexagesimal"));
    }

    @Test
    void legacyIdsLoad() {
        for (String id : List.of("my template", "team/greeting", "a:b", "héllo", "🚀 launch", "..")) {
            TemplateSpec spec = parseOk("id: " + quote(id) + "\ntemplate: hi\n");
            assertEquals(id, spec.id());
        }
    }

    @Test
    void byteOrderMarksAndUtf16AreRead() {
        byte[] utf8 = "\uFEFFid: bom\ntemplate: hé\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("hé", SpecYaml.parse(utf8, null).specOrThrow().template());
        byte[] utf16 = "\uFEFFid: wide\ntemplate: hé\n".getBytes(StandardCharsets.UTF_16LE);
        assertEquals("wide", SpecYaml.parse(utf16, null).specOrThrow().id());
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void malformedYamlNamesTheLineOfTheSyntaxError() throws IOException {
        assertError(error("id: x\nversion: 1.0.0\ntemplate: \"unclosed\ninputs: {}\n"), 5, "invalid YAML");
        assertError(error("id: x\ntemplate: hi\n  bad indentation: here\n"), 3, "invalid YAML");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  a: [1, 2\n"), 5, "invalid YAML");
    }

    @Test
    void aListOrAScalarIsNotATemplate() throws IOException {
        assertError(error("# a list\n- id: x\n  template: hi\n"), 2, "not a template");
        assertError(error("\n\njust some text\n"), 3, "not a template");
        assertError(error(""), 1, "not a template: the file is empty");
        assertError(error("# only a comment\n"), 1, "not a template: the file is empty");
    }

    @Test
    void missingIdOrTemplateNamesTheMapping() throws IOException {
        ValidationException noId = error("# greeting\ntemplate: hi\nversion: 1.0.0\n");
        assertError(noId, 2, "the 'id' field is missing");
        assertNull(noId.templateId());
        ValidationException noTemplate = error("\nid: greet\nversion: 1.0.0\n");
        assertError(noTemplate, 2, "the 'template' field is missing");
        assertEquals("greet", noTemplate.templateId());
    }

    @Test
    void wrongFieldTypesNameTheField() throws IOException {
        assertError(error("id: x\ntemplate: hi\nversion: [1, 0]\n"), 3, "'version' must be a string");
        assertError(error("id: x\ntemplate: hi\nversion: 1.0\n"), 3, "'version' must be a string");
        assertError(error("id: x\ntemplate: hi\nversion: 1.0.x\n"), 3, "invalid version '1.0.x'");
        assertError(error("id: x\ndescription:\n  a: 1\ntemplate: hi\n"), 2, "'description' must be a string");
        assertError(error("id: x\ntemplate:\n  - hi\n"), 2, "'template' must be a string");
        assertError(error("id: [x]\ntemplate: hi\n"), 1, "'id' must be a non-empty string");
        assertError(error("id: x\ntemplate: hi\ninputs: some text\n"), 3, "'inputs' must be a mapping");
        assertError(error("id: x\ntemplate: hi\nmetadata: [1, 2]\n"), 3, "'metadata' must be a mapping");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  a:\n    type: string\n  b:\n    type: string\n"
                + "    required: maybe\n"), 8, "input 'b': 'required' must be true or false");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  a: {type: string}\n  b: text\n"), 5,
                "input 'b': a declaration must be a mapping");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  a:\n    type: [string]\n"), 5, "'type' must be a string");
    }

    @Test
    void unknownInputTypeNamesTheTypeLine() throws IOException {
        ValidationException e = error("id: x\ntemplate: hi\ninputs:\n  ok:\n    type: string\n  n:\n"
                + "    required: false\n    type: float\n    description: d\n");
        assertError(e, 8, "unknown input type 'float'");
        assertEquals("x", e.templateId());
        assertError(error("id: x\ntemplate: hi\ninputs:\n  n:\n    type: enum\n"), 5, "non-empty 'enum'");
    }

    @Test
    void defaultOfTheWrongTypeNamesTheDefaultLine() throws IOException {
        assertError(error("id: x\ntemplate: hi\ninputs:\n  n:\n    type: number\n    required: false\n"
                + "    default: lots\n"), 7, "default of input 'n' does not match its type number");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  n:\n    type: array<string>\n    default:\n      - 1\n"),
                6, "does not match its type array<string>");
        assertError(error("id: x\ntemplate: hi\ninputs:\n  n:\n    type: enum\n    enum: [a, b]\n    default: c\n"),
                7, "does not match its type enum");
    }

    @Test
    void templateSyntaxErrorInALiteralBlockNamesTheFileLine() throws IOException {
        ValidationException e = error("id: broken\nversion: 1.0.0\ntemplate: |\n  Hello {{ name }}\n"
                + "  {% if name %}\n  unclosed\ninputs:\n  name: {type: string}\n");
        assertTrue(e.detail().startsWith("template syntax error"), e::getMessage);
        assertEquals("broken", e.templateId());
        int templateLine = ((io.promptlightning.PromptLightningException) e.getCause()).line();
        assertTrue(templateLine >= 2, e::getMessage);
        assertEquals(3 + templateLine, e.line(), e::getMessage);

        ValidationException second = error("id: broken\ntemplate: |\n  line one\n  {{ oops( }}\n  line three\n");
        assertError(second, 4, "template syntax error");
        ValidationException leadingBlank = error("id: broken\ntemplate: |+\n\n\n  {{ }}\n");
        assertError(leadingBlank, 5, "template syntax error");
    }

    @Test
    void templateSyntaxErrorInAQuotedOrPlainScalarNamesTheKeyLine() throws IOException {
        assertError(error("id: broken\n\ntemplate: 'one\n\n  {{ oops( }}'\n"), 3, "template syntax error");
        assertError(error("id: broken\ntemplate: \"{% for %}\"\n"), 2, "template syntax error");
        assertError(error("id: broken\ntemplate: >\n  folded\n  {{ oops( }}\n"), 2, "template syntax error");
    }

    @Test
    void idWithAControlCharacterIsRejectedAtItsLine() throws IOException {
        ValidationException e = error("version: 1.0.0\nid: \"tab\\there\"\ntemplate: hi\n");
        assertError(e, 2, "control character");
        assertNull(e.templateId());
        assertError(error("version: 1.0.0\nid: ''\ntemplate: hi\n"), 2, "'id' must be a non-empty string");
    }

    @Test
    void duplicateKeysAreErrors() throws IOException {
        assertError(error("id: a\ntemplate: hi\nversion: 1.0.0\nid: b\n"), 4, "duplicate key id");
        assertError(error("id: a\ntemplate: hi\ninputs:\n  x: {type: string}\n  y: {type: string}\n"
                + "  x: {type: number}\n"), 6, "duplicate key x");
        assertError(error("id: a\ntemplate: hi\ninputs:\n  x: {type: string, type: number}\n"), 4,
                "duplicate key type");
    }

    @Test
    void hostileDocumentsAreRejectedQuickly() throws IOException {
        StringBuilder laughs = new StringBuilder("id: x\ntemplate: hi\nmetadata:\n  a0: &a0 [lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            String prev = "*a" + (i - 1);
            laughs.append("  a").append(i).append(": &a").append(i).append(" [").append(prev).append(", ")
                    .append(prev).append(", ").append(prev).append(", ").append(prev).append("]\n");
        }
        String billion = laughs.toString();
        ValidationException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> error(billion));
        assertTrue(e.getMessage().contains("aliases") || e.getMessage().contains("too large"), e::getMessage);

        StringBuilder chain = new StringBuilder("id: x\ntemplate: hi\nmetadata:\n  a0: &a0 [x, x]\n");
        for (int i = 1; i < 24; i++) {
            chain.append("  a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        String doubling = chain.toString();
        ValidationException big = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> error(doubling));
        assertTrue(big.getMessage().contains("too large once its aliases are expanded"), big::getMessage);

        assertError(error("id: x\ntemplate: hi\nmetadata:\n  loop: &l\n    - *l\n"), 4, "contains itself");
        String deep = "id: x\ntemplate: hi\nmetadata:\n  deep: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertError(error(deep), 4, "Nesting Depth");
        assertError(error("id: x\ntemplate: !!python/object:os.system hi\n"), 2, "invalid YAML");
        assertError(error("id: x\ntemplate: !custom hi\n"), 2, "invalid YAML");
        assertError(error("id: x\ntemplate: hi\n---\nid: y\ntemplate: there\n"), 3, "invalid YAML");
    }

    @Test
    void textThatIsNotTextIsRejectedWithItsLine() throws IOException {
        Path file = dir.resolve("t.yaml");
        byte[] latin1 = "id: x\ntemplate: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, latin1);
        ValidationException e = SpecYaml.parse(file).error();
        assertEquals(2, e.line(), e::getMessage);
        assertTrue(e.getMessage().contains("not valid UTF-8"), e::getMessage);

        assertError(error("id: x\ndescription: d\ntemplate: bell\u0007\n"), 3, "invalid YAML");
    }

    @Test
    void oversizedFilesAreNotReadAndTheErrorSaysHowToRaiseTheLimit() throws IOException {
        long limit = SpecYaml.maxFileBytes();
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "id: x\ntemplate: '" + "a".repeat((int) limit) + "'\n");
        ValidationException e = SpecYaml.parse(file).error();
        assertEquals(1, e.line());
        assertEquals(file, e.file());
        assertEquals("file too large: " + Files.size(file) + " bytes; template files are read up to " + limit
                + " bytes (" + ByteSizes.describe(limit) + "): raise the limit with max_file_size in"
                + " promptlightning.yaml or the system property promptlightning.maxFileSize (e.g."
                + " -Dpromptlightning.maxFileSize=" + ByteSizes.describe(2 * limit).replace(" ", "") + ")",
                e.detail());
    }

    /** The original reads files of any size; 4 Mi code points, the limit that was, is far from the default. */
    @Test
    void aFileOfMillionsOfCharactersIsRead() throws IOException {
        Path file = dir.resolve("t.yaml");
        String text = "Hello {{ name }} ".repeat(5 << 20 >> 4);
        Files.writeString(file, "id: big\ntemplate: '" + text + "'\ninputs:\n  name: {type: string}\n");
        SpecYaml.Result r = SpecYaml.parse(file);
        assertTrue(r.ok(), () -> r.error().getMessage());
        assertEquals(text, r.spec().template());
    }

    @Test
    void theSystemPropertySetsTheLimit() throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "id: x\ntemplate: '" + "a".repeat(3000) + "'\n");
        long raised = SpecYaml.maxFileBytes() + 1024;
        String bigger = "a".repeat((int) raised - 100);
        Path big = Files.writeString(dir.resolve("big.yaml"), "id: x\ntemplate: '" + bigger + "'\n");
        assertFalse(SpecYaml.parse(big).ok(), "over the limit");
        System.setProperty(SpecYaml.MAX_FILE_SIZE_PROPERTY, raised + "");
        try {
            assertEquals(raised, SpecYaml.maxFileBytes());
            assertTrue(SpecYaml.parse(big).ok(), () -> SpecYaml.parse(big).error().getMessage());
            System.setProperty(SpecYaml.MAX_FILE_SIZE_PROPERTY, "lots");
            ValidationException e = assertThrows(ValidationException.class, () -> SpecYaml.parse(file));
            assertEquals("the system property promptlightning.maxFileSize must be a size such as 104857600, 100MB or"
                    + " 2GiB, not 'lots'", e.detail());
            System.setProperty(SpecYaml.MAX_FILE_SIZE_PROPERTY, "2GiB");
            e = assertThrows(ValidationException.class, SpecYaml::maxFileBytes);
            assertEquals("the system property promptlightning.maxFileSize must be at most 1 GiB, not '2GiB'",
                    e.detail());
        } finally {
            System.clearProperty(SpecYaml.MAX_FILE_SIZE_PROPERTY);
        }
    }

    @Test
    void aBrokenFileStillReportsItsUsableId() throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "id: greet\ntemplate: '{{'\n");
        SpecYaml.Result r = SpecYaml.parse(file);
        assertFalse(r.ok());
        assertEquals("greet", r.id());
        assertEquals(1, r.idLine());
    }

    // ------------------------------------------------------------------------------------------ writing

    @Test
    void everyExampleRoundTrips() throws IOException {
        for (String name : EXAMPLES) {
            TemplateSpec spec = SpecYaml.parse(example(name), null).specOrThrow();
            assertRoundTrips(spec);
        }
    }

    @Test
    void writesTheOriginalLayoutWithLiteralBlocks() {
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        inputs.put("name", InputSpec.of(InputType.STRING, true));
        inputs.put("message", new InputSpec(InputType.STRING, false, "Welcome!", List.of(),
                Map.of("description", "shown first")));
        TemplateSpec spec = new TemplateSpec("greeting", "1.0.0", "A personalized greeting",
                "Hello {{ name }}!\n{{ message }}\n", inputs, Map.of("tags", List.of("greeting", "demo")));
        String text = SpecYaml.write(spec);
        assertEquals("id: greeting\n"
                + "version: 1.0.0\n"
                + "description: A personalized greeting\n"
                + "template: |\n"
                + "  Hello {{ name }}!\n"
                + "  {{ message }}\n"
                + "inputs:\n"
                + "  name:\n"
                + "    type: string\n"
                + "    required: true\n"
                + "  message:\n"
                + "    type: string\n"
                + "    required: false\n"
                + "    default: Welcome!\n"
                + "    description: shown first\n"
                + "metadata:\n"
                + "  tags:\n"
                + "  - greeting\n"
                + "  - demo\n", text);
        assertRoundTrips(spec);

        String minimal = SpecYaml.write(new TemplateSpec("m", null, null, "one line", null, null));
        assertEquals("id: m\nversion: 0.1.0\ntemplate: one line\n", minimal);
    }

    @Test
    void trickyValuesRoundTrip() {
        List<String> texts = List.of("", " ", "\n", "\n\n", "a\n\n\n", "\nleading blank line", "  indented first\nline",
                "trailing spaces   \nnext  ", "trailing newline kept\n", "no trailing newline\nhere",
                "tab\tinside\n\tand leading", "windows\r\nline\r\nends", "old mac\rbreaks", "nel\u0085break",
                "line\u2028separator\u2029para", "unicode: Grüße, 日本語, emoji 🚀\nsecond line", "yes", "no",
                "on", "off", "null", "~", "true", "1.0", "42", "0x1F", "1:30", "2024-01-01", "1e3", ".inf",
                "# not a comment", "- not a list", "key: value", "'single'", "\"double\"", "{{ x }}",
                "{% if a %}b{% endif %}", "a | b",
                "> folded?", "---\n...\n", "%YAML", "@at", "`tick", "back\\slash", "bell\u0007and nul\u0000",
                "bom\uFEFFinside", "x".repeat(500), "line\n".repeat(50) + "end");
        for (String text : texts) {
            Map<String, InputSpec> inputs = new LinkedHashMap<>();
            inputs.put("s", new InputSpec(InputType.STRING, false, text, List.of(), Map.of("description", text)));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put(text, text);
            metadata.put("list", List.of(text, 1L, 2.5));
            TemplateSpec spec = new TemplateSpec("tricky", "1.2.3-rc.1+build.5", text, text.replace("{", "("),
                    inputs, metadata);
            assertRoundTrips(spec);
        }
    }

    @Test
    void numbersAndNonStringValuesRoundTripWithTheirTypes() {
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        inputs.put("num_as_text", new InputSpec(InputType.STRING, false, "3.14", List.of(), Map.of()));
        inputs.put("int_as_text", new InputSpec(InputType.STRING, false, "007", List.of(), Map.of()));
        inputs.put("n", new InputSpec(InputType.NUMBER, false, 3L, List.of(), Map.of()));
        inputs.put("f", new InputSpec(InputType.NUMBER, false, 1e16, List.of(), Map.of()));
        inputs.put("tiny", new InputSpec(InputType.NUMBER, false, 1e-7, List.of(), Map.of()));
        inputs.put("big", new InputSpec(InputType.INTEGER, false, new BigInteger("123456789012345678901234567890"),
                List.of(), Map.of()));
        inputs.put("flag", new InputSpec(InputType.BOOLEAN, false, false, List.of(), Map.of()));
        inputs.put("list", new InputSpec(InputType.ARRAY_STRING, false, List.of("yes", "1", ""), List.of(), Map.of()));
        inputs.put("objs", new InputSpec(InputType.ARRAY_OBJECT, false, List.of(Map.of("k", List.of())), List.of(),
                Map.of()));
        inputs.put("choice", new InputSpec(InputType.ENUM, true, null, List.of("yes", "no"), Map.of()));
        inputs.put("any", new InputSpec(InputType.ARRAY, false, new ArrayList<>(List.of()), List.of(), Map.of()));
        inputs.put("obj", new InputSpec(InputType.OBJECT, false, Map.of(), List.of(), Map.of()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("nan", Double.NaN);
        metadata.put("inf", Double.NEGATIVE_INFINITY);
        metadata.put("negzero", -0.0);
        metadata.put("whole", 2.0);
        metadata.put("nothing", null);
        metadata.put("nested", Map.of("deeper", List.of(Map.of("a", 1L))));
        TemplateSpec spec = new TemplateSpec("numbers", "1.0.0", "Numbers", "{{ n }}", inputs, metadata);
        String text = SpecYaml.write(spec);
        assertTrue(text.contains("default: '3.14'"), text);
        assertTrue(text.contains("default: 1.0e+16"), text);
        assertTrue(text.contains("- 'yes'"), text);
        assertTrue(text.contains("whole: 2.0"), text);
        assertRoundTrips(spec);
        TemplateSpec back = SpecYaml.parse(text, null).specOrThrow();
        assertEquals(1e16, back.inputs().get("f").defaultValue());
        assertEquals(3L, back.inputs().get("n").defaultValue());
        assertEquals("007", back.inputs().get("int_as_text").defaultValue());
    }

    private static void assertRoundTrips(TemplateSpec spec) {
        String text = SpecYaml.write(spec);
        SpecYaml.Result r = SpecYaml.parse(text, null);
        assertTrue(r.ok(), () -> r.error().getMessage() + "\n" + text);
        assertEquals(spec, r.spec(), text);
        assertEquals(List.copyOf(spec.inputs().keySet()), List.copyOf(r.spec().inputs().keySet()), text);
        assertEquals(List.copyOf(spec.metadata().keySet()), List.copyOf(r.spec().metadata().keySet()), text);
        assertEquals(text, SpecYaml.write(r.spec()), "writing is stable");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
