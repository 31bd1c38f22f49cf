package io.promptlightning;

import com.github.benmanes.caffeine.cache.Ticker;
import io.promptlightning.llm.LlmSettings;
import io.promptlightning.providers.LangChainClientFactory;
import io.promptlightning.providers.FakeServer;
import io.promptlightning.testing.FakeProviderServer;
import io.promptlightning.testing.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waits of model calls over real HTTP (the LangChain4j client against a {@link FakeProviderServer}): a
 * {@code Retry-After} honoured, and a provider's circuit breaker opening and recovering. The vault's clock and the
 * way it waits between attempts are its builder's package-private seams, so the test waits for nothing: the clock
 * moves only when the test or a wait moves it.
 */
class ProviderWaitsEndToEndTest {
    private static final String KEY = "sk-test-2b9e41c07d5f";
    @RegisterExtension
    static final FakeServer FAKE = new FakeServer();
    private FakeProviderServer server;

    @TempDir
    Path dir;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reset() {
        server = FAKE.server();
    }

    private Vault vault() throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("greeting.yaml"), String.join("\n",
                "id: greeting",
                "template: 'Hello {{ name }}!'",
                "inputs:",
                "  name: {type: string}",
                ""));
        Map<String, String> environment = server.environment(KEY);
        LlmSettings settings = (provider, key, envNames) -> {
            for (String name : envNames) {
                if (environment.containsKey(name)) {
                    return Optional.of(environment.get(name));
                }
            }
            return Optional.empty();
        };
        return Vault.builder(LocalRegistry.open(prompts))
                .llmClientFactory(new LangChainClientFactory())
                .llmSettings(settings)
                .executionLog(SqliteExecutionLog.open(dir.resolve("runs.db")))
                .ticker(ticker)
                .sleeper(d -> {
                    waits.add(d);
                    advance(d);
                })
                .build();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aRateLimitIsRetriedAfterTheWaitTheProviderAsksFor() throws IOException {
        server.enqueue(Fault.rateLimited("2"));
        ExecutionResult r;
        try (Vault vault = vault()) {
            r = vault.get("greeting").execute("gpt-4o-mini", Map.of("name", "Ada"));
        }

        assertEquals("You said: Hello Ada!", r.output());
        assertEquals(2, server.requests().size());
        assertEquals(List.of(Duration.ofSeconds(2)), waits);
        assertEquals(2000, r.latencyMs());
    }

    @Test
    void fiveFailedAttemptsOpenTheCircuitAndATrialCallAfterThirtySecondsClosesIt() throws IOException {
        server.failAlways(Fault.serverError());
        try (Vault vault = vault()) {
            TemplateHandle greeting = vault.get("greeting");
            Map<String, String> inputs = Map.of("name", "Ada");

            LlmException exhausted = assertThrows(LlmException.class, () -> greeting.execute("claude-haiku-4-5", inputs));
            assertTrue(exhausted.getMessage().endsWith("(tried 3 times)"), exhausted.getMessage());
            assertEquals(3, server.requests().size());
            // attempts 4 and 5 fail; the fifth failure opens the circuit, so this call's third attempt is refused
            LlmException opened = assertThrows(LlmException.class, () -> greeting.execute("claude-haiku-4-5", inputs));
            assertTrue(opened.getMessage().contains("circuit open"), opened.getMessage());
            assertEquals(5, server.requests().size());

            server.failAlways(null);
            advance(Duration.ofSeconds(28));
            LlmException stillOpen = assertThrows(LlmException.class,
                    () -> greeting.execute("claude-haiku-4-5", inputs));
            assertTrue(stillOpen.getMessage().contains("anthropic") && stillOpen.getMessage().contains("circuit open"),
                    stillOpen.getMessage());
            assertEquals(5, server.requests().size());
            // one provider's open circuit leaves the others alone
            assertEquals("You said: Hello Ada!", greeting.execute("gpt-4o-mini", inputs).output());
            assertEquals(6, server.requests().size());

            advance(Duration.ofSeconds(31));
            server.enqueue(Fault.serverError());
            LlmException trialFailed = assertThrows(LlmException.class,
                    () -> greeting.execute("claude-haiku-4-5", inputs));
            assertTrue(trialFailed.getMessage().contains("circuit open"), trialFailed.getMessage());
            assertEquals(7, server.requests().size());

            advance(Duration.ofSeconds(30));
            assertEquals("You said: Hello Ada!", greeting.execute("claude-haiku-4-5", inputs).output());
            assertEquals("You said: Hello Ada!", greeting.execute("claude-haiku-4-5", inputs).output());
            assertEquals(9, server.requests().size());
        }
    }
}
