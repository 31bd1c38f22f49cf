package io.promptlightning;

import java.util.Objects;

/**
 * What one run of a template against a model gave: the model's answer and what it cost.
 *
 * @param output    the model's answer
 * @param provider  the provider that answered ({@code openai}, {@code anthropic}, {@code gemini}, {@code ollama}, ...)
 * @param model     the model as the provider names it, without a provider prefix
 * @param tokensIn  prompt tokens the provider counted
 * @param tokensOut completion tokens the provider counted
 * @param costUsd   the cost in US dollars from the price table; 0 for a model the table does not price
 * @param latencyMs wall time of the call, retries included, in milliseconds
 */
public record ExecutionResult(String output, String provider, String model, long tokensIn, long tokensOut,
                              double costUsd, long latencyMs) {
    public ExecutionResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        requireNotNegative("tokensIn", tokensIn);
        requireNotNegative("tokensOut", tokensOut);
        requireNotNegative("latencyMs", latencyMs);
        if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
            throw new IllegalArgumentException("costUsd must be a finite number not below 0: " + costUsd);
        }
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
