package io.promptlightning.providers;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;

/**
 * An HTTP error answer that keeps what LangChain4j's own exception drops: the {@code Retry-After} delay. Its message
 * is the response body with the request's secrets blanked out. LangChain4j maps it by status (401 to an
 * authentication error, 429 to a rate limit, ...) and keeps it as the root cause, where {@link Failures} finds it.
 */
final class ProviderHttpException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    ProviderHttpException(int statusCode, String redactedBody, Duration retryAfter) {
        super(statusCode, redactedBody);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked to wait, or null if it did not say. */
    Duration retryAfter() {
        return retryAfter;
    }
}
