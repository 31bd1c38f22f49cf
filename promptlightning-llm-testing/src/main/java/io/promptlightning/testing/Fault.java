package io.promptlightning.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FakeProviderServer} answers one request instead of answering it well: an HTTP error in the provider's
 * own error shape, a slow answer, or a stream cut in the middle.
 */
public final class Fault {
    enum Kind { STATUS, SLOW, BROKEN_STREAM }

    final Kind kind;
    final int status;
    final String retryAfter;
    final Duration delay;

    private Fault(Kind kind, int status, String retryAfter, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.delay = delay;
    }

    /** HTTP 401 with the provider's authentication error; the message quotes the key the request carried. */
    public static Fault unauthorized() {
        return status(401);
    }

    /** HTTP 404 with the provider's "model not found" error naming the requested model. */
    public static Fault modelNotFound() {
        return status(404);
    }

    /**
     * HTTP 429 with the provider's rate-limit error.
     *
     * @param retryAfter the {@code Retry-After} header's value as sent (seconds, or an HTTP date), or null to send none
     */
    public static Fault rateLimited(String retryAfter) {
        return new Fault(Kind.STATUS, 429, retryAfter, null);
    }

    /** HTTP 500 with the provider's server error. */
    public static Fault serverError() {
        return status(500);
    }

    /** Any HTTP status from 400 to 599, with a body in the provider's error shape. */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a fault's status is an HTTP error from 400 to 599, not " + status);
        }
        return new Fault(Kind.STATUS, status, null, null);
    }

    /** The usual answer, sent only after {@code delay} (on top of the server's latency). */
    public static Fault slow(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
        return new Fault(Kind.SLOW, 0, null, delay);
    }

    /**
     * Status 200 and the first half of the answer, then the connection is cut: a stream stops after half of its
     * tokens, a whole answer after half of its bytes.
     */
    public static Fault brokenStream() {
        return new Fault(Kind.BROKEN_STREAM, 0, null, null);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATUS -> "HTTP " + status + (retryAfter == null ? "" : " (Retry-After: " + retryAfter + ")");
            case SLOW -> "slow answer (" + delay.toMillis() + " ms)";
            case BROKEN_STREAM -> "broken stream";
        };
    }
}
