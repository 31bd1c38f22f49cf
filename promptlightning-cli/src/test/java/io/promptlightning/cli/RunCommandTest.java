package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.testing.Fault;
import io.promptlightning.testing.FakeProviderServer;
import io.promptlightning.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run, end to end: the real provider clients against a fake provider server on 127.0.0.1. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-secret-4242";
    private static final String GREETING = "id: greet\n"
            + "version: 1.0.0\n"
            + "template: 'Say hello to {{ user_name }} in {{ language }}.'\n"
            + "inputs:\n"
            + "  user_name: {type: string, required: true}\n"
            + "  language: {type: string, required: false, default: English}\n";
    /** What the fake server answers to the greeting for Ada: it echoes the prompt. */
    private static final String ANSWER = "You said: Say hello to Ada in English.";

    @TempDir
    Path tmp;

    private FakeProviderServer server;
    private Path project;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        server = FakeProviderServer.start();
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("prompts/greet.yaml"), GREETING);
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: ./prompts\n"
                + "logging:\n  enabled: true\n  backend: sqlite\n  db_path: ./runs.db\n");
        cli = new Cli(project, tmp.resolve("home")).withEnvironment(server.environment(KEY));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void humanOutputIsTheBoxedSummaryThenTheAnswer() {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("┌") && lines.get(6).startsWith("└"), r::toString);
        assertTrue(lines.get(1).startsWith("│ model     gpt-4o-mini "), r::toString);
        assertTrue(lines.get(2).startsWith("│ provider  openai "), r::toString);
        assertTrue(lines.get(3).matches("│ cost      \\$0\\.0000\\d\\d +│"), r::toString);
        assertTrue(lines.get(4).matches("│ latency   \\d+ ms +│"), r::toString);
        long tokensOut = FakeProviderServer.countTokens(ANSWER);
        assertTrue(lines.get(5).matches("│ tokens    \\d+ in, " + tokensOut + " out +│"), r::toString);
        for (int i = 0; i < 7; i++) {
            assertEquals(lines.get(0).length(), lines.get(i).length(), "every line of the box is as wide");
        }
        assertEquals(List.of(ANSWER), lines.subList(7, lines.size()));
        assertEquals("", r.err());
        RecordedRequest request = server.lastRequest();
        assertEquals("openai", request.provider());
        assertEquals("Bearer " + KEY, request.header("authorization"));
    }

    @Test
    void jsonPrintsTheResultObject() throws Exception {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada", "--json");
        assertEquals(0, r.code(), r::toString);
        JsonNode result = JSON.readTree(r.out());
        List<String> keys = new ArrayList<>();
        result.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("output", "provider", "model", "tokens_in", "tokens_out", "cost_usd", "latency_ms"),
                keys);
        assertEquals(ANSWER, result.get("output").asText());
        assertEquals("openai", result.get("provider").asText());
        assertEquals("gpt-4o-mini", result.get("model").asText());
        assertTrue(result.get("tokens_in").asLong() > 0);
        assertEquals(FakeProviderServer.countTokens(ANSWER), result.get("tokens_out").asLong());
        assertTrue(result.get("cost_usd").asDouble() > 0, "gpt-4o-mini is in the shipped price table");
        assertTrue(result.get("latency_ms").isIntegralNumber());
    }

    @Test
    void quietPrintsOnlyTheAnswer() {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada", "--quiet");
        assertEquals(0, r.code(), r::toString);
        assertEquals(ANSWER + "\n", r.out());
    }

    @Test
    void streamPrintsTheAnswerAsItArrivesThenTheSummary() {
        Cli.Result r = cli.run("run", "greet", "--model", "claude-sonnet-4-5", "--user-name", "Ada", "--stream");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(ANSWER, lines.get(0));
        assertTrue(lines.get(1).startsWith("┌"), r::toString);
        assertTrue(lines.get(3).startsWith("│ provider  anthropic "), r::toString);
        assertEquals(8, lines.size(), r::toString);
        RecordedRequest request = server.lastRequest();
        assertEquals("anthropic", request.provider());
        assertTrue(request.streaming());

        Cli.Result quiet = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada", "--stream",
                "--quiet");
        assertEquals(0, quiet.code(), quiet::toString);
        assertEquals(ANSWER + "\n", quiet.out());
        assertTrue(server.lastRequest().streaming());
    }

    @Test
    void flagsThatAreNotInputsReachTheModelAsParameters() {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada", "--temperature", "0.3",
                "--max-tokens", "50", "--top-p", "0.9", "--seed", "7", "--stop", "[\"END\"]", "--presence-penalty",
                "0.5", "--user", "bar", "--quiet");
        assertEquals(0, r.code(), r::toString);
        JsonNode body = server.lastRequest().json();
        assertEquals(0.3, body.get("temperature").asDouble());
        assertEquals(50, body.get("max_tokens").asInt());
        assertEquals(0.9, body.get("top_p").asDouble());
        assertTrue(body.get("seed").isIntegralNumber(), body::toString);
        assertEquals(7, body.get("seed").asInt());
        assertEquals("[\"END\"]", body.get("stop").toString());
        assertTrue(body.get("presence_penalty").isNumber(), body::toString);
        assertEquals(0.5, body.get("presence_penalty").asDouble());
        assertEquals("bar", body.get("user").asText());
        assertFalse(body.has("user_name"), "inputs are not parameters");
    }

    @Test
    void dashesInFlagsNameInputsWithUnderscores() {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Grace", "--language",
                "French", "--quiet");
        assertEquals(0, r.code(), r::toString);
        JsonNode messages = server.lastRequest().json().get("messages");
        assertEquals("Say hello to Grace in French.", messages.get(messages.size() - 1).get("content").asText());
        assertEquals("You said: Say hello to Grace in French.\n", r.out());
    }

    @Test
    void aMissingRequiredInputIsAUsageErrorAndNothingIsSent() {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--language", "French");
        assertEquals(PromptLightningCli.USAGE, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals(List.of("error: template 'greet' needs the input --user-name; nothing was sent to the model",
                "usage: promptlightning run greet --model MODEL --user-name STRING"
                        + " [--language STRING (default: English)]"), r.err().lines().toList());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void wrongUsageExitsWithTwo() {
        assertEquals(PromptLightningCli.USAGE, cli.run("run", "greet", "--user-name", "Ada").code(), "no --model");
        Cli.Result both = cli.run("run", "greet", "--model", "gpt-4o", "--user-name", "Ada", "--json", "--stream");
        assertEquals(PromptLightningCli.USAGE, both.code(), both::toString);
        Cli.Result dangling = cli.run("run", "greet", "--model", "gpt-4o", "--user-name");
        assertEquals(PromptLightningCli.USAGE, dangling.code(), dangling::toString);
        assertTrue(dangling.err().contains("'--user-name' needs a value"), dangling::toString);
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void anUnknownModelFailsWithItsNameAndExitCodeOne() {
        Cli.Result r = cli.run("run", "greet", "--model", "mystery-model", "--user-name", "Ada");
        assertEquals(PromptLightningCli.PROBLEM, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("error: ") && r.err().contains("mystery-model"), r::toString);
        assertEquals("", r.out());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void aMissingKeyIsReportedOnceSayingWhereToSetIt() {
        // no key, and OpenAI's own endpoint (a server given by OPENAI_BASE_URL may need none)
        Cli.Result r = new Cli(project, tmp.resolve("home")).withEnvironment(java.util.Map.of())
                .run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada");
        assertEquals(PromptLightningCli.PROBLEM, r.code(), r::toString);
        assertEquals("error: model 'gpt-4o-mini' (openai): no API key: set OPENAI_API_KEY (in the environment or a"
                + " .env file), or providers.openai.api_key in promptlightning.yaml\n", r.err());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void aRefusedKeyIsReportedWithoutTheKey() throws Exception {
        server.enqueue(Fault.unauthorized());
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada");
        assertEquals(PromptLightningCli.PROBLEM, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().contains("gpt-4o-mini") && r.err().contains("openai"), r::toString);
        assertTrue(r.err().contains("(check the provider's key in the environment, a .env file or providers: in"
                + " promptlightning.yaml)"), r::toString);
        assertFalse(r.err().contains(KEY), r::toString);
        assertFalse(r.err().contains("4242"), r::toString);
        assertEquals("", r.out());
        assertEquals(1, server.requests().size(), "a refused key is not retried");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + project.resolve("runs.db"));
                Statement st = db.createStatement();
                ResultSet row = st.executeQuery("SELECT output_text, error FROM logs")) {
            assertTrue(row.next(), "the failed run is logged");
            assertNull(row.getString("output_text"));
            assertNotNull(row.getString("error"));
            assertFalse(row.getString("error").contains(KEY));
        }
    }

    @Test
    void aRunLeavesItsRowInTheExecutionLog() throws Exception {
        Cli.Result r = cli.run("run", "greet", "--model", "gpt-4o-mini", "--user-name", "Ada", "--json");
        assertEquals(0, r.code(), r::toString);
        JsonNode result = JSON.readTree(r.out());
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + project.resolve("runs.db"));
                Statement st = db.createStatement();
                ResultSet row = st.executeQuery("SELECT prompt_id, version, label, inputs_json, output_text,"
                        + " provider, model, tokens_in, tokens_out, cost_usd, cost, latency_ms, error FROM logs")) {
            assertTrue(row.next(), "the run is logged");
            assertEquals("greet", row.getString("prompt_id"));
            assertEquals("1.0.0", row.getString("version"));
            assertEquals("latest", row.getString("label"));
            assertEquals("Ada", JSON.readTree(row.getString("inputs_json")).get("user_name").asText());
            assertEquals(ANSWER, row.getString("output_text"));
            assertEquals("openai", row.getString("provider"));
            assertEquals("gpt-4o-mini", row.getString("model"));
            assertEquals(result.get("tokens_in").asLong(), row.getLong("tokens_in"));
            assertEquals(result.get("tokens_out").asLong(), row.getLong("tokens_out"));
            assertEquals(result.get("cost_usd").asDouble(), row.getDouble("cost_usd"), 1e-12);
            assertEquals(result.get("cost_usd").asDouble(), row.getDouble("cost"), 1e-12);
            assertEquals(result.get("latency_ms").asLong(), row.getLong("latency_ms"));
            assertNull(row.getString("error"));
            assertFalse(row.next(), "one run, one row");
        }
        Cli.Result logs = cli.run("logs", "--json");
        assertEquals(0, logs.code(), logs::toString);
        assertEquals("greet", JSON.readTree(logs.out()).get(0).get("prompt_id").asText());
    }
}
