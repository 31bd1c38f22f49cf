package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptlightning.InputType;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecRecordsTest {

    private static Map<String, Object> record() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("type", "number");
        input.put("required", false);
        input.put("default", 2);
        input.put("description", "how many");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("n", input);
        inputs.put("text", null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "counter");
        r.put("template", "{{ text }} x{{ n }}");
        r.put("inputs", inputs);
        r.put("metadata", Map.of("tags", List.of("a")));
        return r;
    }

    @Test
    void recordToSpecAppliesTheOriginalsDefaultsAndKeepsExtraInputKeys() {
        TemplateSpec spec = SpecRecords.fromRecord(record(), "file.yaml");
        assertEquals("0.1.0", spec.version());
        assertEquals(InputType.NUMBER, spec.inputs().get("n").type());
        assertEquals(2L, spec.inputs().get("n").defaultValue());
        assertEquals(Map.of("description", "how many"), spec.inputs().get("n").extra());
        assertEquals(InputType.STRING, spec.inputs().get("text").type());
        assertEquals(true, spec.inputs().get("text").required());
    }

    @Test
    void specToRecordUsesTheOriginalsFieldOrderAndRoundTrips() {
        TemplateSpec spec = SpecRecords.fromRecord(record(), "file.yaml");
        Map<String, Object> out = SpecRecords.toRecord(spec);
        assertEquals(List.of("id", "version", "description", "template", "inputs", "metadata"), List.copyOf(out.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) ((Map<String, Object>) out.get("inputs")).get("n");
        assertEquals(List.of("type", "required", "default", "description"), List.copyOf(n.keySet()));
        assertEquals(spec, SpecRecords.fromRecord(out, "again"));
    }

    @Test
    void nonTemplatesAreNamed() {
        ValidationException list = assertThrows(ValidationException.class,
                () -> SpecRecords.fromRecord(List.of(1), "notes.yaml"));
        assertEquals("not a template: expected a mapping with 'id' and 'template', found a list", list.detail());
        assertEquals("notes.yaml", list.templateId());
        Map<String, Object> noTemplate = new LinkedHashMap<>(record());
        noTemplate.remove("template");
        ValidationException missing = assertThrows(ValidationException.class,
                () -> SpecRecords.fromRecord(noTemplate, "f"));
        assertEquals("the 'template' field is missing", missing.detail());
        assertEquals("counter", missing.templateId());
    }

    @Test
    void badInputDeclarationsNameTheInput() {
        Map<String, Object> r = record();
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) ((Map<String, Object>) r.get("inputs")).get("n");
        n.put("type", "list");
        ValidationException e = assertThrows(ValidationException.class, () -> SpecRecords.fromRecord(r, "f"));
        assertEquals(true, e.detail().startsWith("input 'n': unknown input type 'list'"), e.detail());
        n.put("type", "number");
        n.put("default", "two");
        e = assertThrows(ValidationException.class, () -> SpecRecords.fromRecord(r, "f"));
        assertEquals("default of input 'n' does not match its type number: 'two'", e.detail());
        assertEquals("counter", e.templateId());
    }
}
