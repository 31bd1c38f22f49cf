package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.ModelNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRouterTest {
    @ParameterizedTest
    @CsvSource({
            "gpt-4o, openai, gpt-4o",
            "gpt-4.1-mini, openai, gpt-4.1-mini",
            "o1, openai, o1",
            "o3-mini, openai, o3-mini",
            "o4-mini-2025-04-16, openai, o4-mini-2025-04-16",
            "chatgpt-4o-latest, openai, chatgpt-4o-latest",
            "text-davinci-003, openai, text-davinci-003",
            "claude-sonnet-4-5, anthropic, claude-sonnet-4-5",
            "gemini-2.5-flash, gemini, gemini-2.5-flash",
            "ollama/llama3, ollama, llama3",
            "openai/my-model, openai, my-model",
            "anthropic/claude-3-haiku-20240307, anthropic, claude-3-haiku-20240307",
            "gemini/gemini-2.5-pro, gemini, gemini-2.5-pro",
            "openai/meta-llama/Llama-3-8b, openai, meta-llama/Llama-3-8b",
    })
    void routesByPrefixOrExplicitProvider(String name, String provider, String model) {
        assertEquals(new ModelRouter.Route(provider, model), ModelRouter.route(name));
    }

    @Test
    void anExplicitProviderWinsOverThePrefix() {
        assertEquals(new ModelRouter.Route("ollama", "gpt-oss"), ModelRouter.route("ollama/gpt-oss"));
    }

    @Test
    void aNameNothingRoutesListsTheRules() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> ModelRouter.route("llama3"));
        assertEquals("llama3", e.model());
        assertNull(e.provider());
        assertTrue(e.getMessage().startsWith("model 'llama3': no provider serves this name"), e.getMessage());
        assertTrue(e.getMessage().contains("claude-* -> anthropic"), e.getMessage());
        assertTrue(e.getMessage().contains("ollama/llama3"), e.getMessage());
        assertThrows(ModelNotFoundException.class, () -> ModelRouter.route(""));
        assertThrows(ModelNotFoundException.class, () -> ModelRouter.route(null));
        assertThrows(ModelNotFoundException.class, () -> ModelRouter.route("ollama/"));
        assertThrows(ModelNotFoundException.class, () -> ModelRouter.route("/llama3"));
    }
}
