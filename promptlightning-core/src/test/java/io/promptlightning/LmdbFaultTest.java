package io.promptlightning;

import static io.promptlightning.LmdbRegistryHistoryTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults across processes on an LMDB database: writers killed with SIGKILL at random moments, a map grown by another
 * process while this one opens the database, a full disk. Each is bounded in rounds and time;
 * {@code -Dpromptlightning.fault.rounds=N} runs a longer soak (the figures of docs/RELIABILITY.md).
 */
class LmdbFaultTest {
    private static final int ROUNDS = Integer.getInteger("promptlightning.fault.rounds", 6);

    @TempDir
    Path tmp;

    @Test
    void writersKilledAtRandomMomentsLeaveWholeBatchesAndAnUnbrokenLabelHistory() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.open(db)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "2.0.0", "two"));
        }
        Random random = new Random(7);
        int batches = 0;
        int moves = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // a small map, so that kills also land while the map grows
            try (SecondJvm child = SecondJvm.start(LmdbSecondProcess.class, db.toString(), "262144")) {
                child.send(round % 2 == 0 ? "batches r" + round + " 300" : "moves g production 1.0.0,2.0.0");
                assertNotNull(child.next());
                Thread.sleep(random.nextInt(60));
                child.kill();
            }
            try (LmdbRegistry registry = LmdbRegistry.open(db)) {
                Map<String, Integer> perBatch = new HashMap<>();
                for (String id : registry.listIds()) {
                    if (!id.equals("g")) {
                        perBatch.merge(id.substring(0, id.lastIndexOf('-')), 1, Integer::sum);
                    }
                }
                perBatch.forEach((batch, n) -> assertEquals(300, n, batch + " is whole"));
                batches = perBatch.size();
                List<LabelMove> history = new ArrayList<>(registry.labelHistory("g").stream()
                        .filter(m -> m.label().equals("production")).toList());
                for (int i = 1; i < history.size(); i++) {
                    assertEquals(history.get(i - 1).to(), history.get(i).from(), "move " + i + " starts where the"
                            + " one before ended");
                }
                moves = history.size();
                if (!history.isEmpty()) {
                    assertEquals(history.get(history.size() - 1).to(), registry.labels("g").get("production"));
                }
            }
            VerifyReport report = LmdbRegistry.verify(db);
            assertEquals(List.of(), report.problems(), "round " + round);
        }
        System.out.println("LmdbFaultTest: " + ROUNDS + " writers killed; " + batches + " batches of 300 and "
                + moves + " label moves found whole and verified; 0 violations");
    }

    @Test
    void readOnlyOpensFollowAMapThatAnotherProcessGrows() throws Exception {
        Path db = tmp.resolve("db");
        try (LmdbRegistry registry = LmdbRegistry.builder(db).mapSize(65536).build()) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.moveLabel("g", "production", "1.0.0", "first");
        }
        long grownFrom;
        int opens = 0;
        try (SecondJvm writer = SecondJvm.start(LmdbSecondProcess.class, db.toString(), "65536")) {
            writer.send("batches grow 40");
            assertEquals("batch 0", writer.next());
            try (LmdbRegistry probe = LmdbRegistry.builder(db).mapSize(65536).readOnly(true).build()) {
                grownFrom = probe.mapSize();
            }
            long deadline = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < deadline && opens < 400) {
                try (LmdbRegistry reader = LmdbRegistry.builder(db).mapSize(65536).readOnly(true).build()) {
                    assertEquals(2, reader.labelHistory("g").size(), "open " + opens);
                    assertEquals("1.0.0", reader.resolve(TemplateRef.parse("g@production")).version());
                }
                opens++;
            }
            writer.kill();
        }
        try (LmdbRegistry registry = LmdbRegistry.builder(db).mapSize(65536).readOnly(true).build()) {
            assertTrue(registry.mapSize() > grownFrom, "the writer grew the map while the reader opened: "
                    + grownFrom + " -> " + registry.mapSize());
        }
        System.out.println("LmdbFaultTest: " + opens + " read-only opens while another process grew the map; all"
                + " saw the whole label history");
    }

    @Test
    void aFullDiskIsReportedAsFullAndLosesNothing() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("small-disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0,
                "mounting a 2 MiB tmpfs needs root (as in CI); not run here");
        try {
            Path db = mount.resolve("db");
            int saved = 0;
            RegistryException full = null;
            try (LmdbRegistry registry = LmdbRegistry.open(db)) {
                for (int i = 0; i < 1000 && full == null; i++) {
                    try {
                        registry.save(spec("t" + i, "1.0.0", ("filler " + i + " ").repeat(3000)));
                        saved++;
                    } catch (RegistryException e) {
                        full = e;
                    }
                }
                assertNotNull(full, "2 MiB filled up");
                assertTrue(full.detail().startsWith("the disk is full"), full.getMessage());
                assertTrue(full.detail().contains("nothing changed"), full.getMessage());
                assertEquals(saved, registry.listIds().size());
            }
            try (LmdbRegistry registry = LmdbRegistry.builder(db).readOnly(true).build()) {
                assertEquals(saved, registry.listIds().size(), "every save before the full disk is kept");
                assertFalse(registry.load("t0").template().isEmpty());
            }
            assertEquals(List.of(), LmdbRegistry.verify(db).problems());
        } finally {
            // lazily: a mapping of the file may outlive the registry until the garbage collector unmaps it
            assertEquals(0, run("umount", "-l", mount.toString()));
        }
    }

    private static int run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
