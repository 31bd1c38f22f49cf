package io.promptlightning;

import static io.promptlightning.llm.ScriptedClient.serverError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.FakeTicker;
import io.promptlightning.internal.ProviderSettings;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.ScriptedClient;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultExecuteTest {
    @TempDir
    Path dir;

    private final FakeTicker ticker = new FakeTicker();
    private final MemoryExecutionLog log = new MemoryExecutionLog();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private Path prompts() throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("greeting.yaml"), String.join("\n",
                "id: greeting",
                "version: 1.0.0",
                "template: 'Hello {{ name }}!'",
                "inputs:",
                "  name: {type: string, required: true}",
                ""));
        return prompts;
    }

    private Vault vault(ScriptedClient client) throws IOException {
        return Vault.builder(LocalRegistry.open(prompts())).llmClient(client).executionLog(log).ticker(ticker)
                .sleeper(ticker.sleeper()).retryBackoff(Duration.ofMillis(1)).warnings(warnings::add).build();
    }

    @Test
    void executeRendersCallsTheModelAndLogsTheRun() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai").thenAnswer("Hi Ada, how can I help?", 12, 8);
        try (Vault vault = vault(client)) {
            ExecutionResult r = vault.get("greeting").execute("gpt-4o-mini", Map.of("name", "Ada"),
                    Map.of("temperature", 0.3, "max_tokens", 64, "user", "u-1"));
            assertEquals(new ExecutionResult("Hi Ada, how can I help?", "openai", "gpt-4o-mini", 12, 8,
                    12 * 1.5e-7 + 8 * 6e-7, 0), r);
            assertEquals(new LlmRequest("openai", "gpt-4o-mini", List.of(ChatMessage.user("Hello Ada!")),
                    new LlmParameters(0.3, 64, null, null, null, null, Map.of("user", "u-1"))), client.requests().get(0));
            assertEquals("shipped prices as of 2026-04-23", vault.priceSource());
        }
        ExecutionRecord record = log.records().get(0);
        assertEquals(new ExecutionRecord("greeting", "1.0.0", "latest", Map.of("name", "Ada"),
                "Hi Ada, how can I help?", "openai", "gpt-4o-mini", 12, 8, 12 * 1.5e-7 + 8 * 6e-7, 0,
                record.createdAt(), null, "shipped prices as of 2026-04-23"), record);
        assertTrue(log.closed());
        assertTrue(client.closed());
    }

    @Test
    void theLabelAHandleWasReachedThroughIsLogged() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai");
        try (Vault vault = vault(client)) {
            vault.get("greeting@1.0.0").execute("gpt-4o", Map.of("name", "a"));
            vault.get("greeting@latest").execute("gpt-4o", Map.of("name", "b"));
        }
        assertNull(log.records().get(0).label());
        assertEquals("latest", log.records().get(1).label());
    }

    @Test
    void failuresAreLoggedAndBadInputsOrParametersStopBeforeAnyCall() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai", "anthropic")
                .thenFail(new ApiKeyException("the key was refused (HTTP 401)", "anthropic", "claude-haiku-4-5", null));
        try (Vault vault = vault(client)) {
            TemplateHandle handle = vault.get("greeting");
            ApiKeyException refused = assertThrows(ApiKeyException.class,
                    () -> handle.execute("claude-haiku-4-5", Map.of("name", "Ada")));
            assertEquals(1, client.calls());
            ValidationException badParam = assertThrows(ValidationException.class,
                    () -> handle.execute("gpt-4o", Map.of("name", "Ada"), Map.of("temperature", "warm")));
            assertEquals("template 'greeting': parameter 'temperature' must be a number, not text ('warm')",
                    badParam.getMessage());
            ValidationException missingInput = assertThrows(ValidationException.class,
                    () -> handle.execute("gpt-4o", Map.of()));
            assertThrows(ModelNotFoundException.class, () -> handle.execute("llama3", Map.of("name", "Ada")));
            assertEquals(1, client.calls());

            List<ExecutionRecord> records = log.records();
            assertEquals(4, records.size());
            ExecutionRecord first = records.get(0);
            assertEquals(refused.getMessage(), first.error());
            assertEquals("model 'claude-haiku-4-5' (anthropic): the key was refused (HTTP 401)", first.error());
            assertEquals("anthropic", first.provider());
            assertEquals("claude-haiku-4-5", first.model());
            assertNull(first.output());
            assertEquals(0.0, first.costUsd());
            assertNull(first.priceSource());
            assertEquals(badParam.getMessage(), records.get(1).error());
            assertEquals("openai", records.get(1).provider());
            assertEquals(missingInput.getMessage(), records.get(2).error());
            assertNull(records.get(3).provider());
            assertEquals("llama3", records.get(3).model());
        }
    }

    @Test
    void runThroughYourOwnFunctionIsLogged() throws IOException {
        try (Vault vault = vault(ScriptedClient.serving("openai"))) {
            TemplateHandle handle = vault.get("greeting");
            assertEquals(10, handle.run(String::length, Map.of("name", "Bob")));
            IllegalStateException down = new IllegalStateException("my model is down");
            assertSame(down, assertThrows(IllegalStateException.class, () -> handle.run(prompt -> {
                throw down;
            }, Map.of("name", "Bob"))));
        }
        List<ExecutionRecord> records = log.records();
        assertEquals("10", records.get(0).output());
        assertNull(records.get(0).provider());
        assertNull(records.get(0).error());
        assertEquals("my model is down", records.get(1).error());
        assertNull(records.get(1).output());
    }

    @Test
    void messagesReplaceTheRenderedPrompt() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai");
        List<Map<String, String>> history = List.of(
                Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "Hello."),
                Map.of("role", "user", "content", "Bye"));
        try (Vault vault = vault(client)) {
            // the template's required input is not given: nothing is rendered
            assertEquals("answer to Bye", vault.get("greeting").execute("gpt-4o", Map.of(), Map.of("messages", history))
                    .output());
        }
        assertEquals(List.of(new ChatMessage("system", "You are terse."), ChatMessage.user("Hi"),
                new ChatMessage("assistant", "Hello."), ChatMessage.user("Bye")), client.requests().get(0).messages());
    }

    @Test
    void streamDeliversTokensAsTheyArrive() throws IOException {
        ScriptedClient client = ScriptedClient.serving("anthropic").thenStream(List.of("Hi", " Ada"), null);
        List<String> tokens = new ArrayList<>();
        try (Vault vault = vault(client)) {
            ExecutionResult r = vault.get("greeting").stream("claude-sonnet-4-5", Map.of("name", "Ada"), Map.of(),
                    tokens::add);
            assertEquals("Hi Ada", r.output());
            assertEquals(7, r.tokensIn());
        }
        assertEquals(List.of("Hi", " Ada"), tokens);
        assertEquals("Hi Ada", log.records().get(0).output());
    }

    @Test
    void asyncAndBatchRunsKeepToTheCallLimit() throws Exception {
        ScriptedClient client = ScriptedClient.serving("openai").holdUntilInFlight(2);
        List<Map<String, ?>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(Map.of("name", "n" + i));
        }
        try (Vault vault = Vault.builder(LocalRegistry.open(prompts())).llmClient(client).executionLog(log)
                .maxConcurrency(2).ticker(ticker).build()) {
            TemplateHandle handle = vault.get("greeting");
            List<CompletableFuture<ExecutionResult>> futures = handle.executeAll("gpt-4o", batch, Map.of("seed", 1));
            for (int i = 0; i < 10; i++) {
                assertEquals("answer to Hello n" + i + "!", futures.get(i).get(30, TimeUnit.SECONDS).output());
            }
            assertEquals(2, client.maxInFlight());
            client.holdUntilInFlight(1);
            assertEquals("answer to Hello x!", handle.executeAsync("gpt-4o", Map.of("name", "x")).get(30,
                    TimeUnit.SECONDS).output());
        }
        assertEquals(11, log.records().size());
    }

    @Test
    void anAsyncFailureFailsItsFuture() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai").otherwise((r, t) -> {
            throw serverError("openai", "gpt-4o");
        });
        try (Vault vault = vault(client)) {
            CompletableFuture<ExecutionResult> f = vault.get("greeting").executeAsync("gpt-4o", Map.of("name", "a"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof LlmException, String.valueOf(e.getCause()));
            assertEquals(3, client.calls());
        }
        assertEquals("model 'gpt-4o' (openai): server error (HTTP 500) (tried 3 times)", log.records().get(0).error());
    }

    @Test
    void withoutAProviderModuleRenderingWorksAndExecuteSaysWhatToAdd() throws IOException {
        try (Vault vault = Vault.ofPromptDir(prompts())) {
            TemplateHandle handle = vault.get("greeting");
            assertEquals("Hello Ada!", handle.render(Map.of("name", "Ada")));
            LlmException e = assertThrows(LlmException.class, () -> handle.execute("gpt-4o", Map.of("name", "Ada")));
            assertTrue(e.getMessage().contains("add io.promptlightning:promptlightning-llm to the class path"),
                    e.getMessage());
        }
    }

    @Test
    void aFactoryOnTheClassPathIsFoundAndGivenTheConfiguredSettings() throws IOException {
        prompts();
        Path services = Files.createDirectories(dir.resolve("module/META-INF/services"));
        Files.writeString(services.resolve("io.promptlightning.llm.LlmClientFactory"),
                ScriptedClientFactory.class.getName() + "\n");
        Files.writeString(dir.resolve("promptlightning.yaml"), String.join("\n",
                "registry: local",
                "prompt_dir: ./prompts",
                "providers:",
                "  openai: {api_key: sk-from-config, base_url: 'http://127.0.0.1:9/v1'}",
                "  ollama: {host: 'http://127.0.0.1:11434'}",
                "llm: {cache_ttl: 60, max_concurrency: 4}",
                ""));
        Files.writeString(dir.resolve(".env"), "PL_TEST_DOTENV_ONLY=from-dotenv\n");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        URLClassLoader module = new URLClassLoader(new URL[] {dir.resolve("module").toUri().toURL()}, before);
        thread.setContextClassLoader(module);
        Vault vault;
        try {
            vault = Vault.open(dir.resolve("promptlightning.yaml"));
        } finally {
            thread.setContextClassLoader(before);
        }
        try (vault; module) {
            TemplateHandle handle = vault.get("greeting");
            assertEquals("answer to Hello Ada!", handle.execute("gpt-4o", Map.of("name", "Ada")).output());
            ExecutionResult again = handle.execute("gpt-4o", Map.of("name", "Ada"));
            assertEquals(0.0, again.costUsd(), "the response cache answered");
            assertEquals(1, ScriptedClientFactory.lastClient.calls());
            var settings = ScriptedClientFactory.lastSettings;
            assertEquals(Optional.of("sk-from-config"), settings.value("openai", "api_key", "OPENAI_API_KEY"));
            assertEquals(Optional.of("http://127.0.0.1:11434"), settings.value("ollama", "host", "OLLAMA_HOST"));
            assertEquals(Optional.of("from-dotenv"), settings.value("x", "y", "PL_TEST_DOTENV_ONLY"));
        }
        assertTrue(ScriptedClientFactory.lastClient.closed());
    }

    @Test
    void aUserPriceFileFromTheConfigPricesTheRuns() throws IOException {
        prompts();
        Files.writeString(dir.resolve("prices.json"),
                "{\"openai/house-model\": {\"input_cost_per_token\": 0.001, \"output_cost_per_token\": 0.002}}");
        Files.writeString(dir.resolve("promptlightning.yaml"), "prompt_dir: ./prompts\nprices: prices.json\n");
        ScriptedClient client = ScriptedClient.serving("openai").thenAnswer("ok", 10, 5);
        Path prices = dir.resolve("prices.json").toAbsolutePath().normalize();
        try (Vault vault = Vault.builder(LocalRegistry.open(dir.resolve("prompts"))).llmClient(client)
                .prices(dir.resolve("prices.json")).executionLog(log).build()) {
            ExecutionResult r = vault.get("greeting").execute("openai/house-model", Map.of("name", "a"));
            assertEquals(10 * 0.001 + 5 * 0.002, r.costUsd(), 1e-12);
            assertEquals(prices + " over shipped prices as of 2026-04-23", vault.priceSource());
        }
        assertEquals(prices.toString(), log.records().get(0).priceSource());
        try (Vault fromConfig = Vault.open(dir.resolve("promptlightning.yaml"))) {
            assertEquals(prices + " over shipped prices as of 2026-04-23", fromConfig.priceSource());
        }
    }

    @Test
    void aConfigsLoggingSectionRecordsRunsInItsSqliteFileOpenedOnTheFirstRun() throws Exception {
        prompts();
        Path config = dir.resolve("promptlightning.yaml");
        Files.writeString(config, "prompt_dir: ./prompts\nlogging: {db_path: logs/runs.db}\n");
        Path db = dir.resolve("logs/runs.db");
        try (Vault vault = Vault.open(config)) {
            assertEquals("Hello Ada!", vault.get("greeting").render(Map.of("name", "Ada")));
        }
        assertFalse(Files.exists(db), "a vault that only renders opens no log");
        try (Vault vault = Vault.open(config)) {
            assertEquals("Hello Ada!", vault.get("greeting").run(p -> p, Map.of("name", "Ada")));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.ResultSet rows = c.createStatement().executeQuery(
                     "SELECT prompt_id, version, label, output_text, provider FROM logs")) {
            assertTrue(rows.next());
            assertEquals("greeting", rows.getString(1));
            assertEquals("1.0.0", rows.getString(2));
            assertEquals("latest", rows.getString(3));
            assertEquals("Hello Ada!", rows.getString(4));
            assertNull(rows.getString(5));
            assertFalse(rows.next());
        }
    }

    @Test
    void modelCallSettingsInTheConfigAreCheckedNamingTheKey() throws IOException {
        prompts();
        Path config = dir.resolve("promptlightning.yaml");
        for (String[] c : new String[][] {
                {"llm: {cache_ttl: soon}", "'llm.cache_ttl' must be a number of seconds (0 turns the response cache "
                        + "off), found 'soon'"},
                {"llm: {max_concurrency: 0}", "'llm.max_concurrency' must be a whole number from 1 to 1024, found '0'"},
                {"llm: {max_attempts: many}", "'llm.max_attempts' must be a whole number from 1 to 20, found 'many'"},
                {"llm: {retries: 3}", "unknown key 'llm.retries' (the keys are cache_ttl, max_concurrency, "
                        + "max_attempts)"},
                {"llm: 5", "'llm' must be a mapping, found '5'"},
                {"providers: [openai]", "'providers' must be a mapping, found '[openai]'"},
                {"providers: {openai: sk-abc-secret}", "'providers.openai' must be a mapping such as {api_key: ..., "
                        + "base_url: ...}"},
                {"providers: {openai: {api_key: [sk-abc-secret]}}", "'providers.openai.api_key' must be a single "
                        + "value (text or a number)"},
                {"prices: missing.json", "'prices' names a file that does not exist: "
                        + dir.resolve("missing.json").toAbsolutePath()},
        }) {
            Files.writeString(config, "prompt_dir: ./prompts\n" + c[0] + "\n");
            ValidationException e = assertThrows(ValidationException.class, () -> Vault.open(config).close(), c[0]);
            assertEquals(c[1], e.detail());
            assertEquals(config, e.file());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    @Test
    void noKeyAppearsInErrorsLogRowsOrWarnings() throws IOException {
        String secret = "sk-test-0123456789abcdef";
        Files.writeString(dir.resolve(".env"), "OPENAI_API_KEY=" + secret + "\nbroken line " + secret + "\n");
        ProviderSettings settings = ProviderSettings.load(Map.of("anthropic", Map.of("api_key", secret)),
                List.of(dir), warnings::add);
        List<Optional<String>> seen = new ArrayList<>();
        try (Vault vault = Vault.builder(LocalRegistry.open(prompts())).executionLog(log).warnings(warnings::add)
                .llmSettings(settings)
                .llmClientFactory(s -> ScriptedClient.serving("openai", "anthropic").otherwise((r, t) -> {
                    seen.add(s.value(r.provider(), "api_key", "OPENAI_API_KEY"));
                    throw new ApiKeyException("the key was refused (HTTP 401)", r.provider(), r.model(), null);
                })).build()) {
            TemplateHandle handle = vault.get("greeting");
            List<String> messages = new ArrayList<>();
            messages.add(assertThrows(ApiKeyException.class, () -> handle.execute("gpt-4o", Map.of("name", "a")))
                    .getMessage());
            messages.add(assertThrows(ApiKeyException.class, () -> handle.execute("claude-haiku-4-5",
                    Map.of("name", "a"))).getMessage());
            messages.add(settings.toString());
            log.records().forEach(r -> messages.add(r.toString()));
            messages.addAll(warnings);
            assertEquals(List.of(Optional.of(secret), Optional.of(secret)), seen, "the client had the keys");
            assertEquals(1, warnings.size(), "the broken .env line");
            for (String m : messages) {
                assertFalse(m.contains(secret), m);
            }
        }
    }

    @Test
    void theLatencyInTheLogIsTheResultsAndCoversRetries() throws IOException {
        ScriptedClient client = ScriptedClient.serving("openai")
                .then((r, t) -> {
                    ticker.advance(Duration.ofMillis(40));
                    throw serverError("openai", "gpt-4o");
                })
                .then((r, t) -> {
                    ticker.advance(Duration.ofMillis(60));
                    return ScriptedClient.answer(r, "ok", 1, 1);
                });
        ExecutionResult r;
        try (Vault vault = vault(client)) {
            r = vault.get("greeting").execute("gpt-4o", Map.of("name", "a"));
        }
        assertEquals(100 + ticker.waits().get(0).toMillis(), r.latencyMs());
        assertEquals(r.latencyMs(), log.records().get(0).latencyMs());
    }
}
