package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Registry;
import io.promptlightning.TemplateSpec;
import io.promptlightning.Vault;
import io.promptlightning.internal.ProviderSettings;
import io.promptlightning.internal.VaultConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The project a command works on: the {@code promptlightning.yaml} given with {@code --config}, else the first one
 * found in the working directory or a parent, else the default project in the PromptLightning home (an LMDB
 * registry holding the example templates, created on first use).
 */
final class Project implements AutoCloseable {
    static final String CONFIG_NAME = "promptlightning.yaml";
    static final String DEFAULT_PROJECT = "default";
    static final String DEFAULT_CONFIG_TEXT = "# The default project of the promptlightning command, used where no"
            + " promptlightning.yaml is found.\n"
            + "registry: lmdb\n"
            + "db_path: ./templates.lmdb\n";

    final Path configFile;
    final VaultConfig config;
    final boolean isDefault;
    private final Registry registry;
    private Vault vault;

    private Project(Path configFile, VaultConfig config, boolean isDefault, Registry registry) {
        this.configFile = configFile;
        this.config = config;
        this.isDefault = isDefault;
        this.registry = registry;
    }

    Registry registry() {
        return registry;
    }

    /** A vault over the registry, made on first use: commands that only read records go to the registry. */
    Vault vault() {
        if (vault == null) {
            vault = Vault.builder(registry).cacheSize(config.cacheSize()).defaultLabel(config.defaultLabel()).build();
        }
        return vault;
    }

    /**
     * The vault of {@code run}, which calls models: the config's {@code providers:}, {@code prices:}, {@code llm:}
     * and {@code logging:} apply, keys and endpoints are looked up in {@code environment} (after the config) and
     * then in a {@code .env} file beside the config or in {@code workDir}. Closed with the project, which stores
     * the run's log record.
     */
    Vault modelVault(Map<String, String> environment, Path workDir, Consumer<String> warnings) {
        if (vault != null) {
            throw new IllegalStateException("the project's vault is already open");
        }
        vault = Vault.builder(registry).config(config.file()).warnings(warnings)
                .llmSettings(ProviderSettings.load(config.providers(), environment,
                        List.of(config.directory(), workDir), warnings))
                .build();
        return vault;
    }

    /** Where the templates live, for messages: the prompt directory or the LMDB database. */
    Path storage() {
        return config.usesLmdb() ? config.dbPath() : config.promptDir();
    }

    /**
     * Opens the project's registry. LMDB databases are opened read-only unless {@code write}, so that reading
     * commands never create or change anything.
     *
     * @param warmup the start-up work begun for this command, or null
     */
    static Project open(CliContext ctx, Path explicitConfig, boolean write, Warmup warmup) {
        Path found = findConfig(ctx, explicitConfig);
        boolean isDefault = false;
        if (found == null) {
            found = defaultProject(ctx);
            isDefault = true;
        }
        VaultConfig config = warmup == null ? null : warmup.configFor(found);
        if (config == null) {
            config = VaultConfig.read(found);
        }
        config.applyMaxFileSize();
        Registry registry;
        if (config.usesLmdb()) {
            boolean readOnly = !write || config.readOnly();
            boolean missing = Files.notExists(config.dbPath());
            if (missing && readOnly) {
                // reading creates nothing: the first write makes the database, as the original's does
                throw new CliException("no LMDB database at " + config.dbPath() + " (db_path in " + found + ")",
                        "fix db_path, or save a template: the first write creates the database");
            }
            registry = LmdbRegistry.builder(config.dbPath()).readOnly(readOnly)
                    .compressHistory(config.compressHistory()).build();
            if (missing) {
                ctx.err().println("note: created the LMDB database " + config.dbPath() + " (db_path in " + found
                        + ")");
            }
        } else {
            registry = LocalRegistry.builder(config.promptDir()).readOnly(config.readOnly()).build();
        }
        return new Project(found, config, isDefault, registry);
    }

    /** The project's config, read without opening its registry: for commands that check the storage itself. */
    static VaultConfig config(CliContext ctx, Path explicitConfig) {
        Path found = findConfig(ctx, explicitConfig);
        return VaultConfig.read(found == null ? defaultProject(ctx) : found);
    }

    /**
     * The config file: {@code explicit} when given (it must exist), else {@value #CONFIG_NAME} in the working
     * directory or the nearest parent that has one, else null.
     */
    static Path findConfig(CliContext ctx, Path explicit) {
        if (explicit != null) {
            Path file = ctx.workDir().resolve(explicit).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve(CONFIG_NAME);
            }
            if (!Files.isRegularFile(file)) {
                throw new CliException("config file not found: " + file,
                        "check --config, or create a project with 'promptlightning init'");
            }
            return file;
        }
        for (Path dir = ctx.workDir(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(CONFIG_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The config of the default project, which is created (and announced on stderr) the first time. */
    static Path defaultProject(CliContext ctx) {
        Path dir = ctx.home().resolve(DEFAULT_PROJECT);
        Path config = dir.resolve(CONFIG_NAME);
        if (Files.isRegularFile(config)) {
            return config;
        }
        if (Files.exists(dir)) {
            throw new CliException("the default project " + dir + " exists but has no " + CONFIG_NAME,
                    "remove that directory to have it made again, or run 'promptlightning init' in your project");
        }
        int count = createDefaultProject(ctx.home(), dir);
        if (count >= 0) {
            ctx.err().println("note: no " + CONFIG_NAME + " in " + ctx.workDir() + " or its parents, so using the"
                    + " default project " + dir + ", created now with " + count + " example templates (run"
                    + " 'promptlightning init' to start a project of your own)");
        }
        return config;
    }

    /**
     * Builds the default project in a temporary directory beside {@code dir}, then renames it into place, so that
     * two first runs at once cannot leave half a project: the second rename fails and its copy is dropped.
     *
     * @return the number of templates stored, or -1 if another process created the project first
     */
    private static int createDefaultProject(Path home, Path dir) {
        Path temp = home.resolve(".default-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(home);
            Files.createDirectory(temp);
            List<TemplateSpec> examples = Examples.specs();
            try (LmdbRegistry registry = LmdbRegistry.open(temp.resolve("templates.lmdb"))) {
                for (TemplateSpec spec : examples) {
                    registry.save(spec);
                }
            }
            Files.writeString(temp.resolve(CONFIG_NAME), DEFAULT_CONFIG_TEXT, StandardCharsets.UTF_8);
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            } catch (IOException e) {
                // rename(2) fails with ENOTEMPTY or EEXIST when another process made the project first
                if (Files.isRegularFile(dir.resolve(CONFIG_NAME))) {
                    return -1;
                }
                throw e;
            }
            return examples.size();
        } catch (IOException e) {
            throw new CliException("cannot create the default project " + dir + ": " + e.getMessage(),
                    "set PROMPTLIGHTNING_HOME to a writable directory, or run 'promptlightning init' in your project",
                    e);
        } finally {
            deleteTree(temp);
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        if (vault != null) {
            vault.close(); // closes the registry too
        } else {
            registry.close();
        }
    }
}
