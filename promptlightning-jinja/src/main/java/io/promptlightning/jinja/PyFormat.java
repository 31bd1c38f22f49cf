package io.promptlightning.jinja;

/** Python's printf-style ({@code %}) and {@code str.format} formatting. */
final class PyFormat {
    private PyFormat() {
    }

    static String percent(String format, Object args) {
        throw Errors.runtime("% formatting not yet available");
    }
}
