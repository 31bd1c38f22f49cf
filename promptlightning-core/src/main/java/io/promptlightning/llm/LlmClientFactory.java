package io.promptlightning.llm;

/**
 * Makes the {@link LlmClient} of a provider module. Found with {@link java.util.ServiceLoader} (a module lists its
 * factory in {@code META-INF/services/io.promptlightning.llm.LlmClientFactory}), or given to the vault's builder.
 */
public interface LlmClientFactory {
    /** A client configured by {@code settings}; no connection is made before the first call. */
    LlmClient create(LlmSettings settings);
}
