package io.promptlightning.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The expression node types. */
final class Exprs {
    private Exprs() {
    }

    static final class Const extends Expr {
        final Object value;

        Const(int line, Object value) {
            super(line);
            this.value = value;
        }

        @Override
        Object eval(Frame f) {
            return value;
        }

        @Override
        void analyze(Analysis a) {
        }
    }

    static final class Name extends Expr {
        final String name;

        Name(int line, String name) {
            super(line);
            this.name = name;
        }

        @Override
        Object eval(Frame f) {
            return f.lookup(name);
        }

        @Override
        void analyze(Analysis a) {
            a.read(name);
        }
    }

    static final class GetAttr extends Expr {
        final Expr target;
        final String attr;

        GetAttr(int line, Expr target, String attr) {
            super(line);
            this.target = target;
            this.attr = attr;
        }

        @Override
        Object eval(Frame f) {
            return f.state.undefined(Access.getattr(target.eval(f), attr));
        }

        @Override
        void analyze(Analysis a) {
            target.analyze(a);
        }
    }

    static final class GetItem extends Expr {
        final Expr target;
        final Expr key;

        GetItem(int line, Expr target, Expr key) {
            super(line);
            this.target = target;
            this.key = key;
        }

        @Override
        Object eval(Frame f) {
            return f.state.undefined(Access.getitem(target.eval(f), key.eval(f)));
        }

        @Override
        void analyze(Analysis a) {
            target.analyze(a);
            key.analyze(a);
        }
    }

    static final class Slice extends Expr {
        final Expr target;
        final Expr start;
        final Expr stop;
        final Expr step;

        Slice(int line, Expr target, Expr start, Expr stop, Expr step) {
            super(line);
            this.target = target;
            this.start = start;
            this.stop = stop;
            this.step = step;
        }

        @Override
        Object eval(Frame f) {
            Object t = target.eval(f);
            return Access.slice(t, start == null ? null : start.eval(f), stop == null ? null : stop.eval(f),
                    step == null ? null : step.eval(f));
        }

        @Override
        void analyze(Analysis a) {
            target.analyze(a);
            for (Expr e : new Expr[] {start, stop, step}) {
                if (e != null) {
                    e.analyze(a);
                }
            }
        }
    }

    /** {@code callee(args)}; a call on an attribute ({@code s.upper()}) goes straight to the method. */
    static final class Call extends Expr {
        final Expr callee;
        final CallArgs args;

        Call(int line, Expr callee, CallArgs args) {
            super(line);
            this.callee = callee;
            this.args = args;
        }

        @Override
        Object eval(Frame f) {
            if (callee instanceof GetAttr) {
                GetAttr ga = (GetAttr) callee;
                Object receiver = ga.target.eval(f);
                Object[] a = args.evalArgs(f);
                Map<String, Object> kw = args.evalKwargs(f);
                Object result = Methods.call(f.state, receiver, ga.attr, a, kw);
                if (result != Methods.NOT_A_METHOD) {
                    return f.state.bounded(result);
                }
                return f.state.bounded(invoke(f.state, Access.getattr(receiver, ga.attr), a, kw));
            }
            Object fn = callee.eval(f);
            return f.state.bounded(invoke(f.state, fn, args.evalArgs(f), args.evalKwargs(f)));
        }

        static Object invoke(RenderState state, Object fn, Object[] a, Map<String, Object> kw) {
            if (fn instanceof PyCallable) {
                return ((PyCallable) fn).call(state, Arrays.asList(a), kw);
            }
            if (fn instanceof Undefined) {
                throw ((Undefined) fn).error();
            }
            throw Errors.typeError("'" + Py.typeName(fn) + "' object is not callable");
        }

        @Override
        void analyze(Analysis a) {
            callee.analyze(a);
            args.analyze(a);
        }
    }

    static final class Filter extends Expr {
        final Expr value;
        final String name;
        /** Null when the filter is unknown and the error is deferred to run time (inside an if). */
        final FilterFn fn;
        final CallArgs args;

        Filter(int line, Expr value, String name, FilterFn fn, CallArgs args) {
            super(line);
            this.value = value;
            this.name = name;
            this.fn = fn;
            this.args = args;
        }

        @Override
        Object eval(Frame f) {
            return applyTo(f, value == null ? null : value.eval(f));
        }

        /**
         * Applies this filter to a computed value (also for filter blocks and {@code set} blocks). As in
         * Jinja2, a filter unknown at compile time fails here, after its input was evaluated.
         */
        Object applyTo(Frame f, Object v) {
            if (fn == null) {
                throw Errors.runtime("No filter named '" + name + "' found.");
            }
            return f.state.bounded(fn.apply(f.state, v, args.evalArgs(f), args.evalKwargs(f)));
        }

        @Override
        void analyze(Analysis a) {
            if (value != null) {
                value.analyze(a);
            }
            args.analyze(a);
        }
    }

    static final class Test extends Expr {
        final Expr value;
        final String name;
        final TestFn fn;
        final CallArgs args;

        Test(int line, Expr value, String name, TestFn fn, CallArgs args) {
            super(line);
            this.value = value;
            this.name = name;
            this.fn = fn;
            this.args = args;
        }

        @Override
        Object eval(Frame f) {
            if (fn == null) {
                throw Errors.runtime("No test named '" + name + "' found.");
            }
            return fn.test(f.state, value.eval(f), args.evalArgs(f), args.evalKwargs(f));
        }

        @Override
        void analyze(Analysis a) {
            value.analyze(a);
            args.analyze(a);
        }
    }

    static final class Binary extends Expr {
        final String op;
        final Expr left;
        final Expr right;

        Binary(int line, String op, Expr left, Expr right) {
            super(line);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Frame f) {
            Object a = left.eval(f);
            Object b = right.eval(f);
            switch (op) {
                case "+": return f.state.bounded(Py.add(a, b));
                case "-": return Py.sub(a, b);
                case "*": return multiply(f.state, a, b);
                case "/": return Py.truediv(a, b);
                case "//": return Py.floordiv(a, b);
                case "%": return f.state.bounded(Py.mod(a, b));
                case "**": return Py.pow(a, b);
                default: throw new IllegalStateException(op);
            }
        }

        /** Refuses a repetition larger than the output limit before allocating it. */
        private static Object multiply(RenderState state, Object a, Object b) {
            Object seq = (Py.isString(a) || a instanceof List) ? a : (Py.isString(b) || b instanceof List) ? b : null;
            Object count = seq == a ? b : a;
            if (seq != null && Py.isIntLike(count)) {
                long unit = seq instanceof List ? ((List<?>) seq).size() : seq.toString().length();
                double total = (double) unit * Py.asDouble(count);
                if (total > state.maxOutputLength()) {
                    throw Errors.limit("repetition would exceed the output limit of " + state.maxOutputLength()
                            + " characters");
                }
            }
            return Py.mul(a, b);
        }

        @Override
        void analyze(Analysis a) {
            left.analyze(a);
            right.analyze(a);
        }
    }

    /** {@code a ~ b ~ c}: string concatenation of the str() of each operand. */
    static final class Concat extends Expr {
        final Expr[] parts;

        Concat(int line, Expr[] parts) {
            super(line);
            this.parts = parts;
        }

        @Override
        Object eval(Frame f) {
            StringBuilder sb = new StringBuilder();
            for (Expr p : parts) {
                Py.appendStr(sb, p.eval(f));
            }
            if (sb.length() > f.state.maxOutputLength()) {
                throw Errors.limit("string exceeds the output limit of " + f.state.maxOutputLength() + " characters");
            }
            // With autoescape off Jinja2 joins with plain str, even when an operand is Markup.
            return sb.toString();
        }

        @Override
        void analyze(Analysis a) {
            for (Expr p : parts) {
                p.analyze(a);
            }
        }
    }

    static final class Compare extends Expr {
        final Expr first;
        final String[] ops;
        final Expr[] rest;

        Compare(int line, Expr first, String[] ops, Expr[] rest) {
            super(line);
            this.first = first;
            this.ops = ops;
            this.rest = rest;
        }

        @Override
        Object eval(Frame f) {
            Object left = first.eval(f);
            for (int i = 0; i < ops.length; i++) {
                Object right = rest[i].eval(f);
                if (!compare(ops[i], left, right)) {
                    return Boolean.FALSE;
                }
                left = right;
            }
            return Boolean.TRUE;
        }

        static boolean compare(String op, Object a, Object b) {
            switch (op) {
                case "==": return Py.eq(a, b);
                case "!=": return !Py.eq(a, b);
                case "<": return Py.compare(a, b, op) < 0;
                case "<=": return Py.compare(a, b, op) <= 0;
                case ">": return Py.compare(a, b, op) > 0;
                case ">=": return Py.compare(a, b, op) >= 0;
                case "in": return Py.contains(b, a);
                case "notin": return !Py.contains(b, a);
                default: throw new IllegalStateException(op);
            }
        }

        @Override
        void analyze(Analysis a) {
            first.analyze(a);
            for (Expr e : rest) {
                e.analyze(a);
            }
        }
    }

    static final class And extends Expr {
        final Expr left;
        final Expr right;

        And(int line, Expr left, Expr right) {
            super(line);
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Frame f) {
            Object a = left.eval(f);
            return Py.isTrue(a) ? right.eval(f) : a;
        }

        @Override
        void analyze(Analysis a) {
            left.analyze(a);
            right.analyze(a);
        }
    }

    static final class Or extends Expr {
        final Expr left;
        final Expr right;

        Or(int line, Expr left, Expr right) {
            super(line);
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Frame f) {
            Object a = left.eval(f);
            return Py.isTrue(a) ? a : right.eval(f);
        }

        @Override
        void analyze(Analysis a) {
            left.analyze(a);
            right.analyze(a);
        }
    }

    static final class Not extends Expr {
        final Expr operand;

        Not(int line, Expr operand) {
            super(line);
            this.operand = operand;
        }

        @Override
        Object eval(Frame f) {
            return !Py.isTrue(operand.eval(f));
        }

        @Override
        void analyze(Analysis a) {
            operand.analyze(a);
        }
    }

    static final class Unary extends Expr {
        final boolean negate;
        final Expr operand;

        Unary(int line, boolean negate, Expr operand) {
            super(line);
            this.negate = negate;
            this.operand = operand;
        }

        @Override
        Object eval(Frame f) {
            Object v = operand.eval(f);
            return negate ? Py.neg(v) : Py.pos(v);
        }

        @Override
        void analyze(Analysis a) {
            operand.analyze(a);
        }
    }

    /** {@code a if cond else b}; without {@code else} a false condition yields a lenient undefined. */
    static final class Conditional extends Expr {
        final Expr test;
        final Expr then;
        final Expr otherwise;

        Conditional(int line, Expr test, Expr then, Expr otherwise) {
            super(line);
            this.test = test;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        Object eval(Frame f) {
            if (Py.isTrue(test.eval(f))) {
                return then.eval(f);
            }
            return otherwise == null ? Undefined.LENIENT : otherwise.eval(f);
        }

        @Override
        void analyze(Analysis a) {
            test.analyze(a);
            then.analyze(a);
            if (otherwise != null) {
                otherwise.analyze(a);
            }
        }
    }

    static final class ListLiteral extends Expr {
        final Expr[] items;
        final boolean tuple;

        ListLiteral(int line, Expr[] items, boolean tuple) {
            super(line);
            this.items = items;
            this.tuple = tuple;
        }

        @Override
        Object eval(Frame f) {
            Object[] values = new Object[items.length];
            for (int i = 0; i < items.length; i++) {
                values[i] = items[i].eval(f);
            }
            return tuple ? new PyTuple(values) : new ArrayList<>(Arrays.asList(values));
        }

        @Override
        void analyze(Analysis a) {
            for (Expr e : items) {
                e.analyze(a);
            }
        }
    }

    static final class DictLiteral extends Expr {
        final Expr[] keys;
        final Expr[] values;

        DictLiteral(int line, Expr[] keys, Expr[] values) {
            super(line);
            this.keys = keys;
            this.values = values;
        }

        @Override
        Object eval(Frame f) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < keys.length; i++) {
                Access.put(out, keys[i].eval(f), values[i].eval(f));
            }
            return out;
        }

        @Override
        void analyze(Analysis a) {
            for (int i = 0; i < keys.length; i++) {
                keys[i].analyze(a);
                values[i].analyze(a);
            }
        }
    }
}
