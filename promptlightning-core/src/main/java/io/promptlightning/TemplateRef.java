package io.promptlightning;

import java.util.Objects;

/**
 * What a caller asks for: a template id alone (its latest version, or the vault's default label), {@code id@version}
 * (that version, fixed for good) or {@code id@label} (the version the label points at now).
 *
 * <p>The text after the last {@code @} is a version when it is a semantic version and a label otherwise, so labels
 * never look like versions (they start with a letter). An id that itself contains {@code @} (possible only for ids
 * written by the original library) is reached as {@code that@id@latest}.
 *
 * @param id      the template id
 * @param version the version asked for, or null
 * @param label   the label asked for, or null; never both a version and a label
 */
public record TemplateRef(String id, String version, String label) {

    public TemplateRef {
        Ids.requireReadableId(id);
        if (version != null && label != null) {
            throw new IllegalArgumentException("a reference names a version or a label, not both");
        }
        if (version != null) {
            Versions.require(version, id);
        }
        if (label != null) {
            Labels.require(label, id);
        }
    }

    /**
     * Parses {@code id}, {@code id@version} or {@code id@label}.
     *
     * @throws ValidationException if the part after {@code @} is neither a version nor a valid label name
     */
    public static TemplateRef parse(String text) {
        Objects.requireNonNull(text, "reference");
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return new TemplateRef(text, null, null);
        }
        String id = text.substring(0, at);
        String suffix = text.substring(at + 1);
        if (id.isEmpty()) {
            throw new ValidationException("invalid reference '" + text + "': the template id before '@' is missing",
                    null);
        }
        // a label starts with a letter and a version with a digit, so one check decides
        if (Labels.isValid(suffix)) {
            return new TemplateRef(id, null, suffix);
        }
        if (Versions.isValid(suffix)) {
            return new TemplateRef(id, suffix, null);
        }
        throw new ValidationException("invalid reference '" + text + "': after '@' comes a version such as 1.2.0 or"
                + " a label such as production", id);
    }

    public static TemplateRef ofId(String id) {
        return new TemplateRef(id, null, null);
    }

    public static TemplateRef ofVersion(String id, String version) {
        return new TemplateRef(id, Objects.requireNonNull(version, "version"), null);
    }

    public static TemplateRef ofLabel(String id, String label) {
        return new TemplateRef(id, null, Objects.requireNonNull(label, "label"));
    }

    /** Whether this names one fixed version, whose content never changes (versions are immutable). */
    public boolean pinned() {
        return version != null;
    }

    @Override
    public String toString() {
        return version != null ? id + "@" + version : label != null ? id + "@" + label : id;
    }
}
