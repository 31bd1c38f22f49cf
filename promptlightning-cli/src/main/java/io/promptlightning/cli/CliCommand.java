package io.promptlightning.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command: its picocli model and what it does. The model is built with picocli's programmatic API rather than
 * annotations: reading annotations makes the JVM generate a proxy class per annotation type at run time, which cost
 * about 60 ms of every start and cannot be kept in the class data sharing archive.
 */
abstract class CliCommand implements Callable<Integer> {
    final PromptLightningCli root;
    final CommandSpec spec;

    CliCommand(PromptLightningCli root, String name, String... description) {
        this.root = root;
        this.spec = CommandSpec.wrapWithoutInspection(this);
        spec.name(name);
        spec.usageMessage().description(description);
        helpOptions(spec);
    }

    /** {@code -h/--help} and {@code -V/--version}, as picocli's standard mixin gives them. */
    static void helpOptions(CommandSpec spec) {
        spec.versionProvider(new PromptLightningCli.Version());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    CliContext ctx() {
        return root.ctx;
    }

    /** Declares a boolean flag. */
    void flag(String name, String description) {
        spec.addOption(OptionSpec.builder(name).type(boolean.class).description(description).build());
    }

    /** Declares an option taking a value. */
    void option(String name, Class<?> type, String paramLabel, String defaultValue, String description) {
        OptionSpec.Builder b = OptionSpec.builder(name).type(type).paramLabel(paramLabel).description(description);
        if (defaultValue != null) {
            b.defaultValue(defaultValue);
        }
        spec.addOption(b.build());
    }

    /** Declares the required positional {@code ID}. */
    void idParameter() {
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("ID")
                .type(String.class).description("The template id.").build());
    }

    /** Declares the required positional {@code PATH}, read with {@link #path()}. */
    void pathParameter(String description) {
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("PATH")
                .type(Path.class).description(description).build());
    }

    /** The positional {@code PATH}, resolved against the working directory. */
    Path path() {
        Path given = spec.positionalParameters().get(0).getValue();
        return ctx().workDir().resolve(given).normalize();
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(spec.findOption(name).getValue());
    }

    <T> T value(String name) {
        return spec.findOption(name).getValue();
    }

    String id() {
        return spec.positionalParameters().get(0).getValue();
    }

    List<String> positionals() {
        List<String> values = spec.positionalParameters().get(0).getValue();
        return values == null ? List.of() : values;
    }

    /** {@code 1 template}, {@code 2 templates}: a count and its noun, plural when it is not one. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Wrong usage of this command: exit code 2, with a pointer to its help. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The value of {@code option}, which must be one of {@code allowed}. */
    String oneOf(String option, List<String> allowed) {
        String v = value(option);
        if (!allowed.contains(v)) {
            throw usage(option + " must be " + String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or "
                    + allowed.get(allowed.size() - 1) + ", not '" + v + "'");
        }
        return v;
    }
}
