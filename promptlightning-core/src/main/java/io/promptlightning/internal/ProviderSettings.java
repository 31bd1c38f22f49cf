package io.promptlightning.internal;

import io.promptlightning.llm.LlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Provider keys and endpoints from, in order: the {@code providers:} section of {@code promptlightning.yaml}, the
 * process environment, a {@code .env} file. Blank values count as absent. Its {@link #toString()} names which
 * settings are present, never their values.
 */
public final class ProviderSettings implements LlmSettings {
    private final Map<String, Map<String, String>> config;
    private final Map<String, String> environment;
    private final Map<String, String> dotEnv;
    private final Path dotEnvFile;

    private ProviderSettings(Map<String, Map<String, String>> config, Map<String, String> environment,
            Map<String, String> dotEnv, Path dotEnvFile) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        config.forEach((provider, values) -> copy.put(provider, Map.copyOf(values)));
        this.config = Collections.unmodifiableMap(copy);
        this.environment = Map.copyOf(environment);
        this.dotEnv = Map.copyOf(dotEnv);
        this.dotEnvFile = dotEnvFile;
    }

    /** Settings from the three sources given as they are. */
    public static ProviderSettings of(Map<String, Map<String, String>> config, Map<String, String> environment,
            Map<String, String> dotEnv) {
        return new ProviderSettings(config, environment, dotEnv, null);
    }

    /**
     * Settings from the config's {@code providers:} section, the process environment and the first {@code .env}
     * found in {@code dirs} (the config file's directory, then the working directory); problems with the
     * {@code .env} file go to {@code warnings}.
     */
    public static ProviderSettings load(Map<String, Map<String, String>> config, List<Path> dirs,
            Consumer<String> warnings) {
        return load(config, System.getenv(), dirs, warnings);
    }

    /** {@link #load(Map, List, Consumer)} with {@code environment} in place of the process environment. */
    public static ProviderSettings load(Map<String, Map<String, String>> config, Map<String, String> environment,
            List<Path> dirs, Consumer<String> warnings) {
        for (Path dir : dirs) {
            Path file = dir.resolve(".env");
            if (Files.isRegularFile(file)) {
                return new ProviderSettings(config, environment, DotEnv.read(file, warnings), file);
            }
        }
        return new ProviderSettings(config, environment, Map.of(), null);
    }

    @Override
    public Optional<String> value(String provider, String key, String... envNames) {
        String configured = config.getOrDefault(provider, Map.of()).get(key);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        for (Map<String, String> source : List.of(environment, dotEnv)) {
            for (String name : envNames) {
                String v = source.get(name);
                if (v != null && !v.isBlank()) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code .env} file read, or null. */
    public Path dotEnvFile() {
        return dotEnvFile;
    }

    @Override
    public String toString() {
        TreeSet<String> configured = new TreeSet<>();
        config.forEach((provider, values) -> values.keySet().forEach(k -> configured.add(provider + "." + k)));
        return "ProviderSettings[config: " + configured + ", .env: "
                + (dotEnvFile == null ? "none" : dotEnvFile + " " + new TreeSet<>(dotEnv.keySet())) + "]";
    }
}
