package io.promptlightning.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP server on 127.0.0.1 (random port) that answers like the LLM providers do, for tests: OpenAI chat
 * completions, Anthropic messages, Gemini {@code generateContent} and Ollama {@code /api/chat}, whole or streamed, with
 * the usage each reports. Point a client at it through the base-URL settings ({@link #environment(String)} lists
 * them) and it never reaches the network.
 *
 * <p>Answers are deterministic: the text is {@code You said: } followed by the last user message (or the text given
 * to {@link #reply(String)}), cut to the request's token limit; a token is a whitespace-separated word, so the usage
 * reports {@link #countTokens(String)} of all the conversation's texts as prompt tokens and the number of words
 * answered as completion tokens. A stream sends one word per event.
 *
 * <p>Tests tell it to misbehave with {@link #enqueue(Fault...)} (the next requests, in order) or
 * {@link #failAlways(Fault)}; every request is recorded ({@link #requests()}), and {@link #peakConcurrency()} tells
 * how many were ever handled at once. A fixed {@link #latency(Duration)} delays every answer. Requests are handled on
 * a thread each, so the server never makes concurrent requests wait for one another.
 *
 * <pre>{@code
 * try (FakeProviderServer server = FakeProviderServer.start()) {
 *     server.enqueue(Fault.rateLimited("2"));          // the first call gets 429 with Retry-After: 2
 *     ... call with OPENAI_BASE_URL = server.openAiBaseUrl() ...
 *     assertEquals(2, server.requests().size());
 * }
 * }</pre>
 */
public final class FakeProviderServer implements AutoCloseable {
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final List<Wire> WIRES =
            List.of(new OpenAiWire(), new AnthropicWire(), new GeminiWire(), new OllamaWire());

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Object lock = new Object();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private Fault alwaysFault;
    private Duration latency = Duration.ZERO;
    private Function<RecordedRequest, String> reply = FakeProviderServer::echo;

    private FakeProviderServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static FakeProviderServer start() {
        // The JDK's server writes an answer's headers and body separately and, without TCP_NODELAY, waits for the
        // client's delayed ACK in between: 40 ms or more per request. It reads this property once, when its first
        // server is made in the JVM; a value set on the command line is left alone.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "fake-provider-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // One thread per request in flight: a bounded pool would queue requests and hide the client's concurrency.
        ExecutorService executor = Executors.newCachedThreadPool(factory);
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            FakeProviderServer fake = new FakeProviderServer(http, executor);
            http.createContext("/", fake::handle);
            http.setExecutor(executor);
            http.start();
            return fake;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the fake provider server on 127.0.0.1", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the base URL for Anthropic, Gemini and Ollama clients. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL for OpenAI clients, which include the version. */
    public String openAiBaseUrl() {
        return baseUrl() + "/v1";
    }

    /**
     * The settings that send every provider's calls here, as PromptLightning reads them from the environment:
     * {@code OPENAI_BASE_URL}, {@code ANTHROPIC_BASE_URL}, {@code GEMINI_BASE_URL}, {@code OLLAMA_HOST}, and the
     * keys {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY} set to {@code apiKey}.
     */
    public Map<String, String> environment(String apiKey) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OPENAI_BASE_URL", openAiBaseUrl());
        environment.put("OPENAI_API_KEY", apiKey);
        environment.put("ANTHROPIC_BASE_URL", baseUrl());
        environment.put("ANTHROPIC_API_KEY", apiKey);
        environment.put("GEMINI_BASE_URL", baseUrl());
        environment.put("GEMINI_API_KEY", apiKey);
        environment.put("OLLAMA_HOST", baseUrl());
        return environment;
    }

    /** Answers every request with {@code text} (before the token limit cuts it); null restores the echo. */
    public FakeProviderServer reply(String text) {
        synchronized (lock) {
            reply = text == null ? FakeProviderServer::echo : request -> text;
        }
        return this;
    }

    /** Waits this long before answering every request (for latency and concurrency measurements). */
    public FakeProviderServer latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative: " + latency);
        }
        synchronized (lock) {
            this.latency = latency;
        }
        return this;
    }

    /** The next requests, whatever their provider, get these faults, one each, in order; then answers are normal. */
    public FakeProviderServer enqueue(Fault... faults) {
        synchronized (lock) {
            for (Fault fault : faults) {
                this.faults.addLast(Objects.requireNonNull(fault, "fault"));
            }
        }
        return this;
    }

    /** Every request gets {@code fault} once the queued faults are used up; null returns to normal answers. */
    public FakeProviderServer failAlways(Fault fault) {
        synchronized (lock) {
            alwaysFault = fault;
        }
        return this;
    }

    /** Forgets faults, latency, reply, recorded requests and the peak. */
    public void reset() {
        synchronized (lock) {
            faults.clear();
            alwaysFault = null;
            latency = Duration.ZERO;
            reply = FakeProviderServer::echo;
            requests.clear();
            peak.set(inFlight.get());
        }
    }

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** The last request received. */
    public RecordedRequest lastRequest() {
        synchronized (lock) {
            if (requests.isEmpty()) {
                throw new IllegalStateException("the fake provider server has received no request");
            }
            return requests.get(requests.size() - 1);
        }
    }

    /** The most requests ever handled at the same time (since start or {@link #reset()}). */
    public int peakConcurrency() {
        return peak.get();
    }

    /** The number of whitespace-separated words of {@code text}: what this server counts as tokens. */
    public static long countTokens(String text) {
        long count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String echo(RecordedRequest request) {
        Wire wire = wireNamed(request.provider());
        return "You said: " + wire.lastUserText(request.json());
    }

    private static Wire wireNamed(String name) {
        return WIRES.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answer(exchange);
            exchange.close();
        } catch (ConnectionCut cut) {
            // not closed: closing would end the body properly, and the point is that it never ends
            throw cut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (IOException | RuntimeException e) {
            exchange.close();
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String pathAndQuery = exchange.getRequestURI().getRawQuery() == null
                ? path : path + "?" + exchange.getRequestURI().getRawQuery();
        Wire wire = WIRES.stream().filter(w -> w.serves(path)).findFirst().orElse(null);
        if (wire == null || !"POST".equals(exchange.getRequestMethod())) {
            sendJson(exchange, 404, Wire.object().put("error",
                    "no fake provider endpoint at " + exchange.getRequestMethod() + " " + path));
            return;
        }
        JsonNode json;
        try {
            json = Wire.JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            record(wire, exchange, pathAndQuery, body, MissingNode.getInstance(), null, false);
            sendJson(exchange, 400, wire.error(400, null, null));
            return;
        }
        String model = wire.model(path, json);
        boolean streaming = wire.streaming(path, json);
        RecordedRequest request = record(wire, exchange, pathAndQuery, body, json, model, streaming);

        Fault fault;
        Duration wait;
        Function<RecordedRequest, String> replyNow;
        synchronized (lock) {
            fault = faults.isEmpty() ? alwaysFault : faults.pollFirst();
            wait = latency;
            replyNow = reply;
        }
        sleep(wait);
        if (fault != null && fault.kind == Fault.Kind.SLOW) {
            sleep(fault.delay);
        }
        if (fault != null && fault.kind == Fault.Kind.STATUS) {
            if (fault.retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", fault.retryAfter);
            }
            sendJson(exchange, fault.status, wire.error(fault.status, model, wire.key(request)));
            return;
        }
        Wire.Answer answer = answerFor(wire, request, replyNow.apply(request));
        boolean broken = fault != null && fault.kind == Fault.Kind.BROKEN_STREAM;
        if (streaming) {
            stream(exchange, wire, answer, broken);
        } else if (broken) {
            byte[] whole = wire.answer(answer).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, whole.length);
            OutputStream out = exchange.getResponseBody();
            out.write(whole, 0, whole.length / 2);
            out.flush();
            throw new ConnectionCut();
        } else {
            sendJson(exchange, 200, wire.answer(answer));
        }
    }

    private RecordedRequest record(Wire wire, HttpExchange exchange, String path, String body, JsonNode json,
                                   String model, boolean streaming) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(wire.name(), exchange.getRequestMethod(), path, headers, body,
                json, model, streaming);
        synchronized (lock) {
            requests.add(request);
        }
        return request;
    }

    private static Wire.Answer answerFor(Wire wire, RecordedRequest request, String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                pieces.add(pieces.isEmpty() ? word : " " + word);
            }
        }
        Integer maxTokens = wire.maxTokens(request.json());
        boolean truncated = maxTokens != null && maxTokens >= 0 && pieces.size() > maxTokens;
        if (truncated) {
            pieces = pieces.subList(0, maxTokens);
        }
        long promptTokens = wire.texts(request.json()).stream().mapToLong(FakeProviderServer::countTokens).sum();
        String model = request.model() == null ? "unknown" : request.model();
        return new Wire.Answer(model, List.copyOf(pieces), promptTokens, truncated);
    }

    private static void stream(HttpExchange exchange, Wire wire, Wire.Answer answer, boolean broken)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", wire.streamContentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        List<String> chunks = broken ? wire.stream(answer.firstHalf(), false) : wire.stream(answer, true);
        for (String chunk : chunks) {
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (broken) {
            throw new ConnectionCut();
        }
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }

    /**
     * Thrown out of the handler to cut the connection: the JDK server closes the socket of an exchange whose handler
     * fails, without ending the chunked body or sending the promised length, as a dropped connection does.
     */
    private static final class ConnectionCut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionCut() {
            super("connection cut on purpose", null, false, false);
        }
    }
}
