package io.promptlightning;

/**
 * Label names: 1 to 64 ASCII letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter (so a label
 * is never mistaken for a version). {@value #LATEST} is kept by the registry itself: it always points at the version
 * the template's file or record holds, the one a plain id loads.
 */
public final class Labels {
    /** The label every template has, moved by each save to the version saved. */
    public static final String LATEST = "latest";

    private Labels() {
    }

    public static boolean isValid(String label) {
        // by hand rather than with NAME: resolving a label reference checks it on every lookup
        if (label == null || label.isEmpty() || label.length() > 64 || !isAsciiLetter(label.charAt(0))) {
            return false;
        }
        for (int i = 1; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** @throws ValidationException unless {@code label} is a valid label name */
    public static String require(String label, String templateId) {
        if (!isValid(label)) {
            throw new ValidationException("invalid label '" + label + "': a label is 1 to 64 letters, digits, '_',"
                    + " '-' or '.', starting with a letter", templateId);
        }
        return label;
    }

    /** @throws ValidationException if {@code label} is {@value #LATEST}, which only saves move */
    static String requireMovable(String label, String templateId) {
        require(label, templateId);
        if (LATEST.equals(label)) {
            throw new ValidationException("the label 'latest' follows the last saved version and cannot be moved by"
                    + " hand; save or roll back instead", templateId);
        }
        return label;
    }
}
