package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.Migration;
import io.promptlightning.MigrationReport;
import io.promptlightning.Problem;
import io.promptlightning.internal.ByteSizes;
import io.promptlightning.internal.VaultConfig;
import java.nio.file.Path;
import picocli.CommandLine.ParseResult;

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
        boolean verify = verify();
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
                    .withOverwrite(flag("--overwrite")).withVerify(verify).withMapSize(mapSize)
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
        if (verify && report.verificationErrors().isEmpty()) {
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

    /** Whether to verify: {@code --verify} (also {@code --verify=false}), {@code --no-verify}, else yes. */
    private boolean verify() {
        ParseResult given = spec.commandLine().getParseResult();
        boolean verifyGiven = given.hasMatchedOption("--verify");
        boolean noVerifyGiven = given.hasMatchedOption("--no-verify");
        if (verifyGiven && noVerifyGiven) {
            throw usage("--verify and --no-verify cannot both be given");
        }
        if (verifyGiven) {
            return flag("--verify");
        }
        return !(noVerifyGiven && flag("--no-verify"));
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
        VaultConfig project = VaultConfig.read(config);
        project.applyMaxFileSize();
        return project.promptDir();
    }

    /** The size given with {@code --map-size}. */
    private long parseSize(String text) {
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage("--map-size " + e.getMessage());
        }
    }
}
