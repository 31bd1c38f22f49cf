package io.promptlightning.jinja;

import java.util.Map;

/** An engine object with callable methods ({@code loop.cycle()}, {@code cycler.next()}). */
interface HasMethods {
    /** Calls the method, or returns {@link Methods#NOT_A_METHOD} when there is none of that name. */
    Object callMethod(RenderState state, String name, Object[] args, Map<String, Object> kwargs);
}
