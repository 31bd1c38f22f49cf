package io.promptlightning.providers;

import io.promptlightning.ModelNotFoundException;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmClientFactory;
import io.promptlightning.testing.FakeProviderServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LangChainClientFactoryTest {
    @Test
    void serviceLoaderFindsTheFactory() {
        List<LlmClientFactory> factories = ServiceLoader.load(LlmClientFactory.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertEquals(1, factories.size(), factories.toString());
        assertTrue(factories.get(0) instanceof LangChainClientFactory);
    }

    @Test
    void theClientServesTheFourProvidersAndConnectsToNothingBeforeACall() {
        try (FakeProviderServer server = FakeProviderServer.start();
             LlmClient client = new LangChainClientFactory().create(TestSettings.of(server.environment(Calls.KEY)))) {
            assertEquals(Set.of("openai", "anthropic", "gemini", "ollama"), client.providers());
            assertTrue(server.requests().isEmpty());
        }
    }

    @Test
    void aProviderItDoesNotServeIsRefusedNamingTheOnesItDoes() {
        try (LlmClient client = new LangChainClientFactory().create(TestSettings.of(java.util.Map.of()))) {
            ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> client.complete(
                    new io.promptlightning.llm.LlmRequest("mistral", "mistral-large",
                            List.of(io.promptlightning.llm.ChatMessage.user("hi")),
                            io.promptlightning.llm.LlmParameters.DEFAULT)));
            assertEquals("model 'mistral-large' (mistral): no provider 'mistral' in promptlightning-llm"
                    + " (it serves anthropic, gemini, ollama, openai)", e.getMessage());
        }
    }
}
