package io.promptlightning.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatRequestParameters;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmSettings;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Google's Gemini API ({@code generateContent}). The key is {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY}; the
 * base URL ({@code GEMINI_BASE_URL} or {@code GOOGLE_GEMINI_BASE_URL}) is the server's root, {@code /v1beta} being
 * added unless it names a version. LangChain4j's Gemini client sends no free-form fields, so the extras it takes are
 * {@code top_k}, {@code frequency_penalty} and {@code presence_penalty}; any other is refused before the call.
 */
final class GeminiProvider extends Provider {
    static final String NAME = "gemini";
    private static final Set<String> EXTRAS = Set.of("top_k", "frequency_penalty", "presence_penalty");

    @Override
    String name() {
        return NAME;
    }

    @Override
    Endpoint endpoint(LlmSettings settings) {
        String key = setting(settings, NAME, "api_key", "GEMINI_API_KEY", "GOOGLE_API_KEY").orElse(null);
        String baseUrl = setting(settings, NAME, "base_url", "GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL")
                .map(url -> withVersion(url, "v1beta"))
                .orElse("https://generativelanguage.googleapis.com/v1beta");
        return new Endpoint(NAME, baseUrl, key, List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"), true);
    }

    @Override
    Map<String, Object> modelOptions(LlmRequest request) {
        // LangChain4j takes Gemini's seed only when building the model
        Integer seed = Extras.seed(request.parameters().seed(), NAME, request.model());
        return seed == null ? Map.of() : Map.of("seed", seed);
    }

    @Override
    ChatRequestParameters parameters(LlmRequest request) {
        Extras extras = new Extras(request.parameters().extras(), NAME, request.model());
        extras.allowOnly(EXTRAS);
        return common(GoogleAiGeminiChatRequestParameters.builder(), request)
                .topK(extras.integer("top_k"))
                .frequencyPenalty(extras.number("frequency_penalty"))
                .presencePenalty(extras.number("presence_penalty"))
                .build();
    }

    @Override
    ChatModel chatModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return GoogleAiGeminiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .seed((Integer) key.options().get("seed"))
                .maxRetries(0)
                .build();
    }

    @Override
    StreamingChatModel streamingModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .seed((Integer) key.options().get("seed"))
                .build();
    }
}
