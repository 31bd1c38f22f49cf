package io.promptlightning.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same renders as {@link RenderBenchmark}, from 8 threads at once on one shared {@code Template}
 * instance per example ({@link CompiledExamples} has scope {@code Benchmark}: one instance for all threads).
 * The score is the aggregate throughput of all 8 threads; compare it with the single-threaded score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(8)
public class SharedTemplateRenderBenchmark {
    @Benchmark
    public String summarizer(CompiledExamples t) {
        return t.summarizer.render(t.summarizerContext);
    }

    @Benchmark
    public String analyzer(CompiledExamples t) {
        return t.analyzer.render(t.analyzerContext);
    }

    @Benchmark
    public String multiInput(CompiledExamples t) {
        return t.multiInput.render(t.multiInputContext);
    }
}
