#!/usr/bin/env python3
"""Compares a JMH JSON result (java -jar benchmarks.jar -rf json -rff FILE) with the JSON written by
jinja2_baseline.py --json, and checks the performance targets stated in docs/PERFORMANCE.md.

Usage:
    python3 compare.py JMH_JSON PYTHON_JSON
"""
import json
import sys

# example id -> (JMH method name, render target in renders/s)
EXAMPLES = {
    "summarizer": ("summarizer", 1_400_000),
    "analyzer": ("analyzer", 1_300_000),
    "multi-input-template": ("multiInput", 900_000),
}
COMPILE_TARGET_US = 50.0
PREFIX = "io.promptlightning.benchmarks."


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    jmh = {r["benchmark"][len(PREFIX):]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
    py = json.load(open(sys.argv[2]))["results"]

    def get(name):
        m = jmh.get(name)
        return (m["score"], m["scoreError"]) if m else (None, None)

    print("%-22s %26s %14s %7s %16s %26s %8s" % (
        "template", "Java render ops/s", "Python ops/s", "ratio", "render target", "Java 8 threads ops/s", "8t/1t"))
    for ex, (method, target) in EXAMPLES.items():
        java, err = get("RenderBenchmark." + method)
        shared, serr = get("SharedTemplateRenderBenchmark." + method)
        pyops = py[ex]["render_ops_per_s"]
        print("%-22s %14.0f ± %9.0f %14.0f %6.1fx %9d %-6s %14s %11s %7s" % (
            ex, java, err, pyops, java / pyops, target, "met" if java - err >= target else
            ("met*" if java >= target else "MISSED"),
            "%.0f ±" % shared if shared else "-", "%.0f" % serr if shared else "",
            "%.2fx" % (shared / java) if shared else "-"))
    print()
    print("%-22s %20s %16s %8s %16s" % ("template", "Java compile us", "Python us", "ratio", "compile target"))
    for ex, (method, _) in EXAMPLES.items():
        java, err = get("CompileBenchmark." + method)
        pyus = py[ex]["compile_us"]
        print("%-22s %10.3f ± %7.3f %16.1f %7.0fx %9.0f %s" % (
            ex, java, err, pyus, pyus / java, COMPILE_TARGET_US,
            "met" if java + err <= COMPILE_TARGET_US else ("met*" if java <= COMPILE_TARGET_US else "MISSED")))
    print()
    print("met: the whole 99.9% confidence interval is on the right side of the target; "
          "met*: only the mean is.")


if __name__ == "__main__":
    main()
