package io.promptlightning.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command runs: the working directory (where {@code promptlightning.yaml} is looked for and {@code init}
 * creates a project), the PromptLightning home (which holds the default project), and the standard streams. The
 * real process uses {@link #system()}; tests make their own with temporary directories and captured streams.
 *
 * @param workDir  the directory the command runs in, absolute
 * @param home     the PromptLightning home directory ({@code ~/.promptlightning} unless relocated)
 * @param in       standard input (read by {@code render --batch})
 * @param out      standard output, UTF-8
 * @param err      standard error, UTF-8
 * @param terminal    whether a person watches the output on a terminal (then long work shows a progress bar on
 *                    stderr; piped or redirected output gets none)
 * @param environment the environment variables the command sees, where {@code run} finds provider keys and
 *                    endpoints ({@code OPENAI_API_KEY}, {@code OLLAMA_HOST}, ...)
 */
public record CliContext(Path workDir, Path home, InputStream in, PrintStream out, PrintStream err,
        boolean terminal, Map<String, String> environment) {
    /** System property that relocates the PromptLightning home. */
    public static final String HOME_PROPERTY = "promptlightning.home";
    /** Environment variable that relocates the PromptLightning home (the property wins when both are set). */
    public static final String HOME_ENV = "PROMPTLIGHTNING_HOME";

    public CliContext {
        workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath().normalize();
        home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** A context seeing the process's environment. */
    public CliContext(Path workDir, Path home, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        this(workDir, home, in, out, err, terminal, System.getenv());
    }

    /** A context whose output goes to no terminal, seeing the process's environment. */
    public CliContext(Path workDir, Path home, InputStream in, PrintStream out, PrintStream err) {
        this(workDir, home, in, out, err, false);
    }

    /** This context with {@code environment} in place of its environment variables. */
    public CliContext withEnvironment(Map<String, String> environment) {
        return new CliContext(workDir, home, in, out, err, terminal, environment);
    }

    /**
     * The process's own context: the current directory, the home from {@value #HOME_PROPERTY} or {@value #HOME_ENV}
     * (else {@code ~/.promptlightning}), and the standard streams as UTF-8 (stdout buffered: flush it at exit).
     */
    public static CliContext system() {
        return new CliContext(Path.of(System.getProperty("user.dir")),
                home(System.getProperty(HOME_PROPERTY), System.getenv(), System.getProperty("user.home")),
                new FileInputStream(FileDescriptor.in),
                new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
                        StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.console() != null, System.getenv());
    }

    /** The home directory: the property if set, else the environment variable, else {@code ~/.promptlightning}. */
    static Path home(String property, Map<String, String> env, String userHome) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String fromEnv = env.get(HOME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(userHome, ".promptlightning");
    }

    /** {@code path} as the user would type it from the working directory: relative when it is below it. */
    String show(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(workDir) && !absolute.equals(workDir)) {
            return workDir.relativize(absolute).toString();
        }
        return absolute.toString();
    }
}
