package io.promptlightning.cli;

import io.promptlightning.internal.ExecutionLogReader;
import io.promptlightning.internal.VaultConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code logs} and {@code costs} commands share: finding the execution log ({@code --db}, else the
 * project's {@code logging.db_path}), reading {@code --since}, and showing money.
 */
final class ExecutionLogFile {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})([mhdw])");

    private ExecutionLogFile() {
    }

    /** Declares the options both commands take. */
    static void declareOptions(CliCommand command) {
        command.option("--db", Path.class, "PATH", null,
                "The execution log (default: logging.db_path of the project's promptlightning.yaml).");
        command.option("--since", String.class, "WHEN", null, "Only runs from then on: a time ago (30m, 24h, 7d, 2w)"
                + " or a UTC date or time (2026-11-01, 2026-11-01T09:30:00Z).");
    }

    /**
     * Opens the log the command's options point at, for reading.
     *
     * @throws CliException when there is no log there, or what is there is not one
     */
    static ExecutionLogReader open(CliCommand command) {
        CliContext ctx = command.ctx();
        Path explicit = command.value("--db");
        Path file;
        String hint;
        if (explicit != null) {
            file = ctx.workDir().resolve(explicit).normalize();
            hint = "check --db";
        } else {
            Path config = Project.findConfig(ctx, command.root.config());
            if (config == null) {
                config = ctx.home().resolve(Project.DEFAULT_PROJECT).resolve(Project.CONFIG_NAME);
                if (!Files.isRegularFile(config)) {
                    throw new CliException("no " + Project.CONFIG_NAME + " in " + ctx.workDir()
                            + " or its parents, so no execution log to read",
                            "run it in your project, or give the log with --db PATH");
                }
            }
            VaultConfig settings = VaultConfig.read(config);
            file = settings.logDbPath();
            hint = settings.loggingEnabled()
                    ? "nothing has been logged yet: runs are recorded there once a template runs with logging on"
                    : "logging is off in " + ctx.show(config) + ": set logging.enabled: true to record runs, or give"
                            + " a log with --db PATH";
        }
        if (!Files.exists(file)) {
            throw new CliException("no execution log at " + ctx.show(file), hint);
        }
        try {
            return ExecutionLogReader.open(file);
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), hint, e);
        }
    }

    /** {@code --since} as an instant, or null when it was not given; {@code now} anchors a time ago. */
    static Instant since(CliCommand command, Instant now) {
        String text = command.value("--since");
        if (text == null) {
            return null;
        }
        Instant since = parseSince(text.strip(), now);
        if (since == null) {
            throw command.usage("--since must be a time ago such as 30m, 24h, 7d or 2w, or a UTC date or time such"
                    + " as 2026-11-01 or 2026-11-01T09:30:00Z, not '" + text + "'");
        }
        return since;
    }

    /** A time ago ({@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}) or a UTC date or time; null when it is none. */
    static Instant parseSince(String text, Instant now) {
        Matcher ago = AGO.matcher(text);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration unit = switch (ago.group(2)) {
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADate) {
            // a time, perhaps
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // a time without offset, perhaps
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /** US dollars as the tables show them: six decimals, since one call often costs a fraction of a cent. */
    static String usd(double amount) {
        return String.format(Locale.ROOT, "%.6f", amount);
    }
}
