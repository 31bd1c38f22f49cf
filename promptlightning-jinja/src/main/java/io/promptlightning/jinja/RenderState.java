package io.promptlightning.jinja;

/** Per-render mutable state: limits, the include/macro depth and the template being rendered. */
final class RenderState {
    final Environment environment;
    private final int maxOutputLength;
    private final int maxDepth;
    private final boolean strictUndefined;
    private int depth;

    RenderState(Environment environment) {
        this.environment = environment;
        this.maxOutputLength = environment.maxOutputLength;
        this.maxDepth = environment.maxRecursionDepth;
        this.strictUndefined = environment.strictUndefined;
    }

    /** Applies the environment's undefined mode to a lookup result. */
    Object undefined(Object value) {
        return !strictUndefined && value instanceof Undefined ? ((Undefined) value).lenient() : value;
    }

    void checkOutput(StringBuilder out) {
        if (out.length() > maxOutputLength) {
            throw Errors.limit("output exceeds the limit of " + maxOutputLength + " characters");
        }
    }

    int maxOutputLength() {
        return maxOutputLength;
    }

    /** Refuses to build a string or list of {@code size} before allocating it. */
    void checkSize(long size, String what) {
        if (size > maxOutputLength) {
            throw Errors.limit(what + " would exceed the output limit of " + maxOutputLength + " characters");
        }
    }

    /** Bounds every string and list a template builds, so repeated growth stops at the limit. */
    Object bounded(Object value) {
        if (value instanceof String) {
            checkSize(((String) value).length(), "string");
        } else if (value instanceof java.util.Collection) {
            checkSize(((java.util.Collection<?>) value).size(), "list");
        } else if (value instanceof Markup) {
            checkSize(((Markup) value).length(), "string");
        }
        return value;
    }

    /** Entered a macro call or an include; raises when nesting goes past the configured depth. */
    void enter(String what) {
        if (++depth > maxDepth) {
            depth = 0;
            throw Errors.limit("recursion depth exceeds the limit of " + maxDepth + " (in " + what + ")");
        }
    }

    void exit() {
        if (depth > 0) {
            depth--;
        }
    }
}
