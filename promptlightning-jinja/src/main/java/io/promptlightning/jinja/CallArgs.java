package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The argument list of a call, filter or test: positional, keyword, {@code *args} and {@code **kwargs}. */
final class CallArgs {
    static final CallArgs NONE = new CallArgs(new Expr[0], new String[0], new Expr[0], null, null);
    static final Object[] NO_ARGS = new Object[0];

    final Expr[] args;
    final String[] kwNames;
    final Expr[] kwValues;
    final Expr dynArgs;
    final Expr dynKwargs;

    CallArgs(Expr[] args, String[] kwNames, Expr[] kwValues, Expr dynArgs, Expr dynKwargs) {
        this.args = args;
        this.kwNames = kwNames;
        this.kwValues = kwValues;
        this.dynArgs = dynArgs;
        this.dynKwargs = dynKwargs;
    }

    Object[] evalArgs(Frame f) {
        if (args.length == 0 && dynArgs == null) {
            return NO_ARGS;
        }
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].eval(f);
        }
        if (dynArgs != null) {
            List<Object> extra = Py.toList(dynArgs.eval(f));
            out = Arrays.copyOf(out, args.length + extra.size());
            for (int i = 0; i < extra.size(); i++) {
                out[args.length + i] = extra.get(i);
            }
        }
        return out;
    }

    Map<String, Object> evalKwargs(Frame f) {
        if (kwNames.length == 0 && dynKwargs == null) {
            return Collections.emptyMap();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kwNames.length; i++) {
            out.put(kwNames[i], kwValues[i].eval(f));
        }
        if (dynKwargs != null) {
            Object extra = dynKwargs.eval(f);
            if (!(extra instanceof Map)) {
                throw Errors.typeError("argument after ** must be a mapping, not " + Py.typeName(extra));
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) extra).entrySet()) {
                out.put(Py.str(e.getKey()), e.getValue());
            }
        }
        return out;
    }

    void analyze(Analysis a) {
        for (Expr e : args) {
            e.analyze(a);
        }
        for (Expr e : kwValues) {
            e.analyze(a);
        }
        if (dynArgs != null) {
            dynArgs.analyze(a);
        }
        if (dynKwargs != null) {
            dynKwargs.analyze(a);
        }
    }
}
