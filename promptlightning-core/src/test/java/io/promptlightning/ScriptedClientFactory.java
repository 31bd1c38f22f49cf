package io.promptlightning;

import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmClientFactory;
import io.promptlightning.llm.LlmSettings;
import io.promptlightning.llm.ScriptedClient;

/** A provider module's factory as {@link java.util.ServiceLoader} finds it; remembers what it was given. */
public final class ScriptedClientFactory implements LlmClientFactory {
    static volatile LlmSettings lastSettings;
    static volatile ScriptedClient lastClient;

    @Override
    public LlmClient create(LlmSettings settings) {
        lastSettings = settings;
        lastClient = ScriptedClient.serving("openai", "anthropic", "gemini", "ollama");
        return lastClient;
    }
}
