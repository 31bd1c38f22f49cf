package io.promptlightning.providers;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import io.promptlightning.LlmException;
import io.promptlightning.ModelNotFoundException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import io.promptlightning.llm.LlmSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The client of all four providers: it reads each provider's endpoint once, builds a LangChain4j model per
 * {@link ModelKey} on first use and keeps it, and makes exactly one attempt per call (LangChain4j's retries are off).
 * Every model shares one JDK HTTP client, so connections are pooled across models.
 */
final class LangChainClient implements LlmClient {
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final LlmSettings settings;
    private final ExecutorService httpThreads;
    private final java.net.http.HttpClient http;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<ModelKey, ChatModel> chatModels = new ConcurrentHashMap<>();
    private final Map<ModelKey, StreamingChatModel> streamingModels = new ConcurrentHashMap<>();

    LangChainClient(LlmSettings settings) {
        this.settings = settings;
        for (Provider provider : List.of(new OpenAiProvider(), new AnthropicProvider(), new GeminiProvider(),
                new OllamaProvider())) {
            providers.put(provider.name(), provider);
        }
        AtomicInteger threads = new AtomicInteger();
        // Streams are read on these threads, one per stream in flight: a bounded pool would make streams wait.
        this.httpThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "promptlightning-llm-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = java.net.http.HttpClient.newBuilder()
                .executor(httpThreads)
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public Set<String> providers() {
        return Set.copyOf(providers.keySet());
    }

    @Override
    public LlmResponse complete(LlmRequest request) {
        Call call = prepare(request);
        ChatModel model = chatModels.computeIfAbsent(call.key,
                key -> call.provider.chatModel(call.endpoint, key, ProviderHttpClient.builder(http)));
        try {
            return response(model.chat(call.chatRequest), request);
        } catch (RuntimeException e) {
            throw Failures.map(e, call.endpoint, request.model(), request.parameters().timeout());
        }
    }

    @Override
    public LlmResponse stream(LlmRequest request, Consumer<String> onToken) {
        Call call = prepare(request);
        StreamingChatModel model = streamingModels.computeIfAbsent(call.key,
                key -> call.provider.streamingModel(call.endpoint, key, ProviderHttpClient.builder(http)));
        CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
        StreamWatch watch = new StreamWatch(() -> answer.completeExceptionally(new StreamEndedEarly()));
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String token) {
                if (answer.isDone() || token == null || token.isEmpty()) {
                    return;
                }
                try {
                    onToken.accept(token);
                } catch (RuntimeException | Error consumerFailure) {
                    answer.completeExceptionally(new ConsumerFailed(consumerFailure));
                    watch.cancel();
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }
        };
        Duration timeout = request.parameters().timeout();
        try {
            watch.during(() -> model.chat(call.chatRequest, handler));
            ChatResponse response = timeout == null ? answer.get() : answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return response(response, request);
        } catch (TimeoutException e) {
            watch.cancel();
            throw Failures.timedOut(call.endpoint, request.model(), timeout, e);
        } catch (InterruptedException e) {
            watch.cancel();
            Thread.currentThread().interrupt();
            throw Failures.map(e, call.endpoint, request.model(), timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConsumerFailed failed) {
                throwUnchecked(failed.getCause());
            }
            if (cause instanceof StreamEndedEarly) {
                throw new LlmException("the stream ended before the answer was complete", call.endpoint.provider(),
                        request.model(), true, cause);
            }
            throw Failures.map(cause, call.endpoint, request.model(), timeout);
        } catch (RuntimeException e) {
            watch.cancel();
            throw Failures.map(e, call.endpoint, request.model(), timeout);
        }
    }

    /** How many LangChain4j models have been built, for tests of their reuse. */
    int builtModels() {
        return chatModels.size() + streamingModels.size();
    }

    @Override
    public void close() {
        chatModels.clear();
        streamingModels.clear();
        httpThreads.shutdownNow();
    }

    /** What a call needs, checked before anything is sent: the provider, its key, the parameters, the model's key. */
    private record Call(Provider provider, Endpoint endpoint, ModelKey key, ChatRequest chatRequest) {
    }

    private Call prepare(LlmRequest request) {
        Provider provider = providers.get(request.provider());
        if (provider == null) {
            throw new ModelNotFoundException("no provider '" + request.provider() + "' in promptlightning-llm (it serves "
                    + String.join(", ", new TreeSet<>(providers.keySet())) + ")", request.provider(), request.model(), null);
        }
        Endpoint endpoint = endpoints.computeIfAbsent(provider.name(), name -> provider.endpoint(settings));
        endpoint.requireKey(request.model());
        ModelKey key = new ModelKey(provider.name(), request.model(), request.parameters().timeout(),
                provider.modelOptions(request));
        ChatRequest chatRequest = ChatRequest.builder()
                .messages(messages(request.messages()))
                .parameters(provider.parameters(request))
                .build();
        return new Call(provider, endpoint, key, chatRequest);
    }

    private static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        List<dev.langchain4j.data.message.ChatMessage> converted = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            converted.add(switch (message.role()) {
                case ChatMessage.SYSTEM -> SystemMessage.from(message.content());
                case ChatMessage.ASSISTANT -> AiMessage.from(message.content());
                default -> UserMessage.from(message.content());
            });
        }
        return converted;
    }

    private static LlmResponse response(ChatResponse response, LlmRequest request) {
        String text = response.aiMessage() == null || response.aiMessage().text() == null
                ? "" : response.aiMessage().text();
        String model = response.modelName() == null || response.modelName().isBlank()
                ? request.model() : response.modelName();
        TokenUsage usage = response.tokenUsage();
        long in = usage == null || usage.inputTokenCount() == null ? 0 : Math.max(0, usage.inputTokenCount());
        long out = usage == null || usage.outputTokenCount() == null ? 0 : Math.max(0, usage.outputTokenCount());
        return new LlmResponse(text, model, in, out);
    }

    private static void throwUnchecked(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) error;
    }

    /** The body ended without the provider's last event, after every event of it had been handled. */
    private static final class StreamEndedEarly extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamEndedEarly() {
            super("the response body ended without the provider's closing event", null, false, false);
        }
    }

    /** The caller's token consumer threw: the stream is stopped and the caller gets its exception back as is. */
    private static final class ConsumerFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConsumerFailed(Throwable cause) {
            super(cause);
        }
    }
}
