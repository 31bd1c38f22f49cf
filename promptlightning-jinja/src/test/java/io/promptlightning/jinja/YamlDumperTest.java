package io.promptlightning.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link YamlDumper} against the output of PyYAML 6.0 recorded by
 * {@code src/test/resources/serialization/gen_serialization_cases.py}.
 */
class YamlDumperTest {

    static Stream<Arguments> pyYamlCases() {
        return Cases.read("yaml_cases.json").map(c -> Arguments.of(c.get("name").textValue(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pyYamlCases")
    void matchesPyYaml(String name, JsonNode testCase) {
        Object input = Cases.decode(testCase.get("input"));
        assertEquals(testCase.get("expected").textValue(), YamlDumper.dump(input));
    }

    @Test
    void undefinedInsideRaisesItsError() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("items", List.of(1, Undefined.variable("user")));
        UndefinedException e = assertThrows(UndefinedException.class, () -> YamlDumper.dump(value));
        assertEquals("'user' is undefined", e.detail());
    }

    @Test
    void lenientUndefinedRaisesToo() {
        assertThrows(UndefinedException.class, () -> YamlDumper.dump(List.of(Undefined.LENIENT)));
    }

    @Test
    void callableCannotBeRepresented() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> YamlDumper.dump(Map.of("f", Cases.callable("function"))));
        assertEquals(TemplateRuntimeException.Kind.VALUE_ERROR, e.kind());
        assertEquals("cannot represent an object: <function>", e.detail());
    }

    @Test
    void namespaceAndOpaqueJavaValuesCannotBeRepresented() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> YamlDumper.dump(new Namespace(Map.of())));
        assertEquals(TemplateRuntimeException.Kind.VALUE_ERROR, e.kind());
        e = assertThrows(TemplateRuntimeException.class,
                () -> YamlDumper.dump(List.of(UUID.fromString("00000000-0000-0000-0000-000000000000"))));
        assertEquals("cannot represent an object: 00000000-0000-0000-0000-000000000000", e.detail());
    }

    @Test
    void excessiveNestingIsALimitNotAStackOverflow() {
        TemplateRuntimeException e = assertThrows(TemplateRuntimeException.class,
                () -> YamlDumper.dump(Cases.nestedLists(100_000)));
        assertEquals(TemplateRuntimeException.Kind.LIMIT_EXCEEDED, e.kind());
        e = assertThrows(TemplateRuntimeException.class, () -> YamlDumper.dump(Cases.nestedMaps(201)));
        assertEquals(TemplateRuntimeException.Kind.LIMIT_EXCEEDED, e.kind());
    }

    @Test
    void nestingUpToTheLimitIsWritten() {
        String yaml = YamlDumper.dump(Cases.nestedLists(199));
        assertEquals("- ".repeat(199) + "[]\n", yaml);
    }

    @Test
    void selfReferenceThroughJavaArrayBecomesAnAlias() {
        Object[] array = new Object[2];
        array[0] = "x";
        array[1] = array;
        assertEquals("&id001\n- x\n- *id001\n", YamlDumper.dump(array));
    }

    /** Reads the recorded cases and turns their encoded inputs into template values. */
    static final class Cases {
        private final Map<Integer, Object> byId = new HashMap<>();

        private Cases() {
        }

        static Stream<JsonNode> read(String resource) {
            return StreamSupport.stream(PyJson.readResource("/serialization/" + resource).spliterator(), false);
        }

        /** See the encoding described in gen_serialization_cases.py. */
        static Object decode(JsonNode node) {
            return new Cases().value(node);
        }

        static PyCallable callable(String typeName) {
            return new PyCallable() {
                @Override
                public String typeName() {
                    return typeName;
                }

                @Override
                public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
                    return null;
                }
            };
        }

        static Object nestedLists(int depth) {
            Object value = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                List<Object> outer = new ArrayList<>();
                outer.add(value);
                value = outer;
            }
            return value;
        }

        static Object nestedMaps(int depth) {
            Object value = "leaf";
            for (int i = 0; i < depth; i++) {
                Map<String, Object> outer = new LinkedHashMap<>();
                outer.put("k", value);
                value = outer;
            }
            return value;
        }

        private Object value(JsonNode n) {
            Object scalar = PyJson.scalar(n);
            if (scalar != PyJson.NOT_SCALAR) {
                return scalar;
            }
            if (n.isArray()) {
                return fill(new ArrayList<>(), n);
            }
            return object(n);
        }

        private List<Object> fill(List<Object> list, JsonNode items) {
            for (JsonNode item : items) {
                list.add(value(item));
            }
            return list;
        }

        private Object object(JsonNode n) {
            if (n.has("$ref")) {
                return byId.get(n.get("$ref").intValue());
            }
            if (n.has("$list")) {
                return fill(register(n, new ArrayList<>()), n.get("$list"));
            }
            if (n.has("$tuple")) {
                return register(n, PyTuple.of(fill(new ArrayList<>(), n.get("$tuple"))));
            }
            if (n.has("$dict")) {
                Map<Object, Object> map = register(n, new LinkedHashMap<>());
                for (JsonNode pair : n.get("$dict")) {
                    map.put(value(pair.get(0)), value(pair.get(1)));
                }
                return map;
            }
            if (n.has("$float")) {
                String f = n.get("$float").textValue();
                return f.equals("nan") ? Double.NaN : f.equals("inf") ? Double.POSITIVE_INFINITY
                        : Double.NEGATIVE_INFINITY;
            }
            if (n.has("$markup")) {
                return new Markup(n.get("$markup").textValue());
            }
            if (n.has("$range")) {
                JsonNode r = n.get("$range");
                return new PyRange(r.get(0).longValue(), r.get(1).longValue(), r.get(2).longValue());
            }
            if (n.has("$dictview")) {
                return new DictView(n.get("$dictview").textValue(), fill(new ArrayList<>(), n.get("items")));
            }
            if (n.has("$undefined")) {
                return n.get("$undefined").textValue().equals("strict") ? Undefined.variable("x") : Undefined.LENIENT;
            }
            if (n.has("$namespace")) {
                return new Namespace(stringMap(n.get("$namespace")));
            }
            if (n.has("$callable")) {
                return callable(n.get("$callable").textValue());
            }
            return stringMap(n);
        }

        private Map<String, Object> stringMap(JsonNode n) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), value(e.getValue()));
            }
            return map;
        }

        /** Containers are registered before their items are read, so that they can contain themselves. */
        private <T> T register(JsonNode n, T container) {
            if (n.has("$id")) {
                byId.put(n.get("$id").intValue(), container);
            }
            return container;
        }
    }
}
