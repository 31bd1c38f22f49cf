package io.promptlightning.cli;

import io.promptlightning.ExecutionResult;
import io.promptlightning.InputSpec;
import io.promptlightning.TemplateHandle;
import io.promptlightning.ValidationException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code run ID --model M [--NAME VALUE]...}: renders a template and sends it to a model. Flags naming one of the
 * template's inputs give that input; every other unknown flag is a parameter for the model.
 */
final class RunCommand extends CliCommand {
    RunCommand(PromptLightningCli root) {
        super(root, "run", "Run a template against a model and print the answer.",
                "Each --NAME VALUE names an input of the template (dashes become underscores: --input-text sets"
                        + " input_text) or, when the template has no such input, a parameter sent to the model"
                        + " (--seed 7, --stop '[\"END\"]', --frequency-penalty 0.5): a parameter's value is read"
                        + " as JSON when it is JSON, else as a string. Missing required inputs are reported before"
                        + " any call.",
                "Keys and endpoints come from providers: in promptlightning.yaml, the environment (OPENAI_API_KEY,"
                        + " ANTHROPIC_API_KEY, GEMINI_API_KEY, OLLAMA_HOST, ...) or a .env file; the run is logged"
                        + " when logging: is enabled.");
        spec.usageMessage().customSynopsis("promptlightning run ID --model MODEL [--temperature T] [--max-tokens N]",
                "    [--top-p P] [--json | --quiet] [--stream] [--NAME VALUE]...");
        spec.addOption(OptionSpec.builder("--model").type(String.class).paramLabel("MODEL").required(true)
                .description("gpt-4o-mini, claude-sonnet-4-5, gemini-2.5-flash, ollama/llama3, PROVIDER/MODEL, ...")
                .build());
        option("--temperature", Double.class, "T", null, "Sampling temperature (0 or more).");
        option("--max-tokens", Integer.class, "N", null, "The most tokens the answer may have.");
        option("--top-p", Double.class, "P", null, "Nucleus sampling, 0 to 1.");
        flag("--json", "Print the result as a JSON object {output, provider, model, tokens_in, tokens_out,"
                + " cost_usd, latency_ms}.");
        flag("--quiet", "Print only the answer.");
        flag("--stream", "Print the answer as it arrives, then the summary.");
        // the id and every --NAME VALUE: options this command does not know arrive here (see commandLine())
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).paramLabel("ID").hidden(true).build());
    }

    @Override
    public Integer call() {
        boolean json = flag("--json");
        boolean quiet = flag("--quiet");
        boolean stream = flag("--stream");
        if (json && quiet) {
            throw usage("--json and --quiet choose different outputs: give one");
        }
        if (json && stream) {
            throw usage("--stream prints the answer as it arrives and --json once it is complete: give one");
        }
        TemplateArgs given = templateArgs("input or parameter");
        String id = given.id();
        Map<String, List<String>> flags = given.flags();

        CliContext ctx = ctx();
        PrintStream out = ctx.out();
        try (Project project = root.openProject(false)) {
            project.modelVault(ctx.environment(), ctx.workDir(), ctx.err()::println);
            TemplateHandle handle = Lookup.handle(project, id);
            Map<String, Object> inputs = new LinkedHashMap<>();
            Map<String, Object> params = new LinkedHashMap<>();
            putIfGiven(params, "temperature", value("--temperature"));
            putIfGiven(params, "max_tokens", value("--max-tokens"));
            putIfGiven(params, "top_p", value("--top-p"));
            for (Map.Entry<String, List<String>> e : flags.entrySet()) {
                InputSpec declared = handle.inputs().get(e.getKey());
                if (declared != null) {
                    inputs.put(e.getKey(), RenderCommand.flagValue(declared, e.getValue()));
                } else {
                    params.put(e.getKey(), parameterValue(e.getValue()));
                }
            }
            List<String> missing = missingInputs(handle, inputs);
            if (!missing.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: template '" + id + "' needs the input" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + "; nothing was sent to the model");
                err.println(usageLine(id, handle));
                err.flush();
                return PromptLightningCli.USAGE;
            }
            ExecutionResult result;
            try {
                if (stream) {
                    result = handle.stream(value("--model"), inputs, params, token -> {
                        out.print(token);
                        out.flush();
                    });
                } else {
                    result = handle.execute(value("--model"), inputs, params);
                }
            } catch (ValidationException e) {
                throw new CliException(e.getMessage(), "nothing was sent to the model; " + usageLine(id, handle), e);
            }
            if (stream) {
                out.println();
                if (!quiet) {
                    out.println(summary(result));
                }
            } else if (json) {
                out.println(Json.pretty(asJson(result)));
            } else if (quiet) {
                out.println(result.output());
            } else {
                out.println(summary(result));
                out.println(result.output());
            }
        }
        out.flush();
        return PromptLightningCli.OK;
    }

    private static void putIfGiven(Map<String, Object> params, String name, Object value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    /** A parameter given by flags: JSON when it parses ({@code 7}, {@code [".."]}, {@code true}), else the text. */
    static Object parameterValue(List<String> values) {
        List<Object> parsed = new ArrayList<>(values.size());
        for (String v : values) {
            Object value;
            try {
                value = Json.parse(v);
            } catch (IllegalArgumentException notJson) {
                value = v;
            }
            parsed.add(value == null ? v : value);
        }
        return parsed.size() == 1 ? parsed.get(0) : parsed;
    }

    private static List<String> missingInputs(TemplateHandle handle, Map<String, Object> given) {
        List<String> missing = new ArrayList<>();
        handle.inputs().forEach((name, in) -> {
            if (in.required() && in.defaultValue() == null && !given.containsKey(name)) {
                missing.add(flagName(name));
            }
        });
        return missing;
    }

    private static String flagName(String input) {
        return "--" + input.replace('_', '-');
    }

    /** {@code usage: promptlightning run ID --model MODEL --input-text STRING [--tone ENUM (default: casual)]}. */
    static String usageLine(String id, TemplateHandle handle) {
        StringBuilder line = new StringBuilder("usage: promptlightning run ").append(id).append(" --model MODEL");
        handle.inputs().forEach((name, in) -> {
            String flag = flagName(name) + " " + in.type().wireName().toUpperCase(Locale.ROOT);
            if (in.required() && in.defaultValue() == null) {
                line.append(' ').append(flag);
            } else {
                line.append(" [").append(flag)
                        .append(in.defaultValue() == null ? "" : " (default: " + in.defaultValue() + ")").append(']');
            }
        });
        return line.toString();
    }

    /** The result as the original's CLI prints it with {@code --json}. */
    static Map<String, Object> asJson(ExecutionResult r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("output", r.output());
        json.put("provider", r.provider());
        json.put("model", r.model());
        json.put("tokens_in", r.tokensIn());
        json.put("tokens_out", r.tokensOut());
        json.put("cost_usd", r.costUsd());
        json.put("latency_ms", r.latencyMs());
        return json;
    }

    /** The boxed summary: model, provider, cost, latency, tokens. */
    static String summary(ExecutionResult r) {
        String[][] rows = {
            {"model", r.model()},
            {"provider", r.provider()},
            {"cost", String.format(Locale.ROOT, "$%.6f", r.costUsd())},
            {"latency", r.latencyMs() + " ms"},
            {"tokens", r.tokensIn() + " in, " + r.tokensOut() + " out"},
        };
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, row[1].length());
        }
        String rule = "─".repeat(width + 12);
        StringBuilder box = new StringBuilder("┌").append(rule).append("┐\n");
        for (String[] row : rows) {
            box.append("│ ").append(String.format(Locale.ROOT, "%-9s", row[0])).append(' ').append(row[1])
                    .append(" ".repeat(width - row[1].length())).append(" │\n");
        }
        return box.append("└").append(rule).append("┘").toString();
    }
}
