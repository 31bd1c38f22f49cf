package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateSpecTest {

    private static TemplateSpec greeting() {
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        inputs.put("name", InputSpec.of(InputType.STRING, true));
        inputs.put("age", InputSpec.of(InputType.NUMBER, false));
        inputs.put("message", new InputSpec(InputType.STRING, false, "Welcome!", List.of(), Map.of()));
        return new TemplateSpec("greeting", "1.0.0", "A greeting", "Hello {{ name }}!{% if age %} {{ age }}{% endif %}",
                inputs, Map.of("tags", List.of("demo")));
    }

    @Test
    void coercionConvertsDefaultsAndIgnoresUndeclaredKeys() {
        Map<String, Object> ctx = greeting().coerceInputs(Map.of("name", 7, "age", "36", "extra", "dropped"));
        assertEquals(List.of("name", "age", "message"), List.copyOf(ctx.keySet()));
        assertEquals("7", ctx.get("name"));
        assertEquals(36.0, ctx.get("age"), "text for a number is read as Python's float() reads it");
        assertEquals("Welcome!", ctx.get("message"));
    }

    @Test
    void aRenderCannotChangeADefaultForTheNextRender() {
        Map<String, InputSpec> inputs = Map.of("items", new InputSpec(InputType.ARRAY_STRING, false,
                new java.util.ArrayList<>(List.of("a")), List.of(), Map.of()));
        TemplateHandle handle = new TemplateHandle(new TemplateSpec("t", null, null,
                "{{ items.append('b') }}{{ items }}", inputs, null));
        RenderException e = assertThrows(RenderException.class, () -> handle.render(Map.of()));
        assertTrue(e.detail().contains("UnsupportedOperationException"), e::getMessage);
        assertEquals(List.of("a"), handle.spec().coerceInputs(Map.of()).get("items"));
    }

    @Test
    void optionalInputWithoutDefaultIsNoneSoIfTestsWork() {
        Map<String, Object> ctx = greeting().coerceInputs(Map.of("name", "Ada"));
        assertTrue(ctx.containsKey("age"));
        assertEquals("Hello Ada!", greeting().compile().render(ctx));
    }

    @Test
    void missingRequiredInputNamesInputAndTemplate() {
        ValidationException e = assertThrows(ValidationException.class, () -> greeting().coerceInputs(Map.of()));
        assertEquals("missing input: name", e.detail());
        assertEquals("greeting", e.templateId());
        assertEquals("template 'greeting': missing input: name", e.getMessage());
    }

    @Test
    void typeMismatchNamesTheInput() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> greeting().coerceInputs(Map.of("name", "Ada", "age", "old")));
        assertEquals("type mismatch for 'age': expected number, got 'old' (a number such as 12, -1.5, 1_000, 1e3, inf"
                + " or nan)", e.detail());
    }

    @Test
    void defaultOfTheWrongTypeIsRejectedWhenTheSpecIsMade() {
        Map<String, InputSpec> inputs = Map.of("n", new InputSpec(InputType.NUMBER, false, "many", List.of(), Map.of()));
        ValidationException e = assertThrows(ValidationException.class,
                () -> new TemplateSpec("t", null, null, "{{ n }}", inputs, null));
        assertEquals("default of input 'n' does not match its type number: 'many'", e.detail());
        assertEquals("t", e.templateId());
    }

    @Test
    void enumRestrictsValues() {
        InputSpec tone = new InputSpec(InputType.ENUM, false, "formal", List.of("formal", "casual"), Map.of());
        TemplateSpec spec = new TemplateSpec("t", null, null, "{{ tone }}", Map.of("tone", tone), null);
        assertEquals("casual", spec.coerceInputs(Map.of("tone", "casual")).get("tone"));
        ValidationException e = assertThrows(ValidationException.class,
                () -> spec.coerceInputs(Map.of("tone", "rude")));
        assertEquals("invalid value for 'tone': 'rude' is not one of ['formal', 'casual']", e.detail());
        assertThrows(ValidationException.class,
                () -> new InputSpec(InputType.ENUM, true, null, List.of(), Map.of()));
    }

    @Test
    void versionDefaultsAndMustBeSemantic() {
        assertEquals("0.1.0", new TemplateSpec("t", null, null, "x", null, null).version());
        ValidationException e = assertThrows(ValidationException.class,
                () -> new TemplateSpec("t", "1.0", null, "x", null, null));
        assertEquals("invalid version '1.0': expected a semantic version such as 1.0.0", e.detail());
    }

    @Test
    void syntaxErrorNamesTemplateAndLine() {
        TemplateSpec spec = new TemplateSpec("broken", null, null, "line\n{% if x %}\nno end", null, null);
        ValidationException e = assertThrows(ValidationException.class, spec::compile);
        assertEquals("broken", e.templateId());
        assertEquals(3, e.line());
        assertTrue(e.detail().startsWith("template syntax error: Unexpected end of template."), e.detail());
    }

    @Test
    void specsAreImmutable() {
        TemplateSpec spec = greeting();
        assertThrows(UnsupportedOperationException.class, () -> spec.inputs().clear());
        assertThrows(UnsupportedOperationException.class, () -> spec.metadata().put("x", 1));
    }
}
