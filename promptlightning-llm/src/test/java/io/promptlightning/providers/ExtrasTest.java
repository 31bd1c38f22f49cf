package io.promptlightning.providers;

import io.promptlightning.LlmException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExtrasTest {
    private static Extras extras(Map<String, Object> values) {
        return new Extras(values, "ollama", "llama3");
    }

    @Test
    void wholeNumbersComeFromIntegersLongsWholeDoublesAndText() {
        Extras extras = extras(Map.of("a", 3, "b", 4L, "c", 5.0, "d", " 6 "));
        assertEquals(3, extras.integer("a"));
        assertEquals(4, extras.integer("b"));
        assertEquals(5, extras.integer("c"));
        assertEquals(6, extras.integer("d"));
        assertNull(extras.integer("absent"));
    }

    @Test
    void fractionsAndHugeNumbersAreNotWholeNumbers() {
        assertThrows(LlmException.class, () -> extras(Map.of("a", 2.5)).integer("a"));
        assertThrows(LlmException.class, () -> extras(Map.of("a", 1L << 40)).integer("a"));
        assertThrows(LlmException.class, () -> extras(Map.of("a", true)).integer("a"));
    }

    @Test
    void numbersAndBooleans() {
        Extras extras = extras(Map.of("n", 1, "t", "0.5", "b", "TRUE", "f", false));
        assertEquals(1.0, extras.number("n"));
        assertEquals(0.5, extras.number("t"));
        assertEquals(true, extras.bool("b"));
        assertEquals(false, extras.bool("f"));
        LlmException e = assertThrows(LlmException.class, () -> extras(Map.of("b", "yes")).bool("b"));
        assertEquals("model 'llama3' (ollama): the extra parameter 'b' takes true or false, not \"yes\"", e.getMessage());
    }

    @Test
    void onlyKnownNamesAreAllowed() {
        assertDoesNotThrow(() -> extras(Map.of("num_ctx", 1)).allowOnly(Set.of("num_ctx", "top_k")));
        LlmException e = assertThrows(LlmException.class, () -> extras(Map.of("x", 1)).allowOnly(Set.of()));
        assertEquals("model 'llama3' (ollama): unknown extra parameter 'x' for ollama (it takes none)", e.getMessage());
    }
}
