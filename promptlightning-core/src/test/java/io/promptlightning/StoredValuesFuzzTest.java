package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.promptlightning.internal.MsgPackCodec;
import io.promptlightning.internal.SpecRecords;
import io.promptlightning.internal.SpecYaml;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz tests (Jazzer) of everything that reads stored bytes: a damaged or hostile LMDB value or
 * template file must give a clear error, never another exception, a hang or a stack overflow.
 *
 * <p>Regression mode (every {@code mvn test}) runs the seeds in
 * {@code src/test/resources/io/promptlightning/StoredValuesFuzzTestInputs/<method>/}. To fuzz for real, from the
 * repository root (one method per run):
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl promptlightning-core -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='StoredValuesFuzzTest#storedVersion' -Djunit.jupiter.execution.timeout.mode=disabled \
 *     -Djazzer.internal.arg.0=jazzer -Djazzer.internal.arg.1=-max_total_time=300
 * </pre>
 * A finding is written into the inputs directory; keep it, renamed to say what it is, as a regression seed.
 */
class StoredValuesFuzzTest {

    /** A stored version decodes, or fails with IllegalArgumentException (which the registry reports by id). */
    @FuzzTest(maxDuration = "5m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void storedVersion(byte[] data) {
        try {
            LmdbHistoryValues.StoredVersion stored = LmdbHistoryValues.decodeVersion("1.0.0", ByteBuffer.wrap(data),
                    true);
            assertNotNull(stored.record());
            record(stored.record());
        } catch (IllegalArgumentException expected) {
            // the registry turns this into a ValidationException naming the id and version
        }
    }

    @FuzzTest(maxDuration = "5m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void labelMove(byte[] data) {
        try {
            LabelMove move = LmdbHistoryValues.decodeMove(ByteBuffer.wrap(data));
            assertNotNull(move.label());
            assertNotNull(move.at());
        } catch (IllegalArgumentException expected) {
            // reported as a ValidationException naming the id
        }
    }

    /** A template record decodes to a spec, or fails with an IllegalArgumentException or a ValidationException. */
    @FuzzTest(maxDuration = "5m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void templateRecord(byte[] data) {
        record(data);
    }

    private static void record(byte[] data) {
        Object decoded;
        try {
            decoded = MsgPackCodec.decode(ByteBuffer.wrap(data));
        } catch (IllegalArgumentException expected) {
            return;
        }
        try {
            TemplateSpec spec = SpecRecords.fromRecord(decoded, "fuzz");
            byte[] stored = MsgPackCodec.encode(SpecRecords.toRecord(spec));
            TemplateSpec again = SpecRecords.fromRecord(MsgPackCodec.decode(stored), "fuzz");
            assertArrayEquals(stored, MsgPackCodec.encode(SpecRecords.toRecord(again)),
                    "what decodes is stored again unchanged");
        } catch (ValidationException expected) {
            // not a valid template
        }
    }

    /** Any text parses to a template or to an error with a line inside the text; parsing never throws. */
    @FuzzTest(maxDuration = "5m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void templateFile(byte[] data) {
        SpecYaml.Result result = SpecYaml.parse(data, null);
        if (!result.ok()) {
            String text = new String(data, StandardCharsets.UTF_8);
            long lines = text.lines().count() + 1;
            int line = result.error().line();
            assert line >= 0 && line <= lines + 1 : "line " + line + " of " + lines;
        }
    }
}
