package io.promptlightning;

import io.promptlightning.jinja.Template;
import io.promptlightning.jinja.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A template ready to render, or to run against a model: its spec and its compiled form. Immutable and
 * thread-safe; the {@link Vault} caches one per id and replaces it when the template changes.
 *
 * <p>The model calls ({@link #execute}, {@link #executeAsync}, {@link #stream}, {@link #executeAll}) go through
 * the vault: its model client, retries, circuit breakers, response cache, call slots and price table; each run, and
 * each {@link #run} through your own function, is appended to the vault's {@link ExecutionLog} if it has one,
 * whether it succeeded or failed.
 */
public final class TemplateHandle {
    private final TemplateSpec spec;
    private final Template compiled;
    private final String label;
    private final ModelRuns runs;

    TemplateHandle(TemplateSpec spec) {
        this(spec, null, null);
    }

    TemplateHandle(TemplateSpec spec, String label, ModelRuns runs) {
        this.spec = spec;
        this.compiled = spec.compile();
        this.label = label;
        this.runs = runs;
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

    /** The label this handle was reached through ({@code latest} for a plain id), or null for a pinned version. */
    String label() {
        return label;
    }

    /**
     * Renders, then passes the prompt to your own model call and returns what it answers. The run is logged (the
     * answer's {@code toString()} as its output) like a model call, without provider, tokens or cost.
     */
    public <R> R run(Function<String, R> model, Map<String, ?> inputs) {
        Objects.requireNonNull(model, "model");
        if (runs == null) {
            return model.apply(render(inputs));
        }
        return runs.run(this, model, inputs);
    }

    /** {@link #execute(String, Map, Map)} with the provider's default parameters. */
    public ExecutionResult execute(String model, Map<String, ?> inputs) {
        return execute(model, inputs, Map.of());
    }

    /**
     * Renders with {@code inputs} and sends the prompt, as one user message, to {@code model}.
     *
     * @param model  {@code gpt-4o}, {@code claude-sonnet-4-5}, {@code gemini-2.5-flash}, {@code ollama/llama3}, ...
     *               ({@code PROVIDER/MODEL} names the provider outright)
     * @param inputs the template's inputs
     * @param params the call's parameters, kept apart from the inputs: {@code temperature}, {@code max_tokens},
     *               {@code top_p}, {@code stop} (a string or a list), {@code seed}, {@code timeout} (seconds),
     *               {@code messages} (a list of {@code {role, content}} maps sent instead of the rendered prompt),
     *               and any other key, passed to the provider as it is
     * @throws ValidationException    an input or a parameter is wrong (nothing was sent)
     * @throws RenderException        the template failed to render (nothing was sent)
     * @throws ModelNotFoundException no provider serves the name, or the provider does not know the model
     * @throws ApiKeyException        the provider has no key, or refused it
     * @throws RateLimitException     the provider kept refusing for now, after the retries
     * @throws LlmException           any other failure, after the retries it deserved
     */
    public ExecutionResult execute(String model, Map<String, ?> inputs, Map<String, ?> params) {
        return runs().execute(this, model, inputs, params, null);
    }

    /** {@link #execute(String, Map, Map)} on one of the vault's threads. */
    public CompletableFuture<ExecutionResult> executeAsync(String model, Map<String, ?> inputs,
            Map<String, ?> params) {
        return runs().executeAsync(this, model, inputs, params);
    }

    /** {@link #executeAsync(String, Map, Map)} with the provider's default parameters. */
    public CompletableFuture<ExecutionResult> executeAsync(String model, Map<String, ?> inputs) {
        return executeAsync(model, inputs, Map.of());
    }

    /**
     * {@link #execute(String, Map, Map)}, the answer delivered to {@code onToken} piece by piece as the model
     * writes it (never two pieces at once). A failure is retried only while nothing has been delivered.
     *
     * @return the whole answer with its tokens and cost
     */
    public ExecutionResult stream(String model, Map<String, ?> inputs, Map<String, ?> params,
            Consumer<String> onToken) {
        Objects.requireNonNull(onToken, "onToken");
        return runs().execute(this, model, inputs, params, onToken);
    }

    /**
     * Runs the template once per item of {@code inputs}, all started at once; the vault's call limit
     * ({@link Vault.Builder#maxConcurrency}) bounds how many are in flight.
     *
     * @return one future per item, in the same order; each completes, or fails, on its own
     */
    public List<CompletableFuture<ExecutionResult>> executeAll(String model, List<? extends Map<String, ?>> inputs,
            Map<String, ?> params) {
        Objects.requireNonNull(inputs, "inputs");
        List<CompletableFuture<ExecutionResult>> out = new ArrayList<>(inputs.size());
        for (Map<String, ?> item : inputs) {
            out.add(executeAsync(model, item, params));
        }
        return out;
    }

    private ModelRuns runs() {
        if (runs == null) {
            throw new IllegalStateException("this handle was not made by a Vault, which makes its model calls");
        }
        return runs;
    }

    @Override
    public String toString() {
        return "TemplateHandle[" + spec.id() + " " + spec.version() + "]";
    }
}
