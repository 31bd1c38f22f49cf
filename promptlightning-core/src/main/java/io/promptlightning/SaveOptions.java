package io.promptlightning;

/**
 * How to save: an optional message recorded with the new version, and whether an already saved version may be
 * replaced by different content (versions are immutable otherwise).
 *
 * @param message recorded with the version, or null
 * @param force   replace the content of an existing version instead of refusing
 */
public record SaveOptions(String message, boolean force) {
    /** No message, no forcing. */
    public static final SaveOptions DEFAULT = new SaveOptions(null, false);

    public static SaveOptions message(String message) {
        return new SaveOptions(message, false);
    }

    /** These options, also replacing an existing version's content. */
    public SaveOptions forced() {
        return new SaveOptions(message, true);
    }
}
