package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeProviderServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeProviderServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = FakeProviderServer.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer secret-key")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static final String OPENAI_BODY = """
            {"model": "gpt-4o-mini", "messages": [
              {"role": "system", "content": "Be brief."},
              {"role": "user", "content": "Say three words"}]}""";

    @Test
    void openAiAnswerEchoesTheLastUserMessageWithWordCountsAsUsage() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", OPENAI_BODY);

        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("You said: Say three words", body.at("/choices/0/message/content").asText());
        assertEquals("gpt-4o-mini", body.get("model").asText());
        assertEquals(5, body.at("/usage/prompt_tokens").asLong());
        assertEquals(5, body.at("/usage/completion_tokens").asLong());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        RecordedRequest recorded = server.lastRequest();
        assertEquals("openai", recorded.provider());
        assertEquals("gpt-4o-mini", recorded.model());
        assertEquals("Bearer secret-key", recorded.header("Authorization"));
        assertFalse(recorded.streaming());
    }

    @Test
    void maxTokensCutsTheAnswerAndSaysSo() throws Exception {
        server.reply("one two three four five");
        HttpResponse<String> response = post("/v1/chat/completions",
                "{\"model\": \"m\", \"max_tokens\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        JsonNode body = JSON.readTree(response.body());
        assertEquals("one two", body.at("/choices/0/message/content").asText());
        assertEquals("length", body.at("/choices/0/finish_reason").asText());
        assertEquals(2, body.at("/usage/completion_tokens").asLong());
    }

    @Test
    void openAiStreamSendsOneWordPerChunkThenUsageThenDone() throws Exception {
        server.reply("alpha beta gamma");
        HttpResponse<String> response = post("/v1/chat/completions",
                "{\"model\": \"m\", \"stream\": true, \"stream_options\": {\"include_usage\": true},"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"go on\"}]}");

        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        List<String> data = dataLines(response.body());
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String line : data.subList(0, data.size() - 1)) {
            JsonNode chunk = JSON.readTree(line);
            JsonNode content = chunk.at("/choices/0/delta/content");
            if (!content.isMissingNode()) {
                text.append(content.asText());
            }
            if (chunk.has("usage")) {
                usage = chunk.get("usage");
            }
        }
        assertEquals("alpha beta gamma", text.toString());
        assertEquals(2, usage.get("prompt_tokens").asLong());
        assertEquals(3, usage.get("completion_tokens").asLong());
        assertTrue(server.lastRequest().streaming());
    }

    @Test
    void anthropicAnswerAndStreamCarryItsUsage() throws Exception {
        String body = "{\"model\": \"claude-3-5-haiku\", \"max_tokens\": 100, \"system\": \"Be kind.\","
                + " \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hello there\"}]}]}";
        JsonNode whole = JSON.readTree(post("/v1/messages", body).body());
        assertEquals("You said: hello there", whole.at("/content/0/text").asText());
        assertEquals(4, whole.at("/usage/input_tokens").asLong());
        assertEquals(4, whole.at("/usage/output_tokens").asLong());

        String streamed = post("/v1/messages", body.replace("{\"model\"", "{\"stream\": true, \"model\"")).body();
        assertTrue(streamed.startsWith("event: message_start\n"), streamed);
        assertTrue(streamed.contains("event: message_stop"), streamed);
        assertTrue(streamed.contains("\"output_tokens\":4"), streamed);
    }

    @Test
    void geminiReadsTheModelFromThePathAndStreamsWithAltSse() throws Exception {
        String body = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"why not\"}]}],"
                + " \"generationConfig\": {\"temperature\": 0.5}}";
        JsonNode whole = JSON.readTree(post("/v1beta/models/gemini-2.0-flash:generateContent", body).body());
        assertEquals("You said: why not", whole.at("/candidates/0/content/parts/0/text").asText());
        assertEquals(2, whole.at("/usageMetadata/promptTokenCount").asLong());
        assertEquals(4, whole.at("/usageMetadata/candidatesTokenCount").asLong());
        assertEquals("gemini-2.0-flash", server.lastRequest().model());

        List<String> events = dataLines(
                post("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", body).body());
        assertEquals(4, events.size());
        JsonNode last = JSON.readTree(events.get(3));
        assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
        assertEquals(4, last.at("/usageMetadata/candidatesTokenCount").asLong());
        assertTrue(server.lastRequest().streaming());
        assertEquals("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", server.lastRequest().path());
    }

    @Test
    void ollamaStreamsNewlineDelimitedJsonByDefault() throws Exception {
        HttpResponse<String> response = post("/api/chat",
                "{\"model\": \"llama3\", \"messages\": [{\"role\": \"user\", \"content\": \"a b\"}]}");

        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElseThrow());
        String[] lines = response.body().split("\n");
        assertEquals(5, lines.length);
        JsonNode last = JSON.readTree(lines[4]);
        assertTrue(last.get("done").asBoolean());
        assertEquals(2, last.get("prompt_eval_count").asLong());
        assertEquals(4, last.get("eval_count").asLong());

        JsonNode whole = JSON.readTree(post("/api/chat",
                "{\"model\": \"llama3\", \"stream\": false, \"messages\": [{\"role\": \"user\", \"content\": \"a b\"}]}")
                .body());
        assertEquals("You said: a b", whole.at("/message/content").asText());
    }

    @Test
    void faultsAreUsedInOrderThenAnswersAreNormal() throws Exception {
        server.enqueue(Fault.unauthorized(), Fault.modelNotFound(), Fault.rateLimited("7"), Fault.serverError());

        HttpResponse<String> unauthorized = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(401, unauthorized.statusCode());
        assertTrue(unauthorized.body().contains("secret-key"), "the 401 quotes the key it got");
        HttpResponse<String> notFound = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(404, notFound.statusCode());
        assertEquals("model_not_found", JSON.readTree(notFound.body()).at("/error/code").asText());
        HttpResponse<String> limited = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(500, post("/v1/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
    }

    @Test
    void errorBodiesTakeEachProvidersShape() throws Exception {
        server.failAlways(Fault.modelNotFound());
        JsonNode anthropic = JSON.readTree(post("/v1/messages",
                "{\"model\": \"claude-x\", \"messages\": []}").body());
        assertEquals("error", anthropic.get("type").asText());
        assertEquals("not_found_error", anthropic.at("/error/type").asText());
        JsonNode gemini = JSON.readTree(post("/v1beta/models/gemini-x:generateContent", "{}").body());
        assertEquals("NOT_FOUND", gemini.at("/error/status").asText());
        JsonNode ollama = JSON.readTree(post("/api/chat", "{\"model\": \"llama-x\"}").body());
        assertTrue(ollama.get("error").asText().contains("llama-x"));
        HttpResponse<String> rateLimited = withFault(Fault.rateLimited(null));
        assertTrue(rateLimited.headers().firstValue("Retry-After").isEmpty());
    }

    private static HttpResponse<String> withFault(Fault fault) throws Exception {
        server.failAlways(null);
        server.enqueue(fault);
        return post("/v1/chat/completions", OPENAI_BODY);
    }

    @Test
    void aBrokenStreamSendsHalfTheTokensThenClosesWithoutEndingTheBody() throws Exception {
        server.reply("one two three four");
        server.enqueue(Fault.brokenStream());
        String body = "{\"model\": \"m\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
        String received;
        // a raw socket shows exactly what was sent; an HTTP client drops what it buffered when the body fails
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), URI.create(server.baseUrl()).getPort())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(received.startsWith("HTTP/1.1 200"), received);
        assertTrue(received.contains("Transfer-encoding: chunked"), received);
        assertTrue(received.contains("\"content\":\" two\""), received);
        assertFalse(received.contains("three"), received);
        assertFalse(received.contains("[DONE]"), received);
        assertFalse(received.endsWith("0\r\n\r\n"), "the chunked body must not be terminated");

        server.enqueue(Fault.brokenStream());
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions", body),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (InputStream in = response.body()) {
            assertThrows(IOException.class, in::readAllBytes);
        }
    }

    @Test
    void aBrokenWholeAnswerEndsBeforeItsLength() throws Exception {
        server.enqueue(Fault.brokenStream());
        assertThrows(IOException.class, () -> post("/v1/chat/completions", OPENAI_BODY));
        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
    }

    @Test
    void aSlowAnswerOutlastsAShortClientTimeout() {
        server.enqueue(Fault.slow(Duration.ofSeconds(2)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.openAiBaseUrl() + "/chat/completions"))
                .timeout(Duration.ofMillis(100))
                .POST(HttpRequest.BodyPublishers.ofString(OPENAI_BODY)).build();
        assertThrows(java.net.http.HttpTimeoutException.class,
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void concurrentRequestsAreHandledTogetherAndThePeakIsRecorded() throws Exception {
        int clients = 12;
        CountDownLatch allSent = new CountDownLatch(clients);
        server.latency(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    allSent.countDown();
                    return post("/v1/chat/completions", OPENAI_BODY).statusCode();
                }));
            }
            assertTrue(allSent.await(5, TimeUnit.SECONDS));
            for (Future<Integer> result : results) {
                assertEquals(200, result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients, server.requests().size());
        assertTrue(server.peakConcurrency() > 1, "peak " + server.peakConcurrency());
    }

    @Test
    void unknownPathsAndBadJsonAreAnsweredWithClearErrors() throws Exception {
        HttpResponse<String> unknown = post("/v1/embeddings", "{}");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("/v1/embeddings"));
        HttpResponse<String> bad = post("/v1/chat/completions", "not json");
        assertEquals(400, bad.statusCode());
        assertNull(server.lastRequest().model());
    }

    @Test
    void environmentPointsEveryProviderHere() {
        var environment = server.environment("k");
        assertEquals(server.baseUrl() + "/v1", environment.get("OPENAI_BASE_URL"));
        assertEquals(server.baseUrl(), environment.get("OLLAMA_HOST"));
        assertEquals("k", environment.get("ANTHROPIC_API_KEY"));
    }

    @Test
    void tokensAreWhitespaceSeparatedWords() {
        assertEquals(0, FakeProviderServer.countTokens("  "));
        assertEquals(3, FakeProviderServer.countTokens(" a  b\nc "));
    }

    private static List<String> dataLines(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            }
        }
        return data;
    }
}
