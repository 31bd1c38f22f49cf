package io.promptlightning;

import static io.promptlightning.LocalRegistryHistoryTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on a prompt directory killed with SIGKILL at random moments: one saving batches, one moving a label, or
 * two moving the same label at once. After every kill the directory opens (completing or dropping the write that
 * was cut), every batch is whole or absent, the label history is one unbroken chain, and {@code verify} finds
 * nothing wrong. {@code -Dpromptlightning.fault.rounds=N} runs a longer soak (the figures of docs/RELIABILITY.md).
 */
class LocalFaultTest {
    private static final int ROUNDS = Integer.getInteger("promptlightning.fault.rounds", 6);
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void writersKilledAtRandomMomentsLeaveWholeBatchesAndAnUnbrokenLabelHistory() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("g", "1.0.0", "one"));
            registry.save(spec("g", "2.0.0", "two"));
        }
        Random random = new Random(11);
        int batches = 0;
        int moves = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<SecondJvm> writers = new ArrayList<>();
            try {
                int kind = round % 3;
                writers.add(SecondJvm.start(LocalSecondProcess.class, dir.toString()));
                if (kind == 2) {
                    writers.add(SecondJvm.start(LocalSecondProcess.class, dir.toString()));
                }
                for (int w = 0; w < writers.size(); w++) {
                    writers.get(w).send(kind == 0 ? "batches r" + round + " " + BATCH
                            : "moves g production " + (w == 0 ? "1.0.0,2.0.0" : "2.0.0,1.0.0"));
                }
                for (SecondJvm writer : writers) {
                    assertNotNull(writer.next());
                }
                Thread.sleep(random.nextInt(60));
            } finally {
                for (SecondJvm writer : writers) {
                    writer.kill();
                    writer.close();
                }
            }
            try (LocalRegistry registry = LocalRegistry.open(dir)) { // completes or drops the write that was cut
                Map<String, Integer> perBatch = new HashMap<>();
                for (String id : registry.listIds()) {
                    if (!id.equals("g")) {
                        perBatch.merge(id.substring(0, id.lastIndexOf('-')), 1, Integer::sum);
                    }
                }
                perBatch.forEach((batch, n) -> assertEquals(BATCH, n, batch + " is whole"));
                batches = perBatch.size();
                List<LabelMove> history = registry.labelHistory("g").stream()
                        .filter(m -> m.label().equals("production")).toList();
                for (int i = 1; i < history.size(); i++) {
                    assertEquals(history.get(i - 1).to(), history.get(i).from(), "move " + i + " starts where the"
                            + " one before ended");
                }
                moves = history.size();
                if (!history.isEmpty()) {
                    assertEquals(history.get(history.size() - 1).to(), registry.labels("g").get("production"));
                }
                assertEquals(List.of(), registry.problems());
            }
            assertEquals(List.of(), LocalRegistry.verify(dir).problems(), "round " + round);
        }
        System.out.println("LocalFaultTest: " + ROUNDS + " rounds of writers killed; " + batches + " batches of "
                + BATCH + " and " + moves + " label moves found whole and verified; 0 violations");
    }
}
