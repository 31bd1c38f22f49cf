package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Ollama chat: {@code POST /api/chat}, answers whole or as newline-delimited JSON (streaming is its default). */
final class OllamaWire extends Wire {
    private static final String CREATED_AT = "2025-01-01T00:00:00.000000Z";

    @Override
    String name() {
        return "ollama";
    }

    @Override
    boolean serves(String path) {
        return path.endsWith("/api/chat");
    }

    @Override
    boolean streaming(String path, JsonNode body) {
        return body.path("stream").asBoolean(true);
    }

    @Override
    List<String> texts(JsonNode body) {
        List<String> texts = new ArrayList<>();
        body.path("messages").forEach(message -> texts.add(message.path("content").asText("")));
        return texts;
    }

    @Override
    String lastUserText(JsonNode body) {
        String last = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = message.path("content").asText("");
            }
        }
        return last;
    }

    @Override
    Integer maxTokens(JsonNode body) {
        return intOrNull(body.path("options").get("num_predict"));
    }

    @Override
    String key(RecordedRequest request) {
        return bearer(request);
    }

    @Override
    String streamContentType() {
        return "application/x-ndjson";
    }

    private static ObjectNode message(String model, String text, boolean done) {
        ObjectNode body = object();
        body.put("model", model);
        body.put("created_at", CREATED_AT);
        body.putObject("message").put("role", "assistant").put("content", text);
        body.put("done", done);
        return body;
    }

    private static ObjectNode finish(ObjectNode body, Answer answer) {
        body.put("done_reason", answer.truncated() ? "length" : "stop");
        body.put("total_duration", 1_000_000L);
        body.put("load_duration", 1_000L);
        body.put("prompt_eval_count", answer.promptTokens());
        body.put("prompt_eval_duration", 1_000L);
        body.put("eval_count", answer.completionTokens());
        body.put("eval_duration", 1_000L);
        return body;
    }

    @Override
    ObjectNode answer(Answer answer) {
        return finish(message(answer.model(), answer.text(), true), answer);
    }

    @Override
    List<String> stream(Answer answer, boolean complete) {
        List<String> lines = new ArrayList<>();
        for (String piece : answer.pieces()) {
            lines.add(message(answer.model(), piece, false) + "\n");
        }
        if (complete) {
            lines.add(finish(message(answer.model(), "", true), answer) + "\n");
        }
        return lines;
    }

    @Override
    ObjectNode error(int status, String model, String key) {
        String message = switch (status) {
            case 401 -> "unauthorized: " + key;
            case 404 -> "model \"" + model + "\" not found, try pulling it first";
            case 429 -> "too many requests";
            default -> status >= 500 ? "llama runner process has terminated" : reason(status);
        };
        return object().put("error", message);
    }
}
