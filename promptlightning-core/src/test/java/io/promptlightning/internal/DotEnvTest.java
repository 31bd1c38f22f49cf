package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {
    @TempDir
    Path dir;

    @Test
    void readsKeyValueLinesWithCommentsQuotesAndExport() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = DotEnv.parse(String.join("\n",
                "# keys for local runs",
                "",
                "OPENAI_API_KEY=sk-plain",
                "export ANTHROPIC_API_KEY = sk-exported  ",
                "GEMINI_API_KEY='single # kept $HOME'",
                "OLLAMA_HOST=\"http://localhost:11434\" # trailing comment",
                "ESCAPED=\"line1\\nline2 \\\"quoted\\\" back\\\\slash\"",
                "UNQUOTED=value # comment",
                "HASH_IN_VALUE=abc#def",
                "EMPTY=",
                "OPENAI_API_KEY=sk-later-wins",
                "\r"), ".env", warnings::add);
        assertEquals(Map.of(
                "OPENAI_API_KEY", "sk-later-wins",
                "ANTHROPIC_API_KEY", "sk-exported",
                "GEMINI_API_KEY", "single # kept $HOME",
                "OLLAMA_HOST", "http://localhost:11434",
                "ESCAPED", "line1\nline2 \"quoted\" back\\slash",
                "UNQUOTED", "value",
                "HASH_IN_VALUE", "abc#def",
                "EMPTY", ""), env);
        assertEquals(List.of(), warnings);
    }

    @Test
    void badLinesAreReportedByNumberWithoutTheirContent() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = DotEnv.parse("GOOD=1\nsk-ant-secret-looking-line\nKEY=\"sk-unclosed\n1BAD=x\n",
                "/p/.env", warnings::add);
        assertEquals(Map.of("GOOD", "1"), env);
        assertEquals(List.of(
                "warning: /p/.env:2: not a KEY=VALUE line; skipped",
                "warning: /p/.env:3: the value of KEY has no closing quote; skipped",
                "warning: /p/.env:4: not a KEY=VALUE line; skipped"), warnings);
        assertFalse(String.join("", warnings).contains("sk-"));
    }

    @Test
    void aMissingFileHasNoValues() throws IOException {
        assertEquals(Map.of(), DotEnv.read(dir.resolve(".env"), w -> {
            throw new AssertionError(w);
        }));
        Files.writeString(dir.resolve(".env"), "A=b\n");
        assertEquals(Map.of("A", "b"), DotEnv.read(dir.resolve(".env"), w -> {
        }));
        assertTrue(Files.exists(dir.resolve(".env")));
    }
}
