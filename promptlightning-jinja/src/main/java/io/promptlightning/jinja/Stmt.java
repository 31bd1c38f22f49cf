package io.promptlightning.jinja;

/** A compiled statement: renders itself into the output. Errors get this statement's template and line. */
abstract class Stmt {
    final String template;
    final int line;

    Stmt(String template, int line) {
        this.template = template;
        this.line = line;
    }

    final void render(Frame f, StringBuilder out) {
        try {
            execute(f, out);
        } catch (TemplateException e) {
            throw e.locate(template, line);
        } catch (UnsupportedOperationException | ClassCastException | IndexOutOfBoundsException
                 | ArithmeticException | NumberFormatException | IllegalStateException e) {
            // A Java collection the caller passed in refused an operation (e.g. append to an immutable list).
            throw Errors.typeError(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())).locate(template, line);
        }
    }

    abstract void execute(Frame f, StringBuilder out);

    abstract void analyze(Analysis a);

    static void renderAll(Stmt[] body, Frame f, StringBuilder out) {
        for (Stmt s : body) {
            s.render(f, out);
        }
    }

    static void analyzeAll(Stmt[] body, Analysis a) {
        for (Stmt s : body) {
            s.analyze(a);
        }
    }
}
