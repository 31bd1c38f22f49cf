package io.promptlightning.jinja;

import java.util.List;
import java.util.Map;

/**
 * A custom filter registered through {@link Environment.Builder#filter}. It receives plain Java values
 * (String, Long/BigInteger, Double, Boolean, null, List, Map) and returns one; it is called from many
 * threads at once and must not keep state between calls.
 */
@FunctionalInterface
public interface Filter {
    Object apply(Object value, List<Object> args, Map<String, Object> kwargs);
}
