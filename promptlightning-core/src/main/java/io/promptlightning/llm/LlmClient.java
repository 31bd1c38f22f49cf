package io.promptlightning.llm;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The service provider interface of model calls: one client serves one or more providers. PromptLightning routes a
 * model name to a provider, renders the prompt, and calls {@link #complete} or {@link #stream}; it retries, breaks
 * circuits, caches, prices and logs around the call, so a client makes exactly one attempt and never retries by
 * itself.
 *
 * <p>A client reports failures as {@link io.promptlightning.LlmException} or one of its subclasses
 * ({@link io.promptlightning.ApiKeyException} for 401/403 or a missing key, {@link io.promptlightning.RateLimitException}
 * for 429 with the {@code Retry-After} it was given, {@link io.promptlightning.ModelNotFoundException} for an unknown
 * model, a {@linkplain io.promptlightning.LlmException#retryable() retryable} {@code LlmException} for a timeout, a 5xx
 * or a broken stream); no message may contain a key. Implementations are thread-safe.
 */
public interface LlmClient extends AutoCloseable {
    /** The providers this client serves, as {@link LlmRequest#provider()} names them: {@code openai}, {@code ollama}, ... */
    Set<String> providers();

    /** One call, answered whole. */
    LlmResponse complete(LlmRequest request);

    /**
     * One call, answered as it is generated: {@code onToken} receives each piece of text as it arrives, on the
     * calling thread or the client's own, never two at once; the response holds the whole text. The default streams
     * the whole answer as one piece.
     */
    default LlmResponse stream(LlmRequest request, Consumer<String> onToken) {
        LlmResponse response = complete(request);
        onToken.accept(response.output());
        return response;
    }

    /** Releases connections and threads; the default has none. */
    @Override
    default void close() {
    }
}
