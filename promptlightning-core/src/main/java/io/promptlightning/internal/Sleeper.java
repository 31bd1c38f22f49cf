package io.promptlightning.internal;

import java.time.Duration;

/** Waits between attempts; tests pass one that waits for nothing and records what it was asked. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
