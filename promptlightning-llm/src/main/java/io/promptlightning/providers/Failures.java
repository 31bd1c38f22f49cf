package io.promptlightning.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.langchain4j.model.ollama.OllamaStreamingException;
import io.promptlightning.ApiKeyException;
import io.promptlightning.LlmException;
import io.promptlightning.ModelNotFoundException;
import io.promptlightning.RateLimitException;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Turns what LangChain4j and the JDK throw into PromptLightning's exceptions: the HTTP status decides the class and
 * whether a retry may help, the provider's own error message is kept (without any key), and every message names the
 * model and the provider.
 */
final class Failures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private Failures() {
    }

    /**
     * @param timeout the attempt's timeout, for the message of a timeout, or null if the default applied
     */
    static LlmException map(Throwable error, Endpoint endpoint, String model, Duration timeout) {
        if (error instanceof LlmException known) {
            return known;
        }
        String provider = endpoint.provider();
        ProviderHttpException answer = find(error, ProviderHttpException.class);
        if (answer != null) {
            return fromStatus(answer.statusCode(), answer.getMessage(), answer.retryAfter(), endpoint, model, error);
        }
        HttpException otherAnswer = find(error, HttpException.class);
        if (otherAnswer != null) {
            return fromStatus(otherAnswer.statusCode(), otherAnswer.getMessage(), null, endpoint, model, error);
        }
        if (find(error, InterruptedException.class) != null) {
            return new LlmException("interrupted while waiting for the answer", provider, model, false, error);
        }
        if (find(error, HttpTimeoutException.class) != null
                || find(error, dev.langchain4j.exception.TimeoutException.class) != null) {
            return timedOut(endpoint, model, timeout, error);
        }
        if (find(error, ConnectException.class) != null) {
            return new LlmException("cannot connect to " + endpoint.baseUrl(), provider, model, true, error);
        }
        AnthropicStreamingException anthropic = find(error, AnthropicStreamingException.class);
        if (anthropic != null) {
            return fromAnthropicStream(anthropic, endpoint, model);
        }
        OllamaStreamingException ollama = find(error, OllamaStreamingException.class);
        if (ollama != null) {
            return new LlmException("the stream reported an error: " + clip(endpoint.redact(ollama.getMessage())),
                    provider, model, true, error);
        }
        IOException broken = find(error, IOException.class);
        if (broken != null) {
            return new LlmException("the connection broke before the answer was complete ("
                    + clip(endpoint.redact(String.valueOf(broken.getMessage()))) + ")", provider, model, true, error);
        }
        UnsupportedFeatureException unsupported = find(error, UnsupportedFeatureException.class);
        if (unsupported != null) {
            return new LlmException(clip(endpoint.redact(unsupported.getMessage())), provider, model, false, error);
        }
        return new LlmException("the call failed: " + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + clip(endpoint.redact(error.getMessage()))),
                provider, model, false, error);
    }

    static LlmException timedOut(Endpoint endpoint, String model, Duration timeout, Throwable cause) {
        String detail = timeout == null ? "no answer within the default timeout"
                : "no answer within " + seconds(timeout) + " (the attempt's timeout)";
        return new LlmException(detail, endpoint.provider(), model, true, cause);
    }

    static LlmException fromStatus(int status, String body, Duration retryAfter, Endpoint endpoint, String model,
                                   Throwable cause) {
        String provider = endpoint.provider();
        String message = providerMessage(endpoint.redact(body));
        String said = message.isEmpty() ? "" : ": " + message;
        if (status == 401 || status == 403) {
            // The provider's words are left out: some quote part of the key they refused.
            String detail = endpoint.keyVariables().isEmpty()
                    ? "the server refused the call (HTTP " + status + "); it takes no key from PromptLightning"
                    : "the provider refused the API key (HTTP " + status + "); check "
                    + String.join(" or ", endpoint.keyVariables());
            return new ApiKeyException(detail, provider, model, cause);
        }
        if (status == 404) {
            return new ModelNotFoundException("the provider does not know this model (HTTP 404" + said + ")",
                    provider, model, cause);
        }
        if (status == 429) {
            String wait = retryAfter == null ? "" : ", retry after " + seconds(retryAfter);
            return new RateLimitException("rate limited (HTTP 429" + wait + said + ")", provider, model, retryAfter,
                    cause);
        }
        if (status == 408) {
            return new LlmException("the provider timed out (HTTP 408" + said + ")", provider, model, true, cause);
        }
        if (status >= 500) {
            return new LlmException("the provider failed (HTTP " + status + said + ")", provider, model, true, cause);
        }
        return new LlmException("the provider refused the request (HTTP " + status + said + ")", provider, model,
                false, cause);
    }

    private static LlmException fromAnthropicStream(AnthropicStreamingException error, Endpoint endpoint,
                                                    String model) {
        String provider = endpoint.provider();
        String detail = "the stream reported " + error.type() + ": " + clip(endpoint.redact(error.getMessage()));
        return switch (String.valueOf(error.type())) {
            case "rate_limit_error" -> new RateLimitException(detail, provider, model, null, error);
            case "overloaded_error", "api_error", "timeout_error" -> new LlmException(detail, provider, model, true, error);
            case "authentication_error", "permission_error" ->
                    new ApiKeyException("the provider refused the API key during the stream", provider, model, error);
            case "not_found_error" -> new ModelNotFoundException(detail, provider, model, error);
            default -> new LlmException(detail, provider, model, false, error);
        };
    }

    /**
     * The message in a provider's error body: {@code error.message} (OpenAI, Anthropic, Gemini), {@code error}
     * (Ollama) or {@code message}; the body itself, shortened, when it is not JSON.
     */
    static String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                JsonNode error = json.get("error");
                if (error != null && error.isObject() && error.hasNonNull("message")) {
                    return clip(error.get("message").asText());
                }
                if (error != null && error.isTextual()) {
                    return clip(error.asText());
                }
                if (json.hasNonNull("message")) {
                    return clip(json.get("message").asText());
                }
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return clip(body.strip());
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
    }

    /** {@code 2s}, {@code 0.25s}: a duration as people read it in a message. */
    static String seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros();
        return seconds.toPlainString() + "s";
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
