package io.promptlightning.providers;

import io.promptlightning.ApiKeyException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each provider is called and with which key, from the settings. */
class EndpointTest {
    private static final TestSettings NONE = TestSettings.of(Map.of());

    @Test
    void withoutSettingsEachProviderIsAtItsPublicAddress() {
        assertEquals("https://api.openai.com/v1", new OpenAiProvider().endpoint(NONE).baseUrl());
        assertEquals("https://api.anthropic.com/v1", new AnthropicProvider().endpoint(NONE).baseUrl());
        assertEquals("https://generativelanguage.googleapis.com/v1beta", new GeminiProvider().endpoint(NONE).baseUrl());
        assertEquals("http://localhost:11434", new OllamaProvider().endpoint(NONE).baseUrl());
    }

    @Test
    void openAiBaseUrlIsTakenAsGivenWithItsVersion() {
        Endpoint endpoint = new OpenAiProvider().endpoint(TestSettings.of(Map.of(
                "OPENAI_BASE_URL", "http://localhost:8000/v1/", "OPENAI_API_KEY", "k-1234")));

        assertEquals("http://localhost:8000/v1", endpoint.baseUrl());
        assertEquals("k-1234", endpoint.apiKey());
        assertFalse(endpoint.keyRequired(), "a server of one's own may take calls without a key");
        assertTrue(new OpenAiProvider().endpoint(NONE).keyRequired());
    }

    @Test
    void anthropicAndGeminiBaseUrlsAreRootsTheVersionIsAddedTo() {
        assertEquals("http://proxy:8080/v1", new AnthropicProvider().endpoint(
                TestSettings.of(Map.of("ANTHROPIC_BASE_URL", "http://proxy:8080/"))).baseUrl());
        assertEquals("http://proxy:8080/v1", new AnthropicProvider().endpoint(
                TestSettings.of(Map.of("ANTHROPIC_BASE_URL", "http://proxy:8080/v1"))).baseUrl());
        assertEquals("http://proxy/gemini/v1beta", new GeminiProvider().endpoint(
                TestSettings.of(Map.of("GEMINI_BASE_URL", "http://proxy/gemini"))).baseUrl());
        assertEquals("http://proxy/v1", new GeminiProvider().endpoint(
                TestSettings.of(Map.of("GOOGLE_GEMINI_BASE_URL", "http://proxy/v1"))).baseUrl());
        assertEquals("http://proxy/v1alpha", Provider.withVersion("http://proxy/v1alpha", "v1beta"));
    }

    @Test
    void geminiTakesEitherKeyVariablePreferringGeminis() {
        assertEquals("g", new GeminiProvider().endpoint(
                TestSettings.of(Map.of("GEMINI_API_KEY", "g", "GOOGLE_API_KEY", "o"))).apiKey());
        assertEquals("o", new GeminiProvider().endpoint(TestSettings.of(Map.of("GOOGLE_API_KEY", "o"))).apiKey());
    }

    @Test
    void ollamaHostIsReadAsOllamaReadsIt() {
        assertEquals("http://10.0.0.5:11434", OllamaProvider.baseUrl("10.0.0.5"));
        assertEquals("http://gpu-box:8080", OllamaProvider.baseUrl("gpu-box:8080"));
        assertEquals("https://ollama.example.com", OllamaProvider.baseUrl("https://ollama.example.com/"));
        Endpoint endpoint = new OllamaProvider().endpoint(TestSettings.of(Map.of("OLLAMA_HOST", "127.0.0.1:9999")));
        assertEquals("http://127.0.0.1:9999", endpoint.baseUrl());
        assertNull(endpoint.apiKey());
        assertFalse(endpoint.keyRequired());
    }

    @Test
    void theConfigFileWinsOverTheEnvironment() {
        TestSettings settings = TestSettings.of(Map.of("ANTHROPIC_API_KEY", "from-env", "ANTHROPIC_BASE_URL", "http://env"))
                .config("anthropic.api_key", "from-config")
                .config("anthropic.base_url", "http://config");

        Endpoint endpoint = new AnthropicProvider().endpoint(settings);

        assertEquals("from-config", endpoint.apiKey());
        assertEquals("http://config/v1", endpoint.baseUrl());
    }

    @Test
    void aBlankKeyIsNoKey() {
        Endpoint endpoint = new AnthropicProvider().endpoint(TestSettings.of(Map.of("ANTHROPIC_API_KEY", "  ")));

        assertNull(endpoint.apiKey());
        ApiKeyException e = assertThrows(ApiKeyException.class, () -> endpoint.requireKey("claude-3-opus"));
        assertTrue(e.getMessage().contains("no API key: set ANTHROPIC_API_KEY"), e.getMessage());
    }

    @Test
    void anEndpointNeverShowsItsKey() {
        Endpoint endpoint = new Endpoint("openai", "https://api.openai.com/v1", "sk-secret-value", List.of("OPENAI_API_KEY"),
                true);

        assertFalse(endpoint.toString().contains("sk-secret-value"), endpoint.toString());
        assertEquals("refused *** here", endpoint.redact("refused sk-secret-value here"));
    }

    @Test
    void secretsAreFoundInTheHeadersProvidersUseAndInGeminisKeyParameter() {
        var request = dev.langchain4j.http.client.HttpRequest.builder()
                .method(dev.langchain4j.http.client.HttpMethod.POST)
                .url("https://example.com/v1/chat?key=query-key&alt=sse")
                .addHeader("Authorization", "Bearer bearer-key")
                .addHeader("x-api-key", "anthropic-key")
                .addHeader("x-goog-api-key", "google-key")
                .addHeader("Content-Type", "application/json")
                .build();

        List<String> secrets = ProviderHttpClient.secrets(request);

        assertEquals(List.of("bearer-key", "anthropic-key", "google-key", "query-key").stream().sorted().toList(),
                secrets.stream().sorted().toList());
        assertEquals("*** and *** but not abc", ProviderHttpClient.redact("bearer-key and google-key but not abc",
                secrets));
    }
}
