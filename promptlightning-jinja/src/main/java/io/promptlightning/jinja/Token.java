package io.promptlightning.jinja;

/** One lexical token. {@code value} is the operator or name text; {@code literal} the parsed constant. */
final class Token {
    enum Type {
        DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR,
        /** A lexing error, raised only when the parser reaches it (Jinja2 lexes lazily). */
        ERROR, EOF
    }

    final Type type;
    final String value;
    final Object literal;
    final int line;

    Token(Type type, String value, Object literal, int line) {
        this.type = type;
        this.value = value;
        this.literal = literal;
        this.line = line;
    }

    boolean isOperator(String op) {
        return type == Type.OPERATOR && value.equals(op);
    }

    boolean isName(String name) {
        return type == Type.NAME && value.equals(name);
    }

    /** How Jinja2 names the token in error messages. */
    String describe() {
        switch (type) {
            case VARIABLE_BEGIN: return "begin of print statement";
            case VARIABLE_END: return "end of print statement";
            case BLOCK_BEGIN: return "begin of statement block";
            case BLOCK_END: return "end of statement block";
            case EOF: return "end of template";
            case DATA: return "template data / text";
            case INTEGER: return "integer";
            case FLOAT: return "float";
            case STRING: return "string";
            default: return value;
        }
    }

    @Override
    public String toString() {
        return type + "(" + value + ")@" + line;
    }
}
