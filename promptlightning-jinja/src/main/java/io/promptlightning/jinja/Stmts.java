package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The statement node types. */
final class Stmts {
    private Stmts() {
    }

    /** The left side of {@code set} or {@code for}: one name, or a tuple of targets to unpack into. */
    static final class Target {
        final String name;
        final Target[] items;

        Target(String name, Target[] items) {
            this.name = name;
            this.items = items;
        }

        void assign(Frame f, Object value) {
            if (name != null) {
                f.set(name, value);
                return;
            }
            if (!Py.isIterable(value) || value instanceof Undefined) {
                if (value instanceof Undefined) {
                    throw ((Undefined) value).error();
                }
                throw Errors.typeError("cannot unpack non-iterable " + Py.typeName(value) + " object");
            }
            List<Object> values = Py.toList(value);
            if (values.size() < items.length) {
                throw Errors.valueError("not enough values to unpack (expected " + items.length + ", got "
                        + values.size() + ")");
            }
            if (values.size() > items.length) {
                throw Errors.valueError("too many values to unpack (expected " + items.length + ")");
            }
            for (int i = 0; i < items.length; i++) {
                items[i].assign(f, values.get(i));
            }
        }

        void declare(Analysis a) {
            if (name != null) {
                a.declare(name);
            } else {
                for (Target t : items) {
                    t.declare(a);
                }
            }
        }

        boolean binds(String n) {
            if (name != null) {
                return name.equals(n);
            }
            for (Target t : items) {
                if (t.binds(n)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Text extends Stmt {
        final String text;

        Text(String template, int line, String text) {
            super(template, line);
            this.text = text;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            out.append(text);
            f.state.checkOutput(out);
        }

        @Override
        void analyze(Analysis a) {
        }
    }

    static final class Output extends Stmt {
        final Expr expr;

        Output(String template, int line, Expr expr) {
            super(template, line);
            this.expr = expr;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            Object v = expr.eval(f);
            if (v instanceof String) {
                out.append((String) v);
            } else {
                Py.appendStr(out, v);
            }
            f.state.checkOutput(out);
        }

        @Override
        void analyze(Analysis a) {
            expr.analyze(a);
        }
    }

    static final class If extends Stmt {
        final Expr[] tests;
        final Stmt[][] bodies;
        final Stmt[] otherwise;

        If(String template, int line, Expr[] tests, Stmt[][] bodies, Stmt[] otherwise) {
            super(template, line);
            this.tests = tests;
            this.bodies = bodies;
            this.otherwise = otherwise;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            for (int i = 0; i < tests.length; i++) {
                boolean taken;
                try {
                    taken = Py.isTrue(tests[i].eval(f));
                } catch (TemplateException e) {
                    throw e.locate(template, tests[i].line); // each elif has its own line
                }
                if (taken) {
                    renderAll(bodies[i], f, out);
                    return;
                }
            }
            if (otherwise != null) {
                renderAll(otherwise, f, out);
            }
        }

        @Override
        void analyze(Analysis a) {
            for (int i = 0; i < tests.length; i++) {
                tests[i].analyze(a);
                analyzeAll(bodies[i], a);
            }
            if (otherwise != null) {
                analyzeAll(otherwise, a);
            }
        }
    }

    static final class For extends Stmt {
        final Target target;
        final Expr iterable;
        final Expr filter;
        final Stmt[] body;
        final Stmt[] otherwise;
        final boolean recursive;
        /** No macro or caller in the body can capture the iteration scope, so one frame can serve all. */
        final boolean reuseFrame;

        For(String template, int line, Target target, Expr iterable, Expr filter, Stmt[] body, Stmt[] otherwise,
                boolean recursive, boolean reuseFrame) {
            super(template, line);
            this.target = target;
            this.iterable = iterable;
            this.filter = filter;
            this.body = body;
            this.otherwise = otherwise;
            this.recursive = recursive;
            this.reuseFrame = reuseFrame;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            loop(f, iterable.eval(f), 0, out);
        }

        private void loop(Frame f, Object source, int depth0, StringBuilder out) {
            if (source == null) {
                throw Errors.typeError("'NoneType' object is not iterable");
            }
            if (source instanceof PyCallable) {
                throw Errors.typeError("'" + Py.typeName(source) + "' object is not iterable");
            }
            List<Object> items = Py.toList(source);
            if (filter != null) {
                items = filtered(f, items);
            }
            int n = items.size();
            if (n == 0) {
                if (otherwise != null) {
                    renderAll(otherwise, f, out);
                }
                return;
            }
            LoopContext loop = new LoopContext(items, depth0, recursive ? (state, next, d) -> {
                StringBuilder sub = new StringBuilder();
                loop(f, next, d, sub);
                return sub.toString();
            } : null);
            Frame iteration = reuseFrame ? f.child() : null;
            for (int i = 0; i < n; i++) {
                if (reuseFrame) {
                    iteration.clear();
                } else {
                    iteration = f.child();
                }
                loop.index0 = i;
                target.assign(iteration, items.get(i));
                iteration.set("loop", loop);
                renderAll(body, iteration, out);
            }
        }

        private List<Object> filtered(Frame f, List<Object> items) {
            List<Object> kept = new ArrayList<>();
            Frame test = f.child();
            for (Object item : items) {
                test.clear();
                target.assign(test, item);
                test.set("loop", Undefined.variable("loop"));
                if (Py.isTrue(filter.eval(test))) {
                    kept.add(item);
                }
            }
            return kept;
        }

        @Override
        void analyze(Analysis a) {
            iterable.analyze(a);
            a.push();
            target.declare(a);
            if (filter != null) {
                filter.analyze(a);
            }
            a.declare("loop");
            analyzeAll(body, a);
            a.pop();
            if (otherwise != null) {
                analyzeAll(otherwise, a);
            }
        }
    }

    static final class Set extends Stmt {
        final Target target;
        final Expr value;

        Set(String template, int line, Target target, Expr value) {
            super(template, line);
            this.target = target;
            this.value = value;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            target.assign(f, value.eval(f));
        }

        @Override
        void analyze(Analysis a) {
            value.analyze(a);
            target.declare(a);
        }
    }

    /** {@code set ns.attr = value}: only a namespace accepts it. */
    static final class SetAttribute extends Stmt {
        final String object;
        final String attribute;
        final Expr value;

        SetAttribute(String template, int line, String object, String attribute, Expr value) {
            super(template, line);
            this.object = object;
            this.attribute = attribute;
            this.value = value;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            Object v = value.eval(f);
            Object target = f.lookup(object);
            if (target instanceof Undefined) {
                throw ((Undefined) target).error();
            }
            if (!(target instanceof Namespace)) {
                throw Errors.runtime("cannot assign attribute on non-namespace object");
            }
            ((Namespace) target).attributes.put(attribute, v);
        }

        @Override
        void analyze(Analysis a) {
            value.analyze(a);
            a.read(object);
        }
    }

    /** {@code set x | filters %}...{% endset}: captures rendered text. */
    static final class SetBlock extends Stmt {
        final Target target;
        final Exprs.Filter[] filters;
        final Stmt[] body;

        SetBlock(String template, int line, Target target, Exprs.Filter[] filters, Stmt[] body) {
            super(template, line);
            this.target = target;
            this.filters = filters;
            this.body = body;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            StringBuilder captured = new StringBuilder();
            renderAll(body, f, captured);
            Object value = captured.toString();
            for (Exprs.Filter filter : filters) {
                value = filter.applyTo(f, value);
            }
            target.assign(f, value);
        }

        @Override
        void analyze(Analysis a) {
            analyzeAll(body, a);
            for (Exprs.Filter filter : filters) {
                filter.analyze(a);
            }
            target.declare(a);
        }
    }

    static final class MacroDef extends Stmt {
        final String name;
        final String[] params;
        final Expr[] defaults;
        final Stmt[] body;
        final boolean catchVarargs;
        final boolean catchKwargs;
        final boolean usesCaller;

        MacroDef(String template, int line, String name, String[] params, Expr[] defaults, Stmt[] body,
                java.util.Set<String> bodyReads) {
            super(template, line);
            this.name = name;
            this.params = params;
            this.defaults = defaults;
            this.body = body;
            this.catchVarargs = bodyReads.contains("varargs");
            this.catchKwargs = bodyReads.contains("kwargs");
            this.usesCaller = bodyReads.contains("caller");
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            f.set(name, new Macro(this, f));
        }

        @Override
        void analyze(Analysis a) {
            a.declare(name);
            analyzeMacro(a);
        }

        void analyzeMacro(Analysis a) {
            a.push();
            for (int i = 0; i < params.length; i++) {
                if (defaults[i] != null) {
                    defaults[i].analyze(a);
                }
                a.declare(params[i]);
            }
            a.declare("varargs");
            a.declare("kwargs");
            a.declare("caller");
            analyzeAll(body, a);
            a.pop();
        }
    }

    /** {@code call(args) macro(...) %}body{% endcall}: passes the body as {@code caller}. */
    static final class CallBlock extends Stmt {
        final Exprs.Call call;
        final MacroDef caller;

        CallBlock(String template, int line, Exprs.Call call, MacroDef caller) {
            super(template, line);
            this.call = call;
            this.caller = caller;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            Object fn = call.callee.eval(f);
            Object[] args = call.args.evalArgs(f);
            Map<String, Object> kwargs = new java.util.LinkedHashMap<>(call.args.evalKwargs(f));
            kwargs.put("caller", new Macro(caller, f));
            Py.appendStr(out, Exprs.Call.invoke(f.state, fn, args, kwargs));
            f.state.checkOutput(out);
        }

        @Override
        void analyze(Analysis a) {
            call.analyze(a);
            caller.analyzeMacro(a);
        }
    }

    static final class FilterBlock extends Stmt {
        final Exprs.Filter[] filters;
        final Stmt[] body;

        FilterBlock(String template, int line, Exprs.Filter[] filters, Stmt[] body) {
            super(template, line);
            this.filters = filters;
            this.body = body;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            StringBuilder captured = new StringBuilder();
            renderAll(body, f.child(), captured);
            Object value = captured.toString();
            for (Exprs.Filter filter : filters) {
                value = filter.applyTo(f, value);
            }
            Py.appendStr(out, value);
            f.state.checkOutput(out);
        }

        @Override
        void analyze(Analysis a) {
            for (Exprs.Filter filter : filters) {
                filter.analyze(a);
            }
            a.push();
            analyzeAll(body, a);
            a.pop();
        }
    }

    static final class With extends Stmt {
        final Target[] targets;
        final Expr[] values;
        final Stmt[] body;

        With(String template, int line, Target[] targets, Expr[] values, Stmt[] body) {
            super(template, line);
            this.targets = targets;
            this.values = values;
            this.body = body;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            Frame inner = f.child();
            for (int i = 0; i < targets.length; i++) {
                targets[i].assign(inner, values[i].eval(f));
            }
            renderAll(body, inner, out);
        }

        @Override
        void analyze(Analysis a) {
            for (Expr v : values) {
                v.analyze(a);
            }
            a.push();
            for (Target t : targets) {
                t.declare(a);
            }
            analyzeAll(body, a);
            a.pop();
        }
    }

    static final class Include extends Stmt {
        final Expr name;
        final boolean ignoreMissing;
        final boolean withContext;

        Include(String template, int line, Expr name, boolean ignoreMissing, boolean withContext) {
            super(template, line);
            this.name = name;
            this.ignoreMissing = ignoreMissing;
            this.withContext = withContext;
        }

        @Override
        void execute(Frame f, StringBuilder out) {
            Object n = name.eval(f);
            List<Object> candidates = n instanceof List ? Py.toList(n) : List.of(n);
            Template included = null;
            for (Object candidate : candidates) {
                if (candidate instanceof Undefined) {
                    throw ((Undefined) candidate).error();
                }
                included = f.state.environment.loadIncluded(Py.str(candidate));
                if (included != null) {
                    break;
                }
            }
            if (included == null) {
                if (ignoreMissing) {
                    return;
                }
                throw Errors.runtime(candidates.size() == 1 ? "template " + Py.repr(Py.str(candidates.get(0)))
                        + " not found" : "none of the templates given were found: " + Py.repr(candidates));
            }
            f.state.enter("include of '" + included.name() + "'");
            try {
                Frame root = withContext ? new Frame(f.state, f, null) : new Frame(f.state, null, Map.of());
                renderAll(included.body, root, out);
            } finally {
                f.state.exit();
            }
        }

        @Override
        void analyze(Analysis a) {
            name.analyze(a);
        }
    }
}
