package io.promptlightning.providers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads how long a provider asked to wait: {@code Retry-After} in seconds or as an HTTP date, or OpenAI's {@code retry-after-ms}. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** The delay the headers ask for, or null if they ask for none or say it in a form not understood. */
    static Duration fromHeaders(Map<String, List<String>> headers, Instant now) {
        Duration standard = parse(header(headers, "retry-after"), now);
        if (standard != null) {
            return standard;
        }
        String millis = header(headers, "retry-after-ms");
        if (millis != null) {
            try {
                double value = Double.parseDouble(millis.trim());
                if (value >= 0 && !Double.isInfinite(value)) {
                    return Duration.ofNanos((long) (value * 1_000_000));
                }
            } catch (NumberFormatException ignored) {
                // not a number: as if absent
            }
        }
        return null;
    }

    /**
     * A {@code Retry-After} value: a number of seconds (decimals accepted), or an HTTP date, which gives the time from
     * {@code now} until then (zero if it has passed). Null for null or anything else.
     */
    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            double seconds = Double.parseDouble(text);
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return null;
            }
            return Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant until = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, until);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().toLowerCase(Locale.ROOT).equals(name)
                    && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
