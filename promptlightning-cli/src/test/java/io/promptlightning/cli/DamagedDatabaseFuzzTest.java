package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncation and bit-flip fuzzing of a copy of an LMDB project: every read command, run in a JVM of its own under a
 * time limit, must end with a clean error or print exactly what it printed before the damage; never a crash of the
 * JVM, never a hang, never altered content. {@code -Dpromptlightning.fuzz.trials=N} runs N damaged copies (24 by
 * default; the figures in docs/RELIABILITY.md come from longer runs).
 */
class DamagedDatabaseFuzzTest {
    private static final int TRIALS = Integer.getInteger("promptlightning.fuzz.trials", 24);
    private static final long SEED = Long.getLong("promptlightning.fuzz.seed", 20261207L);
    private static final long COMMAND_SECONDS = 120;

    @TempDir
    Path tmp;

    private static final List<String> COMMANDS = List.of("list", "get summarizer", "get analyzer --format json",
            "get summarizer@production", "versions summarizer --json", "labels summarizer --history --json",
            "versions analyzer --json", "render summarizer --input-text hello", "export", "search --tag analysis");

    @Test
    void everyCommandOnADamagedCopyFailsCleanlyOrPrintsWhatItPrintedBefore() throws Exception {
        Path original = tmp.resolve("original");
        Cli.project(original, Cli.Kind.LMDB);
        try (LmdbRegistry registry = LmdbRegistry.open(original.resolve("templates.lmdb"))) {
            List<TemplateSpec> next = new ArrayList<>();
            for (TemplateSpec spec : registry.listIds().stream().map(registry::load).toList()) {
                next.add(new TemplateSpec(spec.id(), "9.0.0", spec.description(), spec.template() + "\nv9",
                        spec.inputs(), spec.metadata()));
            }
            registry.saveAll(next, SaveOptions.message("a second version of everything"));
            registry.moveLabel("summarizer", "production", "9.0.0", "ship");
            registry.moveLabel("summarizer", "production", registry.versions("summarizer").get(0).version(),
                    "roll back");
        }
        List<Outcome> expected = run(original);
        for (int i = 0; i < COMMANDS.size(); i++) {
            assertEquals(0, expected.get(i).code(), COMMANDS.get(i) + " on the intact project: " + expected.get(i));
        }

        Random random = new Random(SEED);
        Path data = original.resolve("templates.lmdb").resolve("data.mdb");
        long size = Files.size(data);
        int cleanErrors = 0;
        int unchanged = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Path copy = tmp.resolve("trial-" + trial);
            copyTree(original, copy);
            Path damaged = copy.resolve("templates.lmdb").resolve("data.mdb");
            String what;
            if (trial % 3 == 0) {
                long to = (long) (random.nextDouble() * size);
                try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw")) {
                    raf.setLength(to);
                }
                what = "truncated to " + to + " bytes";
            } else {
                byte[] bytes = Files.readAllBytes(damaged);
                StringBuilder flips = new StringBuilder("bits flipped at");
                for (int f = 0; f < 1 + random.nextInt(3); f++) {
                    int at = random.nextInt(bytes.length);
                    int bit = random.nextInt(8);
                    bytes[at] ^= (byte) (1 << bit);
                    flips.append(' ').append(at).append('.').append(bit);
                }
                Files.write(damaged, bytes);
                what = flips.toString();
            }
            List<Outcome> outcomes = run(copy);
            for (int i = 0; i < COMMANDS.size(); i++) {
                Outcome got = outcomes.get(i);
                String where = "trial " + trial + " (" + what + "), '" + COMMANDS.get(i) + "': " + got;
                if (got.code() == 0) {
                    assertEquals(comparable(expected.get(i).out()), comparable(got.out()),
                            "altered content with exit 0 in " + where);
                    unchanged++;
                } else {
                    assertEquals(1, got.code(), where);
                    assertTrue(got.err().startsWith("error: "), where);
                    assertTrue(!got.err().contains("this is a bug") && !got.err().contains("internal error"), where);
                    cleanErrors++;
                }
            }
        }
        System.out.println("DamagedDatabaseFuzzTest: " + TRIALS + " damaged copies, " + TRIALS * COMMANDS.size()
                + " commands: " + unchanged + " printed the intact output, " + cleanErrors + " clean errors, 0"
                + " crashes, 0 hangs, 0 altered outputs (seed " + SEED + ")");
    }

    private record Outcome(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Every command in one JVM of its own; a JVM that dies or takes too long fails the test. */
    private List<Outcome> run(Path project) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"), "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DamagedDatabaseCommands.class.getName(), project.toString()));
        command.addAll(COMMANDS);
        Path out = tmp.resolve("commands.out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("commands.err").toFile()).start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the commands on " + project + " hung for " + COMMAND_SECONDS + " s; done: "
                    + Files.readAllLines(out).size() + " of " + COMMANDS.size());
        }
        assertEquals(0, process.exitValue(), () -> "the JVM running the commands on " + project + " died (exit "
                + process.exitValue() + ") after " + lines(out) + " of " + COMMANDS.size() + " commands: "
                + readQuietly(tmp.resolve("commands.err")));
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            String[] parts = line.split(" ", -1);
            outcomes.add(new Outcome(Integer.parseInt(parts[0]), decode(parts[1]), decode(parts[2])));
        }
        assertEquals(COMMANDS.size(), outcomes.size());
        return outcomes;
    }

    /** The output without the time an export was made. */
    private static String comparable(String out) {
        return out.replaceFirst("\"exported_at\":\"[^\"]*\"", "\"exported_at\":\"\"");
    }

    private static int lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("lock.mdb")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
