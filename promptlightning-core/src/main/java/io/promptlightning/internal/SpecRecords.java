package io.promptlightning.internal;

import io.promptlightning.InputSpec;
import io.promptlightning.InputType;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import java.math.BigInteger;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/**
 * The one conversion between a template record, as the original library stores it (a map {@code {id, version,
 * description, template, inputs: {name: {type, required, default}}, metadata}} read from YAML or MessagePack),
 * and a {@link TemplateSpec}. Both registries go through it, so a template reads the same from either.
 */
public final class SpecRecords {
    private static final Set<String> INPUT_KEYS = Set.of("type", "required", "default", "enum");

    private SpecRecords() {
    }

    /**
     * @param record the parsed record
     * @param idHint the id to name in errors when the record has none usable (e.g. the file name)
     * @throws ValidationException naming the id (or {@code idHint}) and what is wrong
     */
    public static TemplateSpec fromRecord(Object record, String idHint) {
        if (!(record instanceof Map)) {
            throw new ValidationException("not a template: expected a mapping with 'id' and 'template', found "
                    + describe(record), idHint);
        }
        Map<?, ?> map = (Map<?, ?>) record;
        Object id = map.get("id");
        if (!(id instanceof String) || ((String) id).isEmpty()) {
            throw new ValidationException(map.containsKey("id") ? "'id' must be a non-empty string, found "
                    + describe(id) : "not a template: the 'id' field is missing", idHint);
        }
        String templateId = (String) id;
        Object template = map.get("template");
        if (!(template instanceof String)) {
            throw new ValidationException(map.containsKey("template") ? "'template' must be a string, found "
                    + describe(template) : "the 'template' field is missing", templateId);
        }
        Object version = map.get("version");
        Object description = map.get("description");
        if (version != null && !(version instanceof String)) {
            throw new ValidationException("'version' must be a string such as \"1.0.0\", found " + describe(version),
                    templateId);
        }
        if (description != null && !(description instanceof String)) {
            throw new ValidationException("'description' must be a string, found " + describe(description),
                    templateId);
        }
        return new TemplateSpec(templateId, (String) version, (String) description, (String) template,
                inputs(map.get("inputs"), templateId), metadata(map.get("metadata"), templateId));
    }

    private static Map<String, InputSpec> inputs(Object raw, String id) {
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        if (raw == null) {
            return inputs;
        }
        if (!(raw instanceof Map)) {
            throw new ValidationException("'inputs' must be a mapping of input names to declarations, found "
                    + describe(raw), id);
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new ValidationException("input names must be strings, found " + describe(e.getKey()), id);
            }
            String name = (String) e.getKey();
            try {
                inputs.put(name, input(e.getValue()));
            } catch (ValidationException ve) {
                throw new ValidationException("input '" + name + "': " + ve.detail(), id);
            }
        }
        return inputs;
    }

    private static InputSpec input(Object raw) {
        if (raw == null) {
            return InputSpec.of(InputType.STRING, true);
        }
        if (!(raw instanceof Map)) {
            throw new ValidationException("a declaration must be a mapping such as {type: string}, found "
                    + describe(raw), null);
        }
        Map<?, ?> m = (Map<?, ?>) raw;
        Object type = m.containsKey("type") ? m.get("type") : "string";
        if (!(type instanceof String)) {
            throw new ValidationException("'type' must be a string, found " + describe(type), null);
        }
        Object required = m.containsKey("required") ? m.get("required") : Boolean.TRUE;
        if (!(required instanceof Boolean)) {
            throw new ValidationException("'required' must be true or false, found " + describe(required), null);
        }
        Object allowed = m.get("enum");
        if (allowed != null && !(allowed instanceof List)) {
            throw new ValidationException("'enum' must be a list of values, found " + describe(allowed), null);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !INPUT_KEYS.contains(e.getKey())) {
                extra.put(String.valueOf(e.getKey()), normalize(e.getValue()));
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> allowedValues = allowed == null ? List.of() : (List<Object>) normalize(allowed);
        return new InputSpec(InputType.of((String) type), (Boolean) required, normalize(m.get("default")),
                allowedValues, extra);
    }

    private static Map<String, Object> metadata(Object raw, String id) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map)) {
            throw new ValidationException("'metadata' must be a mapping, found " + describe(raw), id);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) normalize(raw);
        return m;
    }

    /**
     * Values as templates and codecs expect them: ints as Long (or BigInteger), floats as Double, map keys as
     * strings, YAML timestamps as ISO-8601 text, lists and maps copied in order and unmodifiable (a loaded
     * template may be shared by every thread that loads it, so no caller may change it for the others).
     */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger) {
            BigInteger b = (BigInteger) v;
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Float) {
            return ((Float) v).doubleValue();
        }
        if (v instanceof Date) {
            SimpleDateFormat iso = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX");
            iso.setTimeZone(TimeZone.getTimeZone("UTC"));
            return iso.format((Date) v);
        }
        if (v instanceof Collection) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Collection<?>) v) {
                out.add(normalize(item));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                out.put(String.valueOf(e.getKey()), normalize(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        return v;
    }

    /** The record of {@code spec} with the original's field order; input extras follow the three known keys. */
    public static Map<String, Object> toRecord(TemplateSpec spec) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", spec.id());
        record.put("version", spec.version());
        record.put("description", spec.description());
        record.put("template", spec.template());
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, InputSpec> e : spec.inputs().entrySet()) {
            InputSpec in = e.getValue();
            Map<String, Object> decl = new LinkedHashMap<>();
            decl.put("type", in.type().wireName());
            decl.put("required", in.required());
            decl.put("default", in.defaultValue());
            if (!in.allowedValues().isEmpty()) {
                decl.put("enum", in.allowedValues());
            }
            decl.putAll(in.extra());
            inputs.put(e.getKey(), decl);
        }
        record.put("inputs", inputs);
        record.put("metadata", spec.metadata());
        return record;
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof Collection) {
            return "a list";
        }
        if (v instanceof String) {
            return "the text '" + v + "'";
        }
        return "the value " + v;
    }
}
