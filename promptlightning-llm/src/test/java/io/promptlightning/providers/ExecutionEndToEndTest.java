package io.promptlightning.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.ExecutionResult;
import io.promptlightning.LlmException;
import io.promptlightning.LocalRegistry;
import io.promptlightning.RateLimitException;
import io.promptlightning.SqliteExecutionLog;
import io.promptlightning.TemplateHandle;
import io.promptlightning.Vault;
import io.promptlightning.testing.FakeProviderServer;
import io.promptlightning.testing.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path of a model call as a user runs it: a vault over a prompt directory, the LangChain4j client made by
 * {@link LangChainClientFactory}, real HTTP to a {@link FakeProviderServer} on 127.0.0.1, and an SQLite execution log.
 */
class ExecutionEndToEndTest {
    private static final String TEXT = "the tide comes in twice a day";
    private static final String PROMPT = "Summarise this: " + TEXT;
    private static final String ANSWER = "You said: " + PROMPT;
    private static final String SHIPPED = "/io/promptlightning/model_prices_and_context_window.json";

    @RegisterExtension
    static final FakeServer FAKE = new FakeServer();
    private FakeProviderServer server;

    @TempDir
    Path dir;
    private Path db;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reset() {
        server = FAKE.server();
        db = dir.resolve("logs/runs.db");
    }

    private Vault vault(UnaryOperator<Vault.Builder> options) throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("summarizer.yaml"), String.join("\n",
                "id: summarizer",
                "version: 1.2.0",
                "template: 'Summarise this: {{ text }}'",
                "inputs:",
                "  text: {type: string, required: true}",
                ""));
        Vault.Builder builder = Vault.builder(LocalRegistry.open(prompts))
                .llmClientFactory(new LangChainClientFactory())
                .llmSettings(TestSettings.of(server.environment(Calls.KEY)))
                .executionLog(SqliteExecutionLog.open(db))
                .retryBackoff(Duration.ofMillis(1))
                .warnings(warnings::add);
        return options.apply(builder).build();
    }

    private Vault vault() throws IOException {
        return vault(b -> b);
    }

    @ParameterizedTest
    @CsvSource({
            "gpt-4o-mini,      openai,    gpt-4o-mini",
            "claude-haiku-4-5, anthropic, claude-haiku-4-5",
            "gemini-2.0-flash, gemini,    gemini-2.0-flash",
            "ollama/llama3,    ollama,    llama3"})
    void eachProviderAnswersWithTokensAndTheShippedPrice(String asked, String provider, String model)
            throws IOException, SQLException {
        ExecutionResult r;
        try (Vault vault = vault()) {
            r = vault.get("summarizer").execute(asked, Map.of("text", TEXT), Map.of("temperature", 0.2));
        }

        long tokensIn = FakeProviderServer.countTokens(PROMPT);
        long tokensOut = FakeProviderServer.countTokens(ANSWER);
        JsonNode price = shippedPrice(provider, model);
        double cost = tokensIn * price.get("input_cost_per_token").asDouble()
                + tokensOut * price.get("output_cost_per_token").asDouble();
        assertEquals(ANSWER, r.output());
        assertEquals(provider, r.provider());
        assertEquals(model, r.model());
        assertEquals(tokensIn, r.tokensIn());
        assertEquals(tokensOut, r.tokensOut());
        assertEquals(cost, r.costUsd(), 1e-15);
        assertTrue(r.latencyMs() >= 0);
        assertEquals(List.of(), warnings);

        assertEquals(1, server.requests().size());
        assertEquals(provider, server.lastRequest().provider());
        assertEquals(model, server.lastRequest().model());

        List<Map<String, Object>> rows = rows();
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals("summarizer", row.get("prompt_id"));
        assertEquals("1.2.0", row.get("version"));
        assertEquals("latest", row.get("label"));
        assertEquals(Map.of("text", TEXT), new ObjectMapper().readValue((String) row.get("inputs_json"), Map.class));
        assertEquals(ANSWER, row.get("output_text"));
        assertEquals(provider, row.get("provider"));
        assertEquals(model, row.get("model"));
        assertEquals(tokensIn, ((Number) row.get("tokens_in")).longValue());
        assertEquals(tokensOut, ((Number) row.get("tokens_out")).longValue());
        assertEquals(cost, ((Number) row.get("cost_usd")).doubleValue(), 1e-15);
        assertEquals(cost, ((Number) row.get("cost")).doubleValue(), 1e-15);
        assertEquals(r.latencyMs(), ((Number) row.get("latency_ms")).longValue());
        assertTrue(((String) row.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
                (String) row.get("created_at"));
        assertNull(row.get("error"));
        assertEquals("shipped prices as of " + shippedTable().get("as_of").asText(), row.get("price_source"));
    }

    @Test
    void twoServerErrorsAreRetriedAndTheThirdAttemptAnswers() throws IOException, SQLException {
        server.enqueue(Fault.serverError(), Fault.serverError());
        ExecutionResult r;
        try (Vault vault = vault()) {
            r = vault.get("summarizer").execute("gpt-4o-mini", Map.of("text", TEXT));
        }

        assertEquals(ANSWER, r.output());
        assertEquals(3, server.requests().size());
        List<Map<String, Object>> rows = rows();
        assertEquals(1, rows.size());
        assertEquals(ANSWER, rows.get(0).get("output_text"));
        assertNull(rows.get(0).get("error"));
    }

    @Test
    void whenEveryAttemptFailsTheErrorSaysHowManyWereMadeAndIsLogged() throws IOException, SQLException {
        server.failAlways(Fault.serverError());
        LlmException failure;
        try (Vault vault = vault()) {
            TemplateHandle handle = vault.get("summarizer");
            failure = assertThrows(LlmException.class, () -> handle.execute("claude-haiku-4-5", Map.of("text", TEXT)));
        }

        assertEquals(3, server.requests().size());
        assertTrue(failure.getMessage().startsWith("model 'claude-haiku-4-5' (anthropic): "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("(tried 3 times)"), failure.getMessage());
        assertTrue(failure.retryable());
        assertEquals(2, failure.getSuppressed().length);
        assertFalse(failure.getMessage().contains(Calls.KEY));

        Map<String, Object> row = rows().get(0);
        assertEquals(failure.getMessage(), row.get("error"));
        assertNull(row.get("output_text"));
        assertEquals("anthropic", row.get("provider"));
        assertEquals(0.0, ((Number) row.get("cost_usd")).doubleValue());
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitFailsAtOnce() throws IOException {
        server.enqueue(Fault.rateLimited("120"));
        try (Vault vault = vault(b -> b.maxRetryAfter(Duration.ofSeconds(30)))) {
            TemplateHandle handle = vault.get("summarizer");
            RateLimitException limited = assertThrows(RateLimitException.class,
                    () -> handle.execute("gpt-4o-mini", Map.of("text", TEXT)));
            assertEquals(Duration.ofSeconds(120), limited.retryAfter());
            assertTrue(limited.getMessage().contains("asked to wait 120 s"), limited.getMessage());
        }
        assertEquals(1, server.requests().size());
    }

    @Test
    void aCachedAnswerIsServedWithoutASecondRequestAndSpendsNothing() throws IOException, SQLException {
        ExecutionResult first;
        ExecutionResult second;
        try (Vault vault = vault(b -> b.responseCacheTtl(Duration.ofMinutes(5)))) {
            TemplateHandle handle = vault.get("summarizer");
            first = handle.execute("gemini-2.0-flash", Map.of("text", TEXT), Map.of("max_tokens", 50));
            second = handle.execute("gemini-2.0-flash", Map.of("text", TEXT), Map.of("max_tokens", 50));
        }

        assertEquals(1, server.requests().size());
        assertEquals(first.output(), second.output());
        assertTrue(first.costUsd() > 0);
        assertEquals(0, second.tokensIn());
        assertEquals(0, second.tokensOut());
        assertEquals(0.0, second.costUsd());
        List<Map<String, Object>> rows = rows();
        assertEquals(2, rows.size());
        assertTrue(((String) rows.get(0).get("price_source")).startsWith("shipped prices as of "));
        assertEquals("cache", rows.get(1).get("price_source"));
        assertEquals(ANSWER, rows.get(1).get("output_text"));
    }

    @ParameterizedTest
    @CsvSource({"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.0-flash", "ollama/llama3"})
    void aStreamDeliversTheTokensAsTheServerSendsThem(String model) throws IOException, SQLException {
        List<String> tokens = new ArrayList<>();
        ExecutionResult r;
        try (Vault vault = vault()) {
            r = vault.get("summarizer").stream(model, Map.of("text", TEXT), Map.of(), tokens::add);
        }

        assertTrue(server.lastRequest().streaming());
        assertEquals(ANSWER, String.join("", tokens));
        assertEquals(FakeProviderServer.countTokens(ANSWER), tokens.size(), tokens.toString());
        assertEquals(ANSWER, r.output());
        assertEquals(FakeProviderServer.countTokens(PROMPT), r.tokensIn());
        assertEquals(FakeProviderServer.countTokens(ANSWER), r.tokensOut());
        assertEquals(ANSWER, rows().get(0).get("output_text"));
    }

    @Test
    void aBatchNeverHasMoreCallsInFlightThanTheLimit() throws IOException, SQLException {
        server.latency(Duration.ofMillis(100));
        List<Map<String, ?>> inputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(Map.of("text", "item " + i));
        }
        List<String> outputs = new ArrayList<>();
        try (Vault vault = vault(b -> b.maxConcurrency(4))) {
            List<CompletableFuture<ExecutionResult>> futures =
                    vault.get("summarizer").executeAll("gpt-4o-mini", inputs, Map.of());
            for (CompletableFuture<ExecutionResult> future : futures) {
                outputs.add(future.join().output());
            }
        }

        for (int i = 0; i < 20; i++) {
            assertEquals("You said: Summarise this: item " + i, outputs.get(i));
        }
        assertEquals(20, server.requests().size());
        // 20 calls of 100 ms each, 4 slots: the slots are full long enough for the server to see all four at once
        assertEquals(4, server.peakConcurrency());
        assertEquals(20, rows().size());
    }

    private List<Map<String, Object>> rows() throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM logs ORDER BY id")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static JsonNode shippedTable() throws IOException {
        try (InputStream in = Vault.class.getResourceAsStream(SHIPPED)) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The shipped entry of a model, under its plain name or {@code provider/model}, as LiteLLM keys them. */
    private static JsonNode shippedPrice(String provider, String model) throws IOException {
        JsonNode table = shippedTable();
        JsonNode entry = table.has(model) ? table.get(model) : table.get(provider + "/" + model);
        if (entry == null) {
            throw new AssertionError("the shipped price table has no entry for " + provider + "/" + model);
        }
        return entry;
    }
}
