package io.promptlightning.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Runs the read commands of {@link DamagedDatabaseFuzzTest} on one project, in a JVM of their own, so that a crash
 * or a hang on a damaged database is seen by the test instead of ending it. Arguments: the project directory, then
 * each command as one argument with its words separated by spaces. Prints one line per command:
 * {@code EXIT_CODE BASE64(stdout) BASE64(stderr)}.
 */
public final class DamagedDatabaseCommands {
    private DamagedDatabaseCommands() {
    }

    public static void main(String[] args) {
        Path project = Path.of(args[0]);
        PrintStream report = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (int i = 1; i < args.length; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CliContext ctx = new CliContext(project, project.resolve("home"), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                            StandardCharsets.UTF_8), false);
            int code = PromptLightningCli.run(ctx, args[i].split(" "));
            report.println(code + " " + Base64.getEncoder().encodeToString(out.toByteArray()) + " "
                    + Base64.getEncoder().encodeToString(err.toByteArray()));
        }
        System.exit(0);
    }
}
