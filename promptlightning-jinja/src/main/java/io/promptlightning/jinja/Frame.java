package io.promptlightning.jinja;

import java.util.Map;

/**
 * One scope of variables while rendering. Lookups walk outwards through parents to the render context,
 * then the environment's globals. Scopes hold few names, so a small array beats a hash map here.
 */
final class Frame {
    final RenderState state;
    final Frame parent;
    /** The caller's context map; set on the root frame only. */
    private final Map<String, ?> context;
    private String[] names;
    private Object[] values;
    private int size;

    Frame(RenderState state, Frame parent, Map<String, ?> context) {
        this.state = state;
        this.parent = parent;
        this.context = context;
    }

    Frame child() {
        return new Frame(state, this, null);
    }

    Object lookup(String name) {
        for (Frame f = this; f != null; f = f.parent) {
            for (int i = f.size - 1; i >= 0; i--) {
                if (f.names[i].equals(name)) {
                    return f.values[i];
                }
            }
            Map<String, ?> ctx = f.context;
            if (ctx != null) {
                Object v = ctx.get(name);
                if (v != null || ctx.containsKey(name)) {
                    return v;
                }
            }
        }
        Object global = state.environment.globals.get(name);
        return global != null ? global : state.undefined(Undefined.variable(name));
    }

    /** Binds {@code name} in this scope, replacing an existing binding of this scope only. */
    void set(String name, Object value) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                values[i] = value;
                return;
            }
        }
        if (names == null) {
            names = new String[4];
            values = new Object[4];
        } else if (size == names.length) {
            names = java.util.Arrays.copyOf(names, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
    }

    /** Forgets this scope's own bindings so the frame can serve the next loop iteration. */
    void clear() {
        for (int i = 0; i < size; i++) {
            values[i] = null;
        }
        size = 0;
    }
}
