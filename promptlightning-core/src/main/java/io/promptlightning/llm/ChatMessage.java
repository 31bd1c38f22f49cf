package io.promptlightning.llm;

import java.util.Objects;

/**
 * One message of a conversation sent to a model.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the message's text
 */
public record ChatMessage(String role, String content) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!role.equals(SYSTEM) && !role.equals(USER) && !role.equals(ASSISTANT)) {
            throw new IllegalArgumentException("a message's role is system, user or assistant, not '" + role + "'");
        }
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }
}
