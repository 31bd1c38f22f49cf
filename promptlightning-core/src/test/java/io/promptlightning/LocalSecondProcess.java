package io.promptlightning;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process on the same prompt directory, driven by {@link LocalRegistryHistoryTest} over stdin/stdout, one
 * command a line: {@code move ID LABEL VERSION[,VERSION...]} (moves the label to each version in turn, one write
 * each), {@code quit}. Answers one line each ({@code ok} or {@code error MESSAGE}).
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
