package io.promptlightning.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmSettings;

import java.util.List;
import java.util.Map;

/**
 * Anthropic's messages API. {@code ANTHROPIC_BASE_URL} is the server's root, as Anthropic's SDKs take it ({@code /v1}
 * is added unless it names a version). Extras go into the request body as top-level fields ({@code top_k},
 * {@code metadata}, {@code thinking}, ...); LangChain4j takes them per model, so each set of extras gets its own model.
 * Anthropic takes no seed: a seed is ignored. Without {@code max_tokens}, which Anthropic requires, 1024 is sent.
 */
final class AnthropicProvider extends Provider {
    static final String NAME = "anthropic";
    private static final String KEY_VARIABLE = "ANTHROPIC_API_KEY";

    @Override
    String name() {
        return NAME;
    }

    @Override
    Endpoint endpoint(LlmSettings settings) {
        String key = setting(settings, NAME, "api_key", KEY_VARIABLE).orElse(null);
        String baseUrl = setting(settings, NAME, "base_url", "ANTHROPIC_BASE_URL")
                .map(url -> withVersion(url, "v1"))
                .orElse("https://api.anthropic.com/v1");
        return new Endpoint(NAME, baseUrl, key, List.of(KEY_VARIABLE), true);
    }

    @Override
    Map<String, Object> modelOptions(LlmRequest request) {
        return request.parameters().extras();
    }

    @Override
    ChatRequestParameters parameters(LlmRequest request) {
        return common(AnthropicChatRequestParameters.builder(), request).build();
    }

    @Override
    ChatModel chatModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return AnthropicChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .customParameters(key.options().isEmpty() ? null : key.options())
                .maxRetries(0)
                .build();
    }

    @Override
    StreamingChatModel streamingModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .customParameters(key.options().isEmpty() ? null : key.options())
                .build();
    }
}
