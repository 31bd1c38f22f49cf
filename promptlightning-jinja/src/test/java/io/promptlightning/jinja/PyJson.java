package io.promptlightning.jinja;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference data files with Python's reading of JSON: a number with a fraction or exponent is a
 * float (Double), one without is an int of unlimited size (Long or BigInteger), objects keep key order.
 */
final class PyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private PyJson() {
    }

    static JsonNode readResource(String path) {
        try (InputStream in = PyJson.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks a node that is an array or object, for decoders with encodings of their own for those. */
    static final Object NOT_SCALAR = new Object();

    /** A JSON scalar as a template value: str, bool, None, int (Long/BigInteger) or float (Double). */
    static Object scalar(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return Py.normalize(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return NOT_SCALAR;
    }

    static Object toValue(JsonNode node) {
        Object scalar = scalar(node);
        if (scalar != NOT_SCALAR) {
            return scalar;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                out.add(toValue(item));
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), toValue(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        return (Map<String, Object>) toValue(node);
    }
}
