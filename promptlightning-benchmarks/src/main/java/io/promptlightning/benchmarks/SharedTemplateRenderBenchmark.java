package io.promptlightning.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/**
 * The same renders as {@link RenderBenchmark}, from 8 threads at once on one shared {@code Template}
 * instance per example ({@link CompiledExamples} has scope {@code Benchmark}: one instance for all threads).
 * The score is the aggregate throughput of all 8 threads; compare it with the single-threaded score. The
 * benchmark methods and settings are inherited from {@link RenderBenchmark}.
 */
@Threads(8)
public class SharedTemplateRenderBenchmark extends RenderBenchmark {
}
