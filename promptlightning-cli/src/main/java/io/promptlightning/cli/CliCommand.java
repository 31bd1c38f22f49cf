package io.promptlightning.cli;

import io.promptlightning.Labels;
import io.promptlightning.TemplateRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** How commands that read one template describe their ID parameter. */
    static final String REFERENCE = "The template: ID (its latest version), ID@VERSION or ID@LABEL.";

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

    /** Declares an option that may be repeated, collecting its values in order. */
    void repeatableOption(String name, String paramLabel, String description) {
        spec.addOption(OptionSpec.builder(name).type(List.class).auxiliaryTypes(String.class).arity("1")
                .paramLabel(paramLabel).description(description).build());
    }

    /** Declares {@code -m/--message}, recorded in the history with the change. */
    void messageOption() {
        spec.addOption(OptionSpec.builder("-m", "--message").type(String.class).paramLabel("MESSAGE")
                .description("Why: recorded in the history with the change.").build());
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

    /** Declares the required positional {@code ID} that may also name a version or a label. */
    void referenceParameter(String description) {
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("ID")
                .type(String.class).description(description).build());
    }

    /** Declares the positional parameter at {@code index} (after the id). */
    void positional(int index, String paramLabel, boolean required, String description) {
        spec.addPositional(PositionalParamSpec.builder().index(String.valueOf(index)).arity(required ? "1" : "0..1")
                .required(required).paramLabel(paramLabel).type(String.class).description(description).build());
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

    /**
     * The template id given as ID. It is read as a reference, so that an id containing {@code @} is written
     * {@code ID@latest} here as everywhere; a version or another label makes no sense to this command.
     */
    String templateId() {
        TemplateRef ref = TemplateRef.parse(id());
        if (ref.version() != null || ref.label() != null && !Labels.LATEST.equals(ref.label())) {
            throw usage("'" + spec.name() + "' takes a template id, not a version or label: '" + id() + "'");
        }
        return ref.id();
    }

    /** The value of the positional parameter at {@code index}, or null when it was not given. */
    String positional(int index) {
        return spec.positionalParameters().get(index).getValue();
    }

    /** The values of a repeatable option, in the order given. */
    List<String> values(String name) {
        List<String> values = value(name);
        return values == null ? List.of() : values;
    }

    List<String> positionals() {
        List<String> values = spec.positionalParameters().get(0).getValue();
        return values == null ? List.of() : values;
    }

    /** A template id and its flags, by name with dashes read as underscores; a repeated flag gives each value. */
    record TemplateArgs(String id, Map<String, List<String>> flags) {
    }

    /**
     * Reads the positionals {@code ID --NAME VALUE ...} (or {@code --NAME=VALUE}) of a command that takes a template
     * and named values; {@code noun} is what a flag gives, for the usage errors ({@code input}, {@code input or
     * parameter}).
     */
    TemplateArgs templateArgs(String noun) {
        List<String> args = positionals();
        String id = null;
        Map<String, List<String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw usage("option '" + a + "' needs a value: --NAME VALUE gives the " + noun + " NAME");
                }
                if (name.isEmpty()) {
                    throw usage("'" + a + "' names no " + noun);
                }
                flags.computeIfAbsent(name.replace('-', '_'), k -> new ArrayList<>()).add(value);
            } else if (a.startsWith("-") && a.length() > 1 && !looksNumeric(a)) {
                throw usage("unknown option '" + a + "': each " + noun + " is given as --NAME VALUE");
            } else if (id == null) {
                id = a;
            } else {
                throw usage("unexpected argument '" + a + "': inputs are given as --NAME VALUE after the ID");
            }
        }
        if (id == null) {
            throw usage("missing the template ID");
        }
        return new TemplateArgs(id, flags);
    }

    private static boolean looksNumeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
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
