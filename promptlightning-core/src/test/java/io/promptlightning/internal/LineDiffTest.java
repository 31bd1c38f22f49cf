package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineDiffTest {
    static String resource(String path) throws IOException {
        try (InputStream in = LineDiffTest.class.getResourceAsStream("/diff/" + path)) {
            if (in == null) {
                throw new IOException("missing test resource /diff/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static String diff(String name, int context) throws IOException {
        return LineDiff.unified(name + "@1.0.0", lines(resource("text/" + name + "/from.txt")),
                name + "@2.0.0", lines(resource("text/" + name + "/to.txt")), context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prompt-edits", "repeated-lines", "all-new", "from-empty", "to-empty", "hunk-boundaries",
            "many-edits", "slide-horizon"})
    void printsWhatGnuDiffPrints(String name) throws IOException {
        assertEquals(resource("text/" + name + "/expected.diff"), diff(name, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"repeated-lines", "slide-horizon"})
    void printsWhatGnuDiffPrintsWithLessContext(String name) throws IOException {
        for (int context : new int[] {0, 1}) {
            assertEquals(resource("text/" + name + "/expected-" + context + ".diff"), diff(name, context),
                    context + " lines of context");
        }
    }

    @Test
    void equalListsGiveNothing() {
        assertEquals("", LineDiff.unified("a", List.of("x", "y"), "b", List.of("x", "y"), 3));
        assertEquals("", LineDiff.unified("a", List.of(), "b", List.of(), 3));
    }

    @Test
    void negativeContextIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LineDiff.unified("a", List.of("x"), "b", List.of("y"), -1));
        assertEquals("context must not be negative: -1", e.getMessage());
    }

    /**
     * On generated inputs: applying the diff to the old lines gives the new ones, and it changes no more lines than
     * a shortest edit script must (the lines outside a longest common subsequence, counted by dynamic programming).
     */
    @Test
    void theDiffTurnsOneSideIntoTheOtherWithAShortestScript() {
        Random random = new Random(20240611);
        for (int round = 0; round < 400; round++) {
            int alphabet = 2 + random.nextInt(12);
            List<String> from = randomLines(random, alphabet, random.nextInt(60));
            List<String> to = edited(random, from, alphabet);
            int context = random.nextInt(4);
            String diff = LineDiff.unified("old", from, "new", to, context);
            String what = "round " + round + ": " + from + " -> " + to;
            if (from.equals(to)) {
                assertEquals("", diff, what);
                continue;
            }
            assertEquals(to, apply(from, diff), what);
            long changed = diff.lines().skip(2).filter(l -> l.startsWith("-") || l.startsWith("+")).count();
            assertEquals(from.size() + to.size() - 2L * longestCommon(from, to), changed, what);
        }
    }

    private static List<String> randomLines(Random random, int alphabet, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(random.nextInt(5) == 0 ? "" : "line " + random.nextInt(alphabet));
        }
        return lines;
    }

    private static List<String> edited(Random random, List<String> lines, int alphabet) {
        List<String> out = new ArrayList<>(lines);
        for (int edits = random.nextInt(8); edits > 0; edits--) {
            int at = random.nextInt(out.size() + 1);
            switch (random.nextInt(3)) {
                case 0 -> out.addAll(at, randomLines(random, alphabet, 1 + random.nextInt(4)));
                case 1 -> {
                    for (int n = 1 + random.nextInt(4); n > 0 && at < out.size(); n--) {
                        out.remove(at);
                    }
                }
                default -> {
                    if (at < out.size()) {
                        out.set(at, "changed " + random.nextInt(alphabet));
                    }
                }
            }
        }
        return out;
    }

    /** Applies a unified diff, checking that every context and removed line is where the hunk header says. */
    private static List<String> apply(List<String> from, String diff) {
        List<String> lines = diff.lines().toList();
        assertTrue(lines.get(0).equals("--- old") && lines.get(1).equals("+++ new"), diff);
        List<String> out = new ArrayList<>();
        int next = 0; // the next line of 'from' not yet copied
        int i = 2;
        while (i < lines.size()) {
            String header = lines.get(i++);
            assertTrue(header.matches("@@ -\\d+(,\\d+)? \\+\\d+(,\\d+)? @@"), header);
            String[] parts = header.split(" ");
            int[] fromRange = range(parts[1].substring(1));
            int[] toRange = range(parts[2].substring(1));
            int start = fromRange[1] == 0 ? fromRange[0] : fromRange[0] - 1;
            while (next < start) {
                out.add(from.get(next++));
            }
            assertEquals(toRange[1] == 0 ? toRange[0] : toRange[0] - 1, out.size(), header);
            int removedOrKept = 0;
            int insertedOrKept = 0;
            while (i < lines.size() && !lines.get(i).startsWith("@@")) {
                String line = lines.get(i++);
                char kind = line.charAt(0);
                String text = line.substring(1);
                if (kind == ' ' || kind == '-') {
                    assertEquals(from.get(next++), text, header);
                    removedOrKept++;
                }
                if (kind == ' ' || kind == '+') {
                    out.add(text);
                    insertedOrKept++;
                }
            }
            assertEquals(fromRange[1], removedOrKept, header);
            assertEquals(toRange[1], insertedOrKept, header);
        }
        while (next < from.size()) {
            out.add(from.get(next++));
        }
        return out;
    }

    private static int[] range(String text) {
        int comma = text.indexOf(',');
        return comma < 0 ? new int[] {Integer.parseInt(text), 1}
                : new int[] {Integer.parseInt(text.substring(0, comma)), Integer.parseInt(text.substring(comma + 1))};
    }

    private static int longestCommon(List<String> a, List<String> b) {
        int[][] table = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                table[i][j] = a.get(i).equals(b.get(j)) ? table[i + 1][j + 1] + 1
                        : Math.max(table[i + 1][j], table[i][j + 1]);
            }
        }
        return table[0][0];
    }
}
