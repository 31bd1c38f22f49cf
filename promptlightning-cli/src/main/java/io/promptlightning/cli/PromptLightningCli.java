package io.promptlightning.cli;

import io.promptlightning.internal.VaultConfig;

import io.promptlightning.ApiKeyException;
import io.promptlightning.PromptLightningException;
import io.promptlightning.RenderException;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.ValidationException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code promptlightning} command. {@link #run} is the whole program: it parses the arguments, runs the
 * command and turns every failure into one {@code error: ...} line on stderr and an exit code.
 *
 * <p>Exit codes: 0 success; 1 a problem with the user's data or request (an invalid template, a template not
 * found, a failed validation, a file that cannot be written, a model call that failed); 2 wrong usage (an
 * unknown option, a missing argument, a missing input of {@code run}).
 */
public final class PromptLightningCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int PROBLEM = 1;
    public static final int USAGE = 2;

    final CliContext ctx;
    private final CommandSpec spec;
    private Warmup warmup;
    private Path config;
    private boolean debug;

    private PromptLightningCli(CliContext ctx) {
        this.ctx = ctx;
        this.spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("promptlightning");
        spec.usageMessage()
                .synopsisSubcommandLabel("COMMAND")
                .description("Typed, versioned Jinja2 prompt templates.",
                        "The project is the promptlightning.yaml given with --config, else the first one found in the"
                                + " current directory or a parent, else the default project, which holds the example"
                                + " templates:",
                        "~/.promptlightning/default (PROMPTLIGHTNING_HOME moves it).")
                .footer("", "Exit codes: 0 ok, 1 a problem with your templates or request (a failed model call too), 2 wrong"
                        + " usage.",
                        "Run 'promptlightning COMMAND --help' for a command's options.");
        CliCommand.helpOptions(spec);
        // options every command takes, before or after its name; they set this object's fields
        Binding configField = new Binding(() -> config, v -> config = (Path) v);
        spec.addOption(OptionSpec.builder("--config").type(Path.class).paramLabel("FILE").scopeType(ScopeType.INHERIT)
                .description("The project's promptlightning.yaml (default: found in the current directory or a"
                        + " parent).")
                .getter(configField).setter(configField).build());
        Binding debugField = new Binding(() -> debug, v -> debug = Boolean.TRUE.equals(v));
        spec.addOption(OptionSpec.builder("--debug").type(boolean.class).scopeType(ScopeType.INHERIT)
                .description("Print stack traces of errors.")
                .getter(debugField).setter(debugField).build());
    }

    /** Binds an option to one of this object's fields. */
    private static final class Binding implements IGetter, ISetter {
        private final Supplier<Object> get;
        private final Consumer<Object> set;

        Binding(Supplier<Object> get, Consumer<Object> set) {
            this.get = get;
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) get.get();
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            set.accept(value);
            return old;
        }
    }

    Path config() {
        return config;
    }

    /** Opens the project the options point at; reading commands get a read-only LMDB database. */
    Project openProject(boolean write) {
        return Project.open(ctx, config, write, warmup);
    }

    /** The project's config, without opening its registry. */
    VaultConfig projectConfig() {
        return Project.config(ctx, config);
    }

    /** No command given: the usage on stderr. */
    @Override
    public Integer call() {
        ctx.err().println("error: a command is needed");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Runs the command line {@code args} in {@code ctx} and returns the exit code; never throws. */
    public static int run(CliContext ctx, String... args) {
        PromptLightningCli root = new PromptLightningCli(ctx);
        root.warmup = Warmup.start(ctx, args);
        int code;
        try {
            code = root.commandLine().execute(args);
        } catch (RuntimeException | LinkageError e) {
            // an Error escaping a command, such as a native library that cannot load
            Throwable warmup = root.warmup == null ? null : root.warmup.failure();
            ctx.err().println("error: internal error: " + oneLine(String.valueOf(e))
                    + (warmup != null && warmup != e ? " (first failure: " + oneLine(String.valueOf(warmup)) + ")" : "")
                    + (root.debug ? "" : " (run again with --debug for the stack trace)"));
            if (root.debug) {
                e.printStackTrace(ctx.err());
            }
            code = PROBLEM;
        }
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    private CommandLine commandLine() {
        CommandLine cl = new CommandLine(spec);
        for (CliCommand command : new CliCommand[] {new InitCommand(this), new ListCommand(this),
                new GetCommand(this), new DiffCommand(this), new ExportCommand(this), new RenderCommand(this),
                new RunCommand(this), new ValidateCommand(this), new BumpCommand(this), new VersionsCommand(this),
                new LabelsCommand(this), new LabelCommand(this), new RollbackCommand(this), new SaveCommand(this),
                new DeleteCommand(this), new SearchCommand(this), new StatsCommand(this), new MigrateCommand(this), new ImportCommand(this),
                new BackupCommand(this), new RestoreCommand(this), new WatchCommand(this), new LogsCommand(this),
                new CostsCommand(this), new CompletionCommand(this), new VerifyCommand(this),
                new CdsTrainingCommand(this)}) {
            cl.addSubcommand(command.spec.name(), new CommandLine(command.spec));
        }
        cl.setExpandAtFiles(false); // '@' starts ordinary values (an e-mail address, --inputs @file.json)
        cl.setOut(new PrintWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        cl.getSubcommands().get("render").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
        cl.setParameterExceptionHandler(PromptLightningCli::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> failure(e, cmd));
        return cl;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = oneLine(e.getMessage());
        if (message.regionMatches(true, 0, "error: ", 0, 7)) {
            message = message.substring(7);
        }
        if (e instanceof CommandLine.UnmatchedArgumentException && cmd.getCommandSpec().parent() == null
                && !((CommandLine.UnmatchedArgumentException) e).getUnmatched().isEmpty()
                && !((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + ((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0) + "'";
        }
        if (!message.isEmpty()) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        err.println("error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            CommandLine.UnmatchedArgumentException.printSuggestions((CommandLine.UnmatchedArgumentException) e, err);
        }
        err.flush();
        return USAGE;
    }

    /** Reports an error raised by a command: one line, with a hint; the stack trace only with --debug. */
    private int failure(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        if (e instanceof ParameterException) {
            return usageError((ParameterException) e, new String[0]);
        }
        String message;
        String hint = null;
        if (e instanceof CliException) {
            message = e.getMessage();
            hint = ((CliException) e).hint();
        } else if (e instanceof PromptLightningException) {
            message = e.getMessage();
            hint = hintFor((PromptLightningException) e);
        } else if (e instanceof UncheckedIOException) {
            message = e.getCause().toString();
        } else {
            message = "internal error: " + e;
            hint = debug ? null : "this is a bug; run again with --debug for the stack trace";
        }
        err.println("error: " + oneLine(message) + (hint == null ? "" : " (" + hint + ")"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return PROBLEM;
    }

    static String hintFor(PromptLightningException e) {
        if (e instanceof TemplateNotFoundException) {
            return "run 'promptlightning list' to see the template ids";
        }
        if (e instanceof RenderException) {
            return "the template failed with these inputs; 'promptlightning validate' checks every template";
        }
        if (e instanceof ApiKeyException refused && !refused.keyMissing()) { // a missing key's message says where
            return "check the provider's key in the environment, a .env file or providers: in promptlightning.yaml";
        }
        if (e instanceof ValidationException && e.file() != null) {
            return "fix the file; 'promptlightning validate' lists every problem";
        }
        return null;
    }

    /** Keeps an error on one line. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r\n", "\n").replace('\r', '\n').strip().replace("\n", " | ");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PromptLightningCli.class.getPackage().getImplementationVersion();
            return new String[] {"promptlightning " + (v == null ? "(development build)" : v)};
        }
    }
}
