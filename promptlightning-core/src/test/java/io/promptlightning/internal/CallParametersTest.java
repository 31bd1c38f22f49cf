package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptlightning.ValidationException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallParametersTest {
    @Test
    void knownParametersAreTypedAndTheRestPassThroughAsExtras() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0.2);
        params.put("max_tokens", 256);
        params.put("top_p", 1);
        params.put("stop", List.of("\n\n", "END"));
        params.put("seed", 42L);
        params.put("timeout", 2.5);
        params.put("presence_penalty", 0.5);
        params.put("response_format", Map.of("type", "json_object"));
        CallParameters parsed = CallParameters.parse(params, "t");
        LlmParameters p = parsed.parameters();
        assertEquals(0.2, p.temperature());
        assertEquals(256, p.maxTokens());
        assertEquals(1.0, p.topP());
        assertEquals(List.of("\n\n", "END"), p.stop());
        assertEquals(42L, p.seed());
        assertEquals(Duration.ofMillis(2500), p.timeout());
        assertEquals(Map.of("presence_penalty", 0.5, "response_format", Map.of("type", "json_object")), p.extras());
        assertNull(parsed.messages());
    }

    @Test
    void noParametersAndNullValuesMeanTheProvidersDefaults() {
        assertSame(CallParameters.NONE, CallParameters.parse(Map.of(), "t"));
        assertSame(CallParameters.NONE, CallParameters.parse(null, "t"));
        Map<String, Object> params = new HashMap<>();
        params.put("temperature", null);
        assertEquals(LlmParameters.DEFAULT, CallParameters.parse(params, "t").parameters());
    }

    @Test
    void aSingleStopStringIsAList() {
        assertEquals(List.of("###"), CallParameters.parse(Map.of("stop", "###"), "t").parameters().stop());
        assertEquals(4096, CallParameters.parse(Map.of("max_tokens", BigInteger.valueOf(4096)), "t")
                .parameters().maxTokens());
    }

    @Test
    void messagesReplaceThePromptAndAreChecked() {
        CallParameters parsed = CallParameters.parse(Map.of("messages", List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hi")), "temperature", 0), "t");
        assertEquals(List.of(new ChatMessage("system", "Be brief."), ChatMessage.user("Hi")), parsed.messages());
        assertEquals(0.0, parsed.parameters().temperature());
    }

    @Test
    void wrongTypesAreRefusedNamingTheParameter() {
        assertInvalid(Map.of("temperature", "hot"), "parameter 'temperature' must be a number, not text ('hot')");
        assertInvalid(Map.of("temperature", -0.5), "parameter 'temperature' must be a number not below 0, not -0.5");
        assertInvalid(Map.of("top_p", 1.5), "parameter 'top_p' must be a number from 0 to 1, not 1.5");
        assertInvalid(Map.of("max_tokens", 10.5), "parameter 'max_tokens' must be a whole number, not a number (10.5)");
        assertInvalid(Map.of("max_tokens", 0), "parameter 'max_tokens' must be a whole number from 1 to 2147483647, "
                + "not 0");
        assertInvalid(Map.of("max_tokens", true), "parameter 'max_tokens' must be a whole number, not a boolean (true)");
        assertInvalid(Map.of("seed", "42"), "parameter 'seed' must be a whole number, not text ('42')");
        assertInvalid(Map.of("stop", 3), "parameter 'stop' must be a string or a list of strings, not a number (3)");
        assertInvalid(Map.of("stop", List.of("a", 1)), "parameter 'stop' must be a string or a list of strings; it "
                + "holds a number (1)");
        assertInvalid(Map.of("timeout", "30s"), "parameter 'timeout' must be a number of seconds, not text ('30s')");
        assertInvalid(Map.of("timeout", 0), "parameter 'timeout' must be a number of seconds above 0 and at most "
                + "86400, not 0");
        assertInvalid(Map.of("messages", "hi"), "parameter 'messages' must be a list of {role, content} maps, not "
                + "text ('hi')");
        assertInvalid(Map.of("messages", List.of()), "parameter 'messages' must hold at least one message");
        assertInvalid(Map.of("messages", List.of(Map.of("role", "bot", "content", "x"))),
                "messages[0].role must be system, user or assistant, not text ('bot')");
        assertInvalid(Map.of("messages", List.of(Map.of("role", "user"))),
                "messages[0].content must be a string, not nothing (null)");
        assertInvalid(Map.of("messages", List.of(Map.of("role", "user", "content", "a"), "b")),
                "messages[1] must be a {role, content} map, not text ('b')");
    }

    private static void assertInvalid(Map<String, ?> params, String detail) {
        ValidationException e = assertThrows(ValidationException.class, () -> CallParameters.parse(params, "greet"));
        assertEquals(detail, e.detail());
        assertEquals("greet", e.templateId());
    }
}
