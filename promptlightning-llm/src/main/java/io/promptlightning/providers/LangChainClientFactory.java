package io.promptlightning.providers;

import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmClientFactory;
import io.promptlightning.llm.LlmSettings;

import java.util.Objects;

/**
 * The providers of {@code promptlightning-llm}, on LangChain4j: {@code openai} (and any OpenAI-compatible server),
 * {@code anthropic}, {@code gemini} and {@code ollama}, in one {@link LlmClient}. Found by {@link java.util.ServiceLoader}
 * when the module is on the classpath.
 *
 * <p>Settings, each from {@code promptlightning.yaml}'s {@code providers} section or the environment (or
 * {@code .env}) under the providers' own names:
 * <ul>
 *   <li>openai: {@code api_key} / {@code OPENAI_API_KEY}, {@code base_url} / {@code OPENAI_BASE_URL} (with its version,
 *       e.g. {@code http://localhost:8000/v1}; a server of one's own may need no key)</li>
 *   <li>anthropic: {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL} (the server's root)</li>
 *   <li>gemini: {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY}, {@code GEMINI_BASE_URL} or
 *       {@code GOOGLE_GEMINI_BASE_URL} (the server's root)</li>
 *   <li>ollama: {@code base_url} / {@code OLLAMA_HOST}, {@code http://localhost:11434} by default; no key</li>
 * </ul>
 * A missing key fails the call that needs it with an {@link io.promptlightning.ApiKeyException} naming the variable.
 */
public final class LangChainClientFactory implements LlmClientFactory {
    /** Used by {@link java.util.ServiceLoader}. */
    public LangChainClientFactory() {
    }

    @Override
    public LlmClient create(LlmSettings settings) {
        return new LangChainClient(Objects.requireNonNull(settings, "settings"));
    }
}
