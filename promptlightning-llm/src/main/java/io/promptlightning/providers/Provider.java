package io.promptlightning.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmSettings;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** One provider on its LangChain4j module: where it is, how a call's parameters reach it, how its models are built. */
abstract class Provider {
    private static final Pattern VERSIONED = Pattern.compile(".*/v\\d+(alpha|beta)?\\d*$");

    /** The name routing gives it, as in {@link LlmRequest#provider()}. */
    abstract String name();

    /** Its base URL and key from the settings; read once per client. */
    abstract Endpoint endpoint(LlmSettings settings);

    /**
     * The options of the call that LangChain4j takes only when a model is built, so that calls differing in them
     * get different models; empty for most calls.
     */
    abstract Map<String, Object> modelOptions(LlmRequest request);

    /** The call's parameters as LangChain4j takes them per request. */
    abstract ChatRequestParameters parameters(LlmRequest request);

    abstract ChatModel chatModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http);

    abstract StreamingChatModel streamingModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http);

    /** The parameters every provider takes: model, temperature, top_p, max_tokens, stop. */
    static <B extends DefaultChatRequestParameters.Builder<B>> B common(B builder, LlmRequest request) {
        LlmParameters parameters = request.parameters();
        return builder.modelName(request.model())
                .temperature(parameters.temperature())
                .topP(parameters.topP())
                .maxOutputTokens(parameters.maxTokens())
                .stopSequences(parameters.stop());
    }

    /** A setting, a blank value counting as none. */
    static Optional<String> setting(LlmSettings settings, String provider, String key, String... envNames) {
        return settings.value(provider, key, envNames).map(String::strip).filter(value -> !value.isEmpty());
    }

    static String withoutTrailingSlash(String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /**
     * {@code url} ending in an API version: as given when it names one ({@code .../v1}, {@code .../v1beta}), else with
     * {@code version} appended, since the providers' own SDKs take the server's root in these settings.
     */
    static String withVersion(String url, String version) {
        String root = withoutTrailingSlash(url);
        return VERSIONED.matcher(root).matches() ? root : root + "/" + version;
    }
}
