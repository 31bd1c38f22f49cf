package io.promptlightning.internal;

/** Who is saving: the user name of this process, as history records it. */
public final class Authors {
    private static final String CURRENT = find();

    private Authors() {
    }

    /**
     * {@code PROMPTLIGHTNING_AUTHOR} when set (for CI jobs and services that act for someone), else the login name
     * from {@code USER} or {@code USERNAME}, else Java's {@code user.name}; null if none is known.
     */
    public static String current() {
        return CURRENT;
    }

    private static String find() {
        for (String variable : new String[] {"PROMPTLIGHTNING_AUTHOR", "USER", "USERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        String property = System.getProperty("user.name");
        return property == null || property.isBlank() ? null : property;
    }
}
