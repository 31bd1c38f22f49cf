package io.promptlightning.providers;

import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Requests as the tests make them. */
final class Calls {
    static final String KEY = "sk-test-7f3a9c2e41d8";

    private Calls() {
    }

    static LlmRequest request(ProviderCase c, String prompt) {
        return new LlmRequest(c.provider, c.model, List.of(ChatMessage.user(prompt)), LlmParameters.DEFAULT);
    }

    static LlmRequest request(ProviderCase c, LlmParameters parameters) {
        return new LlmRequest(c.provider, c.model, List.of(ChatMessage.user("Tell me more")), parameters);
    }

    static LlmParameters timeout(Duration timeout) {
        return new LlmParameters(null, null, null, null, null, timeout, Map.of());
    }

    static LlmParameters extras(Map<String, Object> extras) {
        return new LlmParameters(null, null, null, null, null, null, extras);
    }
}
