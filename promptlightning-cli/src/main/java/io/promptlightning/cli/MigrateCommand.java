package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.Migration;
import io.promptlightning.MigrationReport;
import io.promptlightning.Problem;
import io.promptlightning.internal.VaultConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class MigrateCommand extends CliCommand {
    static final String DEFAULT_DB_PATH = "templates.lmdb";

    MigrateCommand(PromptLightningCli root) {
        super(root, "migrate", "Copy the templates of a prompt directory into an LMDB database.",
                "Every valid template is saved; files that are not valid templates are reported with file and line"
                        + " and do not stop the others. A database that already holds templates is refused unless"
                        + " --overwrite is given; then it ends up holding exactly the directory's valid templates."
                        + " Afterwards every record is compared both ways (--no-verify skips that).",
                "Exit code 1 if any template failed or the comparison found a difference.");
        option("--prompt-dir", Path.class, "DIR", null,
                "The prompt directory to read (default: the project's prompt_dir).");
        option("--db-path", Path.class, "DIR", null, "The LMDB database to write (default: ./" + DEFAULT_DB_PATH + ").");
        flag("--overwrite", "Replace the content of a database that already holds templates.");
        flag("--verify", "Compare every record both ways after migrating (the default).");
        flag("--no-verify", "Skip the comparison.");
        option("--map-size", String.class, "SIZE", null, "Initial LMDB map size: bytes, or with a unit such as 512MB"
                + " or 2GiB (default: 100MiB; the map grows when it fills).");
    }

    @Override
    public Integer call() {
        if (flag("--verify") && flag("--no-verify")) {
            throw usage("--verify and --no-verify cannot both be given");
        }
        CliContext ctx = ctx();
        Path promptDir = promptDir(ctx);
        Path dbPath = ctx.workDir().resolve(this.<Path>value("--db-path") != null ? value("--db-path")
                : Path.of(DEFAULT_DB_PATH)).normalize();
        String mapSizeText = value("--map-size");
        long mapSize = mapSizeText == null ? LmdbRegistry.DEFAULT_MAP_SIZE : parseSize(mapSizeText);

        MigrationReport report;
        ProgressDisplay[] bar = new ProgressDisplay[1];
        try {
            report = Migration.migrate(promptDir, dbPath, Migration.Options.defaults()
                    .withOverwrite(flag("--overwrite")).withVerify(!flag("--no-verify")).withMapSize(mapSize)
                    .withProgress((done, total) -> {
                        if (bar[0] == null) {
                            bar[0] = ProgressDisplay.start(ctx, "migrating", total);
                        }
                        bar[0].stepTo(done);
                    }));
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }

        int migrated = report.migrated().size();
        ctx.out().println("migrated " + migrated + (migrated == 1 ? " template" : " templates") + " from "
                + ctx.show(promptDir) + " to " + ctx.show(dbPath));
        for (Problem failure : report.failed()) {
            ctx.err().println("error: not migrated: " + PromptLightningCli.oneLine(failure.toString()));
        }
        for (String difference : report.verificationErrors()) {
            ctx.err().println("error: verification: " + PromptLightningCli.oneLine(difference));
        }
        if (!flag("--no-verify") && report.verificationErrors().isEmpty()) {
            ctx.out().println("verified: the database and the directory hold the same " + migrated
                    + (migrated == 1 ? " template" : " templates"));
        }
        if (!report.ok()) {
            int failed = report.failed().size();
            int differences = report.verificationErrors().size();
            ctx.err().println("error: " + (failed > 0 ? failed + (failed == 1 ? " file was" : " files were")
                    + " not migrated" : "") + (failed > 0 && differences > 0 ? " and " : "")
                    + (differences > 0 ? differences + (differences == 1 ? " difference was" : " differences were")
                    + " found by verification" : "") + " (see above; 'promptlightning validate' lists every problem)");
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }

    /** {@code --prompt-dir}, else the prompt directory of the project's config. */
    private Path promptDir(CliContext ctx) {
        Path given = value("--prompt-dir");
        if (given != null) {
            return ctx.workDir().resolve(given).normalize();
        }
        Path config = Project.findConfig(ctx, root.config());
        if (config == null) {
            throw new CliException("no prompt directory to migrate: no " + Project.CONFIG_NAME + " here or in a"
                    + " parent directory", "give --prompt-dir DIR");
        }
        return VaultConfig.read(config).promptDir();
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);

    /** Bytes, or a number with K, M, G or T (KB, KiB... all powers of 1024, as LMDB sizes are usually given). */
    long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw usage("--map-size must be a size such as 104857600, 100MB or 2GiB, not '" + text + "'");
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : "KMGT".indexOf(unit) + 1;
        try {
            long number = Long.parseLong(m.group(1));
            if (number <= 0 || number > (Long.MAX_VALUE >> (10 * shift))) {
                throw usage("--map-size must be positive and below 8 EiB, not '" + text + "'");
            }
            return number << (10 * shift);
        } catch (NumberFormatException e) {
            throw usage("--map-size is too large: '" + text + "'");
        }
    }
}
