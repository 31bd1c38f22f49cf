package io.promptlightning.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told; its {@link #sleeper()} records each wait and moves the clock by it. */
public final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public long read() {
        return nanos.get();
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** A sleeper that does not wait: it records the duration and advances this clock by it. */
    public Sleeper sleeper() {
        return d -> {
            waits.add(d);
            advance(d);
        };
    }

    /** The waits the sleeper was asked for, in order. */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }
}
