package io.promptlightning.jinja;

/**
 * A value that does not exist. A strict one (Jinja2's {@code StrictUndefined}) raises as soon as it is
 * printed, iterated, compared or computed with; only {@code is defined}, {@code |d} and the like accept it.
 * A lenient one is what an inline {@code if} without {@code else} yields: it prints as {@code ''}, is
 * falsy and empty, but arithmetic on it still raises.
 */
final class Undefined {
    /** What {@code 'x' if flag} gives when {@code flag} is false. */
    static final Undefined LENIENT = new Undefined("'undefined' value", false);

    private final String message;
    final boolean strict;

    private Undefined(String message, boolean strict) {
        this.message = message;
        this.strict = strict;
    }

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined", true);
    }

    /**
     * A missing attribute or item, with Jinja2's wording: {@code 'dict object' has no attribute 'x'} for a
     * string key, {@code list object has no element 3} for any other key.
     */
    static Undefined missing(Object owner, Object key) {
        String ownerName = owner == null ? "None" : Py.qualifiedTypeName(owner) + " object";
        if (key instanceof String) {
            return new Undefined("'" + ownerName + "' has no attribute " + Py.repr(key), true);
        }
        return new Undefined(ownerName + " has no element " + Py.repr(key), true);
    }

    static Undefined withMessage(String message) {
        return new Undefined(message, true);
    }

    /** The same missing value under Jinja2's default (non-strict) rules. */
    Undefined lenient() {
        return strict ? new Undefined(message, false) : this;
    }

    UndefinedException error() {
        return Errors.undefined(message);
    }

    String message() {
        return message;
    }

    /** Python's repr(): both Jinja2 undefined classes inherit {@code Undefined.__repr__}. */
    @Override
    public String toString() {
        return "Undefined";
    }
}
