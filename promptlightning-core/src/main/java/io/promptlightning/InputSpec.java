package io.promptlightning;

import io.promptlightning.jinja.PythonValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One declared input of a template.
 *
 * @param type          the declared type ({@code string} when a file names none)
 * @param required      whether a render must provide it or have a default ({@code true} when a file says nothing)
 * @param defaultValue  the value used when none is provided; already of {@code type}, or null
 * @param allowedValues the {@code enum} values the input must be one of; empty when unrestricted
 * @param extra         other keys of the declaration (such as {@code description}), kept in file order
 */
public record InputSpec(InputType type, boolean required, Object defaultValue, List<Object> allowedValues,
        Map<String, Object> extra) {

    public InputSpec {
        if (type == null) {
            throw new ValidationException("input type is missing", null);
        }
        allowedValues = allowedValues == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(allowedValues));
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        if (type == InputType.ENUM && allowedValues.isEmpty()) {
            throw new ValidationException("an input of type enum needs a non-empty 'enum' list of values", null);
        }
    }

    /** A plain input: {@code type}, {@code required}, no default. */
    public static InputSpec of(InputType type, boolean required) {
        return new InputSpec(type, required, null, List.of(), Map.of());
    }

    /**
     * Checks this declaration as the input {@code name}: its default must be of its type and allowed.
     *
     * @return this declaration with its default converted to the type
     * @throws ValidationException naming the input otherwise
     */
    public InputSpec validated(String name) {
        for (Object allowed : allowedValues) {
            coerce(name, allowed, false);
        }
        if (defaultValue == null) {
            return this;
        }
        try {
            Object converted = unmodifiable(coerce(name, defaultValue, true));
            return new InputSpec(type, required, converted, allowedValues, extra);
        } catch (ValidationException e) {
            throw new ValidationException("default of input '" + name + "' does not match its type " + type.wireName()
                    + ": " + PythonValues.repr(defaultValue), null);
        }
    }

    /** A default is handed to every render: a template must not be able to change it for the next one. */
    private static Object unmodifiable(Object value) {
        if (value instanceof List) {
            return Collections.unmodifiableList((List<?>) value);
        }
        if (value instanceof Map) {
            return Collections.unmodifiableMap((Map<?, ?>) value);
        }
        return value;
    }

    /** Converts a provided value to this input's type and checks it against the allowed values. */
    public Object coerce(String name, Object value) {
        return coerce(name, value, true);
    }

    private Object coerce(String name, Object value, boolean checkAllowed) {
        Object converted = type.coerce(name, value);
        if (checkAllowed && !allowedValues.isEmpty()) {
            for (Object allowed : allowedValues) {
                if (PythonValues.equal(allowed, converted)) {
                    return converted;
                }
            }
            throw new ValidationException("invalid value for '" + name + "': " + PythonValues.repr(converted)
                    + " is not one of " + PythonValues.repr(allowedValues), null);
        }
        return converted;
    }
}
