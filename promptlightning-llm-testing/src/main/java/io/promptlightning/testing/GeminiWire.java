package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Gemini: {@code POST .../models/MODEL:generateContent}, and {@code :streamGenerateContent?alt=sse} whose
 * events each carry the usage so far.
 */
final class GeminiWire extends Wire {
    private static final Pattern PATH = Pattern.compile(".*/models/([^/:]+):(generateContent|streamGenerateContent)$");

    @Override
    String name() {
        return "gemini";
    }

    @Override
    boolean serves(String path) {
        return PATH.matcher(path).matches();
    }

    @Override
    String model(String path, JsonNode body) {
        Matcher matcher = PATH.matcher(path);
        return matcher.matches() ? matcher.group(1) : null;
    }

    @Override
    boolean streaming(String path, JsonNode body) {
        return path.endsWith(":streamGenerateContent");
    }

    @Override
    List<String> texts(JsonNode body) {
        List<String> texts = new ArrayList<>();
        body.path("systemInstruction").path("parts").forEach(part -> texts.add(part.path("text").asText("")));
        body.path("contents").forEach(content ->
                content.path("parts").forEach(part -> texts.add(part.path("text").asText(""))));
        return texts;
    }

    @Override
    String lastUserText(JsonNode body) {
        String last = "";
        for (JsonNode content : body.path("contents")) {
            if ("user".equals(content.path("role").asText("user"))) {
                List<String> parts = new ArrayList<>();
                content.path("parts").forEach(part -> parts.add(part.path("text").asText("")));
                last = String.join("\n", parts);
            }
        }
        return last;
    }

    @Override
    Integer maxTokens(JsonNode body) {
        return intOrNull(body.path("generationConfig").get("maxOutputTokens"));
    }

    @Override
    String key(RecordedRequest request) {
        String key = request.header("x-goog-api-key");
        if (key == null) {
            int at = request.path().indexOf("key=");
            if (at >= 0) {
                key = request.path().substring(at + "key=".length()).split("&", 2)[0];
            }
        }
        return key;
    }

    private static ObjectNode response(String model, String text, String finishReason, long promptTokens,
                                       long candidateTokens) {
        ObjectNode body = object();
        ObjectNode candidate = body.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").addObject().put("text", text);
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        body.putObject("usageMetadata")
                .put("promptTokenCount", promptTokens)
                .put("candidatesTokenCount", candidateTokens)
                .put("totalTokenCount", promptTokens + candidateTokens);
        body.put("modelVersion", model);
        body.put("responseId", "fake-response");
        return body;
    }

    private static String finishReason(Answer answer) {
        return answer.truncated() ? "MAX_TOKENS" : "STOP";
    }

    @Override
    ObjectNode answer(Answer answer) {
        return response(answer.model(), answer.text(), finishReason(answer), answer.promptTokens(),
                answer.completionTokens());
    }

    @Override
    List<String> stream(Answer answer, boolean complete) {
        List<String> events = new ArrayList<>();
        List<String> pieces = answer.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = complete && i == pieces.size() - 1;
            events.add(sse(null, response(answer.model(), pieces.get(i), last ? finishReason(answer) : null,
                    answer.promptTokens(), i + 1)));
        }
        if (complete && pieces.isEmpty()) {
            events.add(sse(null, response(answer.model(), "", finishReason(answer), answer.promptTokens(), 0)));
        }
        return events;
    }

    @Override
    ObjectNode error(int status, String model, String key) {
        ObjectNode body = object();
        ObjectNode error = body.putObject("error").put("code", status);
        switch (status) {
            case 400 -> error.put("message", "Invalid request.").put("status", "INVALID_ARGUMENT");
            case 401 -> error.put("message", "API key not valid: " + key + ". Please pass a valid API key.")
                    .put("status", "UNAUTHENTICATED");
            case 403 -> error.put("message", "Permission denied.").put("status", "PERMISSION_DENIED");
            case 404 -> error.put("message", "models/" + model
                    + " is not found for API version v1beta, or is not supported for generateContent.")
                    .put("status", "NOT_FOUND");
            case 429 -> error.put("message", "Resource has been exhausted (e.g. check quota).")
                    .put("status", "RESOURCE_EXHAUSTED");
            case 503 -> error.put("message", "The model is overloaded. Please try again later.")
                    .put("status", "UNAVAILABLE");
            default -> error.put("message", status >= 500 ? "An internal error has occurred." : reason(status))
                    .put("status", status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
        }
        return body;
    }
}
