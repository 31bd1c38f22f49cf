package io.promptlightning.benchmarks;

import java.util.Map;

import io.promptlightning.jinja.Environment;
import io.promptlightning.jinja.Template;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The three example templates compiled once with {@link Environment#promptLightning()}, and their contexts.
 * Scope {@code Benchmark}: one instance is shared by all the benchmark's threads.
 */
@State(Scope.Benchmark)
public class CompiledExamples {
    Template summarizer;
    Template analyzer;
    Template multiInput;
    Map<String, Object> summarizerContext;
    Map<String, Object> analyzerContext;
    Map<String, Object> multiInputContext;

    @Setup
    public void setUp() {
        Environment env = Environment.promptLightning();
        summarizer = env.compile(Examples.SUMMARIZER, Examples.templateSource(Examples.SUMMARIZER));
        analyzer = env.compile(Examples.ANALYZER, Examples.templateSource(Examples.ANALYZER));
        multiInput = env.compile(Examples.MULTI_INPUT, Examples.templateSource(Examples.MULTI_INPUT));
        summarizerContext = Examples.context(Examples.SUMMARIZER);
        analyzerContext = Examples.context(Examples.ANALYZER);
        multiInputContext = Examples.context(Examples.MULTI_INPUT);
        // Fail fast if a template does not render with its context.
        summarizer.render(summarizerContext);
        analyzer.render(analyzerContext);
        multiInput.render(multiInputContext);
    }
}
