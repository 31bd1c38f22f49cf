package io.promptlightning.providers;

import io.promptlightning.llm.LlmSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Settings from maps: the config file's {@code providers} entries ({@code "openai.base_url"}) first, then variables. */
final class TestSettings implements LlmSettings {
    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    static TestSettings of(Map<String, String> environment) {
        TestSettings settings = new TestSettings();
        settings.environment.putAll(environment);
        return settings;
    }

    TestSettings config(String providerAndKey, String value) {
        config.put(providerAndKey, value);
        return this;
    }

    TestSettings without(String variable) {
        environment.remove(variable);
        return this;
    }

    TestSettings with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    @Override
    public Optional<String> value(String provider, String key, String... envNames) {
        String configured = config.get(provider + "." + key);
        if (configured != null) {
            return Optional.of(configured);
        }
        for (String name : envNames) {
            String value = environment.get(name);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
