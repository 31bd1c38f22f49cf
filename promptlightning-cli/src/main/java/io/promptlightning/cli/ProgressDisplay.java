package io.promptlightning.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long work, shown only when a person watches a terminal: piped or redirected
 * output stays free of it. Created with the total once it is known; {@link #stepTo} is cheap (the bar redraws
 * itself on its own thread a few times a second).
 */
final class ProgressDisplay implements AutoCloseable {
    /** Width when the process has no console whose width the terminal library could ask (as in tests). */
    private static final int FALLBACK_WIDTH = 80;

    private final ProgressBar bar;

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar for {@code total} items named {@code task}, or one that shows nothing when no terminal is watched. */
    static ProgressDisplay start(CliContext ctx, String task, long total) {
        if (!ctx.terminal()) {
            return new ProgressDisplay(null);
        }
        ConsoleProgressBarConsumer consumer = System.console() != null
                ? new ConsoleProgressBarConsumer(ctx.err())
                : new ConsoleProgressBarConsumer(ctx.err(), FALLBACK_WIDTH);
        return new ProgressDisplay(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).setConsumer(consumer).build());
    }

    /** A bar that shows nothing, for work whose output a bar would garble (such as data written to the terminal). */
    static ProgressDisplay none() {
        return new ProgressDisplay(null);
    }

    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    /** Draws the final state and ends the bar's line, so that what follows starts on a line of its own. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
