package io.promptlightning.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmSettings;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local or remote Ollama server ({@code /api/chat}), at {@code OLLAMA_HOST} as Ollama reads it: {@code host:port}
 * or a URL, {@code http://localhost:11434} by default. It takes no key. Extras are Ollama's model options, by their
 * Ollama names: {@code top_k}, {@code num_ctx}, {@code repeat_penalty}, {@code keep_alive}, ... (see {@link #EXTRAS});
 * any other is refused before the call.
 */
final class OllamaProvider extends Provider {
    static final String NAME = "ollama";
    static final Set<String> EXTRAS = Set.of("top_k", "mirostat", "mirostat_eta", "mirostat_tau", "num_ctx",
            "num_thread", "num_keep", "typical_p", "num_batch", "num_gpu", "main_gpu", "use_mmap", "repeat_last_n",
            "repeat_penalty", "min_p", "keep_alive", "think");

    @Override
    String name() {
        return NAME;
    }

    @Override
    Endpoint endpoint(LlmSettings settings) {
        String host = setting(settings, NAME, "base_url", "OLLAMA_HOST").orElse("http://localhost:11434");
        return new Endpoint(NAME, baseUrl(host), null, List.of(), false);
    }

    /** Ollama's reading of {@code OLLAMA_HOST}: without a scheme it is {@code http}, and the port 11434. */
    static String baseUrl(String host) {
        String trimmed = withoutTrailingSlash(host);
        if (trimmed.contains("://")) {
            return trimmed;
        }
        String url = "http://" + trimmed;
        return URI.create(url).getPort() == -1 ? url + ":11434" : url;
    }

    @Override
    Map<String, Object> modelOptions(LlmRequest request) {
        return Map.of();
    }

    @Override
    ChatRequestParameters parameters(LlmRequest request) {
        Extras extras = new Extras(request.parameters().extras(), NAME, request.model());
        extras.allowOnly(EXTRAS);
        return common(OllamaChatRequestParameters.builder(), request)
                .seed(Extras.seed(request.parameters().seed(), NAME, request.model()))
                .topK(extras.integer("top_k"))
                .mirostat(extras.integer("mirostat"))
                .mirostatEta(extras.number("mirostat_eta"))
                .mirostatTau(extras.number("mirostat_tau"))
                .numCtx(extras.integer("num_ctx"))
                .numThread(extras.integer("num_thread"))
                .numKeep(extras.integer("num_keep"))
                .typicalP(extras.number("typical_p"))
                .numBatch(extras.integer("num_batch"))
                .numGPU(extras.integer("num_gpu"))
                .mainGPU(extras.integer("main_gpu"))
                .useMmap(extras.bool("use_mmap"))
                .repeatLastN(extras.integer("repeat_last_n"))
                .repeatPenalty(extras.number("repeat_penalty"))
                .minP(extras.number("min_p"))
                .keepAlive(extras.integer("keep_alive"))
                .think(extras.bool("think"))
                .build();
    }

    @Override
    ChatModel chatModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return OllamaChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .modelName(key.model())
                .timeout(key.timeout())
                .maxRetries(0)
                .build();
    }

    @Override
    StreamingChatModel streamingModel(Endpoint endpoint, ModelKey key, HttpClientBuilder http) {
        return OllamaStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(endpoint.baseUrl())
                .modelName(key.model())
                .timeout(key.timeout())
                .build();
    }
}
