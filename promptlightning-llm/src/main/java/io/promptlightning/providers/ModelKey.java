package io.promptlightning.providers;

import java.time.Duration;
import java.util.Map;

/**
 * What a LangChain4j model is built for: calls that agree on all of it share one model (and its connections).
 *
 * @param provider the provider
 * @param model    the model's name at the provider
 * @param timeout  the attempt's timeout, or null for LangChain4j's default
 * @param options  the options LangChain4j takes only when building a model (see each provider)
 */
record ModelKey(String provider, String model, Duration timeout, Map<String, Object> options) {
    ModelKey {
        options = Map.copyOf(options);
    }
}
