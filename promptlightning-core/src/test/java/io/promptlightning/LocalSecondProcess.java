package io.promptlightning;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process on the same prompt directory, driven by {@link LocalRegistryHistoryTest} over stdin/stdout, one
 * command a line: {@code move ID LABEL VERSION[,VERSION...]} (moves the label to each version in turn, one write
 * each), {@code moves ID LABEL VERSION,VERSION...} (moves the label to each version in turn, printing
 * {@code move N} after each, until killed), {@code batches PREFIX SIZE} (saves batches of SIZE templates {@code PREFIX-B-I}, one write a batch, printing
 * {@code batch B} after each, until killed), {@code quit}. Answers one line each ({@code ok} or {@code error MESSAGE}).
 *
 * <p>Argument: the prompt directory.
 */
public final class LocalSecondProcess {
    private LocalSecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LocalRegistry registry = LocalRegistry.open(Path.of(args[0]))) {
            out.println("ready");
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ");
                try {
                    switch (words[0]) {
                        case "move":
                            for (String version : words[3].split(",")) {
                                registry.moveLabel(words[1], words[2], version, "from the second process");
                            }
                            out.println("ok");
                            break;
                        case "moves": { // moves the label back and forth between versions until killed
                            String[] versions = words[3].split(",");
                            for (int n = 0; ; n++) {
                                registry.moveLabel(words[1], words[2], versions[n % versions.length], "move " + n);
                                out.println("move " + n);
                            }
                        }
                        case "batches": {
                            int size = Integer.parseInt(words[2]);
                            for (int b = 0; ; b++) {
                                java.util.List<TemplateSpec> batch = new java.util.ArrayList<>();
                                for (int i = 0; i < size; i++) {
                                    batch.add(new TemplateSpec(words[1] + "-" + b + "-" + i, "1.0.0", null,
                                            "batch " + b + " item " + i + " {{ x }}", null, java.util.Map.of("batch", b)));
                                }
                                registry.saveAll(batch, SaveOptions.message("batch " + b));
                                out.println("batch " + b);
                            }
                        }
                        case "quit":
                            out.println("bye");
                            return;
                        default:
                            out.println("error unknown command " + words[0]);
                    }
                } catch (RuntimeException e) {
                    out.println("error " + e);
                }
            }
        }
    }
}
