package io.promptlightning.providers;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * LangChain4j's HTTP client SPI on the JDK's {@link java.net.http.HttpClient}, as LangChain4j's own JDK client does it,
 * except for error answers: they become a {@link ProviderHttpException} that keeps the {@code Retry-After} delay and
 * whose message has the request's keys blanked out. Streams also report to the call's {@link StreamWatch}.
 */
final class ProviderHttpClient implements HttpClient {
    private static final List<String> SECRET_HEADERS = List.of("authorization", "x-api-key", "x-goog-api-key", "api-key");

    private final java.net.http.HttpClient http;
    private final Duration timeout;

    ProviderHttpClient(java.net.http.HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Makes this client for LangChain4j's models; they set the timeouts on it. */
    static HttpClientBuilder builder(java.net.http.HttpClient http) {
        return new HttpClientBuilder() {
            private Duration connectTimeout;
            private Duration readTimeout;

            @Override
            public Duration connectTimeout() {
                return connectTimeout;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                this.connectTimeout = timeout;
                return this;
            }

            @Override
            public Duration readTimeout() {
                return readTimeout;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                this.readTimeout = timeout;
                return this;
            }

            @Override
            public HttpClient build() {
                // The JDK client is shared, so its connect timeout is fixed; the read timeout, set on each request,
                // runs from the moment the request is sent and so covers connecting too.
                return new ProviderHttpClient(http, readTimeout);
            }
        };
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(toJdk(request), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LangChain4jException(e);
        }
        if (!successful(response)) {
            throw failure(request, response, new String(response.body(), StandardCharsets.UTF_8));
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        StreamWatch watch = StreamWatch.current();
        http.sendAsync(toJdk(request), HttpResponse.BodyHandlers.ofInputStream()).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    listener.onError(asTimeout(error));
                } else if (!successful(response)) {
                    listener.onError(failure(request, response, readQuietly(response.body())));
                } else {
                    read(response, parser, listener, watch);
                }
            } catch (RuntimeException listenerFailure) {
                // the listener belongs to LangChain4j's model and has reported what it could; the watch still ends
            } finally {
                if (watch != null) {
                    watch.ended();
                }
            }
        });
    }

    private static void read(HttpResponse<InputStream> response, ServerSentEventParser parser,
                             ServerSentEventListener listener, StreamWatch watch) {
        listener.onOpen(SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .build());
        FailureAwareListener aware = new FailureAwareListener(listener);
        try (InputStream body = response.body()) {
            if (watch != null) {
                watch.opened(body);
            }
            parser.parse(body, aware);
        } catch (IOException closing) {
            // the parser has read what there was; a failure to close adds nothing
        }
        // A body that failed half-way has been reported as an error; closing it too would have the models complete
        // the partial answer as if it were whole.
        if (!aware.failed) {
            listener.onClose();
        }
    }

    private static Throwable asTimeout(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause;
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new UnsupportedOperationException("multipart requests are not used by chat models");
        }
        URI uri = URI.create(request.url());
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            // Plain HTTP would try an h2c upgrade, which local servers (Ollama, OpenAI-compatible ones) handle poorly.
            builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
        }
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(request.method().name(), request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        if (timeout != null) {
            builder.timeout(timeout);
        }
        return builder.build();
    }

    private static boolean successful(HttpResponse<?> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    private static ProviderHttpException failure(HttpRequest request, HttpResponse<?> response, String body) {
        return new ProviderHttpException(response.statusCode(), redact(body, secrets(request)),
                RetryAfter.fromHeaders(response.headers().map(), Instant.now()));
    }

    /** The keys a request carries: in the headers providers put them in, and Gemini's {@code key} query parameter. */
    static List<String> secrets(HttpRequest request) {
        List<String> secrets = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            if (name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && values != null) {
                for (String value : values) {
                    secrets.add(value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value);
                }
            }
        });
        String query = URI.create(request.url()).getQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("key=")) {
                    secrets.add(parameter.substring(4));
                }
            }
        }
        return secrets;
    }

    /** {@code text} with every secret of at least 4 characters replaced by {@code ***}. */
    static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                redacted = redacted.replace(secret, "***");
            }
        }
        return redacted;
    }

    private static String readQuietly(InputStream body) {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Passes everything on and remembers whether the body failed. */
    private static final class FailureAwareListener implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private volatile boolean failed;

        FailureAwareListener(ServerSentEventListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable throwable) {
            failed = true;
            delegate.onError(throwable);
        }

        @Override
        public void onClose() {
            delegate.onClose();
        }
    }
}
