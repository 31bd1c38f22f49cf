package io.promptlightning;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LmdbRegistry#verify} in a child JVM and reads its report back, one line a fact: {@code templates N},
 * {@code versions N}, {@code problem FILE<TAB>LINE<TAB>ID<TAB>MESSAGE} (tabs, newlines and backslashes escaped),
 * then {@code done}. A child that ends without {@code done} crashed, which is itself the finding.
 */
final class LmdbVerification {
    /** A check of the largest databases takes seconds; a child silent for this long is stuck. */
    private static final long TIMEOUT_MINUTES = 30;

    private LmdbVerification() {
    }

    /** The child's entry point: verifies the database named by the one argument and prints the report. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        VerifyReport report = LmdbRegistry.verifyInThisProcess(Path.of(args[0]));
        out.println("templates " + report.templates());
        out.println("versions " + report.versions());
        for (Problem p : report.problems()) {
            out.println("problem " + escape(p.file() == null ? "" : p.file().toString()) + '\t' + p.line() + '\t'
                    + escape(p.templateId() == null ? "" : p.templateId()) + '\t' + escape(p.message()));
        }
        out.println("done");
        out.flush();
        System.exit(0); // the change-poll thread is a daemon, but the check is over
    }

    static VerifyReport inChildProcess(Path dir) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = System.getProperty("java.class.path", "");
        if (!Files.isExecutable(java) || classPath.isEmpty()) {
            return LmdbRegistry.verifyInThisProcess(dir);
        }
        List<String> command = List.of(java.toString(), "-Xss4m", "-XX:+UseSerialGC", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=/dev/null", "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath, LmdbVerification.class.getName(),
                dir.toAbsolutePath().toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return LmdbRegistry.verifyInThisProcess(dir);
        }
        long templates = 0;
        long versions = 0;
        List<Problem> problems = new ArrayList<>();
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("done")) {
                    done = true;
                } else if (line.startsWith("templates ")) {
                    templates = Long.parseLong(line.substring(10));
                } else if (line.startsWith("versions ")) {
                    versions = Long.parseLong(line.substring(9));
                } else if (line.startsWith("problem ")) {
                    String[] parts = line.substring(8).split("\t", -1);
                    problems.add(new Problem(parts[0].isEmpty() ? dir : Path.of(unescape(parts[0])),
                            Integer.parseInt(parts[1]), parts[2].isEmpty() ? null : unescape(parts[2]),
                            unescape(parts[3])));
                }
            }
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            problems.add(new Problem(dir, 0, null, "the check could not be read back: " + e));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            problems.add(new Problem(dir, 0, null, "the check was interrupted"));
        }
        if (!done) {
            if (!process.isAlive() && process.exitValue() == 1 && templates == 0 && problems.isEmpty()) {
                return LmdbRegistry.verifyInThisProcess(dir); // the class path did not start the check at all
            }
            int exit = process.isAlive() ? -1 : process.exitValue();
            problems.add(new Problem(dir.resolve(LmdbFile.DATA_FILE), 0, null, exit > 128
                    ? "LMDB crashed reading the database (signal " + (exit - 128) + "): it is damaged; restore it"
                            + " from a backup ('promptlightning restore BACKUP')"
                    : "the check ended before it finished (exit code " + exit + "); restore the database from a"
                            + " backup if it keeps failing"));
        }
        return new VerifyReport("lmdb", dir, templates, versions, problems);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                sb.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
