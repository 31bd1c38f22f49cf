package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theConfigWinsOverTheEnvironmentWhichWinsOverDotEnv() {
        ProviderSettings settings = ProviderSettings.of(
                Map.of("openai", Map.of("api_key", "sk-config")),
                Map.of("OPENAI_API_KEY", "sk-env", "ANTHROPIC_API_KEY", "sk-ant-env", "GOOGLE_API_KEY", " "),
                Map.of("OPENAI_API_KEY", "sk-dotenv", "ANTHROPIC_API_KEY", "sk-ant-dotenv",
                        "GOOGLE_API_KEY", "g-dotenv", "OLLAMA_HOST", "http://gpu:11434"));
        assertEquals(Optional.of("sk-config"), settings.value("openai", "api_key", "OPENAI_API_KEY"));
        assertEquals(Optional.of("sk-ant-env"), settings.value("anthropic", "api_key", "ANTHROPIC_API_KEY"));
        // names in order of preference; a blank value counts as absent
        assertEquals(Optional.of("g-dotenv"), settings.value("gemini", "api_key", "GEMINI_API_KEY", "GOOGLE_API_KEY"));
        assertEquals(Optional.of("http://gpu:11434"), settings.value("ollama", "host", "OLLAMA_HOST"));
        assertEquals(Optional.empty(), settings.value("openai", "base_url", "OPENAI_BASE_URL"));
    }

    @Test
    void dotEnvIsReadFromTheFirstDirectoryThatHasOne() throws IOException {
        Path configDir = Files.createDirectories(dir.resolve("project"));
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Files.writeString(workDir.resolve(".env"), "PL_TEST_ONLY_KEY=from-work\n");
        List<String> warnings = new ArrayList<>();
        ProviderSettings fromWork = ProviderSettings.load(Map.of(), List.of(configDir, workDir), warnings::add);
        assertEquals(Optional.of("from-work"), fromWork.value("x", "key", "PL_TEST_ONLY_KEY"));
        assertEquals(workDir.resolve(".env"), fromWork.dotEnvFile());

        Files.writeString(configDir.resolve(".env"), "PL_TEST_ONLY_KEY=from-project\n");
        ProviderSettings fromProject = ProviderSettings.load(Map.of(), List.of(configDir, workDir), warnings::add);
        assertEquals(Optional.of("from-project"), fromProject.value("x", "key", "PL_TEST_ONLY_KEY"));
        assertEquals(List.of(), warnings);

        ProviderSettings none = ProviderSettings.load(Map.of(), List.of(dir.resolve("nowhere")), warnings::add);
        assertNull(none.dotEnvFile());
    }

    @Test
    void itsDescriptionNamesSettingsButNeverShowsAValue() throws IOException {
        Files.writeString(dir.resolve(".env"), "OPENAI_API_KEY=sk-dotenv-secret\n");
        ProviderSettings settings = ProviderSettings.load(
                Map.of("anthropic", Map.of("api_key", "sk-ant-config-secret")), List.of(dir), w -> {
                });
        String shown = settings.toString();
        assertTrue(shown.contains("anthropic.api_key"), shown);
        assertTrue(shown.contains("OPENAI_API_KEY"), shown);
        assertFalse(shown.contains("secret"), shown);
    }
}
