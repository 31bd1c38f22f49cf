package io.promptlightning;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the execution log: a template run against a model, or through your own function
 * ({@link TemplateHandle#run}), successful or not.
 *
 * @param promptId    the template's id
 * @param version     the template's version
 * @param label       the label the template was reached through, or null
 * @param inputs      the inputs as given
 * @param output      the answer, or null if the run failed
 * @param provider    the provider, or null (a run through your own function)
 * @param model       the model, or null
 * @param tokensIn    prompt tokens, 0 if unknown
 * @param tokensOut   completion tokens, 0 if unknown
 * @param costUsd     cost in US dollars, 0 if unknown
 * @param latencyMs   wall time in milliseconds
 * @param createdAt   when the run ended
 * @param error       the failure's message, or null
 * @param priceSource where the price came from: the shipped table with its date, a user file, or null if unpriced
 */
public record ExecutionRecord(String promptId, String version, String label, Map<String, Object> inputs,
                              String output, String provider, String model, long tokensIn, long tokensOut,
                              double costUsd, long latencyMs, Instant createdAt, String error, String priceSource) {
    public ExecutionRecord {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(createdAt, "createdAt");
        inputs = inputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
    }
}
