#!/usr/bin/env python3
"""Python Jinja2 baseline for the PromptLightning render and compile benchmarks.

Builds the same Environment as the original Python PromptLightning library (autoescape off,
StrictUndefined, trim_blocks, lstrip_blocks, and its ``default`` filter), compiles the same three
example templates (the ``template`` field of the YAML files in ../src/main/resources/examples/) and
renders them with the same contexts (../src/main/resources/examples/contexts.json) as the JMH
benchmarks. Measures, single-threaded, renders per second of a compiled ``Template.render`` and
the time of ``Environment.from_string`` per template, with timeit (best of several repeats).

Usage:
    /usr/bin/python3 jinja2_baseline.py [--repeat N] [--json FILE] [--dump]
"""
import argparse
import json
import os
import platform
import sys
import timeit

import jinja2
import yaml
from jinja2 import Environment, StrictUndefined

EXAMPLES = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "examples"))
IDS = ["summarizer", "analyzer", "multi-input-template"]


def make_env():
    env = Environment(
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["default"] = lambda val, dflt="": val if val not in (None, "", [], {}) else dflt
    return env


def load_source(template_id):
    with open(os.path.join(EXAMPLES, template_id + ".yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["template"]


def load_contexts():
    with open(os.path.join(EXAMPLES, "contexts.json"), encoding="utf-8") as f:
        return json.load(f)


def calibrate(fn, min_time=0.2):
    """A loop count (grown x10, then x2) that makes one timing run last at least min_time seconds."""
    number = 1
    while True:
        t = timeit.timeit(fn, number=number)
        if t >= min_time:
            return number
        number *= 2 if t > min_time / 10 else 10


def measure(fn, repeat):
    number = calibrate(fn)
    times = timeit.repeat(fn, number=number, repeat=repeat)
    best = min(times) / number
    return best, number


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7, help="timeit repeats; the best is kept (default 7)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--dump", action="store_true", help="print each rendered output and exit")
    args = ap.parse_args()

    env = make_env()
    contexts = load_contexts()
    sources = {i: load_source(i) for i in IDS}
    templates = {i: env.from_string(sources[i]) for i in IDS}

    if args.dump:
        for i in IDS:
            sys.stdout.write("=== " + i + "\n" + templates[i].render(contexts[i]) + "\n")
        return

    print("Python %s (%s), Jinja2 %s, PyYAML %s" % (
        platform.python_version(), sys.executable, jinja2.__version__, yaml.__version__))
    print("timeit: best of %d repeats, each at least 0.2 s" % args.repeat)
    results = {}
    for i in IDS:
        template, context, source = templates[i], contexts[i], sources[i]
        render_s, render_n = measure(lambda: template.render(context), args.repeat)
        # from_string lexes, parses, generates Python source and compiles it to bytecode; a fresh
        # Environment per call would add its own setup cost, so the environment is shared (as in Java).
        # Jinja2 caches nothing for from_string, so each call is a full compile.
        compile_s, compile_n = measure(lambda: env.from_string(source), args.repeat)
        results[i] = {
            "render_ops_per_s": 1.0 / render_s,
            "render_us": render_s * 1e6,
            "compile_us": compile_s * 1e6,
            "render_loops": render_n,
            "compile_loops": compile_n,
        }
        print("%-22s render %10.0f renders/s (%6.3f us/render)   compile %8.1f us/template" % (
            i, 1.0 / render_s, render_s * 1e6, compile_s * 1e6))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"python": platform.python_version(), "jinja2": jinja2.__version__,
                       "repeat": args.repeat, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
