package io.promptlightning.providers;

import io.promptlightning.ApiKeyException;
import io.promptlightning.LlmException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import io.promptlightning.testing.Fault;
import io.promptlightning.testing.FakeProviderServer;
import io.promptlightning.testing.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LangChainClientTest {
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

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void anAnswerCarriesTheTextTheModelAndTheTokenCounts(ProviderCase c) {
        LlmResponse response = client.complete(Calls.request(c, "Summarise the plot of Hamlet"));

        assertEquals("You said: Summarise the plot of Hamlet", response.output());
        assertEquals(c.model, response.model());
        assertEquals(5, response.tokensIn());
        assertEquals(7, response.tokensOut());
        RecordedRequest sent = server.lastRequest();
        assertEquals(c.provider, sent.provider());
        assertEquals(c.model, sent.model());
        assertFalse(sent.streaming());
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void theKeyIsSentInTheProvidersHeader(ProviderCase c) {
        client.complete(Calls.request(c, "hi"));

        RecordedRequest sent = server.lastRequest();
        switch (c) {
            case OPENAI -> assertEquals("Bearer " + Calls.KEY, sent.header("Authorization"));
            case ANTHROPIC -> assertEquals(Calls.KEY, sent.header("x-api-key"));
            case GEMINI -> assertEquals(Calls.KEY, sent.header("x-goog-api-key"));
            case OLLAMA -> assertEquals(null, sent.header("Authorization"));
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aConversationKeepsItsRolesAndOrder(ProviderCase c) {
        List<ChatMessage> conversation = List.of(
                new ChatMessage(ChatMessage.SYSTEM, "You are terse."),
                ChatMessage.user("Name a colour"),
                new ChatMessage(ChatMessage.ASSISTANT, "Blue"),
                ChatMessage.user("Another one"));

        LlmResponse response = client.complete(new LlmRequest(c.provider, c.model, conversation, LlmParameters.DEFAULT));

        assertEquals("You said: Another one", response.output());
        assertEquals(9, response.tokensIn(), "every message is counted, the system prompt too");
        var body = server.lastRequest().json();
        switch (c) {
            case OPENAI, OLLAMA -> {
                assertEquals("system", body.at("/messages/0/role").asText());
                assertEquals("user", body.at("/messages/1/role").asText());
                assertEquals("assistant", body.at("/messages/2/role").asText());
                assertEquals("Blue", body.at("/messages/2/content").asText());
                assertEquals("Another one", body.at("/messages/3/content").asText());
            }
            case ANTHROPIC -> {
                assertTrue(body.get("system").toString().contains("You are terse."), body.toString());
                assertEquals("assistant", body.at("/messages/1/role").asText());
                assertEquals(3, body.get("messages").size());
            }
            case GEMINI -> {
                assertEquals("You are terse.", body.at("/systemInstruction/parts/0/text").asText());
                assertEquals("model", body.at("/contents/1/role").asText());
                assertEquals("Another one", body.at("/contents/2/parts/0/text").asText());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aStreamDeliversTheTokensInOrderAndReturnsTheWholeAnswerWithUsage(ProviderCase c) {
        server.reply("The quick brown fox jumps");
        List<String> tokens = new ArrayList<>();

        LlmResponse response = client.stream(Calls.request(c, "Finish the sentence please"), tokens::add);

        assertEquals(List.of("The", " quick", " brown", " fox", " jumps"), tokens);
        assertEquals("The quick brown fox jumps", response.output());
        assertEquals(4, response.tokensIn());
        assertEquals(5, response.tokensOut());
        assertEquals(c.model, response.model());
        assertTrue(server.lastRequest().streaming());
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aBrokenStreamIsARetryableFailure(ProviderCase c) {
        server.reply("one two three four five six");
        server.enqueue(Fault.brokenStream());
        List<String> tokens = new ArrayList<>();

        LlmException e = assertThrows(LlmException.class, () -> client.stream(Calls.request(c, "count"), tokens::add));

        assertEquals(LlmException.class, e.getClass());
        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("model '" + c.model + "' (" + c.provider + "): "), e.getMessage());
        assertTrue(tokens.size() < 6, "the stream was cut: " + tokens);
        assertEquals("one two three four five six", client.stream(Calls.request(c, "count"), t -> { }).output(),
                "the next stream is whole");
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void aWholeAnswerCutShortIsARetryableFailure(ProviderCase c) {
        server.enqueue(Fault.brokenStream());

        LlmException e = assertThrows(LlmException.class, () -> client.complete(Calls.request(c, "hello")));

        assertEquals(LlmException.class, e.getClass());
        assertTrue(e.retryable(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ProviderCase.class)
    void anAnswerSlowerThanTheTimeoutIsARetryableTimeout(ProviderCase c) {
        server.enqueue(Fault.slow(Duration.ofSeconds(3)), Fault.slow(Duration.ofSeconds(3)));
        LlmRequest request = Calls.request(c, Calls.timeout(Duration.ofMillis(250)));

        LlmException whole = assertThrows(LlmException.class, () -> client.complete(request));
        LlmException streamed = assertThrows(LlmException.class, () -> client.stream(request, t -> { }));

        for (LlmException e : List.of(whole, streamed)) {
            assertEquals(LlmException.class, e.getClass());
            assertTrue(e.retryable());
            assertEquals("model '" + c.model + "' (" + c.provider + "): no answer within 0.25s (the attempt's timeout)",
                    e.getMessage());
        }
    }

    @Test
    void aStreamThatKeepsGoingPastTheTimeoutIsStopped() {
        // each word of the answer arrives before the timeout, but the whole takes longer: the attempt's timeout
        // bounds the whole stream, not only its first byte
        server.reply("a ".repeat(2000));
        LlmRequest request = Calls.request(ProviderCase.OPENAI, Calls.timeout(Duration.ofMillis(300)));
        List<String> tokens = new ArrayList<>();

        LlmException e = assertThrows(LlmException.class, () -> client.stream(request, token -> {
            tokens.add(token);
            sleepQuietly(5);
        }));

        assertTrue(e.retryable());
        assertTrue(e.getMessage().endsWith("no answer within 0.3s (the attempt's timeout)"), e.getMessage());
        assertTrue(tokens.size() < 2000, "stopped after " + tokens.size() + " tokens");
    }

    @Test
    void anExceptionThrownByTheTokenConsumerComesBackAsIsAndStopsTheStream() {
        server.reply("one two three four");
        IllegalStateException thrown = new IllegalStateException("the consumer gave up");
        List<String> tokens = new ArrayList<>();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.stream(Calls.request(ProviderCase.ANTHROPIC, "go"), token -> {
                    tokens.add(token);
                    throw thrown;
                }));

        assertSame(thrown, e);
        assertEquals(List.of("one"), tokens);
    }

    @ParameterizedTest
    @EnumSource(value = ProviderCase.class, names = {"OPENAI", "ANTHROPIC", "GEMINI"})
    void aMissingKeyFailsAtCallTimeNamingTheVariableAndSendsNothing(ProviderCase c) {
        TestSettings settings = TestSettings.of(server.environment(Calls.KEY))
                .without("OPENAI_API_KEY").without("ANTHROPIC_API_KEY").without("GEMINI_API_KEY");
        try (LangChainClient noKeys = new LangChainClient(settings.without("OPENAI_BASE_URL"))) {
            ApiKeyException e = assertThrows(ApiKeyException.class, () -> noKeys.complete(Calls.request(c, "hi")));

            String variable = switch (c) {
                case OPENAI -> "OPENAI_API_KEY";
                case ANTHROPIC -> "ANTHROPIC_API_KEY";
                default -> "GEMINI_API_KEY or GOOGLE_API_KEY";
            };
            assertEquals("model '" + c.model + "' (" + c.provider + "): no API key: set " + variable
                    + " (in the environment or a .env file), or providers." + c.provider
                    + ".api_key in promptlightning.yaml", e.getMessage());
            assertFalse(e.retryable());
            assertThrows(ApiKeyException.class, () -> noKeys.stream(Calls.request(c, "hi"), t -> { }));
            assertTrue(server.requests().isEmpty());
        }
    }

    @Test
    void anOpenAiCompatibleServerOfOnesOwnTakesCallsWithoutAKey() {
        try (LangChainClient noKey = new LangChainClient(
                TestSettings.of(server.environment(Calls.KEY)).without("OPENAI_API_KEY"))) {
            LlmResponse response = noKey.complete(Calls.request(ProviderCase.OPENAI, "local model"));

            assertEquals("You said: local model", response.output());
            assertEquals(null, server.lastRequest().header("Authorization"));
        }
    }

    @Test
    void modelsAreBuiltOncePerModelAndTimeoutAndReused() {
        LlmRequest plain = Calls.request(ProviderCase.OPENAI, "one");
        client.complete(plain);
        client.complete(plain);
        client.complete(Calls.request(ProviderCase.OPENAI, "two"));
        assertEquals(1, client.builtModels());

        client.complete(Calls.request(ProviderCase.OPENAI, Calls.timeout(Duration.ofSeconds(30))));
        client.stream(plain, t -> { });
        client.stream(plain, t -> { });
        client.complete(Calls.request(ProviderCase.OLLAMA, "three"));
        assertEquals(4, client.builtModels());
    }

    @Test
    void concurrentCallsAreSentTogether() throws Exception {
        int calls = 8;
        server.latency(Duration.ofMillis(300));
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        CountDownLatch ready = new CountDownLatch(calls);
        try {
            List<Future<LlmResponse>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                ProviderCase c = ProviderCase.values()[i % 4];
                String prompt = "call " + i;
                boolean whole = i % 2 == 0;
                answers.add(callers.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return whole ? client.complete(Calls.request(c, prompt))
                            : client.stream(Calls.request(c, prompt), t -> { });
                }));
            }
            for (int i = 0; i < calls; i++) {
                assertEquals("You said: call " + i, answers.get(i).get(20, TimeUnit.SECONDS).output());
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(calls, server.requests().size());
        assertTrue(server.peakConcurrency() > 1, "the server saw at most one call at a time");
    }

    @Test
    void anEmptyAnswerIsAnEmptyOutput() {
        server.reply("");
        LlmResponse response = client.complete(Calls.request(ProviderCase.OPENAI, "say nothing"));
        assertEquals("", response.output());
        assertEquals(0, response.tokensOut());
    }

    @Test
    void aServerThatCannotBeReachedIsARetryableFailureNamingItsAddress() {
        String closedUrl;
        try (FakeProviderServer gone = FakeProviderServer.start()) {
            closedUrl = gone.baseUrl();
        }
        try (LangChainClient unreachable = new LangChainClient(TestSettings.of(Map.of("OLLAMA_HOST", closedUrl)))) {
            LlmException e = assertThrows(LlmException.class,
                    () -> unreachable.complete(Calls.request(ProviderCase.OLLAMA, "hi")));
            assertTrue(e.retryable());
            assertEquals("model 'llama3' (ollama): cannot connect to " + closedUrl, e.getMessage());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
