package io.promptlightning;

/**
 * Where runs are recorded. {@link #append} never throws and never waits long for storage: a log that cannot be
 * written reports it on its own (standard error), and the run goes on. Records appended before {@link #close} are
 * all stored when it returns.
 */
public interface ExecutionLog extends AutoCloseable {
    /** Queues one record; returns at once unless records come faster than the log stores them. */
    void append(ExecutionRecord record);

    /** Returns once every record appended so far is stored. */
    void flush();

    /** Stores what is queued and releases the log. */
    @Override
    void close();
}
