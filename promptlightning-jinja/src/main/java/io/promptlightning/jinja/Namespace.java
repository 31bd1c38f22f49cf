package io.promptlightning.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja2's {@code namespace()}: the one object whose attributes {@code set} may assign, across scopes. */
final class Namespace {
    final Map<String, Object> attributes;

    Namespace(Map<String, Object> initial) {
        this.attributes = new LinkedHashMap<>(initial);
    }
}
