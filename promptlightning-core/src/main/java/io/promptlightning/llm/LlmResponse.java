package io.promptlightning.llm;

import java.util.Objects;

/**
 * What a client got back from one call.
 *
 * @param output    the model's text
 * @param model     the model that answered as the provider reports it (may be more precise than the one asked for)
 * @param tokensIn  prompt tokens the provider counted, 0 if it did not say
 * @param tokensOut completion tokens the provider counted, 0 if it did not say
 */
public record LlmResponse(String output, String model, long tokensIn, long tokensOut) {
    public LlmResponse {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(model, "model");
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + tokensIn + ", " + tokensOut);
        }
    }
}
