package io.promptlightning.llm;

import java.util.List;
import java.util.Objects;

/**
 * One model call as a client makes it.
 *
 * @param provider   the provider chosen by routing, e.g. {@code openai}
 * @param model      the model as the provider names it, without the {@code provider/} prefix
 * @param messages   the conversation: the rendered prompt as one user message, or the caller's {@code messages}
 * @param parameters temperature, token limit and the rest, already checked
 */
public record LlmRequest(String provider, String model, List<ChatMessage> messages, LlmParameters parameters) {
    public LlmRequest {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        Objects.requireNonNull(parameters, "parameters");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request holds at least one message");
        }
    }
}
