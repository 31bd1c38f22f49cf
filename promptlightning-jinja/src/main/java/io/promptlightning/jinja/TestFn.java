package io.promptlightning.jinja;

import java.util.Map;

/** A test ({@code x is odd}) as the engine calls it. */
@FunctionalInterface
interface TestFn {
    boolean test(RenderState state, Object value, Object[] args, Map<String, Object> kwargs);
}
