package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A macro (or a call block's {@code caller}) bound to the scope it was defined in. */
final class Macro implements PyCallable, HasAttributes {
    final Stmts.MacroDef def;
    private final Frame closure;

    Macro(Stmts.MacroDef def, Frame closure) {
        this.def = def;
        this.closure = closure;
    }

    @Override
    public String typeName() {
        return "Macro";
    }

    @Override
    public Object call(RenderState state, List<Object> args, Map<String, Object> kwargs) {
        String[] params = def.params;
        if (args.size() > params.length && !def.catchVarargs) {
            throw Errors.typeError("macro " + shownName() + " takes not more than " + params.length + " argument(s)");
        }
        state.enter("macro " + shownName());
        try {
            Frame f = new Frame(state, closure, null);
            boolean[] bound = new boolean[params.length];
            for (int i = 0; i < params.length && i < args.size(); i++) {
                f.set(params[i], args.get(i));
                bound[i] = true;
            }
            Map<String, Object> extraKwargs = def.catchKwargs ? new LinkedHashMap<>() : null;
            boolean callerGiven = false;
            for (Map.Entry<String, Object> e : kwargs.entrySet()) {
                int i = indexOf(params, e.getKey());
                if (i >= 0) {
                    if (bound[i]) {
                        // Jinja2 fills positionals first; a keyword for a filled one counts as unexpected.
                        throw Errors.typeError("macro " + shownName() + " takes no keyword argument '" + e.getKey() + "'");
                    }
                    f.set(params[i], e.getValue());
                    bound[i] = true;
                } else if (e.getKey().equals("caller") && def.usesCaller) {
                    f.set("caller", e.getValue());
                    callerGiven = true;
                } else if (extraKwargs != null) {
                    extraKwargs.put(e.getKey(), e.getValue());
                } else {
                    throw Errors.typeError("macro " + shownName() + " takes no keyword argument '" + e.getKey() + "'");
                }
            }
            for (int i = 0; i < params.length; i++) {
                if (!bound[i]) {
                    Expr d = def.defaults[i];
                    f.set(params[i], d != null ? d.eval(f)
                            : Undefined.withMessage("parameter '" + params[i] + "' was not provided"));
                }
            }
            if (def.usesCaller && !callerGiven) {
                f.set("caller", Undefined.withMessage("No caller defined"));
            }
            if (def.catchVarargs) {
                List<Object> rest = args.size() > params.length ? new ArrayList<>(args.subList(params.length,
                        args.size())) : List.of();
                f.set("varargs", PyTuple.of(rest));
            }
            if (extraKwargs != null) {
                f.set("kwargs", extraKwargs);
            }
            StringBuilder out = new StringBuilder();
            Stmt.renderAll(def.body, f, out);
            return out.toString();
        } finally {
            state.exit();
        }
    }

    /** Python's repr of the macro name; a call block's caller has none. */
    private String shownName() {
        return def.name == null ? "None" : "'" + def.name + "'";
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object attribute(String name) {
        switch (name) {
            case "name": return def.name;
            case "arguments": return new PyTuple((Object[]) def.params.clone());
            case "catch_kwargs": return def.catchKwargs;
            case "catch_varargs": return def.catchVarargs;
            case "caller": return def.usesCaller;
            default: return Undefined.missing(this, name);
        }
    }
}
