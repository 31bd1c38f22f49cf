package io.promptlightning;

import io.promptlightning.internal.CallParameters;
import io.promptlightning.internal.ModelCalls;
import io.promptlightning.internal.ModelRouter;
import io.promptlightning.llm.ChatMessage;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A vault's runs of templates: render (or take the caller's messages), call the model, and append what happened,
 * success or failure, to the vault's execution log.
 */
final class ModelRuns implements AutoCloseable {
    /** How long closing waits for runs already submitted to finish before it interrupts them. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ModelCalls calls;
    private final ExecutionLog log;
    private final Consumer<String> warnings;
    private final AtomicBoolean logFailureReported = new AtomicBoolean();

    ModelRuns(ModelCalls calls, ExecutionLog log, Consumer<String> warnings) {
        this.calls = calls;
        this.log = log;
        this.warnings = warnings;
    }

    ModelCalls calls() {
        return calls;
    }

    ExecutionResult execute(TemplateHandle handle, String model, Map<String, ?> inputs, Map<String, ?> params,
            Consumer<String> onToken) {
        long start = calls.ticker().read();
        ModelRouter.Route route = routeQuietly(model);
        try {
            CallParameters parsed = CallParameters.parse(params, handle.id());
            List<ChatMessage> messages = parsed.messages() != null ? parsed.messages()
                    : List.of(ChatMessage.user(handle.render(inputs == null ? Map.of() : inputs)));
            ModelCalls.Outcome outcome = calls.call(model, messages, parsed.parameters(), onToken);
            ExecutionResult r = outcome.result();
            append(new ExecutionRecord(handle.id(), handle.version(), handle.label(), loggable(inputs), r.output(),
                    r.provider(), r.model(), r.tokensIn(), r.tokensOut(), r.costUsd(), r.latencyMs(), Instant.now(),
                    null, outcome.priceSource()));
            return r;
        } catch (RuntimeException e) {
            String provider = e instanceof LlmException l && l.provider() != null ? l.provider()
                    : route == null ? null : route.provider();
            String failedModel = route == null ? model : route.model();
            append(new ExecutionRecord(handle.id(), handle.version(), handle.label(), loggable(inputs), null, provider,
                    failedModel, 0, 0, 0, millisSince(start), Instant.now(), message(e), null));
            throw e;
        }
    }

    CompletableFuture<ExecutionResult> executeAsync(TemplateHandle handle, String model, Map<String, ?> inputs,
            Map<String, ?> params) {
        return CompletableFuture.supplyAsync(() -> execute(handle, model, inputs, params, null), calls.executor());
    }

    <R> R run(TemplateHandle handle, Function<String, R> fn, Map<String, ?> inputs) {
        long start = calls.ticker().read();
        try {
            R answer = fn.apply(handle.render(inputs));
            append(new ExecutionRecord(handle.id(), handle.version(), handle.label(), loggable(inputs),
                    answer == null ? null : String.valueOf(answer), null, null, 0, 0, 0, millisSince(start),
                    Instant.now(), null, null));
            return answer;
        } catch (RuntimeException e) {
            append(new ExecutionRecord(handle.id(), handle.version(), handle.label(), loggable(inputs), null, null, null, 0, 0,
                    0, millisSince(start), Instant.now(), message(e), null));
            throw e;
        }
    }

    private static Map<String, Object> loggable(Map<String, ?> inputs) {
        return inputs == null ? null : Collections.unmodifiableMap(inputs);
    }

    private static ModelRouter.Route routeQuietly(String model) {
        try {
            return ModelRouter.route(model);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String message(RuntimeException e) {
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getName());
    }

    private long millisSince(long start) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(calls.ticker().read() - start));
    }

    /** Logging never fails a run: a log that throws (it should not) is reported once. */
    private void append(ExecutionRecord record) {
        if (log == null) {
            return;
        }
        try {
            log.append(record);
        } catch (RuntimeException e) {
            if (logFailureReported.compareAndSet(false, true)) {
                warnings.accept("warning: the execution log failed to take a record: " + e);
            }
        }
    }

    @Override
    public void close() {
        ExecutorService executor = calls.executor();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            calls.close();
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }
}
