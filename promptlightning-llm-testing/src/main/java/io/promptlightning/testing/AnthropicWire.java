package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Anthropic messages: {@code POST .../messages}, answers whole or as SSE events. */
final class AnthropicWire extends Wire {
    @Override
    String name() {
        return "anthropic";
    }

    @Override
    boolean serves(String path) {
        return path.endsWith("/messages");
    }

    @Override
    List<String> texts(JsonNode body) {
        List<String> texts = new ArrayList<>();
        if (body.has("system")) {
            texts.add(contentText(body.get("system")));
        }
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
        return intOrNull(body.get("max_tokens"));
    }

    @Override
    String key(RecordedRequest request) {
        return request.header("x-api-key");
    }

    private static String stopReason(Answer answer) {
        return answer.truncated() ? "max_tokens" : "end_turn";
    }

    @Override
    ObjectNode answer(Answer answer) {
        ObjectNode body = object();
        body.put("id", "msg_fake");
        body.put("type", "message");
        body.put("role", "assistant");
        body.put("model", answer.model());
        body.putArray("content").addObject().put("type", "text").put("text", answer.text());
        body.put("stop_reason", stopReason(answer));
        body.putNull("stop_sequence");
        body.putObject("usage").put("input_tokens", answer.promptTokens())
                .put("output_tokens", answer.completionTokens());
        return body;
    }

    @Override
    List<String> stream(Answer answer, boolean complete) {
        List<String> events = new ArrayList<>();
        ObjectNode start = object().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", answer.model());
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", answer.promptTokens()).put("output_tokens", 1);
        events.add(sse("message_start", start));
        ObjectNode blockStart = object().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        events.add(sse("content_block_start", blockStart));
        events.add(sse("ping", object().put("type", "ping")));
        for (String piece : answer.pieces()) {
            ObjectNode delta = object().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta").put("type", "text_delta").put("text", piece);
            events.add(sse("content_block_delta", delta));
        }
        if (!complete) {
            return events;
        }
        events.add(sse("content_block_stop", object().put("type", "content_block_stop").put("index", 0)));
        ObjectNode messageDelta = object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(answer)).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", answer.completionTokens());
        events.add(sse("message_delta", messageDelta));
        events.add(sse("message_stop", object().put("type", "message_stop")));
        return events;
    }

    @Override
    ObjectNode error(int status, String model, String key) {
        ObjectNode body = object().put("type", "error");
        ObjectNode error = body.putObject("error");
        switch (status) {
            case 400 -> error.put("type", "invalid_request_error").put("message", "The request was refused.");
            case 401 -> error.put("type", "authentication_error").put("message", "invalid x-api-key: " + key);
            case 403 -> error.put("type", "permission_error").put("message", "This key may not use " + model + ".");
            case 404 -> error.put("type", "not_found_error").put("message", "model: " + model);
            case 429 -> error.put("type", "rate_limit_error").put("message", "Number of requests has exceeded your rate limit.");
            case 529 -> error.put("type", "overloaded_error").put("message", "Overloaded");
            default -> error.put("type", status >= 500 ? "api_error" : "invalid_request_error")
                    .put("message", status >= 500 ? "Internal server error" : "The request was refused: " + reason(status) + ".");
        }
        return body;
    }
}
