package io.promptlightning.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.promptlightning.jinja.Template;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Template#render(Map)} on the three example templates, single-threaded.
 * The templates and contexts are built once ({@link CompiledExamples}); each invocation is one full render,
 * whose String is returned so that JMH consumes it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class RenderBenchmark {
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
