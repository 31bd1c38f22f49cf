package io.promptlightning;

import java.util.ArrayList;
import java.util.List;

/** An execution log in memory, for tests. */
final class MemoryExecutionLog implements ExecutionLog {
    private final List<ExecutionRecord> records = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized void append(ExecutionRecord record) {
        if (closed) {
            throw new IllegalStateException("appended after close");
        }
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized List<ExecutionRecord> records() {
        return List.copyOf(records);
    }

    synchronized boolean closed() {
        return closed;
    }
}
