package io.promptlightning;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A second process appending to an execution log, driven by {@link SqliteExecutionLogTest} over stdin/stdout, one
 * command a line: {@code append PREFIX N} (appends N records, templates {@code PREFIX-0} to {@code PREFIX-(N-1)};
 * answers {@code ok} once they are queued, not stored), {@code exit} (answers {@code bye} and returns from
 * {@code main} without closing the log, as a program that forgets to would).
 *
 * <p>Argument: the log file. Its busy timeout is a minute, so that a test holding the database's write lock keeps
 * everything queued until it lets go.
 */
public final class ExecutionLogSecondProcess {
    private ExecutionLogSecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        SqliteExecutionLog log = SqliteExecutionLog.builder(Path.of(args[0])).busyTimeout(Duration.ofMinutes(1))
                .build();
        out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "append":
                    for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                        log.append(new ExecutionRecord(words[1] + "-" + i, "1.0.0", null, Map.of("i", i), "out " + i,
                                "openai", "gpt-4o", 10, 5, 0.0001, 3, Instant.now(), null, null));
                    }
                    out.println("ok");
                    break;
                case "exit":
                    out.println("bye");
                    return;
                default:
                    out.println("error unknown command " + words[0]);
            }
        }
    }
}
