package io.promptlightning.providers;

/** One provider as the tests call it: its name and a model it serves. */
enum ProviderCase {
    OPENAI("openai", "gpt-4o-mini"),
    ANTHROPIC("anthropic", "claude-3-5-haiku-latest"),
    GEMINI("gemini", "gemini-2.0-flash"),
    OLLAMA("ollama", "llama3");

    final String provider;
    final String model;

    ProviderCase(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** Whether calls need a key (Ollama takes none). */
    boolean takesKey() {
        return this != OLLAMA;
    }
}
