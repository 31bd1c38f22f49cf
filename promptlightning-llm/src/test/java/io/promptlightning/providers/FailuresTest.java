package io.promptlightning.providers;

import io.promptlightning.ApiKeyException;
import io.promptlightning.LlmException;
import io.promptlightning.ModelNotFoundException;
import io.promptlightning.RateLimitException;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.testing.Fault;
import io.promptlightning.testing.FakeProviderServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each HTTP failure of each provider, whole and streamed, as the exception the core expects. */
class FailuresTest {
    @RegisterExtension
    static final FakeServer FAKE = new FakeServer();
    private FakeProviderServer server;
    private LangChainClient client;

    @BeforeEach
    void newClient() {
        server = FAKE.server();
        client = new LangChainClient(TestSettings.of(server.environment(Calls.KEY)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** The failure of a call made whole, then of the same call streamed, each answered with {@code fault}. */
    private List<LlmException> bothWays(ProviderCase c, Fault fault) {
        LlmRequest request = Calls.request(c, "What is the capital of France?");
        server.enqueue(fault, fault);
        LlmException whole = assertThrows(LlmException.class, () -> client.complete(request));
        LlmException streamed = assertThrows(LlmException.class, () -> client.stream(request, t -> { }));
        return List.of(whole, streamed);
    }

    private static String prefix(ProviderCase c) {
        return "model '" + c.model + "' (" + c.provider + "): ";
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void unauthorizedIsAnApiKeyExceptionNamingTheVariable(ProviderCase c) {
        for (LlmException e : bothWays(c, Fault.unauthorized())) {
            assertEquals(ApiKeyException.class, e.getClass());
            assertFalse(e.retryable());
            assertEquals(c.provider, e.provider());
            assertEquals(c.model, e.model());
            String expected = switch (c) {
                case OPENAI -> "the provider refused the API key (HTTP 401); check OPENAI_API_KEY";
                case ANTHROPIC -> "the provider refused the API key (HTTP 401); check ANTHROPIC_API_KEY";
                case GEMINI -> "the provider refused the API key (HTTP 401); check GEMINI_API_KEY or GOOGLE_API_KEY";
                case OLLAMA -> "the server refused the call (HTTP 401); it takes no key from PromptLightning";
            };
            assertEquals(prefix(c) + expected, e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void forbiddenIsAnApiKeyExceptionToo(ProviderCase c) {
        for (LlmException e : bothWays(c, Fault.status(403))) {
            assertEquals(ApiKeyException.class, e.getClass());
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void anUnknownModelIsAModelNotFoundExceptionWithTheProvidersWords(ProviderCase c) {
        for (LlmException e : bothWays(c, Fault.modelNotFound())) {
            assertEquals(ModelNotFoundException.class, e.getClass());
            assertFalse(e.retryable());
            String said = switch (c) {
                case OPENAI -> "The model `gpt-4o-mini` does not exist or you do not have access to it.";
                case ANTHROPIC -> "model: claude-3-5-haiku-latest";
                case GEMINI -> "models/gemini-2.0-flash is not found for API version v1beta, or is not supported"
                        + " for generateContent.";
                case OLLAMA -> "model \"llama3\" not found, try pulling it first";
            };
            assertEquals(prefix(c) + "the provider does not know this model (HTTP 404: " + said + ")", e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aRateLimitCarriesRetryAfterInSeconds(ProviderCase c) {
        for (LlmException e : bothWays(c, Fault.rateLimited("7"))) {
            RateLimitException limited = assertInstance(RateLimitException.class, e);
            assertTrue(limited.retryable());
            assertEquals(Duration.ofSeconds(7), limited.retryAfter());
            assertTrue(e.getMessage().startsWith(prefix(c) + "rate limited (HTTP 429, retry after 7s: "), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aRateLimitCarriesRetryAfterGivenAsAnHttpDate(ProviderCase c) {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        for (LlmException e : bothWays(c, Fault.rateLimited(inTwoMinutes))) {
            Duration wait = assertInstance(RateLimitException.class, e).retryAfter();
            // the date has whole seconds, and some time passes between sending and reading it
            assertTrue(wait.compareTo(Duration.ofSeconds(100)) > 0 && wait.compareTo(Duration.ofSeconds(120)) <= 0,
                    "retry after " + wait);
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aRateLimitWithoutRetryAfterSaysNothingOfWhen(ProviderCase c) {
        for (LlmException e : bothWays(c, Fault.rateLimited(null))) {
            assertNull(assertInstance(RateLimitException.class, e).retryAfter());
            assertTrue(e.getMessage().startsWith(prefix(c) + "rate limited (HTTP 429: "), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void serverErrorsAreRetryable(ProviderCase c) {
        for (Fault fault : List.of(Fault.serverError(), Fault.status(503), Fault.status(408))) {
            for (LlmException e : bothWays(c, fault)) {
                assertEquals(LlmException.class, e.getClass(), fault.toString());
                assertTrue(e.retryable(), fault + ": " + e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void otherClientErrorsAreNotRetryable(ProviderCase c) {
        for (Fault fault : List.of(Fault.status(400), Fault.status(422))) {
            for (LlmException e : bothWays(c, fault)) {
                assertEquals(LlmException.class, e.getClass(), fault.toString());
                assertFalse(e.retryable(), fault + ": " + e.getMessage());
                assertTrue(e.getMessage().startsWith(prefix(c) + "the provider refused the request (HTTP "),
                        e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void noMessageOrStackTraceEverContainsTheKey(ProviderCase c) {
        // the fake server quotes the key it got in its 401 body, as some providers do in part
        for (Fault fault : List.of(Fault.unauthorized(), Fault.status(403), Fault.modelNotFound(),
                Fault.rateLimited("1"), Fault.serverError(), Fault.status(400), Fault.brokenStream())) {
            for (LlmException e : bothWays(c, fault)) {
                assertKeyAbsent(e);
            }
        }
    }

    private static void assertKeyAbsent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(Calls.KEY), "message of " + t.getClass());
            assertFalse(t.toString().contains(Calls.KEY), "toString of " + t.getClass());
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(Calls.KEY), trace.toString());
    }

    @Test
    void aBodyThatIsNotJsonIsQuotedShortened() {
        assertEquals("Bad Gateway", Failures.providerMessage("Bad Gateway\n"));
        assertEquals(303, Failures.providerMessage("x".repeat(1000)).length());
        assertEquals("rate", Failures.providerMessage("{\"error\": {\"message\": \"rate\"}}"));
        assertEquals("pull it", Failures.providerMessage("{\"error\": \"pull it\"}"));
        assertEquals("plain", Failures.providerMessage("{\"message\": \"plain\"}"));
        assertEquals("", Failures.providerMessage(""));
    }

    @Test
    void durationsReadAsSeconds() {
        assertEquals("2s", Failures.seconds(Duration.ofSeconds(2)));
        assertEquals("0.25s", Failures.seconds(Duration.ofMillis(250)));
        assertEquals("90s", Failures.seconds(Duration.ofMinutes(1).plusSeconds(30)));
    }

    private static <T extends LlmException> T assertInstance(Class<T> type, LlmException e) {
        assertEquals(type, e.getClass(), e.getMessage());
        return type.cast(e);
    }

}
