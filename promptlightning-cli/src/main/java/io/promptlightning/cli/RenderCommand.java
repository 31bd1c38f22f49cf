package io.promptlightning.cli;

import io.promptlightning.InputSpec;
import io.promptlightning.InputType;
import io.promptlightning.Labels;
import io.promptlightning.PromptLightningException;
import io.promptlightning.RegistryException;
import io.promptlightning.RenderException;
import io.promptlightning.TemplateHandle;
import io.promptlightning.TemplateNotFoundException;
import io.promptlightning.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.PositionalParamSpec;

final class RenderCommand extends CliCommand {
    RenderCommand(PromptLightningCli root) {
        super(root, "render", "Render a template with inputs and print the result.",
                "Each --NAME VALUE gives the input NAME (dashes become underscores: --input-text sets input_text);"
                        + " the value is a string that the input's type converts (\"yes\" for a boolean; \"3\" for a"
                        + " number is 3.0, as the original's float() reads it: declare the input integer to get 3)."
                        + " For object and array inputs a value starting with { or [ is read as JSON."
                        + " Repeating a flag gives a list. --NAME=VALUE works too.",
                "With --batch, reads JSON lines {\"id\": ..., \"inputs\": {...}} from stdin and writes one line per"
                        + " request, in order: {\"id\": ..., \"output\": ...} or {\"id\": ..., \"error\": {\"type\":"
                        + " ..., \"message\": ...}}. A bad line is answered with an error and the rest go on; the exit"
                        + " code is 1 if any request failed.");
        spec.usageMessage().customSynopsis("promptlightning render ID [--NAME VALUE]... [--inputs JSON] [--json]",
                "promptlightning render --batch < requests.jsonl");
        option("--inputs", String.class, "JSON", null,
                "Inputs as a JSON object, or @FILE to read it from a file. --NAME flags override its keys.");
        flag("--json", "Print {\"id\": ..., \"output\": ...} as JSON.");
        flag("--batch", "Render JSON-lines requests from stdin (see above).");
        // the id and every --NAME VALUE: options this command does not know arrive here (see commandLine())
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).paramLabel("ID").hidden(true).build());
    }

    @Override
    public Integer call() throws IOException {
        List<String> args = positionals();
        String inputsJson = value("--inputs");
        boolean json = flag("--json");
        if (flag("--batch")) {
            if (!args.isEmpty() || inputsJson != null || json) {
                throw usage("--batch takes its requests from stdin: no ID, --NAME, --inputs or --json with it");
            }
            return batch();
        }
        TemplateArgs given = templateArgs("input");
        String id = given.id();
        Map<String, List<String>> flags = given.flags();
        Map<String, Object> fromJson = inputsJson == null ? Map.of() : readInputsOption(inputsJson);

        String output;
        try (Project project = root.openProject(false)) {
            TemplateHandle handle = Lookup.handle(project, id);
            Map<String, Object> inputs = new LinkedHashMap<>(fromJson);
            for (Map.Entry<String, List<String>> e : flags.entrySet()) {
                InputSpec declared = handle.inputs().get(e.getKey());
                inputs.put(e.getKey(), flagValue(declared, e.getValue()));
            }
            List<String> unknown = new ArrayList<>();
            for (String name : inputs.keySet()) {
                if (!handle.inputs().containsKey(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                ctx().err().println("warning: template '" + id + "' has no input"
                        + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + " (ignored); its inputs: "
                        + describeInputs(handle));
            }
            try {
                output = handle.render(inputs);
            } catch (ValidationException e) {
                throw new CliException(e.getMessage(), "its inputs: " + describeInputs(handle)
                        + "; give them as --NAME VALUE or --inputs JSON", e);
            }
        }
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", id);
            answer.put("output", output);
            ctx().out().println(Json.compact(answer));
        } else {
            ctx().out().println(output);
        }
        return PromptLightningCli.OK;
    }

    /** The value of an input given by flags: strings for the input's type to convert; JSON for structured types. */
    static Object flagValue(InputSpec declared, List<String> values) {
        List<Object> converted = new ArrayList<>(values.size());
        for (String v : values) {
            converted.add(declared != null && takesJson(declared.type()) ? jsonOrString(v) : v);
        }
        return converted.size() == 1 ? converted.get(0) : converted;
    }

    private static boolean takesJson(InputType type) {
        switch (type) {
            case OBJECT:
            case ARRAY:
            case ARRAY_NUMBER:
            case ARRAY_OBJECT:
            case ARRAY_STRING:
                return true;
            default:
                return false;
        }
    }

    private static Object jsonOrString(String v) {
        String t = v.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return Json.parse(t);
            } catch (IllegalArgumentException notJson) {
                return v;
            }
        }
        return v;
    }

    private Map<String, Object> readInputsOption(String value) {
        String text = value;
        String source = "--inputs";
        if (value.startsWith("@")) {
            Path file = ctx().workDir().resolve(value.substring(1));
            source = file.toString();
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.cannotRead(file, e, "--inputs @FILE reads a JSON object from FILE");
            }
        }
        try {
            return Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(source + " is not a JSON object: " + e.getMessage(),
                    "for example --inputs '{\"input_text\": \"...\"}'");
        }
    }

    static String describeInputs(TemplateHandle handle) {
        if (handle.inputs().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        handle.inputs().forEach((name, in) -> parts.add(name + " (" + in.type().wireName()
                + (in.required() && in.defaultValue() == null ? ", required" : "") + ")"));
        return String.join(", ", parts);
    }

    // ------------------------------------------------------------------------------------------------- batch

    private int batch() throws IOException {
        CliContext ctx = ctx();
        PrintStream out = ctx.out();
        int requests = 0;
        int failed = 0;
        try (Project project = root.openProject(false)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                requests++;
                Map<String, Object> answer = answer(project, line, lineNumber);
                if (answer.containsKey("error")) {
                    failed++;
                }
                out.print(Json.compact(answer));
                out.print('\n');
                if (!in.ready()) {
                    out.flush(); // nothing more waiting: whoever feeds us may be waiting for this answer
                }
            }
        }
        out.flush();
        if (failed > 0) {
            ctx.err().println("error: " + failed + " of " + requests + " requests failed (their error objects are"
                    + " on stdout)");
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }

    private static Map<String, Object> answer(Project project, String line, int lineNumber) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Object id = null;
        try {
            Map<String, Object> request;
            try {
                request = Json.parseObject(line);
            } catch (IllegalArgumentException e) {
                return error(answer, null, "invalid_request", "line " + lineNumber + ": not a JSON object: "
                        + e.getMessage());
            }
            id = request.get("id");
            if (!(id instanceof String)) {
                return error(answer, id, "invalid_request", "line " + lineNumber + ": \"id\" must be a string, found "
                        + Json.kind(id));
            }
            Object inputs = request.get("inputs");
            if (inputs != null && !(inputs instanceof Map)) {
                return error(answer, id, "invalid_request", "line " + lineNumber + ": \"inputs\" must be an object,"
                        + " found " + Json.kind(inputs));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> given = inputs == null ? Map.of() : (Map<String, Object>) inputs;
            String output = project.vault().get((String) id).render(given);
            answer.put("id", id);
            answer.put("output", output);
            return answer;
        } catch (TemplateNotFoundException e) {
            // for ID@VERSION, ID@LABEL or a default label the registry's message says which part is missing
            boolean latest = ((String) id).indexOf('@') < 0 && Labels.LATEST.equals(project.config.defaultLabel());
            return error(answer, id, "not_found", latest ? "no template '" + id + "'" : e.getMessage());
        } catch (ValidationException e) {
            return error(answer, id, "validation", e.getMessage());
        } catch (RenderException e) {
            return error(answer, id, "render", e.getMessage());
        } catch (RegistryException e) {
            return error(answer, id, "registry", e.getMessage());
        } catch (PromptLightningException e) {
            return error(answer, id, "error", e.getMessage());
        } catch (RuntimeException e) {
            return error(answer, id, "internal", e.toString());
        }
    }

    private static Map<String, Object> error(Map<String, Object> answer, Object id, String type, String message) {
        answer.clear();
        answer.put("id", id);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        answer.put("error", error);
        return answer;
    }
}
