package io.promptlightning.internal;

import io.promptlightning.ValidationException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a model call as a caller passes them ({@code temperature}, {@code max_tokens}, {@code top_p},
 * {@code stop}, {@code seed}, {@code timeout} in seconds, {@code messages}, and anything else for the provider),
 * checked before any call is made. A {@code null} value means "not given".
 *
 * @param parameters what goes to the client
 * @param messages   the caller's conversation, which replaces the rendered prompt, or null
 */
public record CallParameters(LlmParameters parameters, List<ChatMessage> messages) {
    public static final CallParameters NONE = new CallParameters(LlmParameters.DEFAULT, null);

    /** The longest timeout accepted: a day. Anything longer is almost certainly milliseconds given as seconds. */
    private static final double MAX_TIMEOUT_SECONDS = 86_400;

    /** @throws ValidationException naming the parameter that has the wrong type or value */
    public static CallParameters parse(Map<String, ?> params, String templateId) {
        if (params == null || params.isEmpty()) {
            return NONE;
        }
        Double temperature = null;
        Integer maxTokens = null;
        Double topP = null;
        List<String> stop = null;
        Long seed = null;
        Duration timeout = null;
        List<ChatMessage> messages = null;
        Map<String, Object> extras = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : params.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (name == null) {
                throw invalid("a parameter has no name", templateId);
            }
            if (value == null) {
                continue;
            }
            switch (name) {
                case "temperature" -> temperature = number(name, value, 0, Double.MAX_VALUE, templateId);
                case "top_p" -> topP = number(name, value, 0, 1, templateId);
                case "max_tokens" -> maxTokens = (int) whole(name, value, 1, Integer.MAX_VALUE, templateId);
                case "seed" -> seed = whole(name, value, Long.MIN_VALUE, Long.MAX_VALUE, templateId);
                case "stop" -> stop = stop(value, templateId);
                case "timeout" -> timeout = timeout(value, templateId);
                case "messages" -> messages = messages(value, templateId);
                default -> extras.put(name, value);
            }
        }
        return new CallParameters(new LlmParameters(temperature, maxTokens, topP, stop, seed, timeout, extras),
                messages);
    }

    private static double number(String name, Object value, double min, double max, String templateId) {
        if (!(value instanceof Number)) {
            throw invalid("parameter '" + name + "' must be a number, not " + describe(value), templateId);
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw invalid("parameter '" + name + "' must be a number" + range(min, max) + ", not " + value,
                    templateId);
        }
        return d;
    }

    private static String range(double min, double max) {
        if (max == Double.MAX_VALUE) {
            return " not below " + fmt(min);
        }
        return " from " + fmt(min) + " to " + fmt(max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static long whole(String name, Object value, long min, long max, String templateId) {
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            n = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 64) {
            n = big.longValue();
        } else if (value instanceof BigDecimal dec && dec.stripTrailingZeros().scale() <= 0
                && dec.toBigInteger().bitLength() < 64) {
            n = dec.longValue();
        } else {
            throw invalid("parameter '" + name + "' must be a whole number, not " + describe(value), templateId);
        }
        if (n < min || n > max) {
            throw invalid("parameter '" + name + "' must be a whole number"
                    + (min == Long.MIN_VALUE ? "" : " from " + min + " to " + max) + ", not " + n, templateId);
        }
        return n;
    }

    private static List<String> stop(Object value, String templateId) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw invalid("parameter 'stop' must be a string or a list of strings; it holds "
                            + describe(item), templateId);
                }
                out.add(s);
            }
            return out.isEmpty() ? null : out;
        }
        throw invalid("parameter 'stop' must be a string or a list of strings, not " + describe(value), templateId);
    }

    private static Duration timeout(Object value, String templateId) {
        if (value instanceof Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw invalid("parameter 'timeout' must be more than 0 seconds, not " + d, templateId);
            }
            return d;
        }
        if (!(value instanceof Number)) {
            throw invalid("parameter 'timeout' must be a number of seconds, not " + describe(value), templateId);
        }
        double seconds = ((Number) value).doubleValue();
        if (!(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
            throw invalid("parameter 'timeout' must be a number of seconds above 0 and at most "
                    + (long) MAX_TIMEOUT_SECONDS + ", not " + value, templateId);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static List<ChatMessage> messages(Object value, String templateId) {
        if (!(value instanceof List<?> list)) {
            throw invalid("parameter 'messages' must be a list of {role, content} maps, not " + describe(value),
                    templateId);
        }
        if (list.isEmpty()) {
            throw invalid("parameter 'messages' must hold at least one message", templateId);
        }
        List<ChatMessage> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof ChatMessage m) {
                out.add(m);
                continue;
            }
            if (!(item instanceof Map<?, ?> map)) {
                throw invalid("messages[" + i + "] must be a {role, content} map, not " + describe(item),
                        templateId);
            }
            Object role = map.get("role");
            Object content = map.get("content");
            if (!(role instanceof String r) || !(r.equals(ChatMessage.SYSTEM) || r.equals(ChatMessage.USER)
                    || r.equals(ChatMessage.ASSISTANT))) {
                throw invalid("messages[" + i + "].role must be system, user or assistant, not "
                        + describe(role), templateId);
            }
            if (!(content instanceof String c)) {
                throw invalid("messages[" + i + "].content must be a string, not " + describe(content), templateId);
            }
            out.add(new ChatMessage(r, c));
        }
        return List.copyOf(out);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        String type = value instanceof String ? "text" : value instanceof Boolean ? "a boolean"
                : value instanceof Map ? "a map" : value instanceof List ? "a list"
                : value instanceof Number ? "a number" : "a " + value.getClass().getSimpleName();
        if (value instanceof Map || value instanceof List) {
            return type;
        }
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 37) + "...";
        }
        return type + " (" + (value instanceof String ? "'" + shown + "'" : shown) + ")";
    }

    private static ValidationException invalid(String detail, String templateId) {
        return new ValidationException(detail, templateId);
    }
}
