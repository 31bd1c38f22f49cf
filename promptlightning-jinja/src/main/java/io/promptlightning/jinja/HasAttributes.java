package io.promptlightning.jinja;

/** An engine object with Python-style attributes ({@code loop.index}, {@code cycler.current}). */
interface HasAttributes {
    /** The attribute's value, or an {@link Undefined} when there is none. */
    Object attribute(String name);
}
