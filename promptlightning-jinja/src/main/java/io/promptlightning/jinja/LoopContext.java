package io.promptlightning.jinja;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable of a {@code for} block. One instance per loop, advanced each iteration. */
final class LoopContext implements HasAttributes, HasMethods, PyCallable {
    private final List<Object> items;
    private final int depth0;
    /** Renders the loop body over new items one level deeper; null unless the loop is {@code recursive}. */
    private final Recursion recursion;
    int index0;
    private Object lastChanged = NOTHING;
    private static final Object NOTHING = new Object();

    interface Recursion {
        String render(RenderState state, Object items, int depth0);
    }

    LoopContext(List<Object> items, int depth0, Recursion recursion) {
        this.items = items;
        this.depth0 = depth0;
        this.recursion = recursion;
    }

    @Override
    public Object attribute(String name) {
        int length = items.size();
        switch (name) {
            case "index": return (long) index0 + 1;
            case "index0": return (long) index0;
            case "revindex": return (long) (length - index0);
            case "revindex0": return (long) (length - index0 - 1);
            case "first": return index0 == 0;
            case "last": return index0 == length - 1;
            case "length": return (long) length;
            case "depth": return (long) depth0 + 1;
            case "depth0": return (long) depth0;
            case "previtem":
                return index0 > 0 ? items.get(index0 - 1) : Undefined.withMessage("there is no previous item");
            case "nextitem":
                return index0 + 1 < length ? items.get(index0 + 1) : Undefined.withMessage("there is no next item");
            case "cycle":
            case "changed":
                return new Methods.Bound(this, name);
            default:
                return Undefined.missing(this, name);
        }
    }

    @Override
    public Object callMethod(RenderState state, String name, Object[] args, Map<String, Object> kwargs) {
        switch (name) {
            case "cycle":
                if (args.length == 0) {
                    throw Errors.typeError("no items for cycling given");
                }
                return args[index0 % args.length];
            case "changed": {
                Object value = args.length == 1 ? args[0] : new PyTuple(args.clone());
                if (lastChanged != NOTHING && Py.eq(lastChanged, value)) {
                    return false;
                }
                lastChanged = value;
                return true;
            }
            default:
                return Methods.NOT_A_METHOD;
        }
    }

    @Override
    public String typeName() {
        return "LoopContext";
    }

    @Override
    public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
        if (recursion == null) {
            throw Errors.typeError("The loop must have the 'recursive' marker to be called recursively.");
        }
        if (args.size() != 1 || !kwargs.isEmpty()) {
            throw Errors.typeError("loop() takes exactly one argument");
        }
        state.enter("recursive loop");
        try {
            return recursion.render(state, args.get(0), depth0 + 1);
        } finally {
            state.exit();
        }
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
    }
}
