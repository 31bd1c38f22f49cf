package io.promptlightning.jinja;

import java.util.Map;

/** A filter as the engine calls it: the value, then positional and keyword arguments. */
@FunctionalInterface
interface FilterFn {
    Object apply(RenderState state, Object value, Object[] args, Map<String, Object> kwargs);
}
