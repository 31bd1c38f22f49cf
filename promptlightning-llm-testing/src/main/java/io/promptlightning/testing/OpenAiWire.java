package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** OpenAI chat completions: {@code POST .../chat/completions}, answers whole or as SSE chunks. */
final class OpenAiWire extends Wire {
    @Override
    String name() {
        return "openai";
    }

    @Override
    boolean serves(String path) {
        return path.endsWith("/chat/completions");
    }

    @Override
    List<String> texts(JsonNode body) {
        List<String> texts = new ArrayList<>();
        body.path("messages").forEach(message -> texts.add(contentText(message.get("content"))));
        return texts;
    }

    @Override
    String lastUserText(JsonNode body) {
        String last = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = contentText(message.get("content"));
            }
        }
        return last;
    }

    @Override
    Integer maxTokens(JsonNode body) {
        Integer max = intOrNull(body.get("max_completion_tokens"));
        return max != null ? max : intOrNull(body.get("max_tokens"));
    }

    @Override
    String key(RecordedRequest request) {
        return bearer(request);
    }

    private static ObjectNode chunk(String model) {
        ObjectNode chunk = object();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000L);
        chunk.put("model", model);
        return chunk;
    }

    private static ObjectNode usage(Answer answer) {
        ObjectNode usage = object();
        usage.put("prompt_tokens", answer.promptTokens());
        usage.put("completion_tokens", answer.completionTokens());
        usage.put("total_tokens", answer.promptTokens() + answer.completionTokens());
        return usage;
    }

    @Override
    ObjectNode answer(Answer answer) {
        ObjectNode body = object();
        body.put("id", "chatcmpl-fake");
        body.put("object", "chat.completion");
        body.put("created", 1_700_000_000L);
        body.put("model", answer.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer.text());
        choice.put("finish_reason", answer.truncated() ? "length" : "stop");
        body.set("usage", usage(answer));
        return body;
    }

    @Override
    List<String> stream(Answer answer, boolean complete) {
        List<String> events = new ArrayList<>();
        ObjectNode first = chunk(answer.model());
        ObjectNode firstChoice = first.putArray("choices").addObject();
        firstChoice.put("index", 0);
        firstChoice.putObject("delta").put("role", "assistant").put("content", "");
        firstChoice.putNull("finish_reason");
        events.add(sse(null, first));
        for (String piece : answer.pieces()) {
            ObjectNode chunk = chunk(answer.model());
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("delta").put("content", piece);
            choice.putNull("finish_reason");
            events.add(sse(null, chunk));
        }
        if (!complete) {
            return events;
        }
        ObjectNode last = chunk(answer.model());
        ObjectNode lastChoice = last.putArray("choices").addObject();
        lastChoice.put("index", 0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", answer.truncated() ? "length" : "stop");
        events.add(sse(null, last));
        ObjectNode usage = chunk(answer.model());
        usage.putArray("choices");
        usage.set("usage", usage(answer));
        events.add(sse(null, usage));
        events.add("data: [DONE]\n\n");
        return events;
    }

    @Override
    ObjectNode error(int status, String model, String key) {
        ObjectNode body = object();
        ObjectNode error = body.putObject("error");
        switch (status) {
            case 401 -> error.put("message", "Incorrect API key provided: " + key + ".")
                    .put("type", "invalid_request_error").putNull("param");
            case 404 -> error.put("message", "The model `" + model + "` does not exist or you do not have access to it.")
                    .put("type", "invalid_request_error").putNull("param");
            case 429 -> error.put("message", "Rate limit reached for " + model + ". Please try again later.")
                    .put("type", "requests").putNull("param");
            default -> error.put("message", status >= 500
                            ? "The server had an error while processing your request."
                            : "The request was refused: " + reason(status) + ".")
                    .put("type", status >= 500 ? "server_error" : "invalid_request_error").putNull("param");
        }
        switch (status) {
            case 401 -> error.put("code", "invalid_api_key");
            case 404 -> error.put("code", "model_not_found");
            case 429 -> error.put("code", "rate_limit_exceeded");
            default -> error.putNull("code");
        }
        return body;
    }

}
