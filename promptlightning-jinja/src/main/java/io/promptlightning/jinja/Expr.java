package io.promptlightning.jinja;

/** A compiled expression: evaluates itself against a frame. */
abstract class Expr {
    final int line;

    Expr(int line) {
        this.line = line;
    }

    abstract Object eval(Frame f);

    /** Reports the names this expression reads (for undeclared-variable analysis). */
    abstract void analyze(Analysis a);
}
