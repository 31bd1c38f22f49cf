package io.promptlightning;

import java.nio.file.Path;

/**
 * Something in a registry's storage that a user has to fix: a file that is not a valid template, or a second
 * file claiming an id already taken. A registry reports these rather than skipping the file, and keeps serving
 * the templates that are fine.
 *
 * @param file       the file (or directory) concerned
 * @param line       1-based line in {@code file}, or 0 when the problem concerns the file as a whole
 * @param templateId the template concerned, or null when the file names none that is usable
 * @param message    what is wrong, without the location
 */
public record Problem(Path file, int line, String templateId, String message) {

    /** {@code FILE:LINE: template 'ID': MESSAGE}, the form compilers use, so editors and terminals can jump to it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (templateId != null) {
            sb.append("template '").append(templateId).append("': ");
        }
        return sb.append(message).toString();
    }
}
