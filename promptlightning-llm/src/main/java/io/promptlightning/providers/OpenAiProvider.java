package io.promptlightning.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmSettings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenAI's chat completions, and any server that speaks them ({@code OPENAI_BASE_URL}, e.g. vLLM, LM Studio, a
 * gateway). Extras go into the request body as top-level fields, as given ({@code frequency_penalty},
 * {@code logit_bias}, {@code response_format}, ...). Without a base URL of its own the key is required; a server of
 * one's own may take calls without one.
 */
final class OpenAiProvider extends Provider {
    static final String NAME = "openai";
    private static final String KEY_VARIABLE = "OPENAI_API_KEY";
    private static final Pattern REASONING_MODEL = Pattern.compile("(o\\d.*|gpt-5.*)");

    @Override
    String name() {
        return NAME;
    }

    @Override
    Endpoint endpoint(LlmSettings settings) {
        String key = setting(settings, NAME, "api_key", KEY_VARIABLE).orElse(null);
        Optional<String> baseUrl = setting(settings, NAME, "base_url", "OPENAI_BASE_URL");
        return new Endpoint(NAME, baseUrl.map(Provider::withoutTrailingSlash).orElse("https://api.openai.com/v1"), key,
                List.of(KEY_VARIABLE), baseUrl.isEmpty());
    }

    @Override
    Map<String, Object> modelOptions(LlmRequest request) {
        return Map.of();
    }

    @Override
    ChatRequestParameters parameters(LlmRequest request) {
        Map<String, Object> extras = request.parameters().extras();
        OpenAiChatRequestParameters.Builder parameters = common(OpenAiChatRequestParameters.builder(), request)
                .seed(Extras.seed(request.parameters().seed(), NAME, request.model()))
                .customParameters(extras.isEmpty() ? null : extras);
        if (takesMaxCompletionTokens(request.model())) {
            parameters.maxOutputTokens(null).maxCompletionTokens(request.parameters().maxTokens());
        }
        return parameters.build();
    }

    /**
     * Whether the model refuses {@code max_tokens} and takes {@code max_completion_tokens} instead: OpenAI's reasoning
     * models ({@code o1}, {@code o3-mini}, {@code gpt-5}, ...). Other models, and OpenAI-compatible servers, keep
     * {@code max_tokens}, which all of them understand.
     */
    static boolean takesMaxCompletionTokens(String model) {
        return REASONING_MODEL.matcher(model).matches();
    }

    @Override
    ChatModel chatModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .maxRetries(0)
                .build();
    }

    @Override
    StreamingChatModel streamingModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .apiKey(endpoint.apiKey())
                .modelName(key.model())
                .timeout(key.timeout())
                .build();
    }
}
