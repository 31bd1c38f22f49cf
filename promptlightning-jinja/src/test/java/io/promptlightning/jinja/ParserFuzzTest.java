package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz tests (Jazzer) of the lexer and parser, and of rendering whatever compiles.
 *
 * <p><b>Regression mode</b> (the default, so part of every {@code mvn test}/{@code mvn verify}): each file in
 * {@code src/test/resources/io/promptlightning/jinja/ParserFuzzTestInputs/<method>/} runs once as a normal
 * test case, plus an empty input. Nothing is fuzzed.
 *
 * <p><b>Fuzzing for real</b> (Linux or macOS on x86_64/arm64; one {@code @FuzzTest} method per run), from the
 * repository root:
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl promptlightning-jinja test -Dtest='ParserFuzzTest#compile' \
 *     -Djunit.jupiter.execution.timeout.mode=disabled \
 *     -Djazzer.internal.arg.0=jazzer -Djazzer.internal.arg.1=-max_total_time=300
 * </pre>
 * and the same with {@code #render}. {@code timeout.mode=disabled} stops JUnit from applying the per-input
 * {@link Timeout} below to the whole fuzzing run (Jazzer still passes it to libFuzzer, so one input running
 * longer is reported as a hang). The {@code jazzer.internal.arg.N} properties are libFuzzer's command line
 * ({@code arg.0} is its argv[0]); without them a run lasts the annotation's {@code maxDuration}. A run
 * stops at the first finding and writes it into the inputs directory above as {@code crash-<sha1>}
 * (or {@code timeout-...}): minimize it, rename it to say what it is, keep it as a regression seed. The
 * corpus the fuzzer grows goes to {@code promptlightning-jinja/.cifuzz-corpus/}: not for committing, delete
 * it or keep it for the next run.
 *
 * <p>Properties: compiling any text returns a {@link Template} or throws a {@link TemplateSyntaxException}
 * naming the template and a line that exists in it; anything else (another exception, a
 * {@link StackOverflowError}, an OutOfMemoryError, a hang) is a bug. Rendering what compiles, with small
 * limits, returns a string within the output limit or throws a {@link TemplateException}, never by way of a
 * Java stack overflow.
 */
class ParserFuzzTest {
    private static final String NAME = "fuzz";
    private static final int MAX_OUTPUT = 100_000;
    private static final int MAX_DEPTH = 50;

    /** The library's settings, Jinja2's defaults, and Jinja2's defaults keeping the trailing newline. */
    private static final Environment[] COMPILE_ENVS = {
            Environment.promptLightning(),
            Environment.builder().build(),
            Environment.builder().keepTrailingNewline(true).lstripBlocks(true).strictUndefined(false).build(),
    };

    private static final Map<String, String> INCLUDABLE = Map.of(
            "part", "[{{ name }}|{{ n }}]",
            "loop", "{% for i in items %}{{ i }}{% endfor %}",
            "self", "{% include 'self' %}",
            "broken", "{% if %}");

    private static final Environment RENDER_ENV = Environment.promptLightningBuilder()
            .maxOutputLength(MAX_OUTPUT)
            .maxRecursionDepth(MAX_DEPTH)
            .loader(INCLUDABLE::get)
            .build();

    private static final Environment RENDER_ENV_LENIENT = Environment.builder()
            .strictUndefined(false)
            .maxOutputLength(MAX_OUTPUT)
            .maxRecursionDepth(MAX_DEPTH)
            .loader(INCLUDABLE::get)
            .build();

    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DictionaryEntries({"{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "{%+", "+%}", "-#}",
            "raw", "endraw", "for", "in", "endfor", "if", "elif", "else", "endif", "set", "endset", "macro",
            "endmacro", "call", "endcall", "filter", "endfilter", "with", "endwith", "include", "ignore missing",
            "with context", "without context", "recursive", "loop", "not", "and", "or", "is", "none", "true",
            "**", "//", "==", "!=", "<=", ">=", "~", "|", "0x", "0b", "0o", "1e5", "1_000",
            // libFuzzer dictionary syntax: backslash and control characters are written escaped
            "\\\\x", "\\\\u", "\\\\U", "\\x0D\\x0A", "namespace", "caller", "varargs", "kwargs", "print", "block", "extends"})
    void compile(byte[] data) {
        String source = new String(data, StandardCharsets.UTF_8);
        for (Environment env : COMPILE_ENVS) {
            checkCompile(env, source);
        }
    }

    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @DictionaryEntries({"{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "-}}", "for", "in", "endfor", "if",
            "else", "endif", "set", "endset", "macro", "endmacro", "call", "caller()", "endcall", "filter",
            "endfilter", "with", "endwith", "include", "'part'", "'self'", "'broken'", "'loop'", "name", "items",
            "user", "words", "text", "none_value", "flag", "big", "ratio", "nested", "loop.index", "range(",
            "namespace(", "dict(", "cycler(", "joiner(", "|join", "|length", "|upper", "|truncate(", "|indent(",
            "|replace(", "|format(", "|default(", "|yaml", "|tojson", "|list", "|sort", "|map(", "|select(",
            "|wordwrap(", "|center(", "|round", "|int", "|float", "|string", "|sum", "|batch(", "|slice(",
            "|groupby(", "|dictsort", "|unique", "|reverse", "|first", "|last", ".append(", ".split(",
            ".format(", ".items()", "is defined", "is divisibleby", "**", "//", "%", "~", "*", "10**"})
    void render(byte[] data) {
        String source = new String(data, StandardCharsets.UTF_8);
        if (mayRunAway(source)) {
            return;
        }
        checkRender(RENDER_ENV, source);
        checkRender(RENDER_ENV_LENIENT, source);
    }

    private static void checkCompile(Environment env, String source) {
        Template t;
        try {
            t = env.compile(NAME, source);
        } catch (TemplateSyntaxException e) {
            checkLocated(e, source);
            return;
        }
        assertNotNull(t);
        assertNotNull(t.undeclaredVariables());
    }

    private static void checkRender(Environment env, String source) {
        Template t;
        try {
            t = env.compile(NAME, source);
        } catch (TemplateSyntaxException e) {
            return;
        }
        String out;
        try {
            out = t.render(context());
        } catch (TemplateException e) {
            assertNotNull(e.getMessage());
            // Template.render turns a StackOverflowError into this error; with these limits it must not happen.
            assertFalse(e.detail().equals("template recursion too deep for the Java stack"),
                    () -> "rendering overflowed the Java stack instead of hitting a limit: " + e.getMessage());
            if (e instanceof TemplateRuntimeException) {
                assertNotNull(((TemplateRuntimeException) e).kind());
            }
            return;
        }
        assertNotNull(out);
        assertTrue(out.length() <= MAX_OUTPUT, () -> "output longer than the limit: " + out.length());
    }

    /** A syntax error must name this template and a line of it (1-based; the line after the last is EOF's). */
    private static void checkLocated(TemplateSyntaxException e, String source) {
        assertNotNull(e.getMessage());
        assertEquals(NAME, e.templateName(), () -> "syntax error without the template name: " + e.getMessage());
        String normalized = source.replace("\r\n", "\n").replace('\r', '\n');
        int lines = 1;
        for (int i = 0; i < normalized.length(); i++) {
            if (normalized.charAt(i) == '\n') {
                lines++;
            }
        }
        int line = e.line();
        if (line < 1 || line > lines) {
            fail("syntax error line " + line + " is outside the template's 1.." + lines + ": " + e.getMessage());
        }
    }

    /**
     * Keeps the render fuzzer off inputs whose cost is unbounded by design, as in Jinja2 itself, where no
     * configured limit applies: nested loops (or a loop together with macros, call blocks, recursive loops or
     * includes) can run 10^6 x 10^6 iterations that print nothing; a loop that keeps data (a namespace
     * attribute, {@code append}, ...) can retain 10^6 values each as large as the output limit. One loop alone
     * is at most {@code range()}'s 10^6 cheap iterations.
     */
    static boolean mayRunAway(String source) {
        int loops = count(source, "for");
        if (loops > 1) {
            return true;
        }
        return loops == 1 && (containsAny(source, "macro", "call", "recursive", "include", "append", "extend",
                "insert", "update", "setdefault") || source.matches("(?s).*set\\s+\\w+\\s*\\..*"));
    }
    private static boolean containsAny(String s, String... parts) {
        for (String p : parts) {
            if (s.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Occurrences of {@code word} not inside a longer name ({@code format} is not a {@code for}). */
    private static int count(String s, String word) {
        int n = 0;
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            int end = i + word.length();
            if ((i == 0 || !isNameChar(s.charAt(i - 1))) && (end == s.length() || !isNameChar(s.charAt(end)))) {
                n++;
            }
        }
        return n;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    /** A fresh, mutable context each time, so a template that mutates it cannot affect the next input. */
    static Map<String, Object> context() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", "Bob");
        user.put("age", 42);
        user.put("tags", new ArrayList<>(List.of("x", "y")));
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("name", "Ada");
        ctx.put("n", 3);
        ctx.put("ratio", 2.5);
        ctx.put("big", new BigInteger("123456789012345678901234567890"));
        ctx.put("flag", true);
        ctx.put("none_value", null);
        ctx.put("items", new ArrayList<>(List.of(1, 2, 3)));
        ctx.put("words", List.of("alpha", "beta", "gamma"));
        ctx.put("user", user);
        ctx.put("nested", List.of(Map.of("k", List.of(1, List.of(2, 3))), List.of()));
        ctx.put("text", "Hello {{ name }} {% if x %}<b>&amp;</b>{% endif %}\n\tline two");
        return ctx;
    }
}
