package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdsAndVersionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"summarizer", "multi-input-template", "id-2", "a.b_c", "X1"})
    void validNewIds(String id) {
        assertTrue(Ids.isValidNewId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/b", "a..b", ".hidden", "-x", "with space", "tab\there", "émoji🚀", "a:b"})
    void invalidNewIds(String id) {
        assertFalse(Ids.isValidNewId(id));
        assertThrows(ValidationException.class, () -> Ids.requireValidNewId(id));
    }

    @Test
    void legacyIdsWithSpacesAndSymbolsStayReadableButNotControlCharacters() {
        assertEquals("my prompt: v2/🚀", Ids.requireReadableId("my prompt: v2/🚀"));
        ValidationException e = assertThrows(ValidationException.class, () -> Ids.requireReadableId("a\nb"));
        assertEquals("invalid template id 'a\\nb': it contains a control character", e.detail());
        assertThrows(ValidationException.class, () -> Ids.requireReadableId(""));
    }

    @Test
    void versions() {
        assertTrue(Versions.isValid("1.0.0"));
        assertTrue(Versions.isValid("2.10.3-beta.1+build.5"));
        assertFalse(Versions.isValid("1.0"));
        assertFalse(Versions.isValid("01.0.0"));
        assertEquals("1.2.4", Versions.bump("1.2.3", Versions.Part.PATCH));
        assertEquals("1.3.0", Versions.bump("1.2.3-rc.1", Versions.Part.MINOR));
        assertEquals("2.0.0", Versions.bump("1.2.3", Versions.Part.MAJOR));
    }
}
