package io.promptlightning.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.promptlightning.ExecutionResult;
import io.promptlightning.LlmException;
import io.promptlightning.ModelNotFoundException;
import io.promptlightning.RateLimitException;
import io.promptlightning.llm.ChatMessage;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmParameters;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Model calls as a vault makes them: route the model name, answer from the response cache if it can, wait for one
 * of the vault's call slots, then attempt the call through the provider's circuit breaker, retrying retryable
 * failures with exponential backoff (or after the {@code Retry-After} a rate limit gave), and price the answer.
 *
 * <p>A streamed call is retried only while no token has been delivered. A cache hit spends nothing: its result has
 * 0 tokens and cost 0, and its price source is {@value #CACHE_SOURCE}. Thread-safe.
 */
public final class ModelCalls implements AutoCloseable {
    /** The price source recorded for an answer served from the response cache. */
    public static final String CACHE_SOURCE = "cache";

    /**
     * How calls are made.
     *
     * @param maxAttempts      attempts per call, the first included
     * @param backoffBase      the wait after the first failed attempt; it doubles after each (with jitter)
     * @param backoffMax       the longest wait between attempts that backoff reaches
     * @param maxRetryAfter    the longest {@code Retry-After} honoured; a longer one fails the call at once
     * @param breakerThreshold consecutive failed attempts that open a provider's circuit
     * @param breakerOpenTime  how long an open circuit refuses calls before it lets a trial call through
     * @param cacheTtl         how long an answer is reused; zero turns the response cache off
     * @param cacheSize        the most answers the cache holds
     * @param maxConcurrency   the most calls in flight at once, across the vault
     */
    public record Options(int maxAttempts, Duration backoffBase, Duration backoffMax, Duration maxRetryAfter,
                          int breakerThreshold, Duration breakerOpenTime, Duration cacheTtl, long cacheSize,
                          int maxConcurrency) {
        public static final int DEFAULT_MAX_ATTEMPTS = 3;
        public static final int DEFAULT_MAX_CONCURRENCY = 8;

        public static final Options DEFAULTS = new Options(DEFAULT_MAX_ATTEMPTS, Duration.ofMillis(500),
                Duration.ofSeconds(8), Duration.ofSeconds(30), 5, Duration.ofSeconds(30), Duration.ZERO, 10_000,
                DEFAULT_MAX_CONCURRENCY);

        public Options {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
            }
            if (breakerThreshold < 1) {
                throw new IllegalArgumentException("breakerThreshold must be at least 1: " + breakerThreshold);
            }
            for (Duration d : List.of(backoffBase, backoffMax, maxRetryAfter, breakerOpenTime, cacheTtl)) {
                if (d.isNegative()) {
                    throw new IllegalArgumentException("durations must not be negative: " + d);
                }
            }
        }

        public Options withMaxAttempts(int n) {
            return new Options(n, backoffBase, backoffMax, maxRetryAfter, breakerThreshold, breakerOpenTime,
                    cacheTtl, cacheSize, maxConcurrency);
        }

        public Options withBackoff(Duration base, Duration max) {
            return new Options(maxAttempts, base, max, maxRetryAfter, breakerThreshold, breakerOpenTime, cacheTtl,
                    cacheSize, maxConcurrency);
        }

        public Options withMaxRetryAfter(Duration d) {
            return new Options(maxAttempts, backoffBase, backoffMax, d, breakerThreshold, breakerOpenTime, cacheTtl,
                    cacheSize, maxConcurrency);
        }

        public Options withCacheTtl(Duration ttl) {
            return new Options(maxAttempts, backoffBase, backoffMax, maxRetryAfter, breakerThreshold,
                    breakerOpenTime, ttl, cacheSize, maxConcurrency);
        }

        public Options withMaxConcurrency(int n) {
            return new Options(maxAttempts, backoffBase, backoffMax, maxRetryAfter, breakerThreshold,
                    breakerOpenTime, cacheTtl, cacheSize, n);
        }
    }

    /**
     * A call that succeeded.
     *
     * @param result      what the caller gets
     * @param priceSource where its price came from, {@value #CACHE_SOURCE} for a cache hit, null if unpriced
     */
    public record Outcome(ExecutionResult result, String priceSource) {
    }

    private record CacheKey(String provider, String model, List<ChatMessage> messages, LlmParameters parameters) {
    }

    private final LlmClients clients;
    private final Supplier<PriceTable> prices;
    private final Options options;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Consumer<String> warnings;
    private final Semaphore slots;
    private final Cache<CacheKey, LlmResponse> cache;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor;

    public ModelCalls(LlmClients clients, Supplier<PriceTable> prices, Options options, Ticker ticker,
            Sleeper sleeper, Consumer<String> warnings) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.options = Objects.requireNonNull(options, "options");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.slots = new Semaphore(options.maxConcurrency(), true);
        this.cache = options.cacheTtl().isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(options.cacheTtl())
                .maximumSize(options.cacheSize())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(options.maxConcurrency(), options.maxConcurrency(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "promptlightning-call-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    public Options options() {
        return options;
    }

    /** Where asynchronous runs execute: as many threads as call slots. */
    public ExecutorService executor() {
        return executor;
    }

    /** Where prices come from ({@link PriceTable#source()}); reads a user's price file if not read yet. */
    public String priceSource() {
        return prices.get().source();
    }

    /** The clock of latencies, the cache and the breakers. */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * One call, answered whole ({@code onToken} null) or streamed to {@code onToken}.
     *
     * @throws ModelNotFoundException no provider serves the name, or no client serves that provider
     * @throws LlmException           the call failed (after the retries it deserved), or no provider module is
     *                                available, or the provider's circuit is open
     */
    public Outcome call(String modelName, List<ChatMessage> messages, LlmParameters parameters,
            Consumer<String> onToken) {
        ModelRouter.Route route = ModelRouter.route(modelName);
        LlmClient client = clients.get(route.provider(), route.model());
        Set<String> served = client.providers();
        if (!served.contains(route.provider())) {
            throw new ModelNotFoundException("no client serves the provider '" + route.provider()
                    + "' (available: " + String.join(", ", new TreeSet<>(served)) + "); "
                    + (LlmClients.PROVIDER_MODULE + " serves openai, anthropic, gemini and ollama"), route.provider(),
                    route.model(), null);
        }
        PriceTable table = prices.get();
        LlmRequest request = new LlmRequest(route.provider(), route.model(), messages, parameters);
        CacheKey key = cache == null ? null : new CacheKey(route.provider(), route.model(), request.messages(),
                withoutTimeout(parameters));
        long start = ticker.read();
        if (key != null) {
            LlmResponse hit = cache.getIfPresent(key);
            if (hit != null) {
                if (onToken != null) {
                    onToken.accept(hit.output());
                }
                return new Outcome(new ExecutionResult(hit.output(), route.provider(), modelOf(hit, route), 0, 0, 0,
                        millisSince(start)), CACHE_SOURCE);
            }
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("interrupted while waiting for a call slot", route.provider(), route.model(),
                    false, e);
        }
        LlmResponse response;
        try {
            start = ticker.read();
            response = attempts(client, request, onToken);
        } finally {
            slots.release();
        }
        long latency = millisSince(start);
        if (key != null) {
            cache.put(key, response);
        }
        String model = modelOf(response, route);
        PriceTable.Price price = table.find(route.provider(), model, route.model()).orElse(null);
        if (price == null && unpricedWarned.add(route.provider() + "/" + model)) {
            warnings.accept("warning: no price for model '" + model + "' (" + route.provider() + ") in "
                    + table.source() + "; its cost is recorded as 0 (add it to a prices file: 'prices:' in "
                    + "promptlightning.yaml)");
        }
        double cost = price == null ? 0 : price.cost(response.tokensIn(), response.tokensOut());
        return new Outcome(new ExecutionResult(response.output(), route.provider(), model, response.tokensIn(),
                response.tokensOut(), cost, latency), price == null ? null : price.source());
    }

    private static String modelOf(LlmResponse response, ModelRouter.Route route) {
        return response.model().isBlank() ? route.model() : response.model();
    }

    private static LlmParameters withoutTimeout(LlmParameters p) {
        return p.timeout() == null ? p
                : new LlmParameters(p.temperature(), p.maxTokens(), p.topP(), p.stop(), p.seed(), null, p.extras());
    }

    private long millisSince(long start) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(ticker.read() - start));
    }

    /** Thrown by the caller's token consumer: passed on as it is, never retried. */
    private static final class CallerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerFailure(RuntimeException cause) {
            super(cause);
        }
    }

    private LlmResponse attempts(LlmClient client, LlmRequest request, Consumer<String> onToken) {
        CircuitBreaker breaker = breakers.computeIfAbsent(request.provider(), p -> new CircuitBreaker(p,
                options.breakerThreshold(), options.breakerOpenTime(), ticker));
        List<LlmException> earlier = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            try {
                breaker.admit(request.model());
            } catch (LlmException open) {
                earlier.forEach(open::addSuppressed);
                throw open;
            }
            boolean[] delivered = {false};
            boolean reported = false;
            LlmException failure = null;
            try {
                LlmResponse response = onToken == null ? client.complete(request)
                        : client.stream(request, token -> {
                            delivered[0] = true;
                            try {
                                onToken.accept(token);
                            } catch (RuntimeException e) {
                                throw new CallerFailure(e);
                            }
                        });
                if (response == null) {
                    throw new LlmException("the client returned no response", request.provider(), request.model(),
                            false, null);
                }
                reported = true;
                breaker.succeeded();
                return response;
            } catch (CallerFailure e) {
                reported = true;
                breaker.succeeded();
                throw (RuntimeException) e.getCause();
            } catch (LlmException e) {
                if (e.getCause() instanceof CallerFailure caller) {
                    reported = true;
                    breaker.succeeded();
                    throw (RuntimeException) caller.getCause();
                }
                failure = e;
            } catch (RuntimeException e) {
                failure = new LlmException("the client failed: " + e.getClass().getName(), request.provider(),
                        request.model(), false, e);
            } finally {
                if (!reported && failure == null) {
                    // an Error escaped the client: say nothing of the provider's health, but free a trial slot
                    breaker.abandoned();
                }
            }
            if (failure.retryable()) {
                breaker.failed();
            } else {
                breaker.succeeded();
            }
            if (!failure.retryable() || delivered[0]) {
                earlier.forEach(failure::addSuppressed);
                throw failure;
            }
            if (attempt >= options.maxAttempts()) {
                throw exhausted(failure, attempt, earlier, request);
            }
            Duration wait;
            try {
                wait = waitBefore(attempt + 1, failure, request);
            } catch (RateLimitException tooLong) {
                earlier.forEach(tooLong::addSuppressed);
                throw tooLong;
            }
            earlier.add(failure);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LlmException interrupted = new LlmException("interrupted while waiting to retry",
                        request.provider(), request.model(), false, e);
                earlier.forEach(interrupted::addSuppressed);
                throw interrupted;
            }
        }
    }

    /** The wait before attempt {@code next} (2 for the first retry). */
    private Duration waitBefore(int next, LlmException failure, LlmRequest request) {
        if (failure instanceof RateLimitException limited && limited.retryAfter() != null) {
            Duration asked = limited.retryAfter().isNegative() ? Duration.ZERO : limited.retryAfter();
            if (asked.compareTo(options.maxRetryAfter()) > 0) {
                throw new RateLimitException(detailOf(failure) + "; the provider asked to wait "
                        + seconds(asked) + ", longer than the " + seconds(options.maxRetryAfter())
                        + " a retry waits at most, so it was not retried", provider(failure, request),
                        model(failure, request), limited.retryAfter(), failure);
            }
            return asked;
        }
        long base = options.backoffBase().toNanos();
        long max = options.backoffMax().toNanos();
        int shift = Math.min(next - 2, 30);
        long backoff = base > (max >> shift) ? max : Math.min(max, base << shift);
        // Equal jitter: callers that failed together do not all come back together.
        long half = backoff / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private static RuntimeException exhausted(LlmException last, int attempts, List<LlmException> earlier,
            LlmRequest request) {
        String detail = detailOf(last) + " (tried " + attempts + " times)";
        LlmException out;
        if (last.getClass() == RateLimitException.class) {
            out = new RateLimitException(detail, provider(last, request), model(last, request),
                    ((RateLimitException) last).retryAfter(), last);
        } else if (last.getClass() == LlmException.class) {
            out = new LlmException(detail, provider(last, request), model(last, request), true, last);
        } else {
            out = last;
        }
        earlier.forEach(out::addSuppressed);
        return out;
    }

    private static String provider(LlmException e, LlmRequest request) {
        return e.provider() == null ? request.provider() : e.provider();
    }

    private static String model(LlmException e, LlmRequest request) {
        return e.model() == null ? request.model() : e.model();
    }

    /** An exception's own words, without the "model 'M' (provider): " its message starts with. */
    static String detailOf(LlmException e) {
        String detail = e.detail();
        String prefix = e.model() != null ? "model '" + e.model() + "'" + (e.provider() != null ? " ("
                + e.provider() + ")" : "") + ": " : e.provider() != null ? e.provider() + ": " : "";
        return detail.startsWith(prefix) ? detail.substring(prefix.length()) : detail;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Whether the provider's circuit is open or half-open now. */
    boolean circuitOpen(String provider) {
        CircuitBreaker b = breakers.get(provider);
        return b != null && b.isOpen();
    }

    @Override
    public void close() {
        executor.shutdown();
        clients.close();
    }
}
