package io.promptlightning.llm;

import java.util.Optional;

/**
 * Where a client finds its keys and endpoints. Each value is looked up in the {@code providers} section of
 * {@code promptlightning.yaml} ({@code providers: {openai: {api_key: ..., base_url: ...}}}), then in the process
 * environment under the SDK's own names, then in a {@code .env} file.
 */
public interface LlmSettings {
    /**
     * A setting of a provider.
     *
     * @param provider the provider, e.g. {@code openai}
     * @param key      the setting's name in the config file, e.g. {@code api_key}, {@code base_url}
     * @param envNames the environment variables that hold it, in order of preference, e.g. {@code OPENAI_API_KEY}
     */
    Optional<String> value(String provider, String key, String... envNames);
}
