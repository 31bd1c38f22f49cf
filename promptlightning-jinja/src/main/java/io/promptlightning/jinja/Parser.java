package io.promptlightning.jinja;

import io.promptlightning.jinja.Token.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Parses tokens into executable nodes, following Jinja2's grammar and precedence exactly (so that
 * {@code ~} binds tighter than {@code +}, {@code -2 ** 2} is 4 and {@code 2 ** 3 ** 2} is 64) and
 * reporting errors with Jinja2's wording and line numbers.
 */
final class Parser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "from", "import", "autoescape");
    /** Deeper nesting than this is refused rather than risking the Java stack. */
    static final int MAX_NESTING = 256;
    /**
     * Bound on the links of left-deep chains in one tag or print statement ({@code a.b.c}, {@code x|f|g},
     * {@code 1 + 2 + 3}, {@code a if b else c if d else e}, ...). The parser builds such chains in a loop, not
     * by recursion, so {@link #MAX_NESTING} does not see them, but every link is one more level of the node
     * tree that analysis and rendering walk recursively: unbounded, a long chain overflowed the Java stack
     * (found while fuzzing: 20,000 {@code |lower} filters, or 5,000 {@code [0]} subscripts that compiled but
     * could never render).
     */
    static final int MAX_CHAIN = 1024;

    private final Environment env;
    private final String name;
    private final List<Token> tokens;
    private int pos;
    private final Deque<String> tagStack = new ArrayDeque<>();
    private final Deque<String[]> endTokenStack = new ArrayDeque<>();
    /** Inside an if-statement or inline if, unknown filters and tests fail at run time only (as in Jinja2). */
    private boolean soft;
    private int nesting;
    /** Chain links (see {@link #MAX_CHAIN}) in the current tag or print statement; never decreases within one. */
    private int chain;
    private int closures;
    /** Errors Jinja2 raises after parsing (at code generation), so a later syntax error is reported first. */
    private final List<DeferredError> deferred = new ArrayList<>();
    private int forDepth;

    private static final class DeferredError {
        final String message;
        final int line;
        /** Inside an if or inline if: unknown filters and tests there fail only when run. */
        boolean soft;

        DeferredError(String message, int line, boolean soft) {
            this.message = message;
            this.line = line;
            this.soft = soft;
        }
    }

    Parser(Environment env, String name, List<Token> tokens) {
        this.env = env;
        this.name = name;
        this.tokens = tokens;
    }

    Stmt[] parse() {
        Stmt[] body = subparse(null);
        for (DeferredError u : deferred) {
            if (!u.soft) {
                throw Errors.syntax(u.message, name, u.line);
            }
        }
        return body;
    }

    // ------------------------------------------------------------------ token stream

    private Token current() {
        Token t = tokens.get(pos);
        if (t.type == Type.ERROR) {
            throw Errors.syntax(t.value, name, t.line);
        }
        return t;
    }

    private Token look() {
        Token t = tokens.get(Math.min(pos + 1, tokens.size() - 1));
        return t.type == Type.ERROR ? tokens.get(tokens.size() - 1) : t;
    }

    private Token next() {
        Token t = current();
        if (t.type != Type.EOF) {
            pos++;
        }
        return t;
    }

    private boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean skipName(String n) {
        if (current().isName(n)) {
            pos++;
            return true;
        }
        return false;
    }

    private TemplateSyntaxException fail(String message, int line) {
        return Errors.syntax(message, name, line);
    }

    private Token expect(Type type, String description) {
        Token t = current();
        if (t.type != type) {
            throw expectFailure(t, description);
        }
        pos++;
        return t;
    }

    private Token expectOperator(String op) {
        Token t = current();
        if (!t.isOperator(op)) {
            throw expectFailure(t, op);
        }
        pos++;
        return t;
    }

    private Token expectName(String n) {
        Token t = current();
        if (!t.isName(n)) {
            throw expectFailure(t, n);
        }
        pos++;
        return t;
    }

    private TemplateSyntaxException expectFailure(Token t, String description) {
        if (t.type == Type.EOF) {
            return fail("unexpected end of template, expected '" + description + "'.", t.line);
        }
        return fail("expected token '" + description + "', got '" + t.describe() + "'", t.line);
    }

    private void enterNesting(int line) {
        if (++nesting > MAX_NESTING) {
            throw fail("template nesting too deep (more than " + MAX_NESTING + " levels)", line);
        }
    }

    /** One more link of a left-deep chain: the node being built wraps the one built so far. */
    private void link(int line) {
        if (++chain > MAX_CHAIN) {
            throw fail("expression too long (more than " + MAX_CHAIN + " chained operations)", line);
        }
    }

    // ------------------------------------------------------------------ statements

    private Stmt[] subparse(String[] endTokens) {
        List<Stmt> body = new ArrayList<>();
        if (endTokens != null) {
            endTokenStack.push(endTokens);
        }
        try {
            while (true) {
                Token t = current();
                switch (t.type) {
                    case DATA:
                        body.add(new Stmts.Text(name, t.line, t.value));
                        pos++;
                        break;
                    case VARIABLE_BEGIN: {
                        pos++;
                        chain = 0;
                        Expr e = parseTuple(false, true, null, false);
                        expect(Type.VARIABLE_END, "end of print statement");
                        // Jinja2 attributes errors to the line where the expression starts, not the {{.
                        body.add(new Stmts.Output(name, e.line, e));
                        break;
                    }
                    case BLOCK_BEGIN: {
                        pos++;
                        Token tag = current();
                        if (endTokens != null && tag.type == Type.NAME && contains(endTokens, tag.value)) {
                            return body.toArray(new Stmt[0]);
                        }
                        chain = 0;
                        Stmt s = parseStatement();
                        if (s != null) {
                            body.add(s);
                        }
                        expect(Type.BLOCK_END, "end of statement block");
                        break;
                    }
                    case EOF:
                        return body.toArray(new Stmt[0]);
                    default:
                        throw fail("internal parser error: unexpected " + t.describe(), t.line);
                }
            }
        } finally {
            if (endTokens != null) {
                endTokenStack.pop();
            }
        }
    }

    private static boolean contains(String[] names, String value) {
        for (String n : names) {
            if (n.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Expects the end of the opening tag, then parses a body up to one of {@code endTokens}. */
    private Stmt[] parseStatements(String[] endTokens, boolean dropNeedle) {
        skipOperator(":");
        expect(Type.BLOCK_END, "end of statement block");
        Stmt[] body = subparse(endTokens);
        chain = 0; // the body's statements are done; what follows (e.g. an elif test) is a new expression
        Token t = current();
        if (t.type == Type.EOF) {
            endTokenStack.push(endTokens);
            throw failUnknownTagOrEof(null, t.line);
        }
        if (dropNeedle) {
            next();
        }
        return body;
    }

    private TemplateSyntaxException failUnknownTagOrEof(String tag, int line) {
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (String[] ends : endTokenStack) {
            expected.addAll(List.of(ends));
        }
        String currentlyLooking = null;
        if (!endTokenStack.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (String e : endTokenStack.peek()) {
                if (sb.length() > 0) {
                    sb.append(" or ");
                }
                sb.append('\'').append(e).append('\'');
            }
            currentlyLooking = sb.toString();
        }
        StringBuilder message = new StringBuilder(tag == null ? "Unexpected end of template."
                : "Encountered unknown tag '" + tag + "'.");
        if (currentlyLooking != null) {
            if (tag != null && expected.contains(tag)) {
                message.append(" You probably made a nesting mistake. Jinja is expecting this tag, but currently"
                        + " looking for ").append(currentlyLooking).append('.');
            } else {
                message.append(" Jinja was looking for the following tags: ").append(currentlyLooking).append('.');
            }
        }
        if (!tagStack.isEmpty()) {
            message.append(" The innermost block that needs to be closed is '").append(tagStack.peek()).append("'.");
        }
        return fail(message.toString(), line);
    }

    private Stmt parseStatement() {
        Token t = current();
        if (t.type != Type.NAME) {
            throw fail("tag name expected", t.line);
        }
        enterNesting(t.line);
        tagStack.push(t.value);
        boolean popTag = true;
        try {
            switch (t.value) {
                case "for": return parseFor();
                case "if": return parseIf();
                case "set": return parseSet();
                case "macro": return parseMacro();
                case "call": return parseCallBlock();
                case "filter": return parseFilterBlock();
                case "with": return parseWith();
                case "include": return parseInclude();
                case "print":
                    return parsePrint();
                default:
                    if (UNSUPPORTED_TAGS.contains(t.value)) {
                        throw fail("The '" + t.value + "' tag is not supported by this engine.", t.line);
                    }
                    tagStack.pop();
                    popTag = false;
                    throw failUnknownTagOrEof(t.value, t.line);
            }
        } finally {
            if (popTag) {
                tagStack.pop();
            }
            nesting--;
        }
    }

    private Stmt parseFor() {
        int line = next().line;
        forDepth++;
        try {
            return parseForRest(line);
        } finally {
            forDepth--;
        }
    }

    private Stmt parseForRest(int line) {
        Stmts.Target target = parseAssignTarget("in");
        expectName("in");
        boolean wasSoft = soft;
        Expr iterable = parseTuple(false, false, "recursive", false);
        Expr filter = null;
        if (skipName("if")) {
            filter = parseExpression(true);
        }
        boolean recursive = skipName("recursive");
        soft = false;
        int closuresBefore = closures;
        Stmt[] body = parseStatements(new String[] {"endfor", "else"}, false);
        boolean reuse = closures == closuresBefore;
        Stmt[] otherwise = null;
        if (next().value.equals("else")) {
            otherwise = parseStatements(new String[] {"endfor"}, true);
        }
        soft = wasSoft;
        return new Stmts.For(name, line, target, iterable, filter, body, otherwise, recursive, reuse);
    }

    private Stmt parseIf() {
        int line = next().line;
        boolean wasSoft = soft;
        soft = true;
        List<Expr> tests = new ArrayList<>();
        List<Stmt[]> bodies = new ArrayList<>();
        Stmt[] otherwise = null;
        while (true) {
            tests.add(parseTuple(false, false, null, false));
            bodies.add(parseStatements(new String[] {"elif", "else", "endif"}, false));
            Token t = next();
            if (t.value.equals("elif")) {
                continue;
            }
            if (t.value.equals("else")) {
                otherwise = parseStatements(new String[] {"endif"}, true);
            }
            break;
        }
        soft = wasSoft;
        return new Stmts.If(name, line, tests.toArray(new Expr[0]), bodies.toArray(new Stmt[0][]), otherwise);
    }

    private Stmt parseSet() {
        int line = next().line;
        if (current().type == Type.NAME && look().isOperator(".")) {
            String object = next().value;
            pos++;
            String attribute = expect(Type.NAME, "name").value;
            expectOperator("=");
            return new Stmts.SetAttribute(name, line, object, attribute, parseTuple(false, true, null, false));
        }
        Stmts.Target target = parseAssignTarget(null);
        if (skipOperator("=")) {
            return new Stmts.Set(name, line, target, parseTuple(false, true, null, false));
        }
        Exprs.Filter[] filters = parseFilterChain(false);
        boolean wasSoft = soft;
        soft = false;
        Stmt[] body = parseStatements(new String[] {"endset"}, true);
        soft = wasSoft;
        return new Stmts.SetBlock(name, line, target, filters, body);
    }

    /**
     * An assignment target as Jinja2's parse_tuple(simplified=True) reads it: a name, or names separated by
     * commas, each of which may itself be a parenthesized target: {@code x}, {@code k, v}, {@code i, (k, v)}.
     *
     * @param extraEnd a name that ends the target ({@code in} after a for's target)
     */
    private Stmts.Target parseAssignTarget(String extraEnd) {
        Stmts.Target target = parseTargetTuple(extraEnd, false);
        if (forDepth > 0 && target.binds("loop")) {
            deferred.add(new DeferredError("Can't assign to special loop variable in for-loop target",
                    current().line, false));
        }
        return target;
    }

    private Stmts.Target parseTargetTuple(String extraEnd, boolean explicitParens) {
        List<Stmts.Target> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseTargetElement());
            if (current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (!items.isEmpty()) {
                return items.get(0);
            }
            if (!explicitParens) {
                throw fail("Expected an expression, got '" + current().describe() + "'", current().line);
            }
        }
        return new Stmts.Target(null, items.toArray(new Stmts.Target[0]));
    }

    private Stmts.Target parseTargetElement() {
        Token t = current();
        if (t.type == Type.NAME) {
            if (t.value.equals("true") || t.value.equals("false") || t.value.equals("none")
                    || t.value.equals("True") || t.value.equals("False") || t.value.equals("None")) {
                throw fail("can't assign to 'const'", t.line);
            }
            pos++;
            return new Stmts.Target(t.value, null);
        }
        if (t.isOperator("(")) {
            pos++;
            Stmts.Target inner = parseTargetTuple(null, true);
            expectOperator(")");
            return inner;
        }
        if (t.type == Type.STRING || t.type == Type.INTEGER || t.type == Type.FLOAT) {
            throw fail("can't assign to 'const'", t.line);
        }
        if (t.isOperator("[")) {
            throw fail("can't assign to 'list'", t.line);
        }
        if (t.isOperator("{")) {
            throw fail("can't assign to 'dict'", t.line);
        }
        throw fail("unexpected '" + t.describe() + "'", t.line);
    }

    private String parseName() {
        Token t = current();
        if (t.type != Type.NAME) {
            throw expectFailure(t, "name");
        }
        pos++;
        return t.value;
    }

    private Stmt parseMacro() {
        int line = next().line;
        String macroName = parseName();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseSignature(params, defaults);
        boolean wasSoft = soft;
        soft = false;
        closures++;
        Stmt[] body = parseStatements(new String[] {"endmacro"}, true);
        soft = wasSoft;
        return new Stmts.MacroDef(name, line, macroName, params.toArray(new String[0]), defaults.toArray(new Expr[0]),
                body, bodyReads(body));
    }

    private Set<String> bodyReads(Stmt[] body) {
        Analysis a = new Analysis(Set.of());
        Stmt.analyzeAll(body, a);
        return a.allReads;
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        expectOperator("(");
        boolean anyDefault = false;
        while (!current().isOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
            }
            String param = parseName();
            if (skipOperator("=")) {
                defaults.add(parseExpression(true));
                anyDefault = true;
            } else if (anyDefault) {
                throw fail("non-default argument follows default argument", current().line);
            } else {
                defaults.add(null);
            }
            params.add(param);
        }
        expectOperator(")");
    }

    private Stmt parseCallBlock() {
        int line = next().line;
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (current().isOperator("(")) {
            parseSignature(params, defaults);
        }
        Expr call = parseExpression(true);
        if (!(call instanceof Exprs.Call)) {
            throw fail("expected call", line);
        }
        boolean wasSoft = soft;
        soft = false;
        closures++;
        Stmt[] body = parseStatements(new String[] {"endcall"}, true);
        soft = wasSoft;
        Stmts.MacroDef caller = new Stmts.MacroDef(name, line, null, params.toArray(new String[0]),
                defaults.toArray(new Expr[0]), body, bodyReads(body));
        return new Stmts.CallBlock(name, line, (Exprs.Call) call, caller);
    }

    private Stmt parseFilterBlock() {
        int line = next().line;
        boolean wasSoft = soft;
        soft = false;
        Exprs.Filter[] filters = parseFilterChain(true);
        Stmt[] body = parseStatements(new String[] {"endfilter"}, true);
        soft = wasSoft;
        return new Stmts.FilterBlock(name, line, filters, body);
    }

    private Stmt parseWith() {
        int line = next().line;
        List<Stmts.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().type != Type.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOperator(",");
            }
            targets.add(parseTargetTuple(null, false));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        boolean wasSoft = soft;
        soft = false;
        Stmt[] body = parseStatements(new String[] {"endwith"}, true);
        soft = wasSoft;
        return new Stmts.With(name, line, targets.toArray(new Stmts.Target[0]), values.toArray(new Expr[0]), body);
    }

    /** {@code print a, b}: prints each expression in turn, with nothing between them. */
    private Stmt parsePrint() {
        int line = next().line;
        List<Expr> items = new ArrayList<>();
        while (current().type != Type.BLOCK_END) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            items.add(parseExpression(true));
        }
        if (items.isEmpty()) {
            throw fail("Expected an expression, got '" + current().describe() + "'", current().line);
        }
        Expr e = items.size() == 1 ? items.get(0) : new Exprs.Concat(line, items.toArray(new Expr[0]));
        return new Stmts.Output(name, e.line, e);
    }

    private Stmt parseInclude() {
        int line = next().line;
        Expr template = parseExpression(true);
        boolean ignoreMissing = false;
        if (current().isName("ignore") && look().isName("missing")) {
            pos += 2;
            ignoreMissing = true;
        }
        boolean withContext = true;
        if ((current().isName("with") || current().isName("without")) && look().isName("context")) {
            withContext = next().value.equals("with");
            pos++;
        }
        return new Stmts.Include(name, line, template, ignoreMissing, withContext);
    }

    // ------------------------------------------------------------------ expressions

    private Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    private Expr parseCondexpr() {
        int line = current().line;
        int mark = deferred.size();
        Expr expr1 = parseOr();
        while (skipName("if")) {
            link(line); // also bounds the recursion through 'else' below
            for (int i = mark; i < deferred.size(); i++) {
                deferred.get(i).soft = true;
            }
            boolean wasSoft = soft;
            soft = true;
            Expr test = parseOr();
            Expr otherwise = skipName("else") ? parseCondexpr() : null;
            soft = wasSoft;
            expr1 = new Exprs.Conditional(line, test, expr1, otherwise);
        }
        return expr1;
    }

    private Expr parseOr() {
        int line = current().line;
        Expr left = parseAnd();
        while (skipName("or")) {
            link(line);
            left = new Exprs.Or(line, left, parseAnd());
        }
        return left;
    }

    private Expr parseAnd() {
        int line = current().line;
        Expr left = parseNot();
        while (skipName("and")) {
            link(line);
            left = new Exprs.And(line, left, parseNot());
        }
        return left;
    }

    private Expr parseNot() {
        Token t = current();
        if (t.isName("not")) {
            pos++;
            enterNesting(t.line);
            try {
                return new Exprs.Not(t.line, parseNot());
            } finally {
                nesting--;
            }
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = current().line;
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.type == Type.OPERATOR && (t.value.equals("==") || t.value.equals("!=") || t.value.equals("<")
                    || t.value.equals("<=") || t.value.equals(">") || t.value.equals(">="))) {
                pos++;
                ops.add(t.value);
                rest.add(parseMath1());
            } else if (t.isName("in")) {
                pos++;
                ops.add("in");
                rest.add(parseMath1());
            } else if (t.isName("not") && look().isName("in")) {
                pos += 2;
                ops.add("notin");
                rest.add(parseMath1());
            } else {
                break;
            }
        }
        if (ops.isEmpty()) {
            return first;
        }
        return new Exprs.Compare(line, first, ops.toArray(new String[0]), rest.toArray(new Expr[0]));
    }

    private Expr parseMath1() {
        int line = current().line;
        Expr left = parseConcat();
        while (current().isOperator("+") || current().isOperator("-")) {
            String op = next().value;
            link(line);
            left = new Exprs.Binary(line, op, left, parseConcat());
        }
        return left;
    }

    private Expr parseConcat() {
        int line = current().line;
        Expr first = parseMath2();
        if (!current().isOperator("~")) {
            return first;
        }
        List<Expr> parts = new ArrayList<>();
        parts.add(first);
        while (skipOperator("~")) {
            parts.add(parseMath2());
        }
        return new Exprs.Concat(line, parts.toArray(new Expr[0]));
    }

    private Expr parseMath2() {
        int line = current().line;
        Expr left = parsePow();
        while (true) {
            Token t = current();
            if (t.isOperator("*") || t.isOperator("/") || t.isOperator("//") || t.isOperator("%")) {
                pos++;
                link(line);
                left = new Exprs.Binary(line, t.value, left, parsePow());
            } else {
                return left;
            }
        }
    }

    private Expr parsePow() {
        int line = current().line;
        Expr left = parseUnary(true);
        while (skipOperator("**")) {
            link(line);
            left = new Exprs.Binary(line, "**", left, parseUnary(true));
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = current();
        enterNesting(t.line);
        try {
            Expr node;
            if (t.isOperator("-")) {
                pos++;
                node = new Exprs.Unary(t.line, true, parseUnary(false));
            } else if (t.isOperator("+")) {
                pos++;
                node = new Exprs.Unary(t.line, false, parseUnary(false));
            } else {
                node = parsePrimary();
            }
            node = parsePostfix(node);
            if (withFilter) {
                node = parseFilterExpr(node);
            }
            return node;
        } finally {
            nesting--;
        }
    }

    private Expr parsePrimary() {
        Token t = current();
        switch (t.type) {
            case NAME:
                pos++;
                switch (t.value) {
                    case "true":
                    case "True":
                        return new Exprs.Const(t.line, Boolean.TRUE);
                    case "false":
                    case "False":
                        return new Exprs.Const(t.line, Boolean.FALSE);
                    case "none":
                    case "None":
                        return new Exprs.Const(t.line, null);
                    default:
                        return new Exprs.Name(t.line, t.value);
                }
            case STRING: {
                pos++;
                if (current().type != Type.STRING) {
                    return new Exprs.Const(t.line, t.literal); // keep the lexer's shared instance
                }
                StringBuilder sb = new StringBuilder((String) t.literal);
                while (current().type == Type.STRING) {
                    sb.append((String) next().literal);
                }
                return new Exprs.Const(t.line, sb.toString());
            }
            case INTEGER:
            case FLOAT:
                pos++;
                return new Exprs.Const(t.line, t.literal);
            case OPERATOR:
                if (t.value.equals("(")) {
                    pos++;
                    Expr e = parseTuple(false, true, null, true);
                    expectOperator(")");
                    return e;
                }
                if (t.value.equals("[")) {
                    return parseList();
                }
                if (t.value.equals("{")) {
                    return parseDict();
                }
                break;
            default:
                break;
        }
        throw fail("unexpected '" + t.describe() + "'", t.line);
    }

    /**
     * Jinja2's parse_tuple: one expression, or several separated by commas forming a tuple.
     *
     * @param extraEnd a name that also ends the tuple (e.g. {@code recursive} after a for's iterable)
     */
    private Expr parseTuple(boolean simplified, boolean withCondexpr, String extraEnd, boolean explicitParens) {
        int line = current().line;
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(simplified ? parsePrimary() : parseExpression(withCondexpr));
            if (current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (!items.isEmpty()) {
                return items.get(0);
            }
            if (!explicitParens) {
                throw fail("Expected an expression, got '" + current().describe() + "'", current().line);
            }
        }
        return new Exprs.ListLiteral(line, items.toArray(new Expr[0]), true);
    }

    private boolean isTupleEnd(String extraEnd) {
        Token t = current();
        return t.type == Type.VARIABLE_END || t.type == Type.BLOCK_END || t.isOperator(")")
                || (extraEnd != null && t.isName(extraEnd));
    }

    private Expr parseList() {
        int line = expectOperator("[").line;
        List<Expr> items = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (current().isOperator("]")) {
                break;
            }
            items.add(parseExpression(true));
        }
        expectOperator("]");
        return new Exprs.ListLiteral(line, items.toArray(new Expr[0]), false);
    }

    private Expr parseDict() {
        int line = expectOperator("{").line;
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().isOperator("}")) {
            if (!keys.isEmpty()) {
                expectOperator(",");
            }
            if (current().isOperator("}")) {
                break;
            }
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        expectOperator("}");
        return new Exprs.DictLiteral(line, keys.toArray(new Expr[0]), values.toArray(new Expr[0]));
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOperator(".") || t.isOperator("[") || t.isOperator("(")) {
                link(t.line);
            }
            if (t.isOperator(".") || t.isOperator("[")) {
                node = parseSubscript(node);
            } else if (t.isOperator("(")) {
                node = new Exprs.Call(t.line, node, parseCallArgs());
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = current();
            if (t.isName("is") || t.isOperator("(")) {
                link(t.line); // each filter of a '|' chain is counted in parseFilter
            }
            if (t.isOperator("|")) {
                node = parseFilter(node);
            } else if (t.isName("is")) {
                node = parseTest(node);
            } else if (t.isOperator("(")) {
                node = new Exprs.Call(t.line, node, parseCallArgs());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token t = next();
        if (t.isOperator(".")) {
            Token attr = next();
            if (attr.type == Type.NAME) {
                return new Exprs.GetAttr(t.line, node, attr.value);
            }
            if (attr.type != Type.INTEGER) {
                throw fail("expected name or number", attr.line);
            }
            return new Exprs.GetItem(t.line, node, new Exprs.Const(attr.line, attr.literal));
        }
        List<Expr[]> args = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!args.isEmpty()) {
                expectOperator(",");
            }
            args.add(parseSubscribed());
        }
        expectOperator("]");
        if (args.size() == 1) {
            Expr[] a = args.get(0);
            return a.length == 1 ? new Exprs.GetItem(t.line, node, a[0])
                    : new Exprs.Slice(t.line, node, a[0], a[1], a[2]);
        }
        Expr[] items = new Expr[args.size()];
        for (int i = 0; i < items.length; i++) {
            if (args.get(i).length != 1) {
                throw fail("slices inside a tuple subscript are not supported", t.line);
            }
            items[i] = args.get(i)[0];
        }
        return new Exprs.GetItem(t.line, node, new Exprs.ListLiteral(t.line, items, true));
    }

    /** One subscript: an expression (length-1 array) or a slice {@code start:stop:step} (length 3). */
    private Expr[] parseSubscribed() {
        Expr start = null;
        if (!current().isOperator(":")) {
            start = parseExpression(true);
            if (!current().isOperator(":")) {
                return new Expr[] {start};
            }
        }
        pos++;
        Expr stop = null;
        Expr step = null;
        if (!current().isOperator("]") && !current().isOperator(",") && !current().isOperator(":")) {
            stop = parseExpression(true);
        }
        if (skipOperator(":")) {
            if (!current().isOperator("]") && !current().isOperator(",")) {
                step = parseExpression(true);
            }
        }
        return new Expr[] {start, stop, step};
    }

    private CallArgs parseCallArgs() {
        Token open = expectOperator("(");
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        Expr dynArgs = null;
        Expr dynKwargs = null;
        boolean requireComma = false;
        while (!current().isOperator(")")) {
            if (requireComma) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            if (current().isOperator("*")) {
                ensure(dynArgs == null && dynKwargs == null, open);
                pos++;
                dynArgs = parseExpression(true);
            } else if (current().isOperator("**")) {
                ensure(dynKwargs == null, open);
                pos++;
                dynKwargs = parseExpression(true);
            } else if (current().type == Type.NAME && look().isOperator("=")) {
                ensure(dynKwargs == null, open);
                String key = next().value;
                pos++;
                kwNames.add(key);
                kwValues.add(parseExpression(true));
            } else {
                ensure(dynArgs == null && dynKwargs == null && kwNames.isEmpty(), open);
                args.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOperator(")");
        if (args.isEmpty() && kwNames.isEmpty() && dynArgs == null && dynKwargs == null) {
            return CallArgs.NONE;
        }
        return new CallArgs(args.toArray(new Expr[0]), kwNames.toArray(new String[0]), kwValues.toArray(new Expr[0]),
                dynArgs, dynKwargs);
    }

    private void ensure(boolean ok, Token open) {
        if (!ok) {
            throw fail("invalid syntax for function call expression", open.line);
        }
    }

    private String parseDottedName() {
        StringBuilder n = new StringBuilder(parseName());
        while (current().isOperator(".")) {
            pos++;
            n.append('.').append(parseName());
        }
        return n.toString();
    }

    private Expr parseFilter(Expr node) {
        while (current().isOperator("|")) {
            link(current().line);
            pos++;
            node = filterCall(node);
        }
        return node;
    }

    private Exprs.Filter filterCall(Expr value) {
        int line = current().line;
        String filterName = parseDottedName();
        CallArgs args = current().isOperator("(") ? parseCallArgs() : CallArgs.NONE;
        FilterFn fn = env.filter(filterName);
        if (fn == null) {
            deferred.add(new DeferredError("No filter named '" + filterName + "'.", line, soft));
        }
        return new Exprs.Filter(line, value, filterName, fn, args);
    }

    /** The filters of a filter block or set block: {@code upper | replace('a', 'b')}. */
    private Exprs.Filter[] parseFilterChain(boolean startInline) {
        List<Exprs.Filter> filters = new ArrayList<>();
        while (startInline || current().isOperator("|")) {
            if (!startInline) {
                pos++;
            }
            startInline = false;
            filters.add(filterCall(null));
        }
        return filters.toArray(new Exprs.Filter[0]);
    }

    private Expr parseTest(Expr node) {
        Token is = next();
        boolean negated = skipName("not");
        int line = current().line;
        String testName = parseDottedName();
        CallArgs args;
        Token t = current();
        if (t.isOperator("(")) {
            args = parseCallArgs();
        } else if ((t.type == Type.NAME || t.type == Type.STRING || t.type == Type.INTEGER || t.type == Type.FLOAT
                || t.isOperator("(") || t.isOperator("[") || t.isOperator("{"))
                && !(t.isName("else") || t.isName("or") || t.isName("and"))) {
            if (t.isName("is")) {
                throw fail("You cannot chain multiple tests with is", t.line);
            }
            Expr arg = parsePostfix(parsePrimary());
            args = new CallArgs(new Expr[] {arg}, new String[0], new Expr[0], null, null);
        } else {
            args = CallArgs.NONE;
        }
        TestFn fn = env.test(testName);
        if (fn == null) {
            deferred.add(new DeferredError("No test named '" + testName + "'.", line, soft));
        }
        Expr test = new Exprs.Test(is.line, node, testName, fn, args);
        return negated ? new Exprs.Not(is.line, test) : test;
    }
}
