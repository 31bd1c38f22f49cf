package io.promptlightning;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A second process appending to an execution log, driven by {@link SqliteExecutionLogTest} over stdin/stdout, one
 * command a line:
 * <ul>
 *   <li>{@code append PREFIX N}: appends N records, templates {@code PREFIX-0} to {@code PREFIX-(N-1)}; answers
 *   {@code ok} once they are queued, not stored;</li>
 *   <li>{@code steady PREFIX RATE OUTPUT_CHARS STORE_MICROS}: appends records {@code PREFIX-0}, {@code PREFIX-1},
 *   ... at RATE a second (catching up when {@code append} held it back), each with an answer of OUTPUT_CHARS
 *   characters and, when STORE_MICROS is above zero, an input whose text takes that long to write, which makes each
 *   record as slow to store as a slow disk would; prints {@code appended N} as each record returns from
 *   {@code append}, and never stops: the test kills it;</li>
 *   <li>{@code exit}: answers {@code bye} and returns from {@code main} without closing the log, as a program that
 *   forgets to would.</li>
 * </ul>
 *
 * <p>Arguments: the log file, then optionally its flush interval in milliseconds. Its busy timeout is a minute, so
 * that a test holding the database's write lock keeps everything queued until it lets go.
 */
public final class ExecutionLogSecondProcess {
    private ExecutionLogSecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        SqliteExecutionLog.Builder options = SqliteExecutionLog.builder(Path.of(args[0]))
                .busyTimeout(Duration.ofMinutes(1));
        if (args.length > 1) {
            options.flushInterval(Duration.ofMillis(Long.parseLong(args[1])));
        }
        SqliteExecutionLog log = options.build();
        out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "append" -> {
                    for (int i = 0; i < Integer.parseInt(words[2]); i++) {
                        log.append(new ExecutionRecord(words[1] + "-" + i, "1.0.0", null, Map.of("i", i), "out " + i,
                                "openai", "gpt-4o", 10, 5, 0.0001, 3, Instant.now(), null, null));
                    }
                    out.println("ok");
                }
                case "steady" -> appendSteadily(log, out, words[1], Double.parseDouble(words[2]),
                        "x".repeat(Integer.parseInt(words[3])), Long.parseLong(words[4]));
                case "exit" -> {
                    out.println("bye");
                    return;
                }
                default -> out.println("error unknown command " + words[0]);
            }
        }
    }

    private static void appendSteadily(SqliteExecutionLog log, PrintStream out, String prefix, double perSecond,
            String output, long storeMicros) {
        Object slowInput = new SlowText(storeMicros);
        long start = System.nanoTime();
        for (long appended = 0; ; appended++) {
            long dueAt = start + (long) (appended * 1e9 / perSecond);
            for (long early = dueAt - System.nanoTime(); early > 0; early = dueAt - System.nanoTime()) {
                LockSupport.parkNanos(early);
            }
            Map<String, Object> inputs = storeMicros > 0 ? Map.of("i", appended, "slow", slowInput)
                    : Map.of("i", appended);
            log.append(new ExecutionRecord(prefix + "-" + appended, "1.0.0", null, inputs, output, "openai", "gpt-4o",
                    10, 5, 0.0001, 3, Instant.now(), null, null));
            out.println("appended " + (appended + 1));
        }
    }

    /** An input value whose text, which the log writes in {@code inputs_json}, takes a while to produce. */
    private record SlowText(long micros) {
        @Override
        public String toString() {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
            return "slow";
        }
    }
}
