package io.promptlightning.cli;

import io.promptlightning.internal.VaultConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;

/**
 * Start-up work done on two other threads while the main thread parses the command line: one reads the config
 * (which loads the YAML parser) and, for commands that compile templates, loads the template engine; the other binds
 * LMDB's native library when the project uses LMDB (50 to 100 ms, almost all of it JNR-FFI). Only for commands that
 * open a registry: {@code init} and {@code --help} never touch LMDB. The commands that read the execution log get
 * SQLite's native library loaded instead; {@code run} gets both, SQLite when its config has a logging section.
 *
 * <p>It has no side effects: the default project is created by the main thread, and every error is left for the
 * main thread to meet again and report. The config read here is handed over when the main thread opens the same
 * file. A static initializer that fails here would leave the main thread only "could not initialize class", so
 * the first failure is kept for {@link #failure()} to explain it.
 */
final class Warmup {
    private static final Set<String> REGISTRY_COMMANDS = Set.of("list", "get", "diff", "export", "render", "validate",
            "bump", "watch", "import", "backup", "restore", "versions", "labels", "label", "rollback", "save",
            "delete", "search", "stats", "run");
    /** Commands that read the execution log: they open no registry, but load SQLite's native library. */
    private static final Set<String> LOG_COMMANDS = Set.of("logs", "costs");
    /** Whether a config has a logging section, so that {@code run} will likely write the SQLite log. */
    private static final Pattern LOGGING = Pattern.compile("(?m)^logging\\s*:");
    /** Whether a config names the LMDB registry, told without a YAML parser (the answer only decides a warm-up). */
    private static final Pattern LMDB = Pattern.compile("(?m)^registry\\s*:\\s*[\"']?lmdb\\b");

    /** A config read ahead of time. */
    private record Prepared(Path file, VaultConfig config) {
    }

    private final CliContext ctx;
    private final Path explicitConfig;
    private final FutureTask<Prepared> config;
    private volatile Throwable failure;

    private Warmup(CliContext ctx, Path explicitConfig, boolean compiles) {
        this.ctx = ctx;
        this.explicitConfig = explicitConfig;
        this.config = new FutureTask<>(() -> readConfig(compiles));
    }

    /**
     * Starts warming up for {@code args} when the command they name reads a registry.
     *
     * @return the warm-up, or null when the command needs none
     */
    static Warmup start(CliContext ctx, String[] args) {
        String command = null;
        Path explicitConfig = null;
        try {
            for (int i = 0; i < args.length && command == null; i++) {
                String a = args[i];
                if (a.equals("--config") && i + 1 < args.length) {
                    explicitConfig = Path.of(args[++i]);
                } else if (a.startsWith("--config=")) {
                    explicitConfig = Path.of(a.substring("--config=".length()));
                } else if (a.equals("--help") || a.equals("-h") || a.equals("--version") || a.equals("-V")) {
                    return null;
                } else if (!a.startsWith("-")) {
                    command = a;
                }
            }
        } catch (RuntimeException invalidPath) {
            return null; // the main thread reports it
        }
        if (command != null && LOG_COMMANDS.contains(command)) {
            // about a tenth of a second of extracting and binding, done while the arguments are parsed; a failure
            // is met again, and reported, by the main thread
            daemon(Warmup::loadSqlite, "promptlightning-sqlite");
            return null;
        }
        if (command == null || !REGISTRY_COMMANDS.contains(command)) {
            return null;
        }
        Warmup warmup = new Warmup(ctx, explicitConfig, command.equals("render") || command.equals("validate")
                || command.equals("watch") || command.equals("run"));
        daemon(warmup.config, "promptlightning-config");
        daemon(warmup::bindLmdb, "promptlightning-lmdb");
        if (command.equals("run")) {
            daemon(warmup::loadSqliteIfLogged, "promptlightning-sqlite");
        }
        return warmup;
    }

    private static void daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The first error met while warming up, or null. */
    Throwable failure() {
        return failure;
    }

    /** The config of {@code file} if it was read ahead (waiting for that to finish), else null. */
    VaultConfig configFor(Path file) {
        try {
            Prepared prepared = config.get();
            return prepared != null && prepared.file.equals(file) ? prepared.config : null;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The config file the main thread will use, or null when there is none yet (or an error to report). */
    private Path configFile() {
        try {
            Path file = Project.findConfig(ctx, explicitConfig);
            if (file == null) {
                Path defaultConfig = ctx.home().resolve(Project.DEFAULT_PROJECT).resolve(Project.CONFIG_NAME);
                file = Files.isRegularFile(defaultConfig) ? defaultConfig : null;
            }
            return file;
        } catch (RuntimeException reportedByTheMainThread) {
            return null;
        }
    }

    private Prepared readConfig(boolean compiles) {
        try {
            Path file = configFile();
            Prepared prepared = null;
            if (file != null) {
                try {
                    prepared = new Prepared(file, VaultConfig.read(file));
                } catch (RuntimeException reportedByTheMainThread) {
                    // no config to hand over
                }
            }
            if (compiles) {
                Class.forName("io.promptlightning.TemplateSpec", true, Warmup.class.getClassLoader());
            }
            return prepared;
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    private void bindLmdb() {
        try {
            Path file = configFile();
            if (file != null && !names(file, LMDB)) {
                return;
            }
            // a missing config means the default project, an LMDB database, is about to be made
            ClassLoader loader = Warmup.class.getClassLoader();
            Class.forName("org.lmdbjava.ByteBufferProxy", true, loader);
            Class.forName("org.lmdbjava.Library", true, loader);
            Class.forName("org.lmdbjava.Env", true, loader);
            // JNR-FFI binds each function on its first call, reading its annotations: make the JVM's proxy classes
            // for those annotation types now rather than on the main thread
            for (Method m : Class.forName("org.lmdbjava.Library$Lmdb", false, loader).getMethods()) {
                m.getAnnotations();
                m.getParameterAnnotations();
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void loadSqliteIfLogged() {
        Path file = configFile();
        if (file != null && names(file, LOGGING)) {
            loadSqlite();
        }
    }

    private static void loadSqlite() {
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Throwable reportedByTheMainThread) {
            // the main thread opens the log and reports what stops it
        }
    }

    private static boolean names(Path file, Pattern pattern) {
        try (InputStream in = Files.newInputStream(file)) {
            return pattern.matcher(new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8)).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private synchronized void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }
}
