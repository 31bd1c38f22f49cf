#!/usr/bin/python3
"""Writes string_cases.json next to this script: reference results of Python str methods and of the Jinja2
string filters, for PyStringsTest.

Run with the reference interpreter (Python 3.11, Jinja2 3.1.2, MarkupSafe 2.1):
    /usr/bin/python3 gen_string_cases.py

Each case is {"method": name, "args": [...], "result": value} or {..., "error": {"type": T, "message": M}}.
JSON cannot tell a tuple from a list or keep non-string dict keys, so those are written as
{"tuple": [...]} and {"dict": [[key, value], ...]}. Strings are written with \\u escapes only, so astral
characters appear as surrogate pairs and lone surrogates survive.
"""
import html
import json
import os
import sys

import jinja2
import markupsafe
from jinja2 import filters

assert sys.version_info[:2] == (3, 11), sys.version
assert jinja2.__version__ == "3.1.2", jinja2.__version__
assert markupsafe.__version__.startswith("2.1."), markupsafe.__version__

ENV = jinja2.Environment()

STR_METHODS = {
    "upper", "lower", "title", "capitalize", "swapcase", "casefold", "strip", "lstrip", "rstrip", "split",
    "rsplit", "splitlines", "center", "ljust", "rjust", "zfill", "find", "rfind", "index", "rindex", "count",
    "startswith", "endswith", "replace", "isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower",
    "istitle", "isnumeric", "isdecimal", "partition", "rpartition",
}


def call(method, args):
    if method in STR_METHODS:
        return getattr(args[0], method)(*args[1:])
    if method == "join":
        return args[0].join(args[1])
    if method == "title_filter":
        return filters.do_title(args[0])
    if method == "wordwrap":
        s, width, break_long_words, wrapstring, break_on_hyphens = args
        return filters.do_wordwrap(ENV, s, width, break_long_words, wrapstring, break_on_hyphens)
    if method == "striptags":
        return filters.do_striptags(args[0])
    if method == "html_unescape":
        return html.unescape(args[0])
    if method == "urlencode":
        return filters.do_urlencode(args[0])
    if method == "wordcount":
        return filters.do_wordcount(args[0])
    if method == "truncate":
        s, length, killwords, end, leeway = args
        return filters.do_truncate(ENV, s, length, killwords, end, leeway)
    if method == "indent":
        s, indentation, first, blank = args
        return filters.do_indent(s, indentation, first, blank)
    raise KeyError(method)


def encode(value):
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    assert value is None or isinstance(value, (str, int, float, bool)), repr(value)
    return value


CASES = []


def case(method, *args):
    entry = {"method": method, "args": encode(list(args))}
    try:
        entry["result"] = encode(call(method, list(args)))
    except (TypeError, ValueError, AssertionError) as e:
        entry["error"] = {"type": type(e).__name__, "message": str(e)}
    CASES.append(entry)


# ---------------------------------------------------------------- samples

EMOJI = "\U0001F600"          # astral: one Python character, a surrogate pair in Java
DESERET_UPPER = "\U00010400"  # astral cased letters
DESERET_LOWER = "\U00010428"
MATH_BOLD = "\U0001D400\U0001D401"  # astral letters (Lu)

CASE_SAMPLES = [
    "", "hello", "HELLO", "Hello World", "mIxEd CaSe 123", "stra\u00dfe", "\u1e9e", "\ufb01sh", "\ufb00",
    "\u01c6emal", "\u01c5emal", "\u01c4EMAL", "\u0149", "\u0130stanbul", "i\u0307", "\u0390", "\u1fb3",
    "\u1fb2 \u1fb7", "caf\u00e9", "cafe\u0301s", "\u00e9T\u00c9", "\u03a3", "\u03a3\u0391\u03a3",
    "\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3", "A1\u03a3", "A\u03a3.", "A.\u03a3", "A\u03a3'B",
    "A\u03a3\u0301", "\u03a3A", "A \u03a3", "\u0391\u03a3\u0345b", "it's", "they're bill's friends",
    "o'NEIL", "3rd place", "hello-world", "\u2167 roman \u216b", "\u24b6\u24d0", "\u02b0a\u02b0",
    DESERET_UPPER + DESERET_LOWER + " " + DESERET_LOWER, EMOJI + "abc", MATH_BOLD + "x", "\u4e2d\u6587 text",
    "\u0345x", "x\u0345", "\u1f80\u1f88", "\u0587", "ABC\u0130\u03a3", "\u03c2\u03c3\u03a3", "\u0131I",
    "\u13a0\uab70\u13f8", "\u00b5\u017f\u1e9b",
]

for sample in CASE_SAMPLES:
    for method in ("upper", "lower", "title", "capitalize", "swapcase", "casefold"):
        case(method, sample)

PREDICATE_SAMPLES = [
    "", "abc", "ABC", "Abc", "abc1", "123", "\u00b2", "\u2460", "\u2469", "\u00bd", "\u2167", "\u4e09",
    "\u4e00\u4e8c", "\u0661\u0662", "\uff11", "\U0001D7CE", "caf\u00e9", "cafe\u0301", " ", " \t\n",
    "\u00a0", "\u200b", "\u3000", "\x1c\x1f", "\x85", "\u2028", "\u180e", "Hello World", "Hello world",
    "HELLO", "hello 1", "\u01c5", "\u01c5ungla", "\u01c4", "\u01c6", "\u02b0", "\u2167\u2168", "\u24b6",
    "\u24d0", "A1B", "1A", "ABC def", "Abc Def", "Abc DEF", "_", "a_b", EMOJI, DESERET_UPPER,
    DESERET_LOWER, DESERET_UPPER + DESERET_LOWER, MATH_BOLD, "\u0130", "\u00df", "\u2160a", "1\u00bd",
]

for sample in PREDICATE_SAMPLES:
    for method in ("isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower", "istitle", "isnumeric",
                   "isdecimal"):
        case(method, sample)

WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"
for method in ("strip", "lstrip", "rstrip"):
    case(method, WHITESPACE + "x y" + WHITESPACE, None)
    case(method, "\u200bx\u200b", None)
    case(method, "\u180ex\u180e", None)
    case(method, "", None)
    case(method, "   ", None)
    case(method, "xxhixx", "x")
    case(method, "abcHIcba", "abc")
    case(method, "abc", "")
    case(method, "aaa", "a")
    case(method, EMOJI + "a" + EMOJI, EMOJI)
    case(method, EMOJI + "a" + EMOJI, "\ud83d")
    case(method, "\ud83dx\ud83d", "\ud83d")
    case(method, "  x  ", " x")

SPLIT_SAMPLES = [
    ("a b  c", None), ("  a  b  ", None), ("a\u00a0b\u2003c\u200bd\x1ce", None), ("", None), ("   ", None),
    ("a,b,,c", ","), (",a,", ","), ("", ","), ("a::b::c", "::"), ("aaa", "aa"), ("aaaa", "aa"),
    ("a" + EMOJI + "b" + EMOJI + "c", EMOJI), ("x", ""), ("one\ttwo\nthree", None), ("abc", "abc"),
]
for s, sep in SPLIT_SAMPLES:
    for maxsplit in (-1, 0, 1, 2):
        case("split", s, sep, maxsplit)
        case("rsplit", s, sep, maxsplit)
case("split", "a b c", None, -5)
case("rsplit", "  a b c  ", None, 1)
case("split", "  a b c  ", None, 1)

for s in ("a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l", "a\n\nb\n", "\r\n\r", "", "no newline",
          "x\x1fy", "a\r\n", "\n", "\u000b\u000b", EMOJI + "\n" + EMOJI):
    case("splitlines", s, False)
    case("splitlines", s, True)

for length in range(0, 4):
    for width in range(0, 7):
        case("center", "abc"[:length], width, " ")
case("center", "abcd", 7, "*")
case("center", "abcd", 8, "*")
case("center", "a", 4, EMOJI)
case("center", EMOJI, 4, "-")
case("center", EMOJI + EMOJI, 5, ".")
case("center", "abc", -3, " ")
case("center", "abc", 7, "ab")
case("center", "abc", 7, "")
case("center", "abc", 1, "ab")
for method in ("ljust", "rjust"):
    case(method, "abc", 6, " ")
    case(method, "abc", 2, " ")
    case(method, EMOJI, 3, "*")
    case(method, "x", 3, EMOJI)
    case(method, "x", 3, "**")
    case(method, "", 2, "\u00e9")
for s, width in (("42", 5), ("-42", 5), ("+42", 5), ("", 3), ("abc", 2), ("--1", 5), (EMOJI, 3), ("-", 3),
                 ("+", 1), ("-" + EMOJI, 4), ("42", -1)):
    case("zfill", s, width)

SEARCH = [
    ("hello", "l", None, None), ("hello", "l", 3, None), ("hello", "l", -2, None), ("hello", "l", None, 2),
    ("hello", "l", None, -2), ("hello", "", 5, None), ("hello", "", 6, None), ("hello", "", -100, None),
    ("hello", "", 2, 1), ("hello", "x", None, None), ("hello", "hello!", None, None), ("hello", "lo", 3, 5),
    ("hello", "lo", 3, 4), ("hello", "h", -100, 100), ("", "", None, None), ("", "", 1, None),
    (EMOJI + "a" + EMOJI + "b", "b", None, None), (EMOJI + "a" + EMOJI + "b", "a", 1, None),
    (EMOJI + "a" + EMOJI + "b", EMOJI, 1, None), (EMOJI + "a" + EMOJI + "b", EMOJI, None, -1),
    (EMOJI + EMOJI, "\ude00", None, None), (EMOJI + EMOJI, "\ud83d", None, None),
    ("aaaa", "aa", None, None), ("abcabc", "bc", 2, -1), ("abc", "c", -1, 10),
]
for s, sub, start, end in SEARCH:
    for method in ("find", "rfind", "index", "rindex", "count"):
        case(method, s, sub, start, end)

AFFIX = [
    ("hello", "he", None, None), ("hello", ("x", "he"), None, None), ("hello", ("lo", "x"), None, None),
    ("hello", ("he", 1), None, None), ("hello", ("x", 1), None, None), ("hello", 1, None, None),
    ("hello", ["he"], None, None), ("hello", None, None, None), ("hello", "l", 2, None),
    ("hello", "", 5, None), ("hello", "", 6, None), ("hello", "lo", -2, None), ("hello", "ll", 0, 4),
    ("hello", "he", 0, 2), ("hello", "he", 0, 1), ("abc", "", 3, 1), ("hello", (), None, None),
    (EMOJI + "ab", "a", 1, None), (EMOJI + "ab", EMOJI, None, None), (EMOJI + "ab", "\ud83d", None, None),
    ("a" + EMOJI, "\ude00", None, None), ("a" + EMOJI, EMOJI, -1, None), ("hello", "hello world", None, None),
]
for s, affix, start, end in AFFIX:
    case("startswith", s, affix, start, end)
    case("endswith", s, affix, start, end)

for s, old, new, count in (("aaa", "a", "b", -1), ("aaa", "a", "b", 2), ("abc", "", "-", -1), ("abc", "", "-", 2),
                           ("abc", "", "-", 0), ("", "", "x", -1), ("", "a", "x", -1), (EMOJI + EMOJI, "", "-", -1),
                           ("aaaa", "aa", "b", -1), ("abc", "b", "", -1), ("a.b.c", ".", "::", -1),
                           ("hello", "l", "L", 1), (EMOJI + EMOJI, "\ude00", "x", -1), ("abc", "abcd", "x", -1),
                           ("ab" * 3, "ab", "\u00e9", -5)):
    case("replace", s, old, new, count)

for sep, items in ((",", ["a", "b"]), ("", []), (", ", ["a", 1]), ("-", ["a", None]), (EMOJI, ["a", "b"]),
                   ("", ["x"]), ("-", ["a", ["b"]]), ("/", ["a", True])):
    case("join", sep, items)

for s, sep in (("a=b=c", "="), ("abc", "x"), ("abc", ""), (EMOJI + "=" + EMOJI, "="), ("==", "="),
               ("abc", "abc"), (EMOJI + EMOJI, "\ude00")):
    case("partition", s, sep)
    case("rpartition", s, sep)

# ---------------------------------------------------------------- Jinja filters

for s in ("hello world", "hello-world", "foo(bar)baz", "a{b[c<d>e", "it's a dog's life", "\u00dftra\u00dfe",
          "\u01c6emal x", "HELLO wORLD", "  leading", "tab\tsep", "x\u00a0y", "x\u200by", "", "\u0391\u03a3",
          "\u00abquoted\u00bb", "--dashes--", "\u0130I", EMOJI + "x " + DESERET_LOWER + DESERET_UPPER, "a_b c.d",
          "(paren) [bracket] {brace} <angle>", "\ufb01ne \ufb01ne"):
    case("title_filter", s)

WRAP_TEXTS = [
    "",
    "Hello World",
    "The quick brown fox jumps over the lazy dog",
    "supercalifragilisticexpialidocious is long",
    "a well-known fact about state-of-the-art things",
    "spam--eggs and foo -- bar --baz qux--",
    "Look, goof-ball -- use the -b option!",
    "one\ntwo three\n\nfour five six seven",
    "  leading and trailing  ",
    "tabs\tbetween\twords and\t\ttabs",
    "x-y-z a-b ab-cd-ef 12-34 ab-12 1a-b2",
    "---- ---x x--- -x- a--b",
    MATH_BOLD + "-" + MATH_BOLD + " " + EMOJI * 12,
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00fcber-gro\u00df",
    "\u4e2d\u6587\u5b57\u7b26\u4e32\u6d4b\u8bd5\u6587\u672c\u5f88\u957f",
    "ideo\u3000graphic\u3000space\u00a0nbsp",
    "word " + "\u3000" * 3 + " word",
    "aaaaaaaaaa-bbbbbbbbbb-cccccccccc",
    "-----aaaaaaa",
    "a\r\nb\u2028c",
]
for text in WRAP_TEXTS:
    for width in (1, 3, 5, 10, 20):
        case("wordwrap", text, width, True, "\n", True)
for text in WRAP_TEXTS[2:8] + WRAP_TEXTS[10:13] + WRAP_TEXTS[17:19]:
    case("wordwrap", text, 7, False, "\n", True)
    case("wordwrap", text, 7, True, "\n", False)
    case("wordwrap", text, 7, False, "\n", False)
    case("wordwrap", text, 12, True, "<br>", True)
case("wordwrap", "abc", 0, True, "\n", True)
case("wordwrap", "", 0, True, "\n", True)
case("wordwrap", "abc", -3, True, "\n", True)

STRIPTAGS = [
    "<p>Hello <b>World</b></p>", "a <!-- comment --> b", "a <!-- <b>x</b> --> c", "<!--a-->b<!--c",
    "<a href='x'>link</a>&amp;&lt;", "Main &raquo;\t<em>About</em>", "unterminated <b", "a < b > c", "<<b>>",
    "a\n\n<br/>\nb", "<div><p>a</p>\n<p>b</p></div>", "x <!-- multi\nline --> y <span\nclass='c'>z</span>",
    "&copy &copyx &notit; &notin; &not", "&#65;&#x41;&#X41;&#0;&#128;&#x80;&#13;&#1;&#xD800;&#x110000;&#xFFFE;",
    "&#", "&#x;", "&#x", "&#;", "&amp", "&ampx", "&AMP;", "&#9999999999999999;", "&#" + "0" * 4300 + "65;",
    "&#" + "0" * 4301 + "65;", "&#x" + "0" * 5000 + "41;", "&NotEqualTilde;", "&Afr;&afr", "&lt<b>&gt", "x&;y",
    "&123;", "&#65x", "&nbsp;x&nbsp;", "&#x1F600; &#128512;", "&#X1f600", "&#x7f;&#x9f;&#x85;&#xfdd0;&#x1fffe;",
    "&#11;&#12;&#9;&#x10FFFF;", "&" + "a" * 40 + ";", "&frac34;&frac34x;&frac3", "&ltltlt;", "&lt;&lt&lt;",
    "&eacute&Eacute;&EACUTE;", "<!-- only comment -->", "   ", "", "no tags here", "&" + EMOJI + ";",
    "&am" + EMOJI, "tab\there\xa0nbsp\u3000ideographic", "<b>&lt;tag&gt;</b>",
]
for s in STRIPTAGS:
    case("striptags", s)
for s in ("&amp;&gt;&lt;&quot;&apos;", "&AElig;&aelig;&Aacute", "&ThickSpace;&NegativeVeryThinSpace;",
          "&bne;&nvlt;", "&fjlig;", "x\r&#13;\ry", "&amp;amp;", "&\t;", "&#x0041;&#0000065;", "&#000;",
          "&notanentity", "&nota", "&sup2;&sup2x&sup", "&#x2028;", "\u00e9&eacute;", "& amp;"):
    case("html_unescape", s)

URLENCODE = [
    "a b/c?d=e&f", "\u00fcn\u00efc\u00f6de", EMOJI, "~_.-", "", "100%", "/path/to/file name.txt", "+plus+",
    42, None, True, 1.5, -0.0, {"a": 1, "b c": "d/e"}, [("a", "1"), ("b", "2")], [["k", "v"]], [("k", ("v", 1))],
    {"x": [1, 2]}, {"\u00fc": "\u00e9", "sp ace": "a+b"}, {1: None, 2.5: True}, [(1, 2, 3)], [1], ["ab"], [("a",)],
    [], {}, (("k", "v"), ("k2", "v 2")), "\ud800", "a\udfff\ud800b", "x" + EMOJI + "\udc00", [("a", "\ud800")],
    [("a", "b"), ("c",)], [None], "\u00a0\u3000", "a\x00b\x7f",
    "\x7f\x80\u07ff\u0800\ud7ff\ue000\uffff\U00010000\U0001D800\U0010FFFF", {"\U0001D800": "\u0800 x"},
]
for value in URLENCODE:
    case("urlencode", value)

for s in ("hello world", "", "a_b c-d", "caf\u00e9", "cafe\u0301", "123 456", "\u00b2\u00b3", "\u4e00\u4e8c\u4e09",
          EMOJI + " " + EMOJI, "don't", "hello, world! foo_bar baz42", "___", "  \t ", "\u0661\u0662 x",
          MATH_BOLD + " " + DESERET_LOWER, "\u2167 \u00bd", "a\u200bb", "x\u00b7y", "\u3042\u3044 \u30a2"):
    case("wordcount", s)

TRUNCATE = [
    ("foo bar baz qux", 9, False, "...", 5), ("foo bar baz qux", 9, True, "...", 5),
    ("foo bar baz qux", 11, False, "...", 5), ("foo bar baz qux", 11, False, "...", 0),
    ("foo bar baz qux", 3, False, "...", 0), ("foo bar baz qux", 2, False, "...", 0),
    ("foo bar baz qux", 5, False, "...", -1), ("foobarbazqux", 6, False, "...", 0),
    ("foo bar baz qux", 8, False, "...", 0), ("foo bar baz qux", 7, True, "", 0),
    ("a" * 300, 255, False, "...", 5), ("\u00e9" * 10, 5, True, "\u2026", 0), (EMOJI * 10, 5, True, EMOJI, 0),
    (EMOJI * 10, 9, False, "...", 0), (EMOJI * 6, 4, False, "..", 1), ("short", 255, False, "...", 5),
    ("foo  bar", 6, False, "", 0), ("", 0, False, "", 0), ("abc", 0, False, "", 0), ("a b c d e f", 4, False, "!", 0),
    ("word" + EMOJI + " more text here", 8, False, EMOJI, 0),
]
for args in TRUNCATE:
    case("truncate", *args)

INDENT = [
    "line1\nline2\n\nline4", "single", "", "\n", "a\n", "a\r\nb\rc\u2028d\x0ce", "a\n\n\nb\n\n", "  already\n  x",
    EMOJI + "\n" + EMOJI,
]
for s in INDENT:
    for first in (False, True):
        for blank in (False, True):
            case("indent", s, "    ", first, blank)
case("indent", "a\nb", "\t", False, False)
case("indent", "a\nb", "", True, True)
case("indent", "a\nb", "> ", True, False)

# ---------------------------------------------------------------- known deviations (see PyStringsTest)

case("isalpha", "\u0870")      # ARABIC LETTER ALEF WITH ATTACHED FATHA: new in Unicode 14
case("upper", "\u2c5f")        # GLAGOLITIC SMALL LETTER CAUDATE CHI: new in Unicode 14


if __name__ == "__main__":
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "string_cases.json")
    with open(target, "w", encoding="ascii", newline="\n") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(c, ensure_ascii=True) for c in CASES))
        out.write("\n]\n")
    print("wrote", len(CASES), "cases to", target)
