package io.promptlightning.jinja;

import java.util.List;
import java.util.Map;

/**
 * Something a template can call: a macro, {@code caller}, a global such as {@code range}, or a method of a
 * string, list or dict bound to its receiver. Only the engine creates these; Java objects passed in the
 * context are never callable from a template.
 */
interface PyCallable {
    /** Python type name used in error messages, e.g. {@code builtin_function_or_method}. */
    String typeName();

    /**
     * @param kwargs keyword arguments in call order; empty map when there are none (never null)
     */
    Object call(RenderState state, List<Object> args, Map<String, Object> kwargs);
}
