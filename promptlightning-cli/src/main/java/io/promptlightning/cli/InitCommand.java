package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.internal.VaultConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class InitCommand extends CliCommand {
    static final String EXAMPLE = "summarizer.yaml";
    /** The prompt_dir and db_path of the config init writes. */
    private static final String PROMPT_DIR = "./prompts";
    private static final String DB_PATH = "./templates.lmdb";

    InitCommand(PromptLightningCli root) {
        super(root, "init",
                "Set up a project in the current directory (or where --config points): promptlightning.yaml, the"
                        + " prompts/ directory and an example template prompts/summarizer.yaml; with --registry lmdb"
                        + " also the LMDB database templates.lmdb holding the example.",
                "Safe to run again: existing files are never changed, and each one kept is named.");
        option("--registry", String.class, "KIND", "local",
                "local (a directory of YAML files, the default) or lmdb (an LMDB database).");
    }

    @Override
    public Integer call() throws IOException {
        String kind = oneOf("--registry", List.of("local", "lmdb"));
        CliContext ctx = ctx();
        Path configFile = root.config() == null ? ctx.workDir().resolve(Project.CONFIG_NAME)
                : ctx.workDir().resolve(root.config()).normalize();
        if (Files.isDirectory(configFile)) {
            configFile = configFile.resolve(Project.CONFIG_NAME);
        }
        requireNoFileInTheWay(configFile, kind);
        Files.createDirectories(configFile.toAbsolutePath().getParent());

        String text = "# PromptLightning project. registry: local keeps the templates as YAML files in prompt_dir;\n"
                + "# registry: lmdb keeps them in the LMDB database in db_path. Paths are relative to this file.\n"
                + "registry: " + kind + "\n"
                + "prompt_dir: " + PROMPT_DIR + "\n"
                + "db_path: " + DB_PATH + "\n"
                + "# Every run of a template against a model is recorded in this SQLite file ('promptlightning logs',\n"
                + "# 'promptlightning costs' read it).\n"
                + "logging:\n"
                + "  enabled: true\n"
                + "  backend: sqlite\n"
                + "  db_path: ./promptlightning.db\n";
        if (FileWrites.createNew(configFile, text.getBytes(StandardCharsets.UTF_8))) {
            ctx.out().println("created " + ctx.show(configFile) + " (registry: " + kind + ")");
        } else {
            ctx.out().println("kept " + ctx.show(configFile) + " (it exists)");
        }
        VaultConfig config = VaultConfig.read(configFile);
        if (config.usesLmdb() != kind.equals("lmdb") && spec.commandLine().getParseResult()
                .hasMatchedOption("--registry")) {
            ctx.err().println("warning: " + ctx.show(configFile) + " says registry: " + (config.usesLmdb() ? "lmdb"
                    : "local") + "; --registry " + kind + " was not applied (edit the file to change it)");
        }

        Path prompts = config.promptDir();
        if (Files.isDirectory(prompts)) {
            ctx.out().println("kept " + ctx.show(prompts) + "/ (it exists)");
        } else {
            try {
                Files.createDirectories(prompts);
                ctx.out().println("created " + ctx.show(prompts) + "/");
            } catch (FileAlreadyExistsException e) {
                throw notADirectory(prompts, "prompt_dir", "a prompt directory", configFile);
            }
        }
        Path example = prompts.resolve(EXAMPLE);
        String exampleId = Examples.spec(EXAMPLE).id();
        if (Files.exists(example)) {
            ctx.out().println("kept " + ctx.show(example) + " (it exists)");
        } else if (declares(prompts, exampleId)) {
            ctx.out().println("kept " + ctx.show(prompts) + "/ as it is (a template there already has the id "
                    + exampleId + ")");
        } else if (FileWrites.createNew(example, Examples.bytes(EXAMPLE))) {
            ctx.out().println("created " + ctx.show(example));
        } else {
            ctx.out().println("kept " + ctx.show(example) + " (it exists)");
        }

        if (config.usesLmdb()) {
            Path db = config.dbPath();
            if (Files.isDirectory(db)) {
                ctx.out().println("kept " + ctx.show(db) + "/ (it exists)");
            } else {
                TemplateSpec exampleSpec = Examples.spec(EXAMPLE);
                try (LmdbRegistry registry = LmdbRegistry.open(db)) {
                    registry.save(exampleSpec);
                }
                ctx.out().println("created " + ctx.show(db) + "/ (an LMDB database holding " + exampleSpec.id() + ")");
            }
        }
        ctx.out().println("try: promptlightning render " + exampleId + " --input-text \"Your text here\"");
        return PromptLightningCli.OK;
    }

    /**
     * Refuses, before anything is created, a prompt_dir or (for LMDB) db_path that names something other than a
     * directory: the project's own config says where they are, else the one init writes.
     */
    private static void requireNoFileInTheWay(Path configFile, String kind) {
        Path base = configFile.toAbsolutePath().getParent();
        boolean configured = Files.isRegularFile(configFile);
        VaultConfig config = configured ? VaultConfig.read(configFile) : null;
        Path prompts = configured ? config.promptDir() : base.resolve(PROMPT_DIR).normalize();
        if (Files.exists(prompts) && !Files.isDirectory(prompts)) {
            throw notADirectory(prompts, "prompt_dir", "a prompt directory", configFile);
        }
        Path db = configured ? config.dbPath() : base.resolve(DB_PATH).normalize();
        boolean lmdb = configured ? config.usesLmdb() : kind.equals("lmdb");
        if (lmdb && Files.exists(db) && !Files.isDirectory(db)) {
            throw notADirectory(db, "db_path", "an LMDB database (a directory holding data.mdb and lock.mdb)",
                    configFile);
        }
    }

    private static CliException notADirectory(Path path, String key, String what, Path configFile) {
        return new CliException(path + " exists and is not a directory, so it cannot be " + what, "fix " + key
                + " in " + configFile + ", or move " + path + " away");
    }

    private static boolean declares(Path prompts, String id) {
        try (LocalRegistry registry = LocalRegistry.open(prompts)) {
            return registry.listIds().contains(id);
        }
    }
}
