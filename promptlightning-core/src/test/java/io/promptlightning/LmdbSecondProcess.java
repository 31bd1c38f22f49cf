package io.promptlightning;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second process on the same LMDB database, driven by {@link LmdbRegistryTest} over stdin/stdout, one command a
 * line: {@code save ID VERSION [TEMPLATE_BYTES]}, {@code saveMany PREFIX N} (saves {@code PREFIX-0} to
 * {@code PREFIX-(N-1)}, one transaction each), {@code load ID}, {@code count}, {@code mapsize},
 * {@code label ID LABEL VERSION MESSAGE} (moves a label), {@code batches PREFIX SIZE} (saves batches of SIZE
 * templates {@code PREFIX-B-I}, one transaction a batch, printing {@code batch B} after each, until killed),
 * {@code moves ID LABEL V1,V2,...} (moves the label to each version in turn, printing {@code move N} after each, until
 * killed),
 * {@code quit}.
 * Answers one line each ({@code ok}, {@code version V}, {@code missing}, a number, or {@code error MESSAGE}).
 *
 * <p>Arguments: the database directory and the initial map size.
 */
public final class LmdbSecondProcess {
    private LmdbSecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LmdbRegistry registry = LmdbRegistry.builder(Path.of(args[0])).mapSize(Long.parseLong(args[1])).build()) {
            out.println("ready");
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.split(" ");
                try {
                    switch (words[0]) {
                        case "save": {
                            int size = words.length > 3 ? Integer.parseInt(words[3]) : 0;
                            registry.save(new TemplateSpec(words[1], words[2], null,
                                    "Hello {{ name }} " + "x".repeat(size), Map.of("name", InputSpec.of(
                                            InputType.STRING, true)), Map.of("writer", "second process")));
                            out.println("ok");
                            break;
                        }
                        case "saveMany":
                            for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                                registry.save(new TemplateSpec(words[1] + "-" + i, "1.0.0", null, "n" + i, null, null));
                            }
                            out.println("ok");
                            break;
                        case "label":
                            registry.moveLabel(words[1], words[2], words[3], words[4]);
                            out.println("ok");
                            break;
                        case "batches": {
                            int size = Integer.parseInt(words[2]);
                            for (int b = 0; ; b++) {
                                java.util.List<TemplateSpec> batch = new java.util.ArrayList<>();
                                for (int i = 0; i < size; i++) {
                                    batch.add(new TemplateSpec(words[1] + "-" + b + "-" + i, "1.0.0", null,
                                            "batch " + b + " item " + i + " {{ x }}", null, Map.of("batch", b)));
                                }
                                registry.saveAll(batch, SaveOptions.message("batch " + b));
                                out.println("batch " + b);
                            }
                        }
                        case "moves": { // moves a label back and forth between versions until killed
                            String[] versions = words[3].split(",");
                            for (int n = 0; ; n++) {
                                registry.moveLabel(words[1], words[2], versions[n % versions.length], "move " + n);
                                out.println("move " + n);
                            }
                        }
                        case "load":
                            try {
                                out.println("version " + registry.load(words[1]).version());
                            } catch (TemplateNotFoundException e) {
                                out.println("missing");
                            }
                            break;
                        case "count":
                            out.println(registry.count());
                            break;
                        case "mapsize":
                            out.println(registry.mapSize());
                            break;
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
