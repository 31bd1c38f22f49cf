package io.promptlightning.providers;

import io.promptlightning.ApiKeyException;

import java.util.List;

/**
 * Where one provider is called and with which key, as the settings gave them.
 *
 * @param provider     the provider's name
 * @param baseUrl      the URL its API paths are appended to
 * @param apiKey       the key, or null when none is set
 * @param keyVariables the environment variables a key is read from, for messages (empty: the provider takes none)
 * @param keyRequired  whether a call without a key is refused before it is made
 */
record Endpoint(String provider, String baseUrl, String apiKey, List<String> keyVariables, boolean keyRequired) {
    Endpoint {
        keyVariables = List.copyOf(keyVariables);
    }

    /** Refuses a call that needs a key when none is set, saying where to set one. */
    void requireKey(String model) {
        if (keyRequired && apiKey == null) {
            throw ApiKeyException.missing("no API key: set " + String.join(" or ", keyVariables)
                    + " (in the environment or a .env file), or providers." + provider + ".api_key in promptlightning.yaml",
                    provider, model);
        }
    }

    /** {@code text} without this endpoint's key. */
    String redact(String text) {
        return apiKey == null ? text : ProviderHttpClient.redact(text, List.of(apiKey));
    }

    @Override
    public String toString() {
        // never the key
        return "Endpoint[" + provider + " at " + baseUrl + (apiKey == null ? ", no key" : ", with a key") + "]";
    }
}
