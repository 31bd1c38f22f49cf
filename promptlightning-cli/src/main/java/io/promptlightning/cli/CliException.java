package io.promptlightning.cli;

/**
 * A problem with the user's data or request that the CLI found itself (a missing config file, an export target
 * that cannot be written): reported as one {@code error: MESSAGE (HINT)} line, exit code 1.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    CliException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    CliException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What to do about it, or null. */
    String hint() {
        return hint;
    }
}
