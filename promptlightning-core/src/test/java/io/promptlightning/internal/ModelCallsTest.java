package io.promptlightning.internal;

import static io.promptlightning.llm.ScriptedClient.rateLimited;
import static io.promptlightning.llm.ScriptedClient.serverError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.ApiKeyException;
import io.promptlightning.ExecutionResult;
import io.promptlightning.LlmException;
import io.promptlightning.ModelNotFoundException;
import io.promptlightning.RateLimitException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import io.promptlightning.llm.ScriptedClient;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCallsTest {
    private static final List<ChatMessage> HI = List.of(ChatMessage.user("hi"));
    private static final ModelCalls.Options FAST = ModelCalls.Options.DEFAULTS
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(16));

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<ModelCalls> opened = new ArrayList<>();

    private ModelCalls calls(ScriptedClient client, ModelCalls.Options options) {
        ModelCalls calls = new ModelCalls(LlmClients.of(client), PriceTable::shipped, options, ticker,
                ticker.sleeper(), warnings::add);
        opened.add(calls);
        return calls;
    }

    @AfterEach
    void close() {
        opened.forEach(ModelCalls::close);
    }

    private static ExecutionResult result(ModelCalls calls, String model) {
        return calls.call(model, HI, LlmParameters.DEFAULT, null).result();
    }

    /** A step that takes {@code d} of the fake clock, then answers. */
    private ScriptedClient.Step slow(Duration d, ScriptedClient.Step then) {
        return (request, onToken) -> {
            ticker.advance(d);
            return then.answer(request, onToken);
        };
    }

    @Test
    void aCallIsRoutedSentAndPriced() {
        ScriptedClient client = ScriptedClient.serving("openai").thenAnswer("Hello!", 1000, 500);
        ModelCalls.Outcome outcome = calls(client, FAST).call("gpt-4o", HI, LlmParameters.DEFAULT, null);
        ExecutionResult r = outcome.result();
        assertEquals(new ExecutionResult("Hello!", "openai", "gpt-4o", 1000, 500, 1000 * 2.5e-6 + 500 * 1e-5, 0), r);
        assertEquals("shipped prices as of 2026-04-23", outcome.priceSource());
        LlmRequest sent = client.requests().get(0);
        assertEquals(new LlmRequest("openai", "gpt-4o", HI, LlmParameters.DEFAULT), sent);
        assertEquals(List.of(), warnings);
    }

    @Test
    void retryableFailuresAreRetriedWithGrowingBackoffAndTheLatencyCoversThem() {
        ScriptedClient client = ScriptedClient.serving("openai")
                .then(slow(Duration.ofMillis(100), (r, t) -> {
                    throw serverError("openai", "gpt-4o");
                }))
                .then(slow(Duration.ofMillis(100), (r, t) -> {
                    throw new LlmException("timed out", "openai", "gpt-4o", true, null);
                }))
                .then(slow(Duration.ofMillis(100), (r, t) -> ScriptedClient.answer(r, "ok", 1, 1)));
        ExecutionResult r = result(calls(client, FAST), "gpt-4o");
        assertEquals("ok", r.output());
        assertEquals(3, client.calls());
        List<Duration> waits = ticker.waits();
        assertEquals(2, waits.size());
        assertBetween(Duration.ofNanos(500_000), Duration.ofMillis(1), waits.get(0));
        assertBetween(Duration.ofMillis(1), Duration.ofMillis(2), waits.get(1));
        long waited = waits.stream().mapToLong(Duration::toNanos).sum();
        assertEquals(TimeUnit.NANOSECONDS.toMillis(300_000_000L + waited), r.latencyMs());
    }

    private static void assertBetween(Duration low, Duration high, Duration actual) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
                actual + " is not within " + low + " .. " + high);
    }

    @Test
    void afterThreeFailedAttemptsTheLastFailureIsThrownSayingSo() {
        ScriptedClient client = ScriptedClient.serving("openai").otherwise((r, t) -> {
            throw serverError("openai", "gpt-4o");
        });
        LlmException e = assertThrows(LlmException.class, () -> result(calls(client, FAST), "gpt-4o"));
        assertEquals("model 'gpt-4o' (openai): server error (HTTP 500) (tried 3 times)", e.getMessage());
        assertTrue(e.retryable());
        assertEquals(2, e.getSuppressed().length);
        assertEquals(3, client.calls());

        ScriptedClient limited = ScriptedClient.serving("openai").otherwise((r, t) -> {
            throw rateLimited("openai", "gpt-4o", null);
        });
        RateLimitException rl = assertThrows(RateLimitException.class, () -> result(calls(limited, FAST), "gpt-4o"));
        assertEquals("model 'gpt-4o' (openai): rate limited (HTTP 429) (tried 3 times)", rl.getMessage());
    }

    @Test
    void aRateLimitsRetryAfterIsHonoured() {
        ScriptedClient client = ScriptedClient.serving("anthropic")
                .thenFail(rateLimited("anthropic", "claude-haiku-4-5", Duration.ofSeconds(7)))
                .thenAnswer("fine", 3, 4);
        assertEquals("fine", result(calls(client, FAST), "claude-haiku-4-5").output());
        assertEquals(List.of(Duration.ofSeconds(7)), ticker.waits());
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsAtOnce() {
        ScriptedClient client = ScriptedClient.serving("openai")
                .thenFail(rateLimited("openai", "gpt-4o", Duration.ofSeconds(120)))
                .thenAnswer("never", 1, 1);
        RateLimitException e = assertThrows(RateLimitException.class, () -> result(calls(client, FAST), "gpt-4o"));
        assertEquals("model 'gpt-4o' (openai): rate limited (HTTP 429); the provider asked to wait 120 s, longer than "
                + "the 30 s a retry waits at most, so it was not retried", e.getMessage());
        assertEquals(Duration.ofSeconds(120), e.retryAfter());
        assertEquals(1, client.calls());
        assertEquals(List.of(), ticker.waits());
    }

    @Test
    void keysModelsAndOtherRefusalsAreNeverRetried() {
        for (LlmException refusal : List.of(
                new ApiKeyException("the key was refused (HTTP 401)", "openai", "gpt-4o", null),
                new ModelNotFoundException("no such model (HTTP 404)", "openai", "gpt-4o", null),
                new LlmException("bad request (HTTP 400)", "openai", "gpt-4o", false, null))) {
            ScriptedClient client = ScriptedClient.serving("openai").thenFail(refusal).thenAnswer("never", 1, 1);
            assertSame(refusal, assertThrows(LlmException.class, () -> result(calls(client, FAST), "gpt-4o")));
            assertEquals(1, client.calls());
        }
        assertEquals(List.of(), ticker.waits());
    }

    @Test
    void aClientBugIsReportedAsAFailureOfTheCallNotRetried() {
        ScriptedClient client = ScriptedClient.serving("openai").then((r, t) -> {
            throw new NullPointerException();
        });
        LlmException e = assertThrows(LlmException.class, () -> result(calls(client, FAST), "gpt-4o"));
        assertEquals("model 'gpt-4o' (openai): the client failed: java.lang.NullPointerException", e.getMessage());
        assertFalse(e.retryable());
        assertEquals(1, client.calls());
    }

    @Test
    void theCircuitOpensAfterFiveConsecutiveFailedAttemptsAndRecoversThroughATrialCall() {
        ScriptedClient client = ScriptedClient.serving("openai", "anthropic").otherwise((r, t) -> {
            throw serverError(r.provider(), r.model());
        });
        ModelCalls calls = calls(client, FAST);
        assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));      // attempts 1-3
        LlmException open = assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));  // 4, 5, then open
        assertEquals(5, client.calls());
        assertEquals("model 'gpt-4o' (openai): calls to openai are suspended after 5 consecutive failures (circuit "
                + "open); the next call is let through in 30 s", open.getMessage());
        assertEquals(2, open.getSuppressed().length);

        ticker.advance(Duration.ofSeconds(29));
        LlmException stillOpen = assertThrows(LlmException.class, () -> result(calls, "gpt-4o-mini"));
        assertTrue(stillOpen.getMessage().endsWith("the next call is let through in 1 s"), stillOpen.getMessage());
        assertEquals(5, client.calls());
        // another provider has its own circuit
        assertThrows(LlmException.class, () -> result(calls, "claude-haiku-4-5"));
        assertEquals(8, client.calls());

        // half-open: one trial; it fails, and the circuit opens again for another 30 s
        ticker.advance(Duration.ofSeconds(1));
        client.thenFail(serverError("openai", "gpt-4o"));
        LlmException trialFailed = assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));
        assertEquals(9, client.calls());
        assertTrue(trialFailed.getMessage().endsWith("the next call is let through in 30 s"),
                trialFailed.getMessage());

        // half-open again: while the trial is under way, other calls are refused; its success closes the circuit
        ticker.advance(Duration.ofSeconds(30));
        List<String> duringTrial = new ArrayList<>();
        client.then((r, t) -> {
            duringTrial.add(assertThrows(LlmException.class, () -> result(calls, "gpt-4o")).getMessage());
            return ScriptedClient.answer(r, "back", 1, 1);
        });
        assertEquals("back", result(calls, "gpt-4o").output());
        assertEquals(List.of("model 'gpt-4o' (openai): calls to openai are suspended after 6 consecutive failures "
                + "(circuit open); the next call is let through once the trial call under way has answered"),
                duringTrial);
        assertFalse(calls.circuitOpen("openai"));
        client.thenAnswer("again", 1, 1);
        assertEquals("again", result(calls, "gpt-4o").output());
    }

    @Test
    void anErrorEscapingTheClientDuringTheTrialFreesTheTrialSlot() {
        ScriptedClient client = ScriptedClient.serving("openai");
        ModelCalls calls = calls(client, FAST.withMaxAttempts(1));
        for (int i = 0; i < 5; i++) {
            client.thenFail(serverError("openai", "gpt-4o"));
            assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));
        }
        assertTrue(calls.circuitOpen("openai"));
        ticker.advance(Duration.ofSeconds(30));
        AssertionError bug = new AssertionError("a bug in the client");
        client.then((r, t) -> {
            throw bug;
        });
        assertSame(bug, assertThrows(AssertionError.class, () -> result(calls, "gpt-4o")));
        client.thenAnswer("trial", 1, 1);
        assertEquals("trial", result(calls, "gpt-4o").output());
        assertFalse(calls.circuitOpen("openai"));
    }

    @Test
    void aRefusalShowsTheProviderIsUpAndResetsTheCount() {
        ScriptedClient client = ScriptedClient.serving("openai");
        ModelCalls calls = calls(client, FAST.withMaxAttempts(1));
        for (int i = 0; i < 4; i++) {
            client.thenFail(serverError("openai", "gpt-4o"));
        }
        client.thenFail(new ModelNotFoundException("no such model", "openai", "gpt-4o", null));
        for (int i = 0; i < 4; i++) {
            client.thenFail(serverError("openai", "gpt-4o"));
        }
        for (int i = 0; i < 9; i++) {
            assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));
        }
        assertFalse(calls.circuitOpen("openai"));
        assertEquals("answer to hi", result(calls, "gpt-4o").output());
    }

    @Test
    void theResponseCacheAnswersRepeatsUntilItsTimeToLiveRunsOut() {
        ScriptedClient client = ScriptedClient.serving("openai").thenAnswer("first", 100, 50)
                .thenAnswer("second", 100, 50).thenAnswer("third", 100, 50);
        ModelCalls calls = calls(client, FAST.withCacheTtl(Duration.ofSeconds(60)));
        LlmParameters cold = new LlmParameters(0.0, null, null, null, null, null, Map.of());
        ModelCalls.Outcome miss = calls.call("gpt-4o", HI, cold, null);
        assertEquals("first", miss.result().output());
        assertTrue(miss.result().costUsd() > 0);

        ticker.advance(Duration.ofSeconds(59));
        LlmParameters coldWithTimeout = new LlmParameters(0.0, null, null, null, null, Duration.ofSeconds(5), Map.of());
        ModelCalls.Outcome hit = calls.call("gpt-4o", HI, coldWithTimeout, null);
        assertEquals(new ExecutionResult("first", "openai", "gpt-4o", 0, 0, 0, 0), hit.result());
        assertEquals(ModelCalls.CACHE_SOURCE, hit.priceSource());
        List<String> streamed = new ArrayList<>();
        assertEquals("first", calls.call("gpt-4o", HI, cold, streamed::add).result().output());
        assertEquals(List.of("first"), streamed);
        assertEquals(1, client.calls());

        // other parameters, other messages: other answers
        LlmParameters warm = new LlmParameters(0.9, null, null, null, null, null, Map.of());
        assertEquals("second", calls.call("gpt-4o", HI, warm, null).result().output());
        assertEquals(2, client.calls());

        ticker.advance(Duration.ofSeconds(2));
        assertEquals("third", calls.call("gpt-4o", HI, cold, null).result().output());
        assertEquals(3, client.calls());
    }

    @Test
    void callsInFlightNeverExceedTheLimit() throws Exception {
        ScriptedClient client = ScriptedClient.serving("openai").holdUntilInFlight(3);
        ModelCalls calls = calls(client, FAST.withMaxConcurrency(3));
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Future<ExecutionResult>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                List<ChatMessage> messages = List.of(ChatMessage.user("n" + i));
                futures.add(callers.submit(() -> calls.call("gpt-4o", messages, LlmParameters.DEFAULT, null)
                        .result()));
            }
            for (int i = 0; i < 12; i++) {
                assertEquals("answer to n" + i, futures.get(i).get(30, TimeUnit.SECONDS).output());
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(12, client.calls());
        assertEquals(3, client.maxInFlight());
    }

    @Test
    void tokensArriveAsTheyComeAndAStreamIsRetriedOnlyBeforeTheFirst() {
        ScriptedClient client = ScriptedClient.serving("gemini")
                .thenStream(List.of("Hel", "lo", "!"), null)
                .thenStream(List.of(), serverError("gemini", "gemini-2.5-flash"))
                .thenStream(List.of("after ", "retry"), null)
                .thenStream(List.of("half"), new LlmException("the stream broke", "gemini", "gemini-2.5-flash", true,
                        null));
        ModelCalls calls = calls(client, FAST);
        List<String> tokens = new ArrayList<>();
        ExecutionResult r = calls.call("gemini-2.5-flash", HI, LlmParameters.DEFAULT, tokens::add).result();
        assertEquals(List.of("Hel", "lo", "!"), tokens);
        assertEquals("Hello!", r.output());
        assertEquals(7 * 3e-7 + 3 * 2.5e-6, r.costUsd(), 1e-15);

        tokens.clear();
        assertEquals("after retry", calls.call("gemini-2.5-flash", HI, LlmParameters.DEFAULT, tokens::add).result()
                .output());
        assertEquals(List.of("after ", "retry"), tokens);
        assertEquals(3, client.calls());

        tokens.clear();
        LlmException broken = assertThrows(LlmException.class,
                () -> calls.call("gemini-2.5-flash", HI, LlmParameters.DEFAULT, tokens::add));
        assertEquals("model 'gemini-2.5-flash' (gemini): the stream broke", broken.getMessage());
        assertEquals(List.of("half"), tokens);
        assertEquals(4, client.calls());
    }

    @Test
    void aFailureOfTheCallersTokenConsumerPassesThroughUntouched() {
        ScriptedClient client = ScriptedClient.serving("openai").thenStream(List.of("a", "b"), null);
        IllegalStateException mine = new IllegalStateException("consumer gave up");
        assertSame(mine, assertThrows(IllegalStateException.class, () -> calls(client, FAST)
                .call("gpt-4o", HI, LlmParameters.DEFAULT, t -> {
                    throw mine;
                })));
        assertEquals(1, client.calls());
    }

    @Test
    void aModelWithoutAPriceCostsNothingAndIsWarnedAboutOnce() {
        ScriptedClient client = ScriptedClient.serving("openai", "ollama");
        ModelCalls calls = calls(client, FAST);
        ModelCalls.Outcome first = calls.call("openai/my-finetune", HI, LlmParameters.DEFAULT, null);
        assertEquals(0.0, first.result().costUsd());
        assertEquals(10, first.result().tokensIn());
        assertNull(first.priceSource());
        calls.call("openai/my-finetune", HI, LlmParameters.DEFAULT, null);
        assertEquals(List.of("warning: no price for model 'my-finetune' (openai) in shipped prices as of 2026-04-23; "
                + "its cost is recorded as 0 (add it to a prices file: 'prices:' in promptlightning.yaml)"), warnings);
        calls.call("ollama/qwen3", HI, LlmParameters.DEFAULT, null);
        assertEquals(2, warnings.size());
        // local models the table lists cost 0 without a warning
        calls.call("ollama/llama3", HI, LlmParameters.DEFAULT, null);
        assertEquals(2, warnings.size());
    }

    @Test
    void aProviderNoClientServesIsNamed() {
        ScriptedClient client = ScriptedClient.serving("openai");
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> result(calls(client, FAST), "claude-sonnet-4-5"));
        assertEquals("model 'claude-sonnet-4-5' (anthropic): no client serves the provider 'anthropic' (available: "
                + "openai); io.promptlightning:promptlightning-llm serves openai, anthropic, gemini and ollama",
                e.getMessage());
        assertEquals(0, client.calls());
    }

    @Test
    void withoutAProviderModuleTheErrorSaysWhatToAdd() {
        ClassLoader nothing = new URLClassLoader(new URL[0], null);
        ModelCalls calls = new ModelCalls(LlmClients.discover(nothing, () -> (p, k, e) -> java.util.Optional.empty()),
                PriceTable::shipped, FAST, ticker, ticker.sleeper(), warnings::add);
        opened.add(calls);
        LlmException e = assertThrows(LlmException.class, () -> result(calls, "gpt-4o"));
        assertEquals("model 'gpt-4o' (openai): no model provider is available: add "
                + "io.promptlightning:promptlightning-llm to the class path (it provides OpenAI, Anthropic, Gemini and "
                + "Ollama), or give the vault a client with Vault.builder(...).llmClient(...)", e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void theDetailOfAnExceptionIsItsMessageWithoutTheModelPrefix() {
        assertEquals("boom", ModelCalls.detailOf(new LlmException("boom", "openai", "gpt-4o", true, null)));
        assertEquals("boom", ModelCalls.detailOf(new LlmException("boom", "openai", null, true, null)));
        assertEquals("boom", ModelCalls.detailOf(new LlmException("boom", null, null, true, null)));
    }

    @Test
    void theAnsweringModelNamesTheResult() {
        ScriptedClient client = ScriptedClient.serving("openai")
                .then((r, t) -> new LlmResponse("x", "gpt-4o-2024-05-13", 1, 0));
        ExecutionResult r = result(calls(client, FAST), "gpt-4o");
        assertEquals("gpt-4o-2024-05-13", r.model());
        assertEquals(5e-6, r.costUsd(), 1e-15);
    }
}
