package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnvironmentTest {
    private static final Map<String, Object> NONE = Map.of();

    @Test
    void promptLightningSettingsTrimAndStripBlocksAndDropOneTrailingNewline() {
        Template t = Environment.promptLightning().compile("t", "a\n  {% if true %}\n  b\n  {% endif %}\nc\n\n");
        assertEquals("a\n  b\nc\n", t.render(NONE));
    }

    @Test
    void builderDefaultsAreJinja2Defaults() {
        Template t = Environment.builder().build().compile("t", "a\n  {% if true %}\n  b\n  {% endif %}\nc\n");
        assertEquals("a\n  \n  b\n  \nc", t.render(NONE));
    }

    @Test
    void keepTrailingNewline() {
        Environment env = Environment.builder().keepTrailingNewline(true).build();
        assertEquals("x\n", env.compile("t", "x\n").render(NONE));
    }

    @Test
    void lenientUndefinedPrintsEmptyButAttributeOfItStillFails() {
        Environment env = Environment.builder().strictUndefined(false).build();
        assertEquals("[] [] no", env.compile("t", "[{{ missing }}] [{{ d.nope }}] {{ 'yes' if missing else 'no' }}")
                .render(Map.of("d", Map.of())));
        assertThrows(UndefinedException.class, () -> env.compile("t", "{{ missing.attr }}").render(NONE));
    }

    @Test
    void strictUndefinedNamesTheVariableTemplateAndLine() {
        Template t = Environment.promptLightning().compile("greeting", "Hello\n{{ name }}!");
        UndefinedException e = assertThrows(UndefinedException.class, () -> t.render(NONE));
        assertEquals("'name' is undefined", e.detail());
        assertEquals("greeting", e.templateName());
        assertEquals(2, e.line());
        assertEquals("'name' is undefined (template 'greeting', line 2)", e.getMessage());
    }

    @Test
    void syntaxErrorNamesTemplateAndLine() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> Environment.promptLightning().compile("report", "ok\n\n{% for x in %}{% endfor %}"));
        assertEquals("report", e.templateName());
        assertEquals(3, e.line());
    }

    @Test
    void unknownFilterIsACompileErrorOutsideConditionalCode() {
        Environment env = Environment.promptLightning();
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> env.compile("t", "line\n{{ x|shout }}"));
        assertEquals("No filter named 'shout'.", e.detail());
        assertEquals(2, e.line());
        // Jinja2 defers the check inside if-blocks and inline ifs: an untaken branch renders fine.
        assertEquals("ok", env.compile("t", "{% if false %}{{ x|shout }}{% endif %}ok").render(NONE));
    }

    @Test
    void customFilterReceivesPlainValuesAndArguments() {
        Environment env = Environment.promptLightningBuilder()
                .filter("surround", (value, args, kwargs) -> args.get(0) + String.valueOf(value)
                        + kwargs.getOrDefault("right", args.get(0)))
                .build();
        assertEquals("*x* <3>", env.compile("t", "{{ 'x'|surround('*') }} {{ n|surround('<', right='>') }}")
                .render(Map.of("n", 3)));
        assertThrows(IllegalArgumentException.class, () -> Environment.builder().filter("bad name", (v, a, k) -> v));
    }

    @Test
    void includeRendersWithTheIncludersContextAndLocals() {
        Map<String, String> sources = new HashMap<>();
        // As in Jinja2, the included template loses its one trailing newline too (keep_trailing_newline off).
        sources.put("item", "- {{ prefix }}{{ x }}\n\n");
        Environment env = Environment.promptLightningBuilder().loader(sources::get).build();
        Template t = env.compile("list", "{% for x in xs %}{% include 'item' %}{% endfor %}");
        assertEquals("- #a\n- #b\n", t.render(Map.of("xs", List.of("a", "b"), "prefix", "#")));
    }

    @Test
    void includeOfAChangedSourceIsRecompiled() {
        Map<String, String> sources = new HashMap<>();
        AtomicInteger loads = new AtomicInteger();
        sources.put("part", "v1");
        Environment env = Environment.promptLightningBuilder().loader(name -> {
            loads.incrementAndGet();
            return sources.get(name);
        }).build();
        Template t = env.compile("main", "[{% include 'part' %}]");
        assertEquals("[v1]", t.render(NONE));
        sources.put("part", "v2");
        assertEquals("[v2]", t.render(NONE));
        assertEquals(2, loads.get());
    }

    @Test
    void includeMissingFailsUnlessIgnored() {
        Environment env = Environment.promptLightningBuilder().loader(name -> null).build();
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> env.compile("main", "a\n{% include 'nope' %}").render(NONE));
        assertEquals("template 'nope' not found", e.detail());
        assertEquals(2, e.line());
        assertEquals("ab", env.compile("main", "a{% include 'nope' ignore missing %}b").render(NONE));
    }

    @Test
    void includeWithoutLoaderIsAClearError() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> Environment.promptLightning().compile("main", "{% include 'x' %}").render(NONE));
        assertEquals("no loader for this environment specified", e.detail());
        assertEquals(TemplateRuntimeException.Kind.TYPE_ERROR, e.kind());
    }

    @Test
    void errorInIncludedTemplateNamesThatTemplate() {
        Environment env = Environment.promptLightningBuilder()
                .loader(name -> name.equals("inner") ? "ok\n{{ missing }}" : null).build();
        UndefinedException e = assertThrows(UndefinedException.class,
                () -> env.compile("outer", "{% include 'inner' %}").render(NONE));
        assertEquals("inner", e.templateName());
        assertEquals(2, e.line());
    }

    @Test
    void selfIncludeIsStoppedByTheRecursionLimit() {
        Environment env = Environment.promptLightningBuilder().maxRecursionDepth(20)
                .loader(name -> "x{% include 'loop' %}").build();
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> env.compile("loop", "{% include 'loop' %}").render(NONE));
        assertEquals(TemplateRuntimeException.Kind.LIMIT_EXCEEDED, e.kind());
    }

    @Test
    void unsupportedTagsSaySo() {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> Environment.promptLightning().compile("t", "{% extends 'base' %}"));
        assertEquals("The 'extends' tag is not supported by this engine.", e.detail());
    }

    @Test
    void invalidLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Environment.builder().maxOutputLength(0));
        assertThrows(IllegalArgumentException.class, () -> Environment.builder().maxRecursionDepth(-1));
    }
}
