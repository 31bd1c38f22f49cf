#!/usr/bin/python3
"""Writes yaml_cases.json and json_cases.json next to this script.

Each case pairs an input value with what the real libraries print for it:
  YAML: yaml.safe_dump(value, sort_keys=False, allow_unicode=True)            (PyYAML 6.0)
  JSON: json.dumps(value, sort_keys=True, indent=indent)                      (Python 3.11)
        jinja2.utils.htmlsafe_json_dumps(value, sort_keys=True, indent=indent) (Jinja2 3.1.2, |tojson)

Run with /usr/bin/python3 (the interpreter that has PyYAML 6.0 and Jinja2 3.1.2).

Inputs are stored as JSON. Plain JSON covers str, int, float (a number with a fraction or an exponent),
bool, None, lists and dicts whose keys are all str. Everything else is an object with a "$" key:
  {"$float": "nan" | "inf" | "-inf"}
  {"$tuple": [...]}                       a tuple
  {"$dict": [[key, value], ...]}          a dict with non-str keys (or keys starting with "$")
  {"$list": [...]}                        a list, only used together with "$id"
  "$id": n on a $list/$tuple/$dict        the object is referenced again elsewhere by {"$ref": n}
  {"$markup": "..."}                      markupsafe.Markup
  {"$range": [start, stop, step]}         range(start, stop, step)
  {"$dictview": "dict_keys", "items": [...]}   a dict view (dict_keys, dict_values or dict_items)
  {"$undefined": "strict" | "lenient"}    jinja2.StrictUndefined / jinja2.Undefined
  {"$namespace": {...}}                   jinja2.utils.Namespace
  {"$callable": "function"}               a Python function
"""

import json
import os
import sys

import jinja2
import yaml
from jinja2.utils import Namespace, htmlsafe_json_dumps
from markupsafe import Markup

assert yaml.__version__ == "6.0", yaml.__version__
assert jinja2.__version__ == "3.1.2", jinja2.__version__

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------- encoding

def _walk_counts(value, counts):
    """Counts how many times each list/dict/tuple object is reached, to find shared ones."""
    if isinstance(value, (list, dict, tuple)):
        key = id(value)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > 1:
            return
        children = []
        if isinstance(value, dict):
            for k, v in value.items():
                children += [k, v]
        else:
            children = list(value)
        for child in children:
            _walk_counts(child, counts)


class Encoder:
    def __init__(self, root):
        self.counts = {}
        _walk_counts(root, self.counts)
        self.ids = {}

    def encode(self, v):
        if isinstance(v, Markup):
            return {"$markup": str(v)}
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if isinstance(v, float):
            if v != v:
                return {"$float": "nan"}
            if v in (float("inf"), float("-inf")):
                return {"$float": "inf" if v > 0 else "-inf"}
            return v
        if isinstance(v, range):
            return {"$range": [v.start, v.stop, v.step]}
        if type(v).__name__ in ("dict_keys", "dict_values", "dict_items"):
            return {"$dictview": type(v).__name__, "items": [self.encode(x) for x in v]}
        if isinstance(v, jinja2.StrictUndefined):
            return {"$undefined": "strict"}
        if isinstance(v, jinja2.Undefined):
            return {"$undefined": "lenient"}
        if isinstance(v, Namespace):
            return {"$namespace": {k: self.encode(x) for k, x in v._Namespace__attrs.items()}}
        if callable(v):
            return {"$callable": type(v).__name__}
        if isinstance(v, (list, dict, tuple)):
            return self._container(v)
        raise TypeError("cannot encode %r" % (v,))

    def _container(self, v):
        key = id(v)
        if key in self.ids:
            return {"$ref": self.ids[key]}
        out = {}
        if self.counts.get(key, 0) > 1:
            self.ids[key] = len(self.ids) + 1
            out["$id"] = self.ids[key]
        if isinstance(v, tuple):
            out["$tuple"] = [self.encode(x) for x in v]
        elif isinstance(v, list):
            if "$id" not in out:
                return [self.encode(x) for x in v]
            out["$list"] = [self.encode(x) for x in v]
        elif "$id" not in out and all(isinstance(k, str) and not isinstance(k, Markup)
                                      and not k.startswith("$") for k in v):
            return {k: self.encode(x) for k, x in v.items()}
        else:
            out["$dict"] = [[self.encode(k), self.encode(x)] for k, x in v.items()]
        return out


def encode(value):
    return Encoder(value).encode(value)


# ---------------------------------------------------------------------------------------------- YAML

def plain_python(v):
    """The value PyYAML is given for inputs it cannot represent but the Java dumper accepts as documented
    equivalents: Markup as str, ranges and dict views as lists."""
    if isinstance(v, Markup):
        return str(v)
    if isinstance(v, range) or type(v).__name__ in ("dict_keys", "dict_values", "dict_items"):
        return [plain_python(x) for x in v]
    if isinstance(v, list):
        return [plain_python(x) for x in v]
    if isinstance(v, dict):
        return {plain_python(k): plain_python(x) for k, x in v.items()}
    return v


def needs_conversion(v, seen=None):
    seen = seen if seen is not None else set()
    if isinstance(v, (Markup, range)) or type(v).__name__ in ("dict_keys", "dict_values", "dict_items"):
        return True
    if isinstance(v, (list, dict, tuple)):
        if id(v) in seen:
            return False
        seen.add(id(v))
        items = [x for kv in v.items() for x in kv] if isinstance(v, dict) else v
        return any(needs_conversion(x, seen) for x in items)
    return False


def yaml_dump(v):
    return yaml.safe_dump(v, sort_keys=False, allow_unicode=True)


QUOTE_WORDS = [
    # bools of YAML 1.1 (and the one-letter forms, which PyYAML does not treat as bools)
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "yEs", "tRUE",
    # null
    "null", "Null", "NULL", "nULL", "~", "",
    # ints
    "0", "123", "-1", "+1", "1_000", "0b101", "-0b1", "017", "08", "0o17", "0x1F", "0xg", "1:30", "190:20:30",
    "12345678901234567890",
    # floats
    "3.14", "1.0", "1.", ".5", "-.5", "1e3", "1e+3", "1.0e+3", "1.0e3", "1.5E-10", "1_0.5", "1:30.5",
    ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "nan", "inf", "-inf", "NaN", "1.2.3",
    # timestamps
    "2024-01-01", "2024-1-1", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
    "2001-12-15T02:59:43.1Z", "2002-12-14", "2024-01-01x",
    # merge, value, yaml
    "<<", "=", "!", "&", "*", "<", "==",
]

INDICATOR_STRINGS = [
    "#x", ",x", "[x", "]x", "{x", "}x", "&x", "*x", "!x", "|x", ">x", "'x", '"x', "%x", "@x", "`x",
    "?x", "? x", "?", ":x", ": x", ":", "-x", "- x", "-", "--", "---", "--- x", "...", "... x", "..",
    "a: b", "a:b", "a:", "a :", "a # b", "a#b", "a #", "#", "a,b", "a[b]", "a{b}", "a?b", "a - b", "a|b",
    "a>b", "a'b", "it's", "''", "'", '"', 'say "hi"', "a\\b", "\\", "50%", "a@b.com", "`cmd`",
    "x!", "x&y", "x*", "key: value # comment", "http://example.com/a?b=c#frag", "C:\\path",
    "[1, 2]", "{a: 1}", "- item",
]

WHITESPACE_STRINGS = [
    " lead", "trail ", " both ", " ", "  ", "a  b", "a   b", "a\tb", "\t", "\tlead", "trail\t", "a\r\nb",
    "a\rb", "a \tb", "x\x0by", "x\x0cy",
]

MULTILINE_STRINGS = [
    "a\nb", "a\n\nb", "a\n\n\nb", "a\n", "a\n\n", "\na", "\n\na", "\n", "\n\n", "a\n ", "a \nb", "a\n b",
    "line1\nline2\nline3", "it's\nfine", "first line\n  indented\n", "a\nyes", "yes\n", "- a\n- b",
    "key: v\nother: w", "a\x85b", "a\u2028b", "a\u2029b", "\u2028", "x\u2028 y", "tab\tand\nnewline",
    "trailing space \nnext", "ends with quote'\n",
]

UNICODE_STRINGS = [
    "héllo", "日本語", "Привет мир", "😀", "a😀b", "😀 x\ty", "emoji 😀 in double\t", "\u200b", "a\u200bb",
    "\u00a0", "\u00a0x", "x\u00a0", "\ufeff", "a\ufeffb", "\x7f", "\x00", "\x07", "\x08", "\x1b", "\x1f",
    "\x80", "\x9f", "\xad", "\ue000", "\ufffd", "\ufffe", "\uffff", "\U0010fffe", "\U0010ffff",
    "\U0001F600\U0001F601", "\ud800", "a\udfffb", "é\n😀", "mixed ü and \x01",
]


def nested(depth, wrap):
    value = "leaf"
    for _ in range(depth):
        value = wrap(value)
    return value


def words(n, word="lorem"):
    return " ".join([word] * n)


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
         "aliquip ex ea commodo consequat.")

LONG_STRINGS = [
    LOREM,
    "x" * 200,
    "a" * 79 + " b",
    "a" * 80 + " b",
    "a" * 81 + " b",
    "a" * 78 + " b c d",
    words(30, "ab"),
    words(30, "abc"),
    words(40, "a"),
    "word  " * 30,
    "w " * 60,
    "%s %s" % ("x" * 100, "y" * 100),
    "yes " + LOREM,
    "'quoted' " + LOREM,
    "ends with space " + LOREM + " ",
    " starts with space " + LOREM,
    LOREM + "\n" + LOREM,
    LOREM + "\n\n" + LOREM,
    "\t" + LOREM,
    LOREM.replace(" ", "\t"),
    LOREM.replace(". ", ".\t"),
    "\t" * 100,
    "é" * 50 + " " + "ü" * 50,
    "😀 " * 50,
    "tab\t" + "x" * 75 + " " + "y" * 10,
    "\x01" * 30 + " " + "a b c " * 20,
    "a" * 76 + "\t b c d e f g h i j k l m n o p q r s t u v w x y z",
    ("a" * 77 + "  ") * 3 + "\t",
    "x\t" + ("ab " * 40),
    "\t" + " " * 90 + "x",
    "\t" + "a " * 45 + " " * 5 + "b",
    LOREM + " \t",
    "a" * 85 + "\\" + "b " * 10 + "\t",
    '"' * 90 + " x\t",
]


def yaml_cases():
    cases = []

    def add(name, value, note=None):
        expected_input = plain_python(value) if needs_conversion(value) else value
        case = {"name": name, "input": encode(value), "expected": yaml_dump(expected_input)}
        if note is not None:
            case["note"] = note
        cases.append(case)

    for group, strings in [("word", QUOTE_WORDS), ("indicator", INDICATOR_STRINGS),
                           ("whitespace", WHITESPACE_STRINGS), ("multiline", MULTILINE_STRINGS),
                           ("unicode", UNICODE_STRINGS)]:
        for s in strings:
            add("%s %r at root" % (group, s), s)
            add("%s %r as value" % (group, s), {"key": s})
            add("%s %r as key" % (group, s), {s: 1})
            if group in ("multiline", "whitespace", "unicode"):
                add("%s %r in nested list" % (group, s), {"outer": [{"inner": s}, s]})

    for i, s in enumerate(LONG_STRINGS):
        add("long %d at root" % i, s)
        add("long %d as value" % i, {"key": s})
        add("long %d in list in dict" % i, {"a": {"b": [s, {"c": s}]}})
        add("long %d in nested lists" % i, [[[s]]])
        add("long %d as key" % i, {s: s})
        add("long %d as short key" % i, {s[:100]: 1})

    for n in (119, 120, 121, 122, 123, 124, 130):
        add("key of %d chars" % n, {"k" * n: 1})
        add("key of %d chars with spaces" % n, {("ab " * 50)[:n]: "v"})

    scalars = {
        "none": None, "true": True, "false": False, "zero": 0, "int": 42, "negative": -7,
        "big": 2 ** 64, "negative big": -(10 ** 30), "long max": 2 ** 63 - 1, "long min": -(2 ** 63),
        "float": 3.5, "tenth": 0.1, "hundred": 100.0, "1e16": 1e16, "1e15": 1e15, "1e-05": 1e-05,
        "1e-4": 1e-4, "negative zero": -0.0, "zero float": 0.0, "1.5e300": 1.5e300, "max": 1.7976931348623157e308,
        "min subnormal": 5e-324, "third": 1 / 3, "1e22": 1e22, "neg 1e-7": -1e-7, "123456789.123": 123456789.123,
        "nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "2.5e-08": 2.5e-08,
    }
    for name, v in scalars.items():
        add("scalar %s at root" % name, v)
        add("scalar %s as value" % name, {"v": v})
        add("scalar %s in list" % name, [v, v])
    add("all scalars in one mapping", dict(scalars))
    add("scalar keys", {7: "int", 2.5: "float", None: "null", True: "bool", False: "no", -3: "neg",
                        float("inf"): "inf", 10 ** 20: "big", "s": "str"})

    add("empty list", [])
    add("empty dict", {})
    add("empty list and dict values", {"a": [], "b": {}, "c": [[]], "d": [{}], "e": {"f": {}}})
    add("list of empties", [[], {}, [[]], [{}], ""])
    add("empty tuple", ())
    add("tuple", (1, "two", 3.0))
    add("tuple in dict", {"t": (1, (2, 3)), "u": ()})
    add("tuple key", {(1, 2): "pair", (): "empty"})
    add("nested lists", [1, [2, [3, [4, []]]], "x"])
    add("list of dicts", [{"name": "a", "tags": ["x", "y"]}, {"name": "b", "tags": []}, {}])
    add("dict of lists of dicts", {"users": [{"name": "Ann", "roles": ["admin", "dev"],
                                             "meta": {"age": 30, "active": True}},
                                            {"name": "Bob", "roles": [], "meta": {}}],
                                   "count": 2})
    add("dict in list in dict", {"a": [{"b": [{"c": [1, 2]}]}]})
    add("list of lists of dicts", [[{"a": 1}, {"b": 2}], [{"c": [3]}]])
    add("deep mapping", {"l1": {"l2": {"l3": {"l4": {"l5": {"l6": {"l7": {"l8": "deep " * 20}}}}}}}})
    add("150 nested lists", nested(150, lambda v: [v]))
    add("150 nested dicts", nested(150, lambda v: {"k": v}))
    add("deep sequence", [[[[[[[[["deep " * 20]]]]]]]]])
    add("sequence of multiline", ["a\nb", "c\n\nd", "plain", "yes"])
    add("multiline key", {"a\nb": 1, "c": "d\ne"})
    add("unicode keys", {"ключ": "значение", "日本": ["語"], "😀": "😀"})
    add("chat messages", {"messages": [{"role": "system", "content": "You are a helpful assistant.\n"
                                                                      "Answer briefly."},
                                       {"role": "user", "content": "What's 2+2? Answer: 4 # sure"}]})

    shared = [1, 2]
    add("shared list", {"x": shared, "y": shared})
    shared_dict = {"k": "v"}
    add("shared dict", [shared_dict, {"again": shared_dict}, shared_dict])
    add("shared empty list", {"a": (e := []), "b": e})
    add("shared empty dict", [(ed := {}), ed])
    inner = [0]
    outer = [inner, inner]
    add("two anchors", {"first": outer, "second": outer, "third": inner})
    add("anchor in nested value", {"k": {"x": shared}, "a": shared})
    add("anchor in list item", [[shared, shared]])
    selfref = []
    selfref.append(selfref)
    add("self-referencing list", selfref)
    selfdict = {"name": "loop"}
    selfdict["self"] = selfdict
    add("self-referencing dict", selfdict)
    st = (1, 2)
    add("shared tuple as key and value", {st: st, "b": st})
    add("shared scalars are not aliased", {"a": "same", "b": "same", "c": 10 ** 30, "d": 10 ** 30})

    add("markup", Markup("<b>bold</b>"), "PyYAML cannot represent Markup; the dumper writes it as its str")
    add("markup in dict", {"html": Markup("a & b"), Markup("k"): 1},
        "PyYAML cannot represent Markup; the dumper writes it as its str")
    add("range", range(3), "PyYAML cannot represent range; the dumper writes it as a list")
    add("range in dict", {"r": range(0, 10, 3), "empty": range(0)},
        "PyYAML cannot represent range; the dumper writes it as a list")
    add("dict views", {"keys": {"a": 1}.keys(), "values": {"a": 1}.values(), "items": {"a": 1}.items()},
        "PyYAML cannot represent dict views; the dumper writes them as lists (items as tuples)")
    return cases


# ---------------------------------------------------------------------------------------------- JSON

def json_cases():
    cases = []

    def add(name, value, indents=(None, 2)):
        for indent in indents:
            case = {"name": "%s (indent=%s)" % (name, indent), "input": encode(value), "indent": indent}
            try:
                case["expected"] = json.dumps(value, sort_keys=True, indent=indent)
                case["expected_html"] = str(htmlsafe_json_dumps(value, sort_keys=True, indent=indent))
            except (TypeError, ValueError) as e:
                case["error"] = {"type": type(e).__name__, "message": str(e)}
            cases.append(case)

    add("none", None)
    add("bools", [True, False])
    add("ints", [0, -1, 2 ** 63, -(2 ** 64), 10 ** 40])
    add("floats", [0.1, 1e16, 1e-05, -0.0, 100.0, 1.5e300, 5e-324, 1 / 3, 1e22, 123456789.123])
    add("special floats", [float("nan"), float("inf"), float("-inf")])
    add("string escapes", "quote \" backslash \\ slash / \b\f\n\r\t \x00 \x1f \x7f")
    add("html characters", "<script>alert('x') & \"y\"</script>")
    add("unicode", "héllo 日本語 ß \u2028 \ufeff")
    add("astral", "😀 \U0010ffff")
    add("lone surrogate", "a\ud800b\udfff")
    add("empty containers", {"l": [], "d": {}, "t": ()})
    add("empty list", [], (None, 2, 0))
    add("empty dict", {}, (None, 2, 0))
    add("nested", {"b": [1, {"z": 1, "a": [2, 3]}], "a": {"y": None, "x": [True, "s"]}}, (None, 0, 1, 2, 4))
    add("sorted keys", {"b": 1, "a": 2, "B": 3, "_": 4, "aa": 5, "é": 6, "😀": 7, "\uffff": 8, "": 9})
    add("tuple", (1, "a", (2,)))
    add("markup", Markup("<b>'x'</b> & y"))
    add("markup key", {Markup("b"): 1, "a": Markup("<i>")})
    add("numeric keys", {2: "b", 1: "a", 10: "j", -1: "m", 1.5: "f", True: "t", False: "f0"})
    add("float keys", {float("nan"): 1, float("inf"): 2, -0.0: 3, 1e16: 4, 0.1: 5})
    add("none key alone", {None: 1})
    add("bool keys", {True: 1, False: 0})
    add("big int key", {10 ** 20: 1, 3: 2})
    add("str then int keys", {"a": 1, 1: 2})
    add("int then str keys", {1: 2, "a": 1})
    add("mixed keys", {"b": 1, 2: 3, "a": 4, 1: 5})
    add("mixed keys ascending start", {1: 1, 2: 2, "a": 3})
    add("mixed keys descending start", {3: 1, 2: 2, "a": 3})
    add("str keys then int", {"a": 1, "b": 2, "c": 3, 0: 4})
    add("none with str keys", {"a": 1, None: 2})
    add("str with none key", {None: 2, "a": 1})
    add("none with int keys", {1: 1, None: 2})
    add("float and str keys", {"x": 1, 2.5: 2})
    add("tuple key alone", {(1, 2): 3})
    add("tuple and str keys", {"a": 1, (1, 2): 3})
    add("tuple keys", {(2, 1): 1, (1, 2): 2})
    add("many mixed keys", dict([(str(i), i) for i in range(10)] + [(5, "x")]))
    add("range", range(3))
    add("range inside", {"r": range(2)})
    add("dict keys view", {"a": 1}.keys())
    add("dict values view", [{"a": 1}.values()])
    add("dict items view", {"a": 1}.items())
    add("strict undefined", jinja2.StrictUndefined())
    add("lenient undefined in list", [1, jinja2.Undefined()])
    add("undefined after bad key order", {"b": jinja2.StrictUndefined(), "a": 1})
    add("namespace", {"ns": Namespace(a=1)})
    add("function", [lambda: 1])
    selfref = []
    selfref.append(selfref)
    add("self-referencing list", selfref)
    selfdict = {"a": 1}
    selfdict["me"] = selfdict
    add("self-referencing dict", selfdict)
    shared = [1]
    add("deep nesting", nested(150, lambda v: [v]), (None, 1))
    add("large dict", {"k%04d" % ((i * 7919) % 1000): i for i in range(999, -1, -1)}, (None,))
    add("large numeric dict", {((i * 7919) % 500) / (1 + i % 3): i for i in range(500)}, (None,))
    add("large dict with an int key late", dict([("k%d" % i, i) for i in range(100)] + [(7, "int")]))
    add("large dict with an int key early", dict([("k%d" % i, i) for i in range(30)] + [(7, "int")]
                                                 + [("z%d" % i, i) for i in range(70)]))
    add("shared list is not circular", {"a": shared, "b": [shared]})
    add("chat", {"messages": [{"role": "user", "content": "Hi <b>there</b>, it's me & you\n"}],
                 "temperature": 0.7, "max_tokens": 100, "stream": False, "stop": None}, (None, 2, 4))
    return cases


def write(name, cases):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print("%s: %d cases" % (name, len(cases)), file=sys.stderr)


if __name__ == "__main__":
    write("yaml_cases.json", yaml_cases())
    write("json_cases.json", json_cases())
