#!/usr/bin/python3
"""Writes float_repr_cases.json: IEEE-754 bit patterns of doubles with Python's repr() of each.

    /usr/bin/python3 gen_float_cases.py
"""
import json
import os
import random
import struct

rng = random.Random(20261124)


def bits(x):
    return struct.unpack("<q", struct.pack("<d", x))[0]


values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 99.99, 2.675, 1e16, 1e15, 9999999999999998.0,
          1e-4, 1e-5, 0.0001, 0.00001234, 123456789012345.0, 1234567890123456.0, 12345678901234567.0, 1e22, 1e23,
          5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348618157e308, 2.5e-7,
          2.82879384806159e17, 1.5e300, 4.35, 0.07, 100.0, 1e100, 2.0 ** 53, 2.0 ** 53 + 2.0, 2.0 ** -20, 2.0 ** 60,
          float("inf"), float("-inf"), float("nan")]
for _ in range(3000):  # arbitrary bit patterns: every exponent, many digit counts
    b = rng.getrandbits(64)
    x = struct.unpack("<d", struct.pack("<Q", b))[0]
    if x == x:
        values.append(x)
for _ in range(2000):  # short decimals, as people type them
    values.append(round(rng.uniform(-1000, 1000), rng.randint(0, 6)))
for e in range(-330, 309):  # powers of two and ten, whose neighbours are the hard cases
    for x in (10.0 ** e, 2.0 ** max(-1074, min(1023, e * 3))):
        if x != 0 and x != float("inf"):
            values.append(x)

cases = [{"bits": bits(x), "repr": repr(x)} for x in values]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "float_repr_cases.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=0)
print(f"wrote {len(cases)} cases to {out}")
