package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateRefTest {
    @Test
    void parsesIdsVersionsAndLabels() {
        assertEquals(new TemplateRef("summarizer", null, null), TemplateRef.parse("summarizer"));
        assertEquals(new TemplateRef("summarizer", "1.2.0", null), TemplateRef.parse("summarizer@1.2.0"));
        assertEquals(new TemplateRef("s", "1.0.0-rc.1+build.5", null), TemplateRef.parse("s@1.0.0-rc.1+build.5"));
        assertEquals(new TemplateRef("summarizer", null, "production"), TemplateRef.parse("summarizer@production"));
        assertEquals(new TemplateRef("team@x", null, "latest"), TemplateRef.parse("team@x@latest"),
                "the last @ separates, so an id holding @ is reached with @latest");
        assertTrue(TemplateRef.parse("s@1.0.0").pinned());
        assertFalse(TemplateRef.parse("s@prod").pinned());
        for (String text : List.of("summarizer", "s@1.2.0", "s@prod-2.eu_west")) {
            assertEquals(text, TemplateRef.parse(text).toString());
        }
    }

    @Test
    void refusesWhatIsNeitherVersionNorLabel() {
        for (String bad : List.of("s@", "s@!", "s@1prod", "s@1.2", "s@-x", "s@" + "a".repeat(65))) {
            ValidationException e = assertThrows(ValidationException.class, () -> TemplateRef.parse(bad), bad);
            assertEquals("template 's': invalid reference '" + bad + "': after '@' comes a version such as 1.2.0 or"
                    + " a label such as production", e.getMessage());
        }
        assertEquals("invalid reference '@prod': the template id before '@' is missing",
                assertThrows(ValidationException.class, () -> TemplateRef.parse("@prod")).getMessage());
        assertTrue(Labels.isValid("a".repeat(64)));
        assertThrows(ValidationException.class, () -> TemplateRef.ofLabel("s", "bad label"));
        assertThrows(IllegalArgumentException.class, () -> new TemplateRef("s", "1.0.0", "prod"));
    }

    @Test
    void versionsSortBySemanticVersionPrecedence() {
        List<String> expected = List.of("0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0", "10.0.0");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new java.util.Random(7));
        shuffled.sort(Versions.ORDER);
        assertEquals(expected, shuffled);
        assertTrue(Versions.ORDER.compare("1.0.0+a", "1.0.0+b") != 0, "distinct versions never compare equal");
    }
}
