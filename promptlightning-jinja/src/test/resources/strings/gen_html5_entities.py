#!/usr/bin/python3
"""Writes src/main/resources/io/promptlightning/jinja/html5-entities.txt from Python's html.entities.html5,
the table html.unescape (and so MarkupSafe's striptags) uses.

One entity a line, sorted: the name as Python spells it (with its trailing ';' when it has one; the legacy
forms such as 'amp' come without), a space, then the code points of the replacement in hex, space separated.

Run with the reference interpreter: /usr/bin/python3 gen_html5_entities.py
"""
import os
from html.entities import html5

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "..", "..", "main", "resources", "io", "promptlightning", "jinja",
                      "html5-entities.txt")

with open(os.path.normpath(TARGET), "w", encoding="ascii", newline="\n") as out:
    for name in sorted(html5):
        assert name.isascii() and " " not in name
        out.write(name + " " + " ".join("%x" % ord(ch) for ch in html5[name]) + "\n")
print("wrote", len(html5), "entities to", os.path.normpath(TARGET))
