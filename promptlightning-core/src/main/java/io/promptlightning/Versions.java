package io.promptlightning;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Semantic versions ({@code MAJOR.MINOR.PATCH} with optional pre-release and build), as template versions use. */
public final class Versions {
    /** The version of a template file that names none. */
    public static final String DEFAULT = "0.1.0";

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
                    + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    /** Which part of a version to increase. */
    public enum Part { MAJOR, MINOR, PATCH }

    private Versions() {
    }

    public static boolean isValid(String version) {
        return version != null && SEMVER.matcher(version).matches();
    }

    /** @throws ValidationException unless {@code version} is a semantic version */
    public static String require(String version, String templateId) {
        if (!isValid(version)) {
            throw new ValidationException("invalid version '" + version + "': expected a semantic version such as 1.0.0",
                    templateId);
        }
        return version;
    }

    /** The next version: {@code 1.2.3} bumped by MINOR is {@code 1.3.0}; pre-release and build are dropped. */
    public static String bump(String version, Part part) {
        Matcher m = SEMVER.matcher(require(version, null));
        m.matches();
        long major = Long.parseLong(m.group(1));
        long minor = Long.parseLong(m.group(2));
        long patch = Long.parseLong(m.group(3));
        switch (part) {
            case MAJOR: return (major + 1) + ".0.0";
            case MINOR: return major + "." + (minor + 1) + ".0";
            default: return major + "." + minor + "." + (patch + 1);
        }
    }
}
