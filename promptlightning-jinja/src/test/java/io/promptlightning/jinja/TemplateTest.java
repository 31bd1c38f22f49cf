package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Environment ENV = Environment.promptLightning();

    private static Set<String> undeclared(String source) {
        return ENV.compile("t", source).undeclaredVariables();
    }

    @Test
    void undeclaredVariablesAreTheContextNamesTheTemplateReads() {
        assertEquals(Set.of("user", "items", "limit"),
                undeclared("{{ user.name }}{% for i in items if i.n < limit %}{{ i }}{{ loop.index }}{% endfor %}"));
    }

    @Test
    void assignedNamesLoopVariablesMacroParametersAndGlobalsAreNotUndeclared() {
        assertEquals(Set.of(), undeclared("{% set x = 1 %}{{ x }}{% for k, v in range(3)|dictsort %}{{ k }}{{ v }}"
                + "{% endfor %}{% macro m(a, b=2) %}{{ a }}{{ b }}{{ caller() }}{{ varargs }}{% endmacro %}"
                + "{{ m(1) }}{% set ns = namespace(n=0) %}{% set ns.n = 1 %}{{ dict(a=1) }}"));
    }

    @Test
    void aNameReadBeforeItIsSetIsUndeclared() {
        assertEquals(Set.of("x"), undeclared("{{ x }}{% set x = 2 %}{{ x }}"));
    }

    @Test
    void loopVariablesDoNotLeakIntoTheRestOfTheTemplate() {
        assertEquals(Set.of("xs", "x"), undeclared("{% for x in xs %}{{ x }}{% endfor %}{{ x }}"));
    }

    @Test
    void javaNumbersAreTreatedAsPythonIntsAndFloats() {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("i", 7);
        ctx.put("l", 7L);
        ctx.put("big", new BigInteger("123456789012345678901234567890"));
        ctx.put("f", 2.5f);
        ctx.put("d", 2.0);
        ctx.put("bd", new BigDecimal("0.1"));
        assertEquals("7 7 123456789012345678901234567891 2.5 2.0 0.1 3.5 14",
                ENV.compile("t", "{{ i }} {{ l }} {{ big + 1 }} {{ f }} {{ d }} {{ bd }} {{ i / 2 }} {{ l * 2 }}")
                        .render(ctx));
    }

    @Test
    void otherJavaObjectsPrintWithToStringAndHaveNoAttributes() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        Template t = ENV.compile("t", "{{ id }}");
        assertEquals(id.toString(), t.render(Map.of("id", id)));
        UndefinedException e = assertThrows(UndefinedException.class,
                () -> ENV.compile("t", "{{ id.getClass() }}").render(Map.of("id", id)));
        assertEquals("'UUID object' has no attribute 'getClass'", e.detail());
    }

    @Test
    void arraysAndSetsIterateLikeLists() {
        assertEquals("a,b 3", ENV.compile("t", "{{ xs|join(',') }} {{ ys|length }}")
                .render(Map.of("xs", new String[] {"a", "b"}, "ys", Set.of(1, 2, 3))));
    }

    @Test
    void nullContextIsEmpty() {
        assertEquals("x", ENV.compile("t", "x").render(null));
    }

    @Test
    void immutableCallerListsGiveATypeErrorNotAJavaException() {
        Template t = ENV.compile("t", "{% set _ = xs.append(3) %}");
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> t.render(Map.of("xs", List.of(1, 2))));
        assertEquals(TemplateRuntimeException.Kind.TYPE_ERROR, e.kind());
        assertEquals(1, e.line());
    }

    @Test
    void mutableCallerListsBehaveAsInJinja2() {
        List<Object> xs = new java.util.ArrayList<>(Arrays.asList(1, 2));
        assertEquals("[1, 2, 3]", ENV.compile("t", "{% set _ = xs.append(3) %}{{ xs }}").render(Map.of("xs", xs)));
    }

    @Test
    void recursiveLoopsRenderTrees() {
        Map<String, Object> tree = Map.of("name", "root", "children", List.of(
                Map.of("name", "a", "children", List.of(Map.of("name", "a1", "children", List.of()))),
                Map.of("name", "b", "children", List.of())));
        Template t = ENV.compile("t", "{% for n in [tree] recursive %}{{ loop.depth }}{{ n.name }}"
                + "{% if n.children %}({{ loop(n.children) }}){% endif %}{% endfor %}");
        assertEquals("1root(2a(3a1)2b)", t.render(Map.of("tree", tree)));
    }

    @Test
    void callBlockPassesArgumentsToCaller() {
        Template t = ENV.compile("t", "{% macro each(xs) %}{% for x in xs %}{{ caller(x, loop.index) }}{% endfor %}"
                + "{% endmacro %}{% call(item, i) each(['a', 'b']) %}{{ i }}={{ item }};{% endcall %}");
        assertEquals("1=a;2=b;", t.render(Map.of()));
    }

    @Test
    void percentFormattingOfMarkupEscapesTheArguments() {
        assertEquals("<b>&lt;i&gt;</b> 3|&lt;", ENV.compile("t",
                "{{ ('<b>%s</b> %d'|safe) % ('<i>', 3) }}|{{ ('%(a)s'|safe) % {'a': '<'} }}").render(Map.of()));
    }

    @Test
    void uniqueUsesPythonsHashEquality() {
        assertEquals("[1, 'a', (1, 2)]",
                ENV.compile("t", "{{ [1, 1.0, true, 'a', 'A', (1, 2), (1.0, 2)]|unique|list }}").render(Map.of()));
    }

    @Test
    void roundWithExtremePrecision() {
        assertEquals("1.5 0.0", ENV.compile("t", "{{ 1.5|round(2147483647) }} {{ 1.5|round(-2147483647) }}")
                .render(Map.of()));
    }

    @Test
    void filterAndWithBlocks() {
        Template t = ENV.compile("t", "{% with a = 1, b = x %}{% filter upper %}v{{ a }}{{ b }}{% endfilter %}"
                + "{% endwith %}{{ a is defined }}");
        assertEquals("V1Y False", t.render(Map.of("x", "y ")));
    }
}
