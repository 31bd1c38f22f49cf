package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM on the test class path, running a {@code main} that answers one line per request line after printing
 * {@code ready} ({@link LmdbSecondProcess}, {@link LocalSecondProcess}): how the tests make a second process use the
 * same database or directory.
 */
final class SecondJvm implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private SecondJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code main} with {@code args} and waits for its {@code ready}. */
    static SecondJvm start(Class<?> main, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("second-jvm", ".log");
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        SecondJvm second = new SecondJvm(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
        assertEquals("ready", second.next());
        return second;
    }

    String ask(String command) throws Exception {
        send(command);
        return next();
    }

    /** Sends a request without waiting for its answer, which {@link #next()} then reads. */
    void send(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    String next() throws Exception {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line, () -> "no answer from the second process; its stderr: " + readLog());
        return line;
    }

    /** The next line, or null when none comes within {@code wait}. */
    String poll(Duration wait) throws InterruptedException {
        return lines.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Kills the process with SIGKILL, as a crash would, and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Closes its input (so it ends) and waits for it. */
    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
