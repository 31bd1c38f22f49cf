package io.promptlightning;

import io.promptlightning.jinja.Environment;
import io.promptlightning.jinja.PythonValues;
import io.promptlightning.jinja.Template;
import io.promptlightning.jinja.TemplateSyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A template as stored: its id, semantic version, description, Jinja2 source, declared inputs (in declaration
 * order) and free-form metadata (in file order). Immutable.
 */
public record TemplateSpec(String id, String version, String description, String template,
        Map<String, InputSpec> inputs, Map<String, Object> metadata) {

    public TemplateSpec {
        Ids.requireReadableId(id);
        version = version == null ? Versions.DEFAULT : Versions.require(version, id);
        if (template == null) {
            throw new ValidationException("template text is missing", id);
        }
        Map<String, InputSpec> checked = new LinkedHashMap<>();
        if (inputs != null) {
            for (Map.Entry<String, InputSpec> e : inputs.entrySet()) {
                try {
                    checked.put(e.getKey(), e.getValue().validated(e.getKey()));
                } catch (ValidationException ve) {
                    throw new ValidationException(ve.detail(), id);
                }
            }
        }
        inputs = Collections.unmodifiableMap(checked);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * The context a render gets from {@code provided}, by the original's rules: each declared input is converted to
     * its type, or takes its default when missing; a missing required input without default is an error; keys
     * that are not declared are ignored.
     *
     * @throws ValidationException {@code missing input: NAME} or a type mismatch, naming this template
     */
    public Map<String, Object> coerceInputs(Map<String, ?> provided) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (Map.Entry<String, InputSpec> e : inputs.entrySet()) {
            String name = e.getKey();
            InputSpec input = e.getValue();
            if (provided != null && provided.containsKey(name)) {
                try {
                    context.put(name, input.coerce(name, provided.get(name)));
                } catch (ValidationException ve) {
                    throw new ValidationException(ve.detail(), id);
                }
            } else if (input.defaultValue() != null || !input.required()) {
                context.put(name, input.defaultValue());
            } else {
                throw new ValidationException("missing input: " + name, id);
            }
        }
        return context;
    }

    /** The original library's rendering settings, shared: environments are immutable and thread-safe. */
    private static final Environment ENVIRONMENT = Environment.promptLightning();

    /**
     * Compiles the template text with the original library's settings.
     *
     * @throws ValidationException for a syntax error, naming this template and the line within its text
     */
    public Template compile() {
        try {
            return ENVIRONMENT.compile(id, template);
        } catch (TemplateSyntaxException e) {
            throw new ValidationException("template syntax error: " + e.detail(), id, null, e.line(), e);
        }
    }

    /** This template with another version. */
    public TemplateSpec withVersion(String newVersion) {
        return new TemplateSpec(id, newVersion, description, template, inputs, metadata);
    }

    @Override
    public String toString() {
        return "TemplateSpec[" + id + " " + version + ", inputs " + inputs.keySet() + ", metadata "
                + PythonValues.repr(metadata) + "]";
    }
}
