package io.promptlightning;

import java.time.Duration;

/** The provider refused the call for now (HTTP 429). Retried, after {@link #retryAfter()} when the provider said. */
public final class RateLimitException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /** @param retryAfter how long the provider asked to wait ({@code Retry-After}), or null if it did not say */
    public RateLimitException(String detail, String provider, String model, Duration retryAfter, Throwable cause) {
        super(detail, provider, model, true, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked to wait, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
