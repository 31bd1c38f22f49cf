package io.promptlightning.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

    /** {@code cannot read FILE: no such file} (or {@code permission denied}, ...): the file, not a Java exception. */
    static CliException cannotRead(Path file, IOException e, String hint) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (Files.isDirectory(file)) {
            why = "it is a directory";
        } else {
            why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new CliException("cannot read " + file + ": " + why, hint, e);
    }

    /** What to do about it, or null. */
    String hint() {
        return hint;
    }
}
