package io.promptlightning.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a model call, kept apart from the template's inputs as the original keeps them. Null means
 * "not given": the provider's default applies.
 *
 * @param temperature sampling temperature
 * @param maxTokens   the most tokens to generate ({@code max_tokens})
 * @param topP        nucleus sampling ({@code top_p})
 * @param stop        stop sequences
 * @param seed        a seed, where the provider takes one
 * @param timeout     how long one attempt may take
 * @param extras      every other parameter, passed to the provider as given (provider-specific options)
 */
public record LlmParameters(Double temperature, Integer maxTokens, Double topP, List<String> stop, Long seed,
                            Duration timeout, Map<String, Object> extras) {
    public static final LlmParameters DEFAULT = new LlmParameters(null, null, null, null, null, null, Map.of());

    public LlmParameters {
        stop = stop == null ? null : List.copyOf(stop);
        extras = extras == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras));
    }
}
