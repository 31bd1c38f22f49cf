package io.promptlightning.jinja;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The global functions every template sees: {@code range}, {@code dict}, {@code namespace}, {@code cycler}, {@code joiner}. */
final class Globals {
    /** Like Jinja2's sandbox, refuse ranges that could only be a mistake or an attack. */
    static final int MAX_RANGE = 1_000_000;

    private Globals() {
    }

    static Map<String, Object> builtins() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("range", function("range", Globals::range));
        m.put("dict", function("dict", (s, a, k) -> {
            if (a.size() > 1) {
                throw Errors.typeError("dict expected at most 1 argument, got " + a.size());
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            if (a.size() == 1) {
                Object src = Filters.defined(a.get(0));
                if (src instanceof Map) {
                    out.putAll((Map<?, ?>) src);
                } else {
                    for (Object pair : Py.toList(src)) {
                        List<Object> kv = Py.toList(pair);
                        if (kv.size() != 2) {
                            throw Errors.valueError("dictionary update sequence element has length " + kv.size()
                                    + "; 2 is required");
                        }
                        out.put(Access.dictKey(kv.get(0)), kv.get(1));
                    }
                }
            }
            out.putAll(k);
            return out;
        }));
        m.put("namespace", function("namespace", (s, a, k) -> {
            Map<String, Object> init = new LinkedHashMap<>();
            for (Object src : a) {
                if (!(src instanceof Map)) {
                    throw Errors.typeError("namespace() positional argument must be a mapping");
                }
                for (Map.Entry<?, ?> e : ((Map<?, ?>) src).entrySet()) {
                    init.put(Py.str(e.getKey()), e.getValue());
                }
            }
            init.putAll(k);
            return new Namespace(init);
        }));
        m.put("cycler", function("cycler", (s, a, k) -> {
            if (a.isEmpty()) {
                throw Errors.runtime("at least one item has to be provided");
            }
            return new Cycler(a.toArray());
        }));
        m.put("joiner", function("joiner", (s, a, k) -> {
            Object[] p = Params.bind("joiner", a.toArray(), k, "sep", ", ");
            return new Joiner(Py.str(p[0]));
        }));
        m.put("lipsum", function("lipsum", Globals::lipsum));
        return m;
    }

    private static final String[] LOREM_WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod"
            + " tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation"
            + " ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit"
            + " esse cillum eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui"
            + " officia deserunt mollit anim id est laborum").split(" ");

    /** {@code lipsum(n=5, html=True, min=20, max=100)}: n paragraphs of random placeholder Latin. */
    private static Object lipsum(RenderState s, List<Object> a, Map<String, Object> k) {
        Object[] p = Params.bind("lipsum", a.toArray(), k, "n", 5L, "html", true, "min", 20L, "max", 100L);
        int paragraphs = Math.min(Params.toInt("lipsum", p[0]), 1000);
        int min = Math.max(1, Params.toInt("lipsum", p[2]));
        int max = Math.max(min, Math.min(Params.toInt("lipsum", p[3]), 10_000));
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        List<String> result = new java.util.ArrayList<>();
        for (int i = 0; i < paragraphs; i++) {
            int words = random.nextInt(min, max + 1);
            StringBuilder sb = new StringBuilder();
            boolean capitalize = true;
            for (int w = 0; w < words; w++) {
                String word = LOREM_WORDS[random.nextInt(LOREM_WORDS.length)];
                if (capitalize) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    capitalize = false;
                }
                sb.append(word);
                if (w == words - 1) {
                    sb.append('.');
                } else if (random.nextInt(10) == 0) {
                    sb.append(random.nextBoolean() ? ". " : ", ");
                    capitalize = sb.charAt(sb.length() - 2) == '.';
                } else {
                    sb.append(' ');
                }
            }
            result.add(Py.isTrue(p[1]) ? "<p>" + Markup.escapeHtml(sb.toString()) + "</p>" : sb.toString());
        }
        String text = String.join(Py.isTrue(p[1]) ? "\n" : "\n\n", result);
        return Py.isTrue(p[1]) ? new Markup(text) : text;
    }

    interface Body {
        Object call(RenderState state, List<Object> args, Map<String, Object> kwargs);
    }

    private static PyCallable function(String name, Body body) {
        return new PyCallable() {
            @Override
            public String typeName() {
                return "function";
            }

            @Override
            public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
                return body.call(state, args, kwargs);
            }

            @Override
            public String toString() {
                return "<function " + name + ">";
            }
        };
    }

    private static Object range(RenderState s, List<Object> a, Map<String, Object> k) {
        Params.noKwargs("range", k);
        if (a.isEmpty() || a.size() > 3) {
            throw Errors.typeError("range expected at least 1 argument, got " + a.size());
        }
        long[] n = new long[a.size()];
        for (int i = 0; i < n.length; i++) {
            Object bound = Filters.defined(a.get(i));
            if (!Py.isIntLike(bound)) {
                throw Errors.typeError("'" + Py.typeName(bound) + "' object cannot be interpreted as an integer");
            }
            if (bound instanceof java.math.BigInteger) {
                throw Errors.limit("range bound " + bound + " is too large");
            }
            n[i] = Py.asLong(bound);
        }
        PyRange r = n.length == 1 ? new PyRange(0, n[0], 1) : new PyRange(n[0], n[1], n.length == 3 ? n[2] : 1);
        if (r.size() > MAX_RANGE) {
            throw Errors.limit("range too big: " + r.size() + " items (the limit is " + MAX_RANGE + ")");
        }
        return r;
    }

    /** {@code cycler(a, b)}: {@code next()} walks the items round, {@code current} is the next one. */
    static final class Cycler implements HasAttributes, HasMethods {
        private final Object[] items;
        private int position;

        Cycler(Object[] items) {
            this.items = items;
        }

        @Override
        public Object attribute(String name) {
            if (name.equals("current")) {
                return items[position];
            }
            if (name.equals("items")) {
                return new PyTuple(items.clone());
            }
            return name.equals("next") || name.equals("reset") ? new Methods.Bound(this, name)
                    : Undefined.missing(this, name);
        }

        @Override
        public Object callMethod(RenderState state, String name, Object[] args, Map<String, Object> kwargs) {
            if (name.equals("next")) {
                Object v = items[position];
                position = (position + 1) % items.length;
                return v;
            }
            if (name.equals("reset")) {
                position = 0;
                return null;
            }
            return Methods.NOT_A_METHOD;
        }
    }

    /** {@code joiner(sep)}: returns "" the first time it is called, then the separator. */
    static final class Joiner implements PyCallable {
        private final String separator;
        private boolean used;

        Joiner(String separator) {
            this.separator = separator;
        }

        @Override
        public String typeName() {
            return "Joiner";
        }

        @Override
        public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
            if (!used) {
                used = true;
                return "";
            }
            return separator;
        }
    }
}
