package io.promptlightning.providers;

import io.promptlightning.LlmException;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a call's provider-specific parameters by name and type, refusing those the provider cannot take. */
final class Extras {
    private final Map<String, Object> values;
    private final String provider;
    private final String model;

    Extras(Map<String, Object> values, String provider, String model) {
        this.values = values;
        this.provider = provider;
        this.model = model;
    }

    /** Refuses every extra not in {@code known}, naming the ones that are. */
    void allowOnly(Set<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("unknown extra parameter " + quoted(unknown) + " for " + provider + " (it takes "
                    + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))) + ")");
        }
    }

    Integer integer(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long whole = ((Number) value).longValue();
            if (whole == (int) whole) {
                return (int) whole;
            }
        } else if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) <= Integer.MAX_VALUE) {
            return (int) number.doubleValue();
        } else if (value instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw invalid("the extra parameter '" + name + "' takes a whole number, not " + shown(value));
    }

    Double number(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw invalid("the extra parameter '" + name + "' takes a number, not " + shown(value));
    }

    Boolean bool(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw invalid("the extra parameter '" + name + "' takes true or false, not " + shown(value));
    }

    /** The seed as the 32-bit number LangChain4j's models take. */
    static Integer seed(Long seed, String provider, String model) {
        if (seed == null) {
            return null;
        }
        if (seed != seed.intValue()) {
            throw new LlmException("the seed must be from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", not " + seed,
                    provider, model, false, null);
        }
        return seed.intValue();
    }

    private LlmException invalid(String detail) {
        return new LlmException(detail, provider, model, false, null);
    }

    private static String quoted(Set<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
        }
        return sb.toString();
    }

    private static String shown(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
