package io.promptlightning.llm;

import io.promptlightning.LlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client that behaves like a provider from a script: each call takes the next step (an answer, a failure, a
 * stream that may break), or the default answer when the script is done. It records the requests it got, counts
 * calls in flight and the most there ever were, and can hold each call until a given number are in flight.
 */
public final class ScriptedClient implements LlmClient {
    /** One call's behaviour; {@code onToken} is null for a call answered whole. */
    @FunctionalInterface
    public interface Step {
        LlmResponse answer(LlmRequest request, Consumer<String> onToken);
    }

    private final Set<String> providers;
    private final Deque<Step> script = new ConcurrentLinkedDeque<>();
    private final List<LlmRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Step otherwise = (request, onToken) -> answer(request, "answer to " + last(request), 10, 5);
    private volatile CyclicBarrier together;

    private ScriptedClient(Set<String> providers) {
        this.providers = providers;
    }

    public static ScriptedClient serving(String... providers) {
        return new ScriptedClient(Set.of(providers));
    }

    public ScriptedClient then(Step step) {
        script.addLast(step);
        return this;
    }

    public ScriptedClient thenAnswer(String output, long tokensIn, long tokensOut) {
        return then((request, onToken) -> answer(request, output, tokensIn, tokensOut, onToken));
    }

    public ScriptedClient thenFail(LlmException failure) {
        return then((request, onToken) -> {
            throw failure;
        });
    }

    /** Delivers {@code tokens}, then answers, or fails with {@code failure} if it is not null. */
    public ScriptedClient thenStream(List<String> tokens, LlmException failure) {
        return then((request, onToken) -> {
            StringBuilder whole = new StringBuilder();
            for (String t : tokens) {
                whole.append(t);
                if (onToken != null) {
                    onToken.accept(t);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new LlmResponse(whole.toString(), request.model(), 7, tokens.size());
        });
    }

    /** What every call does once the script is done. */
    public ScriptedClient otherwise(Step step) {
        this.otherwise = step;
        return this;
    }

    /** Holds each call until {@code calls} calls are in flight together (failing a call after 10 s). */
    public ScriptedClient holdUntilInFlight(int calls) {
        this.together = new CyclicBarrier(calls);
        return this;
    }

    public static LlmResponse answer(LlmRequest request, String output, long tokensIn, long tokensOut) {
        return new LlmResponse(output, request.model(), tokensIn, tokensOut);
    }

    private static LlmResponse answer(LlmRequest request, String output, long tokensIn, long tokensOut,
            Consumer<String> onToken) {
        if (onToken != null) {
            onToken.accept(output);
        }
        return answer(request, output, tokensIn, tokensOut);
    }

    private static String last(LlmRequest request) {
        return request.messages().get(request.messages().size() - 1).content();
    }

    @Override
    public Set<String> providers() {
        return providers;
    }

    @Override
    public LlmResponse complete(LlmRequest request) {
        return call(request, null);
    }

    @Override
    public LlmResponse stream(LlmRequest request, Consumer<String> onToken) {
        return call(request, onToken);
    }

    private LlmResponse call(LlmRequest request, Consumer<String> onToken) {
        requests.add(request);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            CyclicBarrier barrier = together;
            if (barrier != null) {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("calls did not come together: " + e, e);
                }
            }
            Step step = script.pollFirst();
            return (step == null ? otherwise : step).answer(request, onToken);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    public List<LlmRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public int calls() {
        return requests.size();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public boolean closed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    /** A retryable failure, as a client reports a 5xx or a timeout. */
    public static LlmException serverError(String provider, String model) {
        return new LlmException("server error (HTTP 500)", provider, model, true, null);
    }

    public static io.promptlightning.RateLimitException rateLimited(String provider, String model, Duration after) {
        return new io.promptlightning.RateLimitException("rate limited (HTTP 429)", provider, model, after, null);
    }
}
