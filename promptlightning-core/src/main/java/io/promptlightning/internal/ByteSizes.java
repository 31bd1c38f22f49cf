package io.promptlightning.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in options and config files: {@code 104857600}, {@code 100MB}, {@code 2GiB}. */
public final class ByteSizes {
    private ByteSizes() {
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);

    /**
     * Bytes, or a whole number with K, M, G or T (KB, KiB... all powers of 1024, as LMDB sizes are usually
     * given).
     *
     * @throws IllegalArgumentException saying what is wrong ({@code must be a size such as ...}, {@code must be
     *                                  positive and below 8 EiB}), to follow the name of the setting
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a size such as 104857600, 100MB or 2GiB, not '" + text + "'");
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : "KMGT".indexOf(unit) + 1;
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException tooManyDigits) {
            number = Long.MAX_VALUE;
        }
        if (number <= 0 || number > (Long.MAX_VALUE >> (10 * shift))) {
            throw new IllegalArgumentException("must be positive and below 8 EiB, not '" + text + "'");
        }
        return number << (10 * shift);
    }

    /** {@code 32 MiB} for a whole number of MiB, KiB or GiB, else {@code 1234 bytes}. */
    public static String describe(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long n = bytes;
        while (unit < units.length - 1 && n != 0 && n % 1024 == 0) {
            n /= 1024;
            unit++;
        }
        return n + " " + units[unit];
    }
}
