package io.promptlightning;

import java.util.Comparator;
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

    /**
     * Semantic version precedence: major, minor and patch numerically, a pre-release before its release, pre-release
     * identifiers numerically or by ASCII; build metadata breaks ties only so that distinct versions never compare
     * equal. Invalid versions sort after valid ones, by text.
     */
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    private static int compare(String a, String b) {
        Matcher ma = SEMVER.matcher(a);
        Matcher mb = SEMVER.matcher(b);
        boolean va = ma.matches();
        boolean vb = mb.matches();
        if (!va || !vb) {
            return va != vb ? (va ? -1 : 1) : a.compareTo(b);
        }
        for (int g = 1; g <= 3; g++) {
            int c = compareNumeric(ma.group(g), mb.group(g));
            if (c != 0) {
                return c;
            }
        }
        String pa = ma.group(4);
        String pb = mb.group(4);
        if (pa == null || pb == null) {
            if (pa != pb) {
                return pa == null ? 1 : -1;
            }
        } else {
            String[] ia = pa.split("\\.");
            String[] ib = pb.split("\\.");
            for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
                boolean na = ia[i].chars().allMatch(Character::isDigit);
                boolean nb = ib[i].chars().allMatch(Character::isDigit);
                int c = na && nb ? compareNumeric(ia[i], ib[i]) : na != nb ? (na ? -1 : 1) : ia[i].compareTo(ib[i]);
                if (c != 0) {
                    return c;
                }
            }
            if (ia.length != ib.length) {
                return Integer.compare(ia.length, ib.length);
            }
        }
        return a.compareTo(b);
    }

    private static int compareNumeric(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
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
