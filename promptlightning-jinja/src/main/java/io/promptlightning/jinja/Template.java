package io.promptlightning.jinja;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A compiled template. Immutable: one instance can be rendered from many threads at once.
 */
public final class Template {
    private final Environment environment;
    private final String name;
    private final String source;
    final Stmt[] body;
    private final Set<String> undeclared;
    /** Last output size, to size the next output buffer; a stale value only costs a resize. */
    private volatile int sizeHint;

    Template(Environment environment, String name, String source, Stmt[] body) {
        this.environment = environment;
        this.name = name;
        this.source = source;
        this.body = body;
        Analysis analysis = new Analysis(environment.globalNames());
        Stmt.analyzeAll(body, analysis);
        this.undeclared = Collections.unmodifiableSet(new LinkedHashSet<>(analysis.undeclared));
        this.sizeHint = Math.min(source.length() + 64, 1 << 16);
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /**
     * Renders the template.
     *
     * @param context variables: String, Integer/Long/BigInteger, Double/Float/BigDecimal, Boolean, null,
     *                List, Map (iteration order is kept); other objects print with {@code toString()} and have
     *                no attributes
     * @throws UndefinedException        when the template uses a value that does not exist
     * @throws TemplateRuntimeException  for any other rendering error, including exceeded limits
     */
    public String render(Map<String, ?> context) {
        RenderState state = new RenderState(environment);
        Frame root = new Frame(state, null, context == null ? Map.of() : context);
        StringBuilder out = new StringBuilder(sizeHint);
        try {
            Stmt.renderAll(body, root, out);
        } catch (StackOverflowError e) {
            throw Errors.limit("template recursion too deep for the Java stack").locate(name, 0);
        } catch (TemplateException e) {
            throw e.locate(name, 0);
        }
        int length = out.length();
        if (length > sizeHint) {
            sizeHint = Math.min(length + 16, 1 << 20);
        }
        return out.toString();
    }

    /**
     * The variables the template reads from its context: names used but never assigned by the template
     * itself ({@code set}, {@code for}, macro parameters), excluding globals such as {@code range}.
     */
    public Set<String> undeclaredVariables() {
        return undeclared;
    }

    @Override
    public String toString() {
        return "Template[" + name + "]";
    }
}
