package io.promptlightning.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@code .env} file: {@code KEY=VALUE} lines, as python-dotenv and the SDKs' tools read them. Blank lines and
 * lines starting with {@code #} are skipped; {@code export } before a key is allowed; a value may be in single quotes
 * (taken as it is) or double quotes (with {@code \n}, {@code \t}, {@code \"} and {@code \\} escapes); an unquoted
 * value ends at {@code  #}. A later line wins over an earlier one. Variables are not expanded. A line that is none of
 * these is reported by its number only, since it may hold a secret.
 */
public final class DotEnv {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    private DotEnv() {
    }

    /** The values of {@code file}, or none if it does not exist; problems go to {@code warnings}. */
    public static Map<String, String> read(Path file, Consumer<String> warnings) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), warnings);
        } catch (IOException e) {
            warnings.accept("warning: cannot read " + file + ": " + e.getClass().getSimpleName());
            return Map.of();
        }
    }

    /** The values of a {@code .env} text; {@code name} names it in warnings. */
    public static Map<String, String> parse(String text, String name, Consumer<String> warnings) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                warnings.accept("warning: " + name + ":" + (i + 1) + ": not a KEY=VALUE line; skipped");
                continue;
            }
            String value = value(line.substring(eq + 1).stripLeading());
            if (value == null) {
                warnings.accept("warning: " + name + ":" + (i + 1) + ": the value of " + key
                        + " has no closing quote; skipped");
                continue;
            }
            out.put(key, value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The value after {@code =}, or null if a quote is not closed. */
    private static String value(String raw) {
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            return end < 0 ? null : raw.substring(1, end);
        }
        if (raw.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    switch (next) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case '"', '\\' -> sb.append(next);
                        default -> sb.append('\\').append(next);
                    }
                } else {
                    sb.append(c);
                }
            }
            return null;
        }
        int comment = -1;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
                comment = i;
                break;
            }
        }
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
}
