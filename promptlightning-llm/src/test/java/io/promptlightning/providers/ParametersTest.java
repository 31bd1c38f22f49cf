package io.promptlightning.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptlightning.LlmException;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.testing.FakeProviderServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameters of a call as each provider receives them in the request body. */
class ParametersTest {
    private static final LlmParameters ALL = new LlmParameters(0.25, 3, 0.5, List.of("END", "STOP"), 42L, null,
            Map.of());

    @RegisterExtension
    static final FakeServer FAKE = new FakeServer();
    private FakeProviderServer server;
    private LangChainClient client;

    @BeforeEach
    void newClient() {
        server = FAKE.server();
        server.reply("one two three four five");
        client = new LangChainClient(TestSettings.of(server.environment(Calls.KEY)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private JsonNode sent(ProviderCase c, LlmParameters parameters) {
        client.complete(Calls.request(c, parameters));
        return server.lastRequest().json();
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void maxTokensReachesTheProviderWhichCutsTheAnswer(ProviderCase c) {
        var response = client.complete(Calls.request(c, ALL));

        assertEquals("one two three", response.output());
        assertEquals(3, response.tokensOut());
    }

    @Test
    void openAiTakesEveryParameterAndItsExtrasAsTopLevelFields() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("frequency_penalty", 0.7);
        extras.put("logit_bias", Map.of("50256", -100));
        extras.put("user", "ada");
        JsonNode body = sent(ProviderCase.OPENAI, with(ALL, extras));

        assertEquals(0.25, body.get("temperature").asDouble());
        assertEquals(0.5, body.get("top_p").asDouble());
        assertEquals(3, body.get("max_tokens").asInt());
        assertEquals("[\"END\",\"STOP\"]", body.get("stop").toString());
        assertEquals(42, body.get("seed").asInt());
        assertEquals(0.7, body.get("frequency_penalty").asDouble());
        assertEquals(-100, body.at("/logit_bias/50256").asInt());
        assertEquals("ada", body.get("user").asText());
    }

    @Test
    void openAiReasoningModelsGetTheLimitAsMaxCompletionTokens() {
        client.complete(new io.promptlightning.llm.LlmRequest("openai", "o3-mini",
                List.of(io.promptlightning.llm.ChatMessage.user("think")), ALL));
        JsonNode body = server.lastRequest().json();

        assertEquals(3, body.get("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens"), body.toString());
        assertTrue(OpenAiProvider.takesMaxCompletionTokens("gpt-5-mini"));
        assertTrue(OpenAiProvider.takesMaxCompletionTokens("o1"));
        assertFalse(OpenAiProvider.takesMaxCompletionTokens("gpt-4o"));
        assertFalse(OpenAiProvider.takesMaxCompletionTokens("omni-local"));
    }

    @Test
    void anthropicTakesItsParametersAndExtrasButNoSeed() {
        JsonNode body = sent(ProviderCase.ANTHROPIC, with(ALL, Map.of("top_k", 5, "metadata", Map.of("user_id", "u1"))));

        assertEquals(0.25, body.get("temperature").asDouble());
        assertEquals(0.5, body.get("top_p").asDouble());
        assertEquals(3, body.get("max_tokens").asInt());
        assertEquals("[\"END\",\"STOP\"]", body.get("stop_sequences").toString());
        assertEquals(5, body.get("top_k").asInt());
        assertEquals("u1", body.at("/metadata/user_id").asText());
        assertFalse(body.has("seed"), body.toString());
    }

    @Test
    void anthropicCallsWithDifferentExtrasDoNotShareThem() {
        sent(ProviderCase.ANTHROPIC, Calls.extras(Map.of("top_k", 5)));
        JsonNode plain = sent(ProviderCase.ANTHROPIC, LlmParameters.DEFAULT);

        assertFalse(plain.has("top_k"), plain.toString());
        assertEquals(1024, plain.get("max_tokens").asInt(), "Anthropic requires max_tokens: a default is sent");
    }

    @Test
    void geminiTakesItsParametersInTheGenerationConfig() {
        JsonNode body = sent(ProviderCase.GEMINI,
                with(ALL, Map.of("top_k", 7, "frequency_penalty", 0.1, "presence_penalty", 0.2)));

        JsonNode config = body.get("generationConfig");
        assertEquals(0.25, config.get("temperature").asDouble());
        assertEquals(0.5, config.get("topP").asDouble());
        assertEquals(3, config.get("maxOutputTokens").asInt());
        assertEquals("[\"END\",\"STOP\"]", config.get("stopSequences").toString());
        assertEquals(42, config.get("seed").asInt());
        assertEquals(7, config.get("topK").asInt());
        assertEquals(0.1, config.get("frequencyPenalty").asDouble());
        assertEquals(0.2, config.get("presencePenalty").asDouble());
    }

    @Test
    void geminiCallsWithDifferentSeedsGetTheirOwn() {
        sent(ProviderCase.GEMINI, seed(1L));
        assertEquals(2, sent(ProviderCase.GEMINI, seed(2L)).at("/generationConfig/seed").asInt());
        assertTrue(sent(ProviderCase.GEMINI, LlmParameters.DEFAULT).at("/generationConfig/seed").isMissingNode());
    }

    @Test
    void geminiRefusesExtrasItCannotSendBeforeCalling() {
        LlmException e = assertThrows(LlmException.class,
                () -> sent(ProviderCase.GEMINI, Calls.extras(Map.of("safety_settings", "none", "candidate_count", 2))));

        assertEquals("model 'gemini-2.0-flash' (gemini): unknown extra parameter 'candidate_count', 'safety_settings'"
                + " for gemini (it takes frequency_penalty, presence_penalty, top_k)", e.getMessage());
        assertFalse(e.retryable());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void ollamaTakesItsParametersAsModelOptions() {
        Map<String, Object> extras = Map.of("num_ctx", 4096, "repeat_penalty", 1.1, "top_k", "20", "use_mmap", true,
                "keep_alive", 300);
        JsonNode body = sent(ProviderCase.OLLAMA, with(ALL, extras));

        JsonNode options = body.get("options");
        assertEquals(0.25, options.get("temperature").asDouble());
        assertEquals(0.5, options.get("top_p").asDouble());
        assertEquals(3, options.get("num_predict").asInt());
        assertEquals("[\"END\",\"STOP\"]", options.get("stop").toString());
        assertEquals(42, options.get("seed").asInt());
        assertEquals(4096, options.get("num_ctx").asInt());
        assertEquals(1.1, options.get("repeat_penalty").asDouble());
        assertEquals(20, options.get("top_k").asInt());
        assertTrue(options.get("use_mmap").asBoolean());
        assertEquals(300, body.get("keep_alive").asInt(), body.toString());
    }

    @Test
    void ollamaRefusesUnknownExtrasAndValuesOfTheWrongTypeBeforeCalling() {
        LlmException unknown = assertThrows(LlmException.class,
                () -> sent(ProviderCase.OLLAMA, Calls.extras(Map.of("temperature_boost", 2))));
        assertTrue(unknown.getMessage().startsWith(
                "model 'llama3' (ollama): unknown extra parameter 'temperature_boost' for ollama (it takes keep_alive, "),
                unknown.getMessage());

        LlmException wrongType = assertThrows(LlmException.class,
                () -> sent(ProviderCase.OLLAMA, Calls.extras(Map.of("num_ctx", "large"))));
        assertEquals("model 'llama3' (ollama): the extra parameter 'num_ctx' takes a whole number, not \"large\"",
                wrongType.getMessage());
        assertFalse(wrongType.retryable());
        assertTrue(server.requests().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = ProviderCase.class, names = {"OPENAI", "GEMINI", "OLLAMA"})
    void aSeedBeyond32BitsIsRefused(ProviderCase c) {
        LlmException e = assertThrows(LlmException.class, () -> sent(c, seed(1L << 40)));

        assertTrue(e.getMessage().endsWith("the seed must be from -2147483648 to 2147483647, not 1099511627776"),
                e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void parametersNotGivenAreNotSent(ProviderCase c) {
        // LangChain4j's Ollama client always sends a list of stop sequences: an empty one stops nothing
        String body = sent(c, LlmParameters.DEFAULT).toString().replace("\"stop\":[]", "");

        for (String name : List.of("temperature", "top_p", "topP", "seed", "stop", "stopSequences", "stop_sequences")) {
            assertFalse(body.contains("\"" + name + "\""), name + " in " + body);
        }
    }

    private static LlmParameters with(LlmParameters p, Map<String, Object> extras) {
        return new LlmParameters(p.temperature(), p.maxTokens(), p.topP(), p.stop(), p.seed(), p.timeout(), extras);
    }

    private static LlmParameters seed(Long seed) {
        return new LlmParameters(null, null, null, null, seed, null, Map.of());
    }
}
