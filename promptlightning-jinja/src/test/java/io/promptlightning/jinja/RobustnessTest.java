package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.jinja.TemplateRuntimeException.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile or huge input: deep nesting, megabyte templates and values, template syntax inside values, the
 * output, recursion and range limits, concurrent rendering, and the caller's context left untouched.
 * Every case asserts the exact outcome; none measures time.
 */
class RobustnessTest {
    private static final Environment ENV = Environment.promptLightning();

    /** Small limits, as a service rendering untrusted templates would configure. */
    private static final Map<String, String> LOADER_TEMPLATES = Map.of(
            "self", "x{% include 'self' %}",
            "ping", "{% include 'pong' %}",
            "pong", "{% include 'ping' %}",
            "inner", "<{{ payload }}>",
            "footer", "-- {{ users | length }} users, first {{ (users | first).name }} --");
    private static final Environment LIMITED = Environment.promptLightningBuilder()
            .maxOutputLength(1000)
            .maxRecursionDepth(50)
            .loader(LOADER_TEMPLATES::get)
            .build();

    private static String render(Environment env, String source, Map<String, ?> context) {
        return env.compile("t", source).render(context);
    }

    private static String render(String source, Map<String, ?> context) {
        return render(ENV, source, context);
    }

    private static TemplateSyntaxException syntaxError(String name, String source) {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ENV.compile(name, source));
        assertEquals(name, e.templateName(), e::getMessage);
        assertTrue(e.line() >= 1, () -> "no line in " + e.getMessage());
        return e;
    }

    private static TemplateRuntimeException limitExceeded(Executable action) {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class, action);
        assertEquals(Kind.LIMIT_EXCEEDED, e.kind(), e::getMessage);
        return e;
    }

    @Nested
    class DeepNesting {
        @Test
        void tenThousandNestedParenthesesAreASyntaxError() {
            TemplateSyntaxException e = syntaxError("parens", "{{ " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + " }}");
            assertEquals(1, e.line());
            assertTrue(e.getMessage().contains("too deep"), e.getMessage());
        }

        @Test
        void tenThousandNestedIfBlocksAreASyntaxErrorAtTheLineThatGoesTooDeep() {
            String source = "{% if true %}\n".repeat(10_000) + "x\n" + "{% endif %}\n".repeat(10_000);
            TemplateSyntaxException e = syntaxError("ifs", source);
            // the condition of the 256th if is the 257th level
            assertEquals(Parser.MAX_NESTING, e.line(), e::getMessage);
        }

        @Test
        void tenThousandNestedForBlocksAreASyntaxError() {
            String source = "{% for x in [1] %}".repeat(10_000) + "{% endfor %}".repeat(10_000);
            syntaxError("fors", source);
        }

        @Test
        void tenThousandNestedListsAreASyntaxError() {
            syntaxError("lists", "{{ " + "[".repeat(10_000) + "]".repeat(10_000) + " }}");
            syntaxError("dicts", "{{ " + "{'a': ".repeat(10_000) + "1" + "}".repeat(10_000) + " }}");
            syntaxError("nots", "{{ " + "not ".repeat(10_000) + "x }}");
            syntaxError("minus", "{{ " + "-".repeat(10_000) + "1 }}");
        }

        @Test
        void longChainsOfFiltersAttributesAndOperatorsAreASyntaxErrorNamingTheLine() {
            syntaxError("filters", "{{ name" + " | lower".repeat(10_000) + " }}");
            syntaxError("subscripts", "{{ items" + "[0]".repeat(10_000) + " }}");
            syntaxError("calls", "{{ f" + "()".repeat(10_000) + " }}");
            syntaxError("plus", "{{ 1" + " + 1".repeat(10_000) + " }}");
            syntaxError("and", "{{ 1" + " and 1".repeat(10_000) + " }}");
            syntaxError("conditional", "{{ 1" + " if 1 else 2".repeat(10_000) + " }}");
            syntaxError("power", "{{ 1" + " ** 1".repeat(10_000) + " }}");
            // one link per line: the error names the line where the chain got too long
            TemplateSyntaxException e = syntaxError("attributes", "{{ m\n" + ".a\n".repeat(10_000) + "}}");
            assertEquals(Parser.MAX_CHAIN + 2, e.line(), e::getMessage);
        }

        @Test
        void longChainsWithinTheLimitRenderCorrectly() {
            Map<String, Object> m = new HashMap<>();
            m.put("a", m);
            m.put("v", "end");
            assertEquals("end", render("{{ m" + ".a".repeat(1000) + ".v }}", Map.of("m", m)));
            assertEquals("ADA", render("{{ name" + " | lower | upper".repeat(500) + " }}", Map.of("name", "Ada")));
            assertEquals("1001", render("{{ 1" + " + 1".repeat(1000) + " }}", Map.of()));
            assertEquals("x".repeat(1001), render("{{ 'x'" + " ~ 'x'".repeat(1000) + " }}", Map.of()));
            assertEquals("True", render("{{ 1" + " <= 2".repeat(1000) + " }}", Map.of()));
            // the chain bound is per tag: many long expressions in one template are fine
            String line = "{{ 0" + " + 1".repeat(1000) + " }}\n";
            assertEquals(("1000\n".repeat(50)).trim(), render(line.repeat(50), Map.of()));
        }

        @Test
        void moderateNestingOfForsAndIfsRendersCorrectly() {
            StringBuilder source = new StringBuilder();
            StringBuilder sum = new StringBuilder("0");
            for (int i = 0; i < 25; i++) {
                source.append("{% for i").append(i).append(" in [").append(i).append("] %}{% if i").append(i)
                        .append(" is number %}");
                sum.append(" + i").append(i);
            }
            source.append("[{{ ").append(sum).append(" }}|{{ loop.depth }}]");
            for (int i = 0; i < 25; i++) {
                source.append("{% endif %}{% endfor %}");
            }
            assertEquals("[300|1]", render(source.toString(), Map.of()));

            String parens = "{{ " + "(".repeat(50) + "2" + " * 2)".repeat(50) + " }}";
            assertEquals(String.valueOf(1L << 51), render(parens, Map.of()));
            assertEquals("[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
                    render("{{ " + "[".repeat(20) + "]".repeat(20) + " }}", Map.of()));
        }

        @Test
        void deeplyNestedValuesAreALimitErrorNotAStackOverflow() {
            Map<String, Object> ctx = Map.of("deep", nestedLists(100_000), "deep2", nestedLists(100_000));
            for (String source : List.of("{{ deep }}", "{{ deep | tojson }}", "{{ deep | yaml }}", "{{ deep ~ '' }}",
                    "{{ deep == deep2 }}", "{{ deep in [deep2] }}", "{{ [deep, deep2] | sort }}",
                    "{{ [deep, deep2] | max | length }}")) {
                limitExceeded(() -> render(source, ctx));
            }
            assertEquals("1", render("{{ deep | length }}", ctx));
        }

        @Test
        void comparingDeeplyNestedValuesStopsAtADepthLimitWithALine() {
            Map<String, Object> ctx = Map.of("deep", nestedLists(100_000), "deep2", nestedLists(100_000));
            for (String source : List.of("{{ deep == deep2 }}", "{{ deep in [deep2] }}", "{{ [deep, deep2] | sort }}",
                    "{{ [deep, deep2] | max }}")) {
                TemplateRuntimeException e = limitExceeded(() -> render(source, ctx));
                assertEquals(1, e.line(), e::getMessage);
                assertFalse(e.getMessage().contains("Java stack"), e::getMessage);
            }
        }

        private List<Object> nestedLists(int depth) {
            List<Object> root = new ArrayList<>();
            List<Object> current = root;
            for (int i = 0; i < depth; i++) {
                List<Object> next = new ArrayList<>();
                current.add(next);
                current = next;
            }
            return root;
        }
    }

    @Nested
    class HugeInput {
        @Test
        void oneMegabyteTemplateRendersExactly() {
            StringBuilder source = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; source.length() < 1 << 20; i++) {
                source.append("line ").append(i).append(": {{ name | upper }} {% if ").append(i)
                        .append(" is even %}even{% else %}odd{% endif %} {{ ").append(i).append(" * 2 }} {# note #}")
                        .append("{{ items[").append(i % 3).append("] }}.\n");
                expected.append("line ").append(i).append(": ADA ").append(i % 2 == 0 ? "even" : "odd").append(' ')
                        .append(i * 2).append(' ').append(i % 3 + 1).append(".\n");
            }
            expected.setLength(expected.length() - 1); // keep_trailing_newline is off: the last newline is dropped
            Template t = ENV.compile("big", source.toString());
            assertEquals(expected.toString(), t.render(Map.of("name", "Ada", "items", List.of(1, 2, 3))));
        }

        @Test
        void oneMegabyteTemplateReportsTheRightLineOfALateError() {
            String line = "some text {{ name }} and {% if true %}more{% endif %} text {# c #}\n";
            int lines = (1 << 20) / line.length() + 1;
            String source = line.repeat(lines) + "{{ missing_variable }}\n";
            UndefinedException e = assertThrows(UndefinedException.class,
                    () -> ENV.compile("big", source).render(Map.of("name", "Ada")));
            assertEquals(lines + 1, e.line());
            assertEquals("big", e.templateName());
        }

        @Test
        void tenMegabyteValueRendersAndPassesThroughFilters() {
            String big = "word ".repeat(2_000_000);
            assertEquals(10_000_000, big.length());
            Map<String, Object> ctx = Map.of("big", big);
            assertEquals(big, render("{{ big }}", ctx));
            assertEquals(big.toUpperCase(), render("{{ big | upper }}", ctx));
            assertEquals("10000000|10000001|2000000|word word word...|word word word wo...|word|4000000",
                    render("{{ big | length }}|{{ (big ~ '!') | length }}|{{ big | wordcount }}|"
                            + "{{ big | truncate(20) }}|{{ big | truncate(20, true) }}|{{ big[:4] }}|"
                            + "{{ big | replace('word', 'w') | length }}", ctx));
            assertEquals("2000000 10000000", render("{{ big.split() | length }} {{ big | trim | length + 1 }}", ctx));
        }
    }

    @Nested
    class ValuesAreNeverEvaluated {
        private static final String PAYLOAD = "{{ secret }} {% if true %}X{% endif %} {# c #} {% raw %}{{ 1 }}";

        private final Map<String, Object> ctx = Map.of("payload", PAYLOAD, "secret", "TOPSECRET");

        @Test
        void templateSyntaxInAValueIsPrintedLiterally() {
            assertEquals(PAYLOAD, render("{{ payload }}", ctx));
            assertEquals("  " + PAYLOAD, render("{{ payload | indent(2, first=true) }}", ctx));
            assertEquals(PAYLOAD.replace("X", "Y"), render("{{ payload | replace('X', 'Y') }}", ctx));
            assertEquals("[" + PAYLOAD + "]", render("{{ '[' ~ payload ~ ']' }}", ctx));
            assertEquals(PAYLOAD + PAYLOAD, render("{{ payload + payload }}", ctx));
            assertEquals("<" + PAYLOAD + ">", render("{{ '<%s>' % payload }}{{ '' }}", ctx));
            assertEquals(PAYLOAD, render("{{ '{}'.format(payload) }}", ctx));
            assertEquals(PAYLOAD.toUpperCase(), render("{% filter upper %}{{ payload }}{% endfilter %}", ctx));
            assertEquals(PAYLOAD, render("{% set copy = payload %}{{ copy }}", ctx));
            assertEquals(PAYLOAD, render("{% set captured %}{{ payload }}{% endset %}{{ captured }}", ctx));
            assertEquals("(" + PAYLOAD + ")", render("{% macro m(v) %}({{ v }}){% endmacro %}{{ m(payload) }}", ctx));
            assertEquals(PAYLOAD, render("{% for p in [payload] %}{{ p }}{% endfor %}", ctx));
            assertEquals(PAYLOAD, render("{{ [payload] | join }}", ctx));
        }

        @Test
        void templateSyntaxInAValueIsPrintedLiterallyThroughAnInclude() {
            String out = render(LIMITED, "{% include 'inner' %}", ctx);
            assertEquals("<" + PAYLOAD + ">", out);
            assertFalse(out.contains("TOPSECRET"));
        }

        @Test
        void aValueNamingAnIncludeIsOnlyAName() {
            TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                    () -> render(LIMITED, "{% include payload %}", ctx));
            assertTrue(e.getMessage().contains("not found"), e::getMessage);
        }
    }

    @Nested
    class Limits {
        @Test
        void outputLimit() {
            assertEquals("x".repeat(1000), render(LIMITED, "{% for i in range(500) %}xx{% endfor %}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{% for i in range(501) %}xx{% endfor %}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{% for i in range(1000000) %}{{ i }}{% endfor %}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{% macro m() %}{% for i in range(10000) %}x{% endfor %}{% endmacro %}"
                    + "{{ m() | length }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{% set s %}{% for i in range(10000) %}x{% endfor %}{% endset %}",
                    Map.of()));
            limitExceeded(() -> render(LIMITED, "{% filter upper %}{% for i in range(10000) %}x{% endfor %}"
                    + "{% endfilter %}", Map.of()));
        }

        @Test
        void repetitionAndJoinAreRefusedBeforeTheyAllocate() {
            assertEquals("x".repeat(1000), render(LIMITED, "{{ 'x' * 1000 }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{{ 'x' * 1001 }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{{ 'x' * 10**9 }}", Map.of()));
            limitExceeded(() -> render("{{ 'x' * 10**9 }}", Map.of()));
            limitExceeded(() -> render("{{ [1] * 10**9 }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{{ range(100000) | join(',') }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{{ words | join(sep) }}",
                    Map.of("words", List.of("a", "b"), "sep", "-".repeat(5000))));
            limitExceeded(() -> render(LIMITED, "{{ ('x' * 600) ~ ('y' * 600) }}", Map.of()));
        }

        @Test
        void recursionLimit() {
            TemplateRuntimeException e = limitExceeded(() -> render(LIMITED,
                    "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", Map.of()));
            assertTrue(e.getMessage().contains("recursion depth"), e::getMessage);
            limitExceeded(() -> render("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{% macro m() %}{% call m() %}{% endcall %}{{ caller() }}{% endmacro %}"
                    + "{{ m() }}", Map.of()));
            e = limitExceeded(() -> render(LIMITED, "{% include 'self' %}", Map.of()));
            assertTrue(e.getMessage().contains("recursion depth"), e::getMessage);
            limitExceeded(() -> render(LIMITED, "{% include 'ping' %}", Map.of()));
            // a recursion that ends in time is fine
            assertEquals("5", render(LIMITED,
                    "{% macro count(n) %}{% if n < 5 %}{{ count(n + 1) }}{% else %}{{ n }}{% endif %}{% endmacro %}"
                            + "{{ count(0) }}", Map.of()));
        }

        @Test
        void recursiveLoopEndsInALimitErrorNotAStackOverflow() {
            limitExceeded(() -> render(LIMITED, "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", Map.of()));
        }

        @Test
        void recursiveLoopCountsAgainstTheRecursionLimit() {
            TemplateRuntimeException e = limitExceeded(() -> render(LIMITED,
                    "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", Map.of()));
            assertTrue(e.getMessage().contains("recursion depth"), e::getMessage);
            assertEquals(1, e.line());
        }

        @Test
        void rangeLimit() {
            assertEquals("1000000", render("{{ range(1000000) | length }}", Map.of()));
            assertEquals("1000000", render("{{ range(0, 10**7, 10) | length }}", Map.of()));
            limitExceeded(() -> render("{{ range(1000001) | length }}", Map.of()));
            limitExceeded(() -> render("{{ range(0, 10**7 + 1, 10) | length }}", Map.of()));
            limitExceeded(() -> render("{{ range(10**18) | length }}", Map.of()));
            limitExceeded(() -> render("{{ range(0, 3 * 10**9) | length }}", Map.of()));
        }

        @Test
        void rangeBoundsBeyondIntAreExactOrALimitError() {
            assertEquals("[2147483648, 2147483649, 2147483650]", render("{{ range(2**31, 2**31 + 3) | list }}",
                    Map.of()));
            assertEquals("1000000000000,1000000000001,", render(
                    "{% for i in range(10**12, 10**12 + 2) %}{{ i }},{% endfor %}", Map.of()));
            // -10**12 would be (-10)**12 here, as in Jinja2: the unary minus binds tighter than **.
            limitExceeded(() -> render("{% for i in range(-(10**12), 10**12) %}{% endfor %}", Map.of()));
        }

        /** The engine's own sized operations: each must check the output limit before it allocates. */
        @Test
        void hugeWidthsAreALimitError() {
            for (String source : List.of("{{ 'x' | indent(2147483647) }}", "{{ 'x' | center(2147483647) }}",
                    "{{ 'x'.center(2147483647) }}", "{{ 'x'.ljust(2147483647) }}", "{{ 'x'.rjust(2147483647) }}",
                    "{{ 'x'.zfill(2147483647) }}", "{{ range(9) | batch(2147483647, 0) | list }}")) {
                limitExceeded(() -> render(LIMITED, source, Map.of()));
            }
        }

        @Test
        void growingStringsAndListsAreALimitError() {
            for (String op : List.of("ns.s + ns.s", "'%s%s' % (ns.s, ns.s)", "'{}{}'.format(ns.s, ns.s)",
                    "ns.s | replace('x', 'xx')", "ns.s.replace('x', 'xx')")) {
                limitExceeded(() -> render(LIMITED, "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                        + "{% set ns.s = " + op + " %}{% endfor %}{{ ns.s | length }}", Map.of()));
            }
            limitExceeded(() -> render(LIMITED, "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}"
                    + "{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l | length }}", Map.of()));
            limitExceeded(() -> render(LIMITED, "{{ ('x' * 999) | replace('x', 'x' * 999) | length }}", Map.of()));
        }

        @Test
        void uniqueOfAMillionItems() {
            assertEquals("1000000", render("{{ range(1000000) | unique | list | length }}", Map.of()));
        }
    }

    @Nested
    class Concurrency {
        private static final String TEMPLATE = String.join("\n",
                "{% macro item(u, n) -%}",
                "<{{ u.name | upper }}:{{ n * 2 }}:{{ u.tags | join(',') or '-' }}>",
                "{%- endmacro %}",
                "{% set ns = namespace(total=0, names=[]) %}",
                "{% set sep = joiner(' / ') %}",
                "{% for u in users | sort(attribute='score', reverse=true) %}",
                "{% set ns.total = ns.total + u.score %}",
                "{{ sep() }}{{ loop.index }}.{{ item(u, u.score) }}{{ loop.cycle('a', 'b') }}",
                "{%- if loop.last %} last{% endif %}",
                "{% endfor %}",
                "total={{ ns.total }} max={{ users | map(attribute='score') | max }} "
                        + "avg={{ '%.2f' | format(ns.total / (users | length)) }}",
                "{% include 'footer' %}",
                "{{ users | groupby('group') | map(attribute='grouper') | join('|') }}");

        @Test
        void concurrentRendersMatchSingleThreadedOnes() throws Exception {
            Template template = LIMITED.compile("concurrent", TEMPLATE);
            int threads = 8;
            int rendersPerThread = 2000;
            List<Map<String, Object>> contexts = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                contexts.add(context(t));
                expected.add(template.render(contexts.get(t)));
            }
            // as Jinja2 3.1 renders them
            assertEquals("1.<USER0_3:6:t0,t3>a / 2.<USER0_2:4:t0,t2>b / 3.<USER0_1:2:t0,t1>a / 4.<USER0_0:0:->b last"
                    + "total=6 max=3 avg=1.50\n-- 4 users, first user0_0 --g0|g1", expected.get(0));
            assertEquals("1.<USER1_4:28:t1,t4>a / 2.<USER1_3:26:t1,t3>b / 3.<USER1_2:24:t1,t2>a / 4.<USER1_1:22:t1,t1>b"
                    + " / 5.<USER1_0:20:->a lasttotal=60 max=14 avg=12.00\n-- 5 users, first user1_0 --g0|g1",
                    expected.get(1));
            for (int t = 1; t < threads; t++) {
                assertFalse(expected.get(t).equals(expected.get(0)), "contexts must give different outputs");
            }

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Callable<Integer> job = () -> {
                        start.await();
                        int mismatches = 0;
                        for (int i = 0; i < rendersPerThread; i++) {
                            // alternate between this thread's context and a neighbour's, so threads share inputs too
                            int c = i % 2 == 0 ? thread : (thread + 1) % threads;
                            if (!expected.get(c).equals(template.render(contexts.get(c)))) {
                                mismatches++;
                            }
                        }
                        return mismatches;
                    };
                    results.add(pool.submit(job));
                }
                start.countDown();
                for (Future<Integer> r : results) {
                    assertEquals(0, r.get(5, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(context(t), contexts.get(t), "rendering must not change the context");
            }
        }

        private Map<String, Object> context(int t) {
            List<Object> users = new ArrayList<>();
            for (int i = 0; i < 4 + t; i++) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("name", "user" + t + "_" + i);
                u.put("score", t * 10 + i);
                List<Object> tags = new ArrayList<>();
                for (int k = 0; k < i && k < 1; k++) {
                    tags.add("t" + t);
                }
                if (i > 0) {
                    tags.add("t" + i);
                }
                u.put("tags", tags);
                u.put("group", "g" + (i % 2));
                users.add(u);
            }
            return Map.of("users", users);
        }
    }

    @Nested
    class ContextIsolation {
        @Test
        void renderingDoesNotChangeTheCallersContext() {
            Map<String, Object> ctx = new HashMap<>();
            ctx.put("name", "Ada");
            ctx.put("items", new ArrayList<>(List.of(1, 2, 3)));
            Map<String, Object> user = new HashMap<>();
            user.put("name", "Bob");
            ctx.put("user", user);
            Map<String, Object> before = deepCopy(ctx);

            String out = render("{% set name = 'Eve' %}{% set items = [9] %}{% set user = none %}{% set extra = 1 %}"
                    + "{% for name in ['x'] %}{% set items = 2 %}{% endfor %}"
                    + "{% with name = 'W' %}{% set user = 3 %}{% endwith %}"
                    + "{% macro m(name, items) %}{% set name = 'M' %}{{ name }}{% endmacro %}{{ m('a', 'b') }} "
                    + "{% set ns = namespace(a=1) %}{% set ns.a = 2 %}{% set captured %}{{ name }}{% endset %}"
                    + "{% set a, b = 1, 2 %}"
                    + "{{ name }} {{ items }} {{ user }} {{ extra }} {{ captured }} {{ ns.a }} {{ a + b }}", ctx);
            assertEquals("M Eve [9] None 1 Eve 2 3", out);
            assertEquals(before, ctx);
        }

        @Test
        void anImmutableContextIsFineForAssignments() {
            Map<String, Object> ctx = Map.of("name", "Ada", "items", List.of(1, 2));
            assertEquals("Eve [1, 2, 3]", render("{% set name = 'Eve' %}{% set items = items + [3] %}"
                    + "{{ name }} {{ items }}", ctx));
            assertEquals(Map.of("name", "Ada", "items", List.of(1, 2)), ctx);
        }

        @Test
        void onlyAMutatingMethodChangesAValueInTheContext() {
            List<Object> items = new ArrayList<>(List.of(1, 2, 3));
            Map<String, Object> ctx = new HashMap<>(Map.of("items", items));
            assertEquals("None [1, 2, 3, 4]", render("{{ items.append(4) }} {{ items }}", ctx));
            assertEquals(List.of(1, 2, 3, 4L), ctx.get("items")); // the template's integers are longs
            assertEquals(1, ctx.size());
            // an immutable list refuses, as a runtime error of the template
            TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                    () -> render("{{ items.append(4) }}", Map.of("items", List.of(1))));
            assertNotNull(e.kind());
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> deepCopy(Map<String, Object> map) {
            Map<String, Object> copy = new HashMap<>();
            for (Map.Entry<String, Object> e : map.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map) {
                    v = deepCopy((Map<String, Object>) v);
                } else if (v instanceof List) {
                    v = new ArrayList<>((List<Object>) v);
                }
                copy.put(e.getKey(), v);
            }
            return copy;
        }
    }

    @Test
    void limitErrorsAreTemplateExceptions() {
        TemplateRuntimeException e = limitExceeded(() -> render(LIMITED, "{{ 'x' * 10**9 }}", Map.of()));
        assertInstanceOf(TemplateException.class, e);
        assertEquals("t", e.templateName());
        assertEquals(1, e.line());
    }
}
