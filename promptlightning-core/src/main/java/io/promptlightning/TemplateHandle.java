package io.promptlightning;

import io.promptlightning.jinja.Template;
import io.promptlightning.jinja.TemplateException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A template ready to render: its spec and its compiled form. Immutable and thread-safe; the {@link Vault}
 * caches one per id and replaces it when the template changes.
 */
public final class TemplateHandle {
    private final TemplateSpec spec;
    private final Template compiled;

    TemplateHandle(TemplateSpec spec) {
        this.spec = spec;
        this.compiled = spec.compile();
    }

    public String id() {
        return spec.id();
    }

    public String version() {
        return spec.version();
    }

    /** The declared inputs, in declaration order. */
    public Map<String, InputSpec> inputs() {
        return spec.inputs();
    }

    public TemplateSpec spec() {
        return spec;
    }

    /**
     * Renders with {@code inputs} coerced to their declared types.
     *
     * @throws ValidationException a missing required input or a value of the wrong type (nothing was rendered)
     * @throws RenderException     the template failed while rendering valid inputs; names the template and line
     */
    public String render(Map<String, ?> inputs) {
        Map<String, Object> context = spec.coerceInputs(inputs);
        try {
            return compiled.render(context);
        } catch (TemplateException e) {
            throw new RenderException(e.detail(), spec.id(), null, e.line(), e);
        }
    }

    /** Renders, then passes the prompt to your own model call and returns what it answers. */
    public <R> R run(Function<String, R> model, Map<String, ?> inputs) {
        Objects.requireNonNull(model, "model");
        return model.apply(render(inputs));
    }

    @Override
    public String toString() {
        return "TemplateHandle[" + spec.id() + " " + spec.version() + "]";
    }
}
