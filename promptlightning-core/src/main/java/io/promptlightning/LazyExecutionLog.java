package io.promptlightning;

import java.util.function.Supplier;

/**
 * An execution log opened on the first record: a vault that only renders never starts the log's thread nor touches
 * its file.
 */
final class LazyExecutionLog implements ExecutionLog {
    private final Supplier<ExecutionLog> open;
    private volatile ExecutionLog log;
    private boolean closed;

    LazyExecutionLog(Supplier<ExecutionLog> open) {
        this.open = open;
    }

    @Override
    public void append(ExecutionRecord record) {
        ExecutionLog l = log;
        if (l == null) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                l = log;
                if (l == null) {
                    l = open.get();
                    log = l;
                }
            }
        }
        l.append(record);
    }

    @Override
    public void flush() {
        ExecutionLog l = log;
        if (l != null) {
            l.flush();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (log != null) {
            log.close();
        }
    }
}
