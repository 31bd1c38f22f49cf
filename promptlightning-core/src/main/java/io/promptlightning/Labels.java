package io.promptlightning;

import java.util.regex.Pattern;

/**
 * Label names: 1 to 64 ASCII letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter (so a label
 * is never mistaken for a version). {@value #LATEST} is kept by the registry itself: it always points at the version
 * the template's file or record holds, the one a plain id loads.
 */
public final class Labels {
    /** The label every template has, moved by each save to the version saved. */
    public static final String LATEST = "latest";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private Labels() {
    }

    public static boolean isValid(String label) {
        return label != null && NAME.matcher(label).matches();
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
