package io.promptlightning.providers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void secondsAreSeconds() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("30", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse(" 1.5 ", NOW));
    }

    @Test
    void anHttpDateIsTheTimeUntilThen() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Sat, 01 Mar 2025 12:01:30 GMT", NOW));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertEquals(Duration.ZERO, RetryAfter.parse("Sat, 01 Mar 2025 11:00:00 GMT", NOW));
    }

    @Test
    void anythingElseIsNoDelay() {
        assertNull(RetryAfter.parse(null, NOW));
        assertNull(RetryAfter.parse("", NOW));
        assertNull(RetryAfter.parse("-5", NOW));
        assertNull(RetryAfter.parse("soon", NOW));
        assertNull(RetryAfter.parse("NaN", NOW));
        assertNull(RetryAfter.parse("2025-03-01T12:01:30Z", NOW));
    }

    @Test
    void headersAreReadWhateverTheirCaseAndOpenAisMillisecondsAreTheFallback() {
        assertEquals(Duration.ofSeconds(4),
                RetryAfter.fromHeaders(Map.of("Retry-After", List.of("4"), "retry-after-ms", List.of("10")), NOW));
        assertEquals(Duration.ofMillis(250), RetryAfter.fromHeaders(Map.of("retry-after-ms", List.of("250")), NOW));
        assertNull(RetryAfter.fromHeaders(Map.of("content-type", List.of("application/json")), NOW));
        assertNull(RetryAfter.fromHeaders(Map.of("retry-after-ms", List.of("-1")), NOW));
    }
}
