package io.promptlightning.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.promptlightning.LlmException;
import java.time.Duration;

/**
 * One provider's circuit breaker. Closed, it counts consecutive failed attempts (timeouts, server errors, rate
 * limits: the retryable kinds); at the threshold it opens and every call fails at once. After the open time it lets
 * one trial call through (half-open): success closes it, failure opens it again. An answer that is a refusal rather
 * than a failure (a bad key, an unknown model) shows the provider is reachable, and counts as success.
 */
final class CircuitBreaker {
    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final String provider;
    private final int threshold;
    private final long openNanos;
    private final Ticker ticker;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;

    CircuitBreaker(String provider, int threshold, Duration openTime, Ticker ticker) {
        this.provider = provider;
        this.threshold = threshold;
        this.openNanos = openTime.toNanos();
        this.ticker = ticker;
    }

    /**
     * Admits one attempt, or refuses it.
     *
     * @throws LlmException while open (or while the half-open trial is under way), saying when a call is next let
     *                      through
     */
    synchronized void admit(String model) {
        if (state == State.CLOSED) {
            return;
        }
        long now = ticker.read();
        if (state == State.OPEN && now - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            return;
        }
        String when = state == State.HALF_OPEN ? "once the trial call under way has answered"
                : "in " + seconds(openNanos - (now - openedAt));
        throw new LlmException("calls to " + provider + " are suspended after " + consecutiveFailures
                + " consecutive failures (circuit open); the next call is let through " + when, provider, model,
                true, null);
    }

    synchronized void succeeded() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    synchronized void failed() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openedAt = ticker.read();
        }
    }

    /** The attempt ended without an answer or a failure to judge by; a trial slot it held is free again. */
    synchronized void abandoned() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
        }
    }

    synchronized boolean isOpen() {
        return state != State.CLOSED;
    }

    private static String seconds(long nanos) {
        long s = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        return s + " s";
    }
}
