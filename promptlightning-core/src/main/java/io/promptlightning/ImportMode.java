package io.promptlightning;

/** What {@link Registry#importHistory} does with templates the registry already has. */
public enum ImportMode {
    /** Refuse the whole import if any imported id already exists. */
    ADD,
    /** Replace the whole history of each imported id that exists; leave other templates alone. */
    REPLACE_IDS,
    /** Make the registry hold exactly what is imported: every other template is removed (a restore). */
    REPLACE_ALL
}
