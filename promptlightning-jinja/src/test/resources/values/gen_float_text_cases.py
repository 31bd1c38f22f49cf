#!/usr/bin/python3
"""Writes float_text_cases.json: strings with what Python's float() makes of each (its repr, or null where it
raises ValueError) and what Jinja2's float filter renders for each.

    /usr/bin/python3 gen_float_text_cases.py      (needs jinja2: apt-get install python3-jinja2)
"""
import json
import os
import random

import jinja2

rng = random.Random(20261201)

texts = ["5", "12", "-0", "+0", "0", "5.0", "5.", ".5", ".", "", " ", "1e3", "1E3", "1e+3", "1e-3", "1e", "1e+",
         "e3", "1.5e-3", "00012", "99999999999999999999", "123456789012345678901234567890", "0.1", "1e-05", "1e16",
         "1e999", "-1e999", "1e-999", "1e99999999999999999999", "0e99999999999999999999", "1e-99999999999999999999",
         "2.5e-324", "4.9406564584124654e-324", "1.7976931348623157e308", "1.7976931348623159e308",
         "0.1000000000000000055511151231257827", "9007199254740993",
         "1_000", "1__000", "_1", "1_", "1_.5", "1._5", "1.5_5", "1e1_0", "1_e5", "1e_5", "+_1", "-1_0", "0_0",
         "1_000.000_1", "1_0e1_0", " 5 ", "\t5\n", "\x0b5\x0c", "\r5\r", "5 ", " 5", "1 2", "5\x00", "\x1c5", "5\x1f",
         "\x855", "\xa05\u3000", "\u20285\u2029", "\u16805", "\u20005\u200a", "\u202f5\u205f", "\u180e5", "5\u200b",
         "\ufeff5", "\u0665", "\u0661_\u0662", "\uff11\uff12", "\uff11.\uff15e\uff12", "\u0e53", "\u09e7\u09e6",
         "\U0001d7ce", "\U0001d7d7.\U0001d7d8", "\U0001e953", "\u00b2", "\u2153", "\u2160", "\u221e", "\u0665\u00b2",
         "inf", "-inf", "+inf", "INF", "iNf", "infinity", "Infinity", "-INFINITY", "+iNfInItY", "infinit", "infinityy",
         "in f", "nan", "NaN", "-nan", "+NAN", "nan1", "snan", "qnan", "  -Infinity\t", "\xa0nan\xa0", "i_nf",
         "0x10", "0X1p3", "0b1", "0o7", "5d", "5f", "5D", "1,5", "1.5.5", "1e5.0", "+-5", "-+5", "++5", "--5", "5-",
         "5+", "+", "-", "+.", "-.5", "+5.", "-.e1", ".e1", "1.e1", ".1e1", "1.1e-1_0", "٫5", "Infinity5", "True",
         "None", "0.0000000000000000000000000000001", "1" + "0" * 400, "0." + "0" * 400 + "1"]

alphabet = ["0", "1", "5", "9", "_", "_", ".", "e", "E", "+", "-", " ", "\t", "i", "n", "f", "a", "\xa0", "\u0663",
            "\x1c", "x"]
for _ in range(3000):
    texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
for _ in range(500):  # numbers as people type them, some with underscores and spaces
    digits = str(rng.randint(0, 10 ** rng.randint(1, 25)))
    if rng.random() < 0.4:
        i = rng.randint(1, len(digits))
        digits = digits[:i] + rng.choice(["_", ".", "e", "e-", "._", "__"]) + digits[i:]
    texts.append(rng.choice(["", "-", "+", " "]) + digits + rng.choice(["", " ", "\n", "_"]))

seen = set()
unique = [t for t in texts if not (t in seen or seen.add(t))]

environment = jinja2.Environment()
template = environment.from_string("{{ x|float }}")
cases = []
for text in unique:
    try:
        value = repr(float(text))
    except ValueError:
        value = None
    rendered = template.render(x=text)
    assert rendered == (value if value is not None else "0.0"), (text, value, rendered)
    cases.append({"text": text, "float": value})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "float_text_cases.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=0, ensure_ascii=True)
print(f"wrote {len(cases)} cases to {out} ({sum(c['float'] is not None for c in cases)} that float() reads)")
