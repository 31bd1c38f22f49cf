package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    @TempDir
    Path dir;

    private static double cost(PriceTable table, String provider, String model, long in, long out) {
        return table.find(provider, model, model).orElseThrow(() -> new AssertionError("no price for " + model))
                .cost(in, out);
    }

    @Test
    void theShippedTablePricesTheCommonModelsOfEachProvider() {
        PriceTable shipped = PriceTable.shipped();
        assertEquals("shipped prices as of 2026-04-23", shipped.source());
        assertEquals(2.5e-6 * 1000 + 1e-5 * 500, cost(shipped, "openai", "gpt-4o", 1000, 500), 1e-12);
        assertEquals(0.15e-6 * 1_000_000, cost(shipped, "openai", "gpt-4o-mini", 1_000_000, 0), 1e-9);
        assertEquals(8e-6 * 100, cost(shipped, "openai", "gpt-4.1", 0, 100), 1e-12);
        assertEquals(4.4e-6, cost(shipped, "openai", "o4-mini", 0, 1), 1e-15);
        assertEquals(3e-6 + 1.5e-5, cost(shipped, "anthropic", "claude-sonnet-4-5", 1, 1), 1e-15);
        assertEquals(1e-6, cost(shipped, "anthropic", "claude-haiku-4-5", 1, 0), 1e-15);
        assertEquals(1.25e-6, cost(shipped, "gemini", "gemini-2.5-pro", 1, 0), 1e-15);
        assertEquals(0.0, cost(shipped, "ollama", "llama3", 1000, 1000));
        assertTrue(shipped.size() > 50, "models priced: " + shipped.size());
    }

    @Test
    void lookupToleratesThePrefixAndDatedNames() {
        PriceTable shipped = PriceTable.shipped();
        // a provider prefix given, or the answer naming a dated snapshot the table lists
        assertEquals(cost(shipped, "openai", "gpt-4o", 10, 10), cost(shipped, "openai", "openai/gpt-4o", 10, 10));
        assertEquals(5e-6, cost(shipped, "openai", "gpt-4o-2024-05-13", 1, 0), 1e-15);
        // an undated name the table lists only with a date: the newest snapshot
        assertEquals(3e-6, cost(shipped, "anthropic", "claude-sonnet-4", 1, 0), 1e-15);
        assertEquals(5e-6, cost(shipped, "openai", "gpt-5.5", 1, 0), 1e-15);
        // a dated or -latest name the table lists without its date
        assertEquals(1e-6, cost(shipped, "anthropic", "claude-haiku-4-5-20991231", 1, 0), 1e-15);
        assertEquals(3e-6, cost(shipped, "anthropic", "claude-3-7-sonnet-latest", 1, 0), 1e-15);
        assertEquals(1.25e-6, cost(shipped, "gemini", "models/gemini-2.5-pro", 1, 0), 1e-15);
        // the answering model's price wins over the requested one's
        assertEquals(5e-6, shipped.find("openai", "gpt-4o-2024-05-13", "gpt-4o").orElseThrow().cost(1, 0), 1e-15);
        assertFalse(shipped.find("openai", "no-such-model", "no-such-model").isPresent());
    }

    @Test
    void longPromptsPayTheTierRates() {
        PriceTable shipped = PriceTable.shipped();
        assertEquals(200_000 * 1.25e-6 + 1000 * 1e-5, cost(shipped, "gemini", "gemini-2.5-pro", 200_000, 1000), 1e-9);
        assertEquals(200_001 * 2.5e-6 + 1000 * 1.5e-5, cost(shipped, "gemini", "gemini-2.5-pro", 200_001, 1000),
                1e-9);
    }

    @Test
    void aUserFileOverridesAndExtendsTheShippedTable() throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                {"as_of": "2026-05-01",
                 "gpt-4o": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai"},
                 "openai/my-model": {"input_cost_per_token": 3e-07, "output_cost_per_token": 0}}
                """);
        PriceTable table = PriceTable.read(file, PriceTable.shipped());
        assertEquals(1e-6 + 2e-6, cost(table, "openai", "gpt-4o", 1, 1), 1e-15);
        assertEquals(3e-7, cost(table, "openai", "my-model", 1, 1), 1e-15);
        assertEquals(2e-6, cost(table, "openai", "gpt-4.1", 1, 0), 1e-15);
        String source = file.toAbsolutePath().normalize() + " (as of 2026-05-01)";
        assertEquals(source, table.find("openai", "gpt-4o", "gpt-4o").orElseThrow().source());
        assertEquals("shipped prices as of 2026-04-23",
                table.find("openai", "gpt-4.1", "gpt-4.1").orElseThrow().source());
        assertEquals(source + " over shipped prices as of 2026-04-23", table.source());
    }

    @Test
    void aLiteLlmFileWorksAsItIsAndWhatItDoesNotUnderstandIsSkipped() throws IOException {
        Path file = dir.resolve("model_prices_and_context_window.json");
        Files.writeString(file, """
                {
                    "sample_spec": {
                        "input_cost_per_token": 0.0,
                        "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
                        "max_input_tokens": "max input tokens, if the provider specifies it",
                        "mode": "one of: chat, embedding, completion, image_generation",
                        "output_cost_per_token": 0.0,
                        "supported_regions": ["global", "us-west-2"]
                    },
                    "gpt-4o": {
                        "cache_read_input_token_cost": 1.25e-06,
                        "input_cost_per_token": 2e-06,
                        "litellm_provider": "openai",
                        "max_input_tokens": 128000,
                        "mode": "chat",
                        "output_cost_per_token": 9e-06,
                        "search_context_cost_per_query": {"search_context_size_high": 0.05},
                        "supports_vision": true
                    },
                    "text-embedding-3-small": {"input_cost_per_token": 2e-08, "litellm_provider": "openai",
                                               "mode": "embedding", "output_cost_per_token": 0.0},
                    "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
                    "gpt-3.5-turbo-instruct": {"input_cost_per_token": 1.5e-06, "mode": "completion",
                                               "output_cost_per_token": 2e-06},
                    "weird": {"input_cost_per_token": "cheap", "output_cost_per_token": 1},
                    "negative": {"input_cost_per_token": -1, "output_cost_per_token": 1},
                    "a-list": [1, 2]
                }
                """);
        PriceTable table = PriceTable.read(file, PriceTable.shipped());
        assertEquals(2, table.size(), "only gpt-4o and gpt-3.5-turbo-instruct are chat or completion prices");
        assertEquals(2e-6 + 9e-6, cost(table, "openai", "gpt-4o", 1, 1), 1e-15);
        assertEquals(1.5e-6, cost(table, "openai", "gpt-3.5-turbo-instruct", 1, 0), 1e-15);
        assertFalse(table.find("openai", "text-embedding-3-small", null).isPresent());
        assertFalse(table.find(null, "sample_spec", null).isPresent());
        assertEquals(file.toAbsolutePath().normalize().toString(),
                table.find("openai", "gpt-4o", "gpt-4o").orElseThrow().source());
    }

    @Test
    void aBrokenFileIsReportedWithItsPathAndLine() throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\n  \"gpt-4o\": {\"input_cost_per_token\": 1e-06,,}\n}\n");
        ValidationException broken = assertThrows(ValidationException.class,
                () -> PriceTable.read(file, PriceTable.shipped()));
        assertEquals(file, broken.file());
        assertEquals(2, broken.line());
        assertTrue(broken.detail().startsWith("the prices file is not valid JSON"), broken.detail());

        Files.writeString(file, "[1, 2]");
        assertTrue(assertThrows(ValidationException.class, () -> PriceTable.read(file, null)).detail()
                .startsWith("a prices file is a JSON object of model names"));
        Path missing = dir.resolve("missing.json");
        assertEquals("the prices file does not exist",
                assertThrows(ValidationException.class, () -> PriceTable.read(missing, null)).detail());
    }
}
