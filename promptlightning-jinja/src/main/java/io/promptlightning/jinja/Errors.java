package io.promptlightning.jinja;

import io.promptlightning.jinja.TemplateRuntimeException.Kind;

/** Factories for the exceptions raised while rendering, named after the Python errors they mirror. */
final class Errors {
    private Errors() {
    }

    static TemplateRuntimeException typeError(String message) {
        return new TemplateRuntimeException(Kind.TYPE_ERROR, message);
    }

    static TemplateRuntimeException valueError(String message) {
        return new TemplateRuntimeException(Kind.VALUE_ERROR, message);
    }

    static TemplateRuntimeException zeroDivision(String message) {
        return new TemplateRuntimeException(Kind.ZERO_DIVISION, message);
    }

    static TemplateRuntimeException filterArgument(String message) {
        return new TemplateRuntimeException(Kind.FILTER_ARGUMENT, message);
    }

    static TemplateRuntimeException runtime(String message) {
        return new TemplateRuntimeException(Kind.RUNTIME, message);
    }

    static TemplateRuntimeException limit(String message) {
        return new TemplateRuntimeException(Kind.LIMIT_EXCEEDED, message);
    }

    static UndefinedException undefined(String message) {
        return new UndefinedException(message);
    }

    static TemplateSyntaxException syntax(String message, String templateName, int line) {
        return new TemplateSyntaxException(message, templateName, line);
    }
}
