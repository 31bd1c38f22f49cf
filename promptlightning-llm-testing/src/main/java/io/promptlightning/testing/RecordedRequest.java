package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One request as {@link FakeProviderServer} received it.
 *
 * @param provider  which wire format it spoke: {@code openai}, {@code anthropic}, {@code gemini}, {@code ollama}
 * @param method    the HTTP method
 * @param path      the path and query, e.g. {@code /v1/chat/completions}
 * @param headers   the headers, names in lower case
 * @param body      the body as text
 * @param json      the body parsed (a missing node when it is not JSON)
 * @param model     the model asked for (from the body, or from the path for Gemini)
 * @param streaming whether the answer was asked for as a stream
 */
public record RecordedRequest(String provider, String method, String path, Map<String, List<String>> headers,
                              String body, JsonNode json, String model, boolean streaming) {
    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
