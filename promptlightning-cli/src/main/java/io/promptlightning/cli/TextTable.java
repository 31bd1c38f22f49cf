package io.promptlightning.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Rows of text in columns aligned with spaces, for listings that people read (scripts take {@code --json}). */
final class TextTable {
    private static final String GAP = "  ";

    private final List<String[]> rows = new ArrayList<>();

    /** Adds a row; a null cell prints as {@code -}, line breaks inside a cell as {@code  | }. */
    TextTable row(String... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : PromptLightningCli.oneLine(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** Every row on its line; the last cell of a row is not padded, so no line ends in spaces. */
    @Override
    public String toString() {
        List<Integer> widths = new ArrayList<>();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                int width = row[i].codePointCount(0, row[i].length());
                if (i == widths.size()) {
                    widths.add(width);
                } else if (width > widths.get(i)) {
                    widths.set(i, width);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            int last = row.length - 1;
            while (last > 0 && row[last].isEmpty()) {
                last--;
            }
            for (int i = 0; i <= last; i++) {
                sb.append(row[i]);
                if (i < last) {
                    sb.append(" ".repeat(widths.get(i) - row[i].codePointCount(0, row[i].length()))).append(GAP);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A time as people read it in a listing: UTC, to the second; null when unknown. */
    static String time(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A time in JSON output: ISO-8601 UTC with all its precision, or null. */
    static String jsonTime(Instant at) {
        return at == null ? null : at.toString();
    }

    /** A size in bytes for people: {@code 512 bytes}, {@code 1.5 KiB}, {@code 100.0 MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
