package io.promptlightning.jinja;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settings, filters and tests shared by the templates compiled from it. Immutable and thread-safe.
 *
 * <pre>{@code
 * Environment env = Environment.promptLightning();
 * Template t = env.compile("greeting", "Hello {{ name }}!");
 * String out = t.render(Map.of("name", "Ada"));   // "Hello Ada!"
 * }</pre>
 */
public final class Environment {
    /** Default bound on the characters one render may produce. */
    public static final int DEFAULT_MAX_OUTPUT_LENGTH = 16 * 1024 * 1024;
    /** Default bound on nested macro calls and includes. */
    public static final int DEFAULT_MAX_RECURSION_DEPTH = 200;

    final boolean trimBlocks;
    final boolean lstripBlocks;
    final boolean keepTrailingNewline;
    final boolean strictUndefined;
    final int maxOutputLength;
    final int maxRecursionDepth;
    private final Map<String, FilterFn> filters;
    private final Map<String, TestFn> tests;
    final Map<String, Object> globals;
    private final Set<String> globalNames;
    private final TemplateLoader loader;
    private final Map<String, Template> included = new ConcurrentHashMap<>();

    private Environment(Builder b) {
        this.trimBlocks = b.trimBlocks;
        this.lstripBlocks = b.lstripBlocks;
        this.keepTrailingNewline = b.keepTrailingNewline;
        this.strictUndefined = b.strictUndefined;
        this.maxOutputLength = b.maxOutputLength;
        this.maxRecursionDepth = b.maxRecursionDepth;
        this.filters = Map.copyOf(b.filters);
        this.tests = Tests.builtins();
        this.globals = Globals.builtins();
        this.globalNames = Collections.unmodifiableSet(globals.keySet());
        this.loader = b.loader;
    }

    /**
     * The original PromptLightning library's settings: autoescape off, StrictUndefined, trim_blocks,
     * lstrip_blocks, no trailing newline kept, and its {@code default} and {@code yaml} filters.
     */
    public static Environment promptLightning() {
        return promptLightningBuilder().build();
    }

    /** A builder preset with {@link #promptLightning()}'s settings, to add a loader, limits or filters. */
    public static Builder promptLightningBuilder() {
        Builder b = new Builder().trimBlocks(true).lstripBlocks(true).strictUndefined(true);
        Filters.addPromptLightning(b.filters);
        return b;
    }

    /** A builder with Jinja2's own defaults (no trimming, StrictUndefined still on). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses and compiles a template.
     *
     * @param name used in error messages and by includes
     * @throws TemplateSyntaxException if the source is not a valid template; it names the template and line
     */
    public Template compile(String name, String source) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Lexer lexer = new Lexer(source, trimBlocks, lstripBlocks, keepTrailingNewline);
        try {
            Stmt[] body = new Parser(this, name, lexer.tokenize()).parse();
            return new Template(this, name, source, body);
        } catch (StackOverflowError e) {
            throw Errors.syntax("template nesting too deep", name, 0);
        }
    }

    FilterFn filter(String name) {
        return filters.get(name);
    }

    TestFn test(String name) {
        return tests.get(name);
    }

    Set<String> globalNames() {
        return globalNames;
    }

    /** The compiled template an include names, recompiled when the loader returns a changed source. */
    Template loadIncluded(String name) {
        if (loader == null) {
            throw Errors.typeError("no loader for this environment specified");
        }
        String source = loader.load(name);
        if (source == null) {
            return null;
        }
        Template cached = included.get(name);
        if (cached != null && cached.source().equals(source)) {
            return cached;
        }
        Template compiled = compile(name, source);
        included.put(name, compiled);
        return compiled;
    }

    /** Options for an {@link Environment}. Not thread-safe; the built environment is. */
    public static final class Builder {
        private boolean trimBlocks;
        private boolean lstripBlocks;
        private boolean keepTrailingNewline;
        private boolean strictUndefined = true;
        private int maxOutputLength = DEFAULT_MAX_OUTPUT_LENGTH;
        private int maxRecursionDepth = DEFAULT_MAX_RECURSION_DEPTH;
        private final Map<String, FilterFn> filters = new HashMap<>(Filters.builtins());
        private TemplateLoader loader;

        private Builder() {
        }

        /** Remove the first newline after a block tag (Jinja2's {@code trim_blocks}). */
        public Builder trimBlocks(boolean on) {
            this.trimBlocks = on;
            return this;
        }

        /** Strip spaces and tabs before a block tag that starts a line (Jinja2's {@code lstrip_blocks}). */
        public Builder lstripBlocks(boolean on) {
            this.lstripBlocks = on;
            return this;
        }

        /** Keep the template's final newline (Jinja2's {@code keep_trailing_newline}). */
        public Builder keepTrailingNewline(boolean on) {
            this.keepTrailingNewline = on;
            return this;
        }

        /**
         * {@code true} (default): using an undefined value is an error, like Jinja2's {@code StrictUndefined}.
         * {@code false}: undefined values print as empty and are falsy, like Jinja2's default {@code Undefined}.
         */
        public Builder strictUndefined(boolean on) {
            this.strictUndefined = on;
            return this;
        }

        /** Bound on the characters one render may produce; exceeding it is a {@link TemplateRuntimeException}. */
        public Builder maxOutputLength(int chars) {
            if (chars <= 0) {
                throw new IllegalArgumentException("maxOutputLength must be positive: " + chars);
            }
            this.maxOutputLength = chars;
            return this;
        }

        /** Bound on nested macro calls and includes; exceeding it is a {@link TemplateRuntimeException}. */
        public Builder maxRecursionDepth(int depth) {
            if (depth <= 0) {
                throw new IllegalArgumentException("maxRecursionDepth must be positive: " + depth);
            }
            this.maxRecursionDepth = depth;
            return this;
        }

        /** Where {@code {% include %}} finds templates. Without one, an include is a runtime error. */
        public Builder loader(TemplateLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Adds or replaces a filter. */
        public Builder filter(String name, Filter filter) {
            Objects.requireNonNull(filter, "filter");
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw new IllegalArgumentException("invalid filter name: " + name);
            }
            filters.put(name, (state, value, args, kwargs) -> {
                Object v = Filters.defined(value);
                return filter.apply(v instanceof Markup ? v.toString() : v, Arrays.asList(args), kwargs);
            });
            return this;
        }

        public Environment build() {
            return new Environment(this);
        }
    }
}
