#!/usr/bin/python3
"""Writes format_cases.json: reference results of Python's ``str % args`` and ``str.format``.

Run with the Python the engine mirrors (CPython 3.11, Jinja2 3.1.2):

    /usr/bin/python3 gen_format_cases.py

Each case is {"id", "op" ("percent" | "format"), "format", "args", ["kwargs"]} plus either
"expect" (the output) or "error" ({"type": Python exception class, "message": str(exception)}).

Values are JSON where JSON can say it: a number with a fraction or exponent is a float, any other number
an int, objects are dicts with str keys. Everything else is a one-key wrapper object:
    {"$float": "nan" | "inf" | "-inf"}     {"$tuple": [...]}          {"$markup": "..."}
    {"$dict": [[key, value], ...]}         {"$range": [start, stop, step]}
    {"$keys": [...]}  (dict.keys())        {"$namespace": {...}}  (jinja2's namespace())
    {"$object": {...}}  an object with these attributes; the engine models it as a Map
    {"$undefined": "lenient"}  Undefined whose error is "'undefined' value"
    {"$undefined": "strict", "name": n}    StrictUndefined for a missing variable n
"""

import json
import math
import random
import sys
import types
from pathlib import Path

import jinja2
import markupsafe
from jinja2.utils import Namespace

assert sys.version_info[:2] == (3, 11), sys.version
assert jinja2.__version__ == "3.1.2", jinja2.__version__

OUT = Path(__file__).with_name("format_cases.json")

LENIENT = jinja2.Undefined(hint="'undefined' value")
STRICT = jinja2.StrictUndefined(name="x")
Markup = markupsafe.Markup
Obj = types.SimpleNamespace
NAN = float("nan")
INF = float("inf")


def encode(v):
    if v is None or isinstance(v, (bool, str)) and not isinstance(v, Markup):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else {"$float": repr(v)}
    if isinstance(v, Markup):
        return {"$markup": str(v)}
    if isinstance(v, tuple):
        return {"$tuple": [encode(x) for x in v]}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in v):
            return {k: encode(x) for k, x in v.items()}
        return {"$dict": [[encode(k), encode(x)] for k, x in v.items()]}
    if isinstance(v, range):
        return {"$range": [v.start, v.stop, v.step]}
    if isinstance(v, type({}.keys())):
        return {"$keys": [encode(x) for x in v]}
    if isinstance(v, Namespace):
        return {"$namespace": {k: encode(x) for k, x in v._Namespace__attrs.items()}}
    if isinstance(v, Obj):
        return {"$object": {k: encode(x) for k, x in vars(v).items()}}
    if v is LENIENT:
        return {"$undefined": "lenient"}
    if v is STRICT:
        return {"$undefined": "strict", "name": "x"}
    raise TypeError(f"cannot encode {v!r}")


cases = []
ids = set()


def record(case, compute):
    if case["id"] in ids:
        raise ValueError(f"duplicate case {case['id']}")
    ids.add(case["id"])
    try:
        case["expect"] = compute()
    except Exception as e:  # the point is to record whatever Python raises
        case["error"] = {"type": type(e).__name__, "message": str(e)}
    cases.append(case)


def show(v):
    """repr() for case ids, telling the two kinds of undefined apart."""
    return "StrictUndefined(name='x')" if v is STRICT else repr(v)


def pct(fmt, args):
    """Python's fmt % args."""
    record({"id": f"% {fmt!r} % {show(args)}", "op": "percent", "format": fmt, "args": encode(args)},
           lambda: fmt % args)


def fmt(fmt, *args, **kwargs):
    """Python's fmt.format(*args, **kwargs)."""
    shown = ", ".join([show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()])
    record({"id": f"format {fmt!r} ({shown})", "op": "format", "format": fmt,
            "args": [encode(a) for a in args], "kwargs": {k: encode(v) for k, v in kwargs.items()}},
           lambda: fmt.format(*args, **kwargs))


def percent_cases():
    # argument shapes: tuple, single value, mapping (a list counts as one too)
    for fmt_, args in [("%s", "x"), ("%s", 5), ("%s", 2.0), ("%s", None), ("%s", True), ("%s", [1, "a"]),
                       ("%s", (1,)), ("%s", ((1, 2),)), ("%s", {"a": 1}), ("%s %s", (1, 2)), ("%s", ()),
                       ("%s", (1, 2)), ("hello", 5), ("hello", ()), ("hello", {}), ("hello", []), ("hello", "x"),
                       ("hello", {}.keys()), ("%s", range(3)), ("%s %s", [1, 2]), ("%s", Markup("<b>")),
                       ("%r", Markup("<b>")), ("%s", Namespace(a=1)), ("hello", Namespace(a=1)),
                       ("%r", "x"), ("%r", "it's"), ("%r", 'both \' and "'), ("%a", "é€😀\n"), ("%s", "é€😀"),
                       ("%r", [1, "a", None, 2.5]), ("%a", {"k": "ü"}), ("%s", 1e16), ("%s", -0.0), ("%s", NAN),
                       ("%s", 2 ** 100), ("%r", (1,)), ("%s", ((),))]:
        pct(fmt_, args)
    # %d %i %u and their conversions
    for v in [42, -42, 0, True, False, 2 ** 100, -2 ** 100, 3.99, -3.99, 1e20, 1.5e300, NAN, INF, -INF, "5",
              None, [1], LENIENT, STRICT]:
        pct("%d", v)
    for fmt_ in ["%i", "%u", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+05d", "% 05d", "%.3d", "%8.3d", "%-08d|",
                 "%08.3d", "%#d", "%ld", "%hd", "%Ld"]:
        pct(fmt_, 42)
        pct(fmt_, -42)
    # %o %x %X
    for fmt_ in ["%x", "%X", "%#x", "%#X", "%o", "%#o", "%#08x", "%#8x", "%-#8x|", "%#.5x", "%+x", "%08X", "%#6o|"]:
        pct(fmt_, 255)
        pct(fmt_, -255)
    for v in [0, True, 2 ** 80, 3.5, "a", None, LENIENT, STRICT]:
        pct("%x", v)
    pct("%o", 1.0)
    pct("%#x", 0)
    pct("%#o", 0)
    # floats: correctly rounded from the exact binary value, ties to even
    for fmt_, v in [("%f", 3.14159), ("%.2f", 2.675), ("%.1f", 0.25), ("%.1f", 0.35), ("%.0f", 0.5),
                    ("%.0f", 1.5), ("%.0f", 2.5), ("%.2f", 0.125), ("%.2f", 0.375), ("%f", -0.0), ("%.0f", -0.4),
                    ("%e", 12345.678), ("%E", 12345.678), ("%.0e", 5.5), ("%#.0e", 5.5), ("%#.0f", 3.0),
                    ("%e", 0.0), ("%e", 1e-300), ("%.2e", 9.995), ("%.2e", 9.9951), ("%e", 5e-324),
                    ("%g", 1e-5), ("%g", 0.0001), ("%g", 123456.0), ("%g", 1234567.0), ("%G", 1e-10),
                    ("%.3g", 0.0001234), ("%#g", 1.0), ("%#.3g", 1.0), ("%#g", 0.0), ("%g", 0.0), ("%g", -0.0),
                    ("%g", 1e16), ("%g", 100000.0), ("%g", 1000000.0), ("%.0g", 1234.0), ("%.1g", 0.95),
                    ("%.15g", 0.1), ("%.17g", 0.1), ("%g", 2.5), ("%#.1g", 10.0), ("%G", INF), ("%F", INF),
                    ("%f", NAN), ("%F", NAN), ("%f", -INF), ("%+f", NAN), ("%+f", INF), ("%05f", INF),
                    ("%-8.2f|", 3.14159), ("%08.2f", -3.14159), ("%+.2e", 12.5), ("% f", 1.5), ("% f", -1.5),
                    ("%+08.3f", 2.0), ("%-+8.1f|", 2.0), ("%f", 1e300), ("%.3f", 1e-10), ("%.20f", 0.1),
                    ("%.30e", 0.1), ("%f", 10), ("%f", 2 ** 100), ("%e", 2 ** 64), ("%f", 10 ** 400),
                    ("%f", "1"), ("%f", None), ("%f", True), ("%g", [1]), ("%f", LENIENT), ("%e", STRICT),
                    ("%10.4f|", 2.0 / 3), ("%.2f", 1e15 + 0.3), ("%.1f", -0.05), ("%.3e", -0.0),
                    ("%.12g", 1 / 3), ("%.60f", 2 ** -10), ("%.2f", 1e22), ("%.0f", 1e23)]:
        pct(fmt_, v)
    # %c
    for v in [65, "x", 0x1F600, "ab", "", -1, 0x110000, 2 ** 70, 65.0, None, True, 0xD800, Markup("m"), LENIENT]:
        pct("%c", v)
    for fmt_ in ["%5c", "%-3c|", "%05c", "%.0c"]:
        pct(fmt_, "z")
    # %s width and precision count code points
    for fmt_ in ["%10s|", "%-10s|", "%.2s", "%5.1s|", "%3s|", "%-5s|", "%05s", "%+s", "%#s", "%.0s|", "%.10s"]:
        pct(fmt_, "日本😀")
    pct("%.3r", "abcdef")
    pct("%8.5a", "é€x")
    # * width and precision
    for fmt_, args in [("%*d", (5, 42)), ("%-*d|", (5, 42)), ("%*d|", (-5, 42)), ("%.*f", (2, 3.14159)),
                       ("%*.*f", (8, 2, 3.14159)), ("%.*f", (-2, 1.0)), ("%*d", ("a", 1)), ("%*d", (1.0, 1)),
                       ("%*d", (True, 1)), ("%.*s", (3, "abcdef")), ("%*s", (3,)), ("%*d", (2 ** 70, 1)),
                       ("%.*d", (2 ** 40, 1)), ("%*", (3,)), ("%.*", (3,)), ("%*.*s|", (-6, 2, "abc"))]:
        pct(fmt_, args)
    # mappings
    for fmt_, args in [("%(a)s", {"a": 1}), ("%(a)s and %(b)r", {"a": 1, "b": "x"}), ("%(a)05d", {"a": 7}),
                       ("%(a)s", {"a": 1, "b": 2}), ("%(missing)s", {}), ("%(it's)s", {}), ("%(a)s", (1,)),
                       ("%(a)s", 5), ("%(a)s", "s"), ("%(a(b))s", {"a(b)": 1}), ("%(a", {}), ("%(a)", {"a": 1}),
                       ("%(b)", {}), ("%(a)s %s", {"a": 1}), ("%s %(a)s", {"a": 1}), ("%(a)s", [1]),
                       ("%(a)s", range(3)), ("%(a)*d", {"a": 3}), ("%%", {"a": 1}), ("%(a)s", LENIENT),
                       ("%(a)s", {"a": Markup("<>")}), ("%()s", {"": "empty"}), ("%(a)s", Namespace(a=1)),
                       ("x", LENIENT), ("%s", LENIENT), ("%s", STRICT), ("%r", LENIENT), ("%r", STRICT),
                       ("%(1)s", {1: "int key"})]:
        pct(fmt_, args)
    # malformed conversions
    for fmt_, args in [("%", ()), ("abc%", ()), ("%5", 1), ("%.", 1), ("%-", 1), ("%l", 1), ("%hh", 1),
                       ("%q", 1), ("%q", ()), ("%5%", ()), ("%5%", 1), ("%\x01", 1), ("%\x1f", 1), ("%\x7f", 1),
                       ("%€", 1), ("😀%q", 1), ("ab%(x)q", {"x": 1}), ("%99999999999999999999d", 1),
                       ("%.99999999999f", 1.0), ("%.2147483648f", 1.0), ("%y", "z"), ("%%%s%%", 1),
                       ("100%%", ()), ("%s%%", 1), ("%s%", 1), ("%*q", (1, 2))]:
        pct(fmt_, args)


def format_cases():
    # fields and numbering
    fmt("{}", 1)
    fmt("{} {}", 1, "a")
    fmt("{0} {1} {0}", "x", "y")
    fmt("{1}", "x", "y")
    fmt("{name}!", name="World")
    fmt("{a} {}", 1, a=2)
    fmt("{}{0}", 1)
    fmt("{0}{}", 1)
    fmt("{0}")
    fmt("{}")
    fmt("{} {} {}", 1, 2)
    fmt("{2}", 1, 2)
    fmt("{a}")
    fmt("{a}", b=1)
    fmt("{ a }", **{" a ": 1})
    fmt("{\u0661}", "zero", "one")
    fmt("{99999999999999999999}")
    fmt("{-1}", 1)
    fmt("{0x}", 1)
    # escapes and structure
    for f in ["{{}}", "{{{0}}}", "a}}b{{c", "{", "}", "a{", "a}b", "}{", "{0", "{0[}", "{0]}", "{0[0]x}", "{0.}",
              "{0[]}", "{a{}", "{0:}}", "{0:{", "{0!r", "{0!}", "{!}", "{0!", "{0!rr}", "{0!x}", "{0!\x01}",
              "{0!}}", "{:}", "{!r:}", "{0:{1}}", "{:{:{}}}", "{0[0]", "{0.a[0}", "{0:{}}{1}", "{:5 }", "{:\x01}",
              "{:abc}", "{:.}", "{:,_}", "{:_,}", "{:,,}", "{:_\x01}", "{:99999999999999999999}", "{:.9999999999999999999999}",
              "{:<<<}", "{:\u0665}", "{:}>5}", "{0:{a}}"]:
        fmt(f, 1, 2, 3)
    # conversions
    for v in ["it's", 5, 2.5, None, True, [1, "a"], Markup("<i>"), "é😀\x00", LENIENT, STRICT, {"k": (1,)}]:
        fmt("{0!s}|{0!r}|{0!a}", v)
    fmt("{0!r:>10}|", "x")
    fmt("{!s:>6}", True)
    fmt("{!s:05}", 3)
    fmt("{!r:^9}", None)
    # strings
    for f in ["{:>5}|{:<5}|", "{:^6}|", "{:*^7}|", "{:.2}|", "{:5.2}|", "{:05}|", "{:s}|", "{:d}", "{:+}", "{: }",
              "{:-}", "{:#}", "{:=5}", "{:z}", "{:,}", "{:_}", "{:😀^5}|", "{:>5}|", "{:x<4}|", "{:^4}|", "{:^5}|",
              "{:0<6}|", "{:.0}|", "{:10.3s}|", "{:c}", "{:\u0663}|", "{:%}"]:
        fmt(f, "ab", "日😀")
    fmt("{:>5}|", Markup("<a"))
    fmt("{:d}", Markup("<a"))
    fmt("{0[0]}", Markup("<a"))
    # ints
    for f in ["{:d}", "{:5d}|", "{:<5d}|", "{:^5d}|", "{:=5d}|", "{:+d}", "{: d}", "{:-d}", "{:03d}", "{:,}",
              "{:_}", "{:,d}", "{:010,}", "{:08,}", "{:09,}", "{:0=12,}", "{:x=12,}", "{:b}", "{:#b}", "{:o}",
              "{:#o}", "{:x}", "{:#x}", "{:X}", "{:#X}", "{:#010x}", "{:_x}", "{:_b}", "{:#_x}", "{:#012_b}",
              "{:,x}", "{:n}", "{:,n}", "{:.2d}", "{:z}", "{:zd}", "{:s}", "{:e}", "{:f}", "{:%}", "{:.2%}", "{:g}",
              "{:G}", "{:,.2f}", "{:c}", "{:q}", "{:>+8,}|", "{:^+9}|", "{:0>5}", "{:0<5}", "{:0^5}", "{:05}",
              "{:-^9}", "{:+010_}", "{:#}", "{:=}", "{:10}|", "{:010}", "{:#0}", "{:,.}"]:
        fmt(f, 1234567)
        fmt(f, -7)
    for v in [0, 2 ** 100, -2 ** 100, True, False]:
        fmt("{}|{:,}|{:x}|{:>6}|{:d}|{:e}", v, v, v, v, v, v)
    for f, v in [("{:c}", 65), ("{:c}", 0x1F600), ("{:5c}|", 65), ("{:<5c}|", 65), ("{:05c}", 65), ("{:+c}", 65),
                 ("{:#c}", 65), ("{:c}", -1), ("{:c}", 0x110000), ("{:c}", 2 ** 70), ("{:,c}", 65), ("{:c}", True),
                 ("{:e}", 10 ** 400), ("{:f}", 10 ** 300), ("{:s}", True), ("{:f}", True), ("{:c}", 0xDFFF),
                 ("{:x}", -255), ("{:#x}", -255), ("{:#b}", 0), ("{:X}", 2 ** 70), ("{:n}", -1234567)]:
        fmt(f, v)
    # floats
    for v in [2.0, 0.1, 1e16, 1e15, 123456789012345.6, 1e-5, 1e-4, 1.5e-7, -0.0, NAN, INF, -INF, 1 / 3, 5e-324,
              1.7976931348623157e308, 100.0, 0.5]:
        fmt("{}|{:.3}|{:.1}|{:e}|{:g}|{:%}|{:.0f}|{:,}|{:z}|{:#}", v, v, v, v, v, v, v, v, v, v)
    for f, v in [("{:.2f}", 3.14159), ("{:.3}", 3.14159), ("{:.3}", 100.0), ("{:.1}", 5.0), ("{:.0}", 1.5),
                 ("{:.1}", 0.0), ("{:%}", 0.5), ("{:.1%}", 0.123456), ("{:e}", 12345.678), ("{:E}", 12345.678),
                 ("{:.0e}", 12345.678), ("{:#.0e}", 12345.678), ("{:g}", 1e-5), ("{:g}", 123456789.0),
                 ("{:G}", 1e-10), ("{:#g}", 1.0), ("{:n}", 1234567.0), ("{:,}", 1234567.891),
                 ("{:,.2f}", 1234567.891), ("{:_.3f}", 1234567.891), ("{:010.2f}", -3.14159), ("{:+.2f}", 3.0),
                 ("{: .2f}", 3.0), ("{:=+10.2f}", 3.0), ("{:^10.2f}|", 3.0), ("{:08}", -INF), ("{:08}", NAN),
                 ("{:F}", INF), ("{:E}", NAN), ("{:z.1f}", -0.04), ("{:z.0%}", -0.001), ("{:z}", -0.0),
                 ("{:z.2e}", -0.0), ("{:z.1f}", -0.5), ("{:.2f}", 2.675), ("{:.1f}", 0.25), ("{:.0f}", 0.5),
                 ("{:.0f}", 2.5), ("{:f}", 1e300), ("{:x}", 1.5), ("{:c}", 1.5), ("{:d}", 1.5), ("{:s}", 1.5),
                 ("{:.99999999999}", 1.5), ("{:.2147483648}", 1.5), ("{:#.3}", 100.0), ("{:#.2}", 1.0),
                 ("{:#.0f}", 1.0), ("{:#.0%}", 0.5), ("{:010,.1f}", 1234.5), ("{:010,}", -1234.5),
                 ("{:0=12,.3e}", 1.5), ("{:_}", 1e22), ("{:,g}", 1e22), ("{:.3n}", 1234.5), ("{:>10}|", 0.1),
                 ("{:<10}|", -2.5), ("{:*^11.3f}", 3.14159), ("{:,.0f}", 999999.5), ("{:.15}", 0.1),
                 ("{:.17}", 0.1), ("{:.16}", 1e16), ("{:.16}", 9999999999999998.0), ("{:.25f}", 1e-20),
                 ("{:#}", 1.5e16), ("{:#}", 2.0), ("{:z#.0f}", -0.1), ("{:-.1f}", -1.25), ("{:+}", NAN)]:
        fmt(f, v)
    # None, lists, dicts and other objects: object.__format__
    for v in [None, [1, 2], {"a": 1}, (1, "b"), range(2), {}.keys(), Namespace(a=1), LENIENT, STRICT]:
        fmt("{}|", v)
        fmt("{:5}", v)
    fmt("{:}", None)
    fmt("{!s:5}|{0!r}", None)
    # field access
    data = {"key": "v", "list": [10, [20, 21]], "0": "zero", "nested": {"x": {"y": "deep"}}}
    for f in ["{0[key]}", "{0[list][1][0]}", "{0[0]}", "{0[nested][x][y]}",
              "{0[missing]}", "{0.missing}", "{0[list][5]}", "{0[list][x]}", "{0[list].a}", "{0[key][0]}",
              "{0[key][1]}", "{0[key][x]}", "{0[key]:>4}|", "{0[list]!r:>12}|", "{d[key]}", "{0[list][-1]}"]:
        fmt(f, data, d=data)
    for f, v in [("{0[0]}", "abc"), ("{0[3]}", "abc"), ("{0[1]}", "😀é"), ("{0[5]}", [1]), ("{0[5]}", (1,)),
                 ("{0[5]}", range(2)), ("{0[1]}", range(0, 10, 3)), ("{0[x]}", [1]), ("{0[x]}", (1,)),
                 ("{0[x]}", range(2)), ("{0[x]}", 5), ("{0[0]}", 5), ("{0[0]}", None), ("{0[0]}", 1.5),
                 ("{0[0]}", True), ("{0[0]}", {0: "z"}), ("{0[0]}", {False: "f"}), ("{0[0]}", {}),
                 ("{0[1]}", {"1": "x"}), ("{0[1]}", {1.0: "float key"}), ("{0[a]}", {}), ("{0[it's]}", {}),
                 ("{0.a}", [1]), ("{0.a}", None), ("{0.a}", "s"), ("{0.a}", Namespace(a=1)),
                 ("{0.b}", Namespace(a=1)), ("{0[a]}", Namespace(a=1)), ("{0.a}", Obj(a=1)),
                 ("{0.a.b[0]}", Obj(a=Obj(b=[7]))),
                 ("{0.b}", Obj(a=1)), ("{0[0]}", {}.keys()), ("{0.x}", LENIENT),
                 ("{0[x]}", LENIENT), ("{0[0]}", STRICT), ("{0.a}", {"a": 1}), ("{0.real}", 5),
                 ("{0[0][0]}", [[1]]), ("{0[99999999999999999999]}", [1]), ("{0[a b]}", {"a b": 1}),
                 ("{0[a.b]}", {"a.b": 1}), ("{0[:]}", {":": "colon"}), ("{0[}]}", {"}": "brace"}),
                 ("{0[!]}", {"!": "bang"}), ("{0[{]}", {"{": "open"})]:
        fmt(f, v)
    # nested replacement fields in the spec
    fmt("{:{width}}|", "x", width=8)
    fmt("{:{}}|", 3, 5)
    fmt("{:{}.{}f}", 3.14159, 10, 2)
    fmt("{:>{w}.{p}f}|", 3.14159, w=9, p=3)
    fmt("{:{fill}^{w}}", "x", fill="*", w=5)
    fmt("{0:{1}{2}}", 42, ">", 6)
    fmt("{:{}}", 1, "q")
    fmt("{:{}}", 1)
    fmt("{0:{}}", 1, 2)
    fmt("{:{0}}", 1, 2)
    fmt("{:{{}}}", 1)
    fmt("{:{}}{}", "a", 3, "b")
    fmt("{:{x!r}}", 1, x=">")


def random_float_cases():
    """Rounding of many doubles at many precisions, the part Java's own formatter gets wrong."""
    rng = random.Random(20240611)
    values = [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(24)]
    values += [(rng.randint(0, 10 ** 6) + 0.5) / 10 ** rng.randint(0, 6) for _ in range(12)]  # near ties
    values += [float(rng.getrandbits(60)) for _ in range(4)]
    for i, v in enumerate(values):
        p = rng.randint(0, 20)
        pct(f"%.{p}f|%.{p}e|%.{p}g|%#.{p}g|%r", (v, v, v, v, v))
        fmt(f"{{:.{p}f}}|{{:.{p}e}}|{{:.{p}}}|{{:.{p}%}}|{{}}|{{:,.{p}g}}", v, v, v, v, v, v)


def main():
    percent_cases()
    format_cases()
    random_float_cases()
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
