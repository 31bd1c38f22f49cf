package io.promptlightning.benchmarks;

import java.util.concurrent.TimeUnit;

import io.promptlightning.jinja.Environment;
import io.promptlightning.jinja.Template;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Average time of {@link Environment#compile(String, String)} (lexing, parsing and analysis) for the three
 * example templates' sources, on one shared environment.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class CompileBenchmark {
    Environment env;
    String summarizerSource;
    String analyzerSource;
    String multiInputSource;

    @Setup
    public void setUp() {
        env = Environment.promptLightning();
        summarizerSource = Examples.templateSource(Examples.SUMMARIZER);
        analyzerSource = Examples.templateSource(Examples.ANALYZER);
        multiInputSource = Examples.templateSource(Examples.MULTI_INPUT);
    }

    @Benchmark
    public Template summarizer() {
        return env.compile(Examples.SUMMARIZER, summarizerSource);
    }

    @Benchmark
    public Template analyzer() {
        return env.compile(Examples.ANALYZER, analyzerSource);
    }

    @Benchmark
    public Template multiInput() {
        return env.compile(Examples.MULTI_INPUT, multiInputSource);
    }
}
