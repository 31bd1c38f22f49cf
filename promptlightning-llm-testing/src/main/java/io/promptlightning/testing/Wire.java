package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** One provider's wire format: how to read its requests and write its answers and errors. */
abstract class Wire {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What to answer: the pieces of text (tokens) and the counts reported as usage. */
    record Answer(String model, List<String> pieces, long promptTokens, boolean truncated) {
        String text() {
            return String.join("", pieces);
        }

        long completionTokens() {
            return pieces.size();
        }

        /** The answer with only its first half of pieces, as a stream cut in the middle delivers it. */
        Answer firstHalf() {
            return new Answer(model, pieces.subList(0, pieces.size() / 2), promptTokens, truncated);
        }
    }

    abstract String name();

    /** Whether this format serves {@code path}. */
    abstract boolean serves(String path);

    /** The model asked for; in the request body's {@code model} unless the format says otherwise. */
    String model(String path, JsonNode body) {
        return body.path("model").asText(null);
    }

    /** Whether the answer is streamed; the request body's {@code stream} unless the format says otherwise. */
    boolean streaming(String path, JsonNode body) {
        return body.path("stream").asBoolean(false);
    }

    /** Every text of the conversation (system prompt included), for the prompt's token count. */
    abstract List<String> texts(JsonNode body);

    /** The last user message, which the default answer repeats. */
    abstract String lastUserText(JsonNode body);

    /** The request's limit on generated tokens, or null. */
    abstract Integer maxTokens(JsonNode body);

    /** The key the request carried, or null. */
    abstract String key(RecordedRequest request);

    abstract ObjectNode answer(Answer answer);

    /** The stream's chunks, each written and flushed on its own; {@code complete} false leaves out the ending. */
    abstract List<String> stream(Answer answer, boolean complete);

    String streamContentType() {
        return "text/event-stream";
    }

    abstract ObjectNode error(int status, String model, String key);

    // --- helpers shared by the formats

    static String sse(String event, JsonNode data) {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The text of a message content that is either a string or a list of parts with {@code text}. */
    static String contentText(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                parts.add(part.asText());
            } else if (part.hasNonNull("text")) {
                parts.add(part.get("text").asText());
            }
        }
        return String.join("\n", parts);
    }

    static Integer intOrNull(JsonNode node) {
        return node == null || !node.canConvertToInt() ? null : node.asInt();
    }

    static String bearer(RecordedRequest request) {
        String authorization = request.header("authorization");
        if (authorization == null) {
            return null;
        }
        return authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : authorization;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 408 -> "request timeout";
            case 429 -> "too many requests";
            case 500 -> "internal server error";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            case 529 -> "overloaded";
            default -> "HTTP " + status;
        };
    }
}
