package io.promptlightning.providers;

import java.io.IOException;
import java.io.InputStream;

/**
 * Links one streamed call to the HTTP stream that serves it. LangChain4j's streaming models open the stream on the
 * calling thread and then read it on another, with no way to learn that it ended or to stop it from outside; the
 * client sets a watch for the duration of the call, {@link ProviderHttpClient} picks it up when the stream opens, and
 * then reports the end of the body ({@link #ended}) — after which an answer that did not complete never will — and
 * lets the client {@link #cancel} a stream that outlived its timeout.
 */
final class StreamWatch {
    private static final ThreadLocal<StreamWatch> CURRENT = new ThreadLocal<>();

    private final Runnable onEnd;
    private InputStream body;
    private boolean cancelled;

    StreamWatch(Runnable onEnd) {
        this.onEnd = onEnd;
    }

    /** Runs {@code call} with this watch visible to the HTTP client on the calling thread. */
    void during(Runnable call) {
        StreamWatch previous = CURRENT.get();
        CURRENT.set(this);
        try {
            call.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The watch of the call being made on this thread, or null. */
    static StreamWatch current() {
        return CURRENT.get();
    }

    /** The response body is open; closing it stops the stream. */
    void opened(InputStream body) {
        boolean closeNow;
        synchronized (this) {
            this.body = body;
            closeNow = cancelled;
        }
        if (closeNow) {
            closeQuietly(body);
        }
    }

    /** The body was read to its end or failed; every event of it has been delivered. */
    void ended() {
        onEnd.run();
    }

    /** Stops the stream: its body is closed, now or as soon as it opens. */
    void cancel() {
        InputStream open;
        synchronized (this) {
            cancelled = true;
            open = body;
        }
        if (open != null) {
            closeQuietly(open);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all that is asked; the reader sees the stream end either way
        }
    }
}
