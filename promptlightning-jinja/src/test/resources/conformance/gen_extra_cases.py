#!/usr/bin/python3
"""Extra Jinja2 conformance cases: what cases.json does not cover yet.

Uses the machinery of gen_cases.py (the same reference environment, the same rendering and checks) and
writes extra_cases.json beside this script. Every case name starts with ``x_``.

    /usr/bin/python3 gen_extra_cases.py                 # writes extra_cases.json
    /usr/bin/python3 gen_extra_cases.py --check PATH    # re-renders and compares with PATH, writes nothing

Needs Jinja2 3.1.2 and PyYAML 6.0 (Debian: python3-jinja2, python3-yaml).
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ among the test resources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_cases  # noqa: E402
from gen_cases import build, check, summary  # noqa: E402

CASES = []


def case(name, area, template, context=None):
    assert name.startswith("x_"), name
    CASES.append((name, area, template, {} if context is None else context))


TREE = [
    {"name": "root", "children": [
        {"name": "a", "children": [{"name": "a1", "children": []}, {"name": "a2", "children": []}]},
        {"name": "b", "children": []},
    ]},
    {"name": "solo", "children": []},
]

# =============================================================================================== statements
case("x_with_basic_scope", "control",
     "{% set a = 'outer' %}{% with a = 'inner', b = 2 %}{{ a }}-{{ b }}{% endwith %} {{ a }} {{ b is defined }}")
case("x_with_refers_outer", "control",
     "{% set a = 1 %}{% with a = 10, b = a + 1 %}{{ a }} {{ b }}{% endwith %}")
case("x_with_no_targets_set_inside", "control",
     "{% with %}{% set x = 5 %}{{ x }}{% endwith %}[{{ x is defined }}]")
case("x_with_multiline_trim", "control",
     "Start\n{% with items = docs|map(attribute='t')|list %}\n{% for i in items %}\n- {{ i }}\n{% endfor %}\n{% endwith %}\nEnd",
     {"docs": [{"t": "one"}, {"t": "two"}]})
case("x_filter_block_upper", "control",
     "{% filter upper %}hello {{ name }}!{% endfilter %} done", {"name": "ann"})
case("x_filter_block_chained_args", "control",
     "[{% filter trim|replace('a', 'o')|center(11) %}\n  banana  \n{% endfilter %}]")
case("x_filter_block_multiline_indent", "control",
     "List:\n  {% filter indent(4) %}\nfirst\nsecond\n{% endfilter %}\nend")
case("x_filter_block_unknown_filter", "control", "{% filter shout %}x{% endfilter %}")
case("x_set_block_with_filter", "assignments",
     "{% set title | upper %}Report for {{ who }}{% endset %}[{{ title }}]", {"who": "ann"})
case("x_set_block_with_filter_chain", "assignments",
     "{% set body | trim | replace('\\n', ' / ') %}\n  line one\n  line two\n{% endset %}[{{ body }}]")
case("x_set_block_is_string_concat", "assignments",
     "{% set n %}{{ 1 + 1 }}{% endset %}{{ n ~ '0' }} {{ n * 2 }} {{ n is string }}")
case("x_set_block_in_for_does_not_leak", "assignments",
     "{% set v = 'orig' %}{% for i in [1, 2] %}{% set v %}it{{ i }}{% endset %}{{ v }} {% endfor %}{{ v }}")
case("x_call_with_caller_args", "macros",
     "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% if not loop.last %}, {% endif %}{% endfor %}{% endmacro %}"
     "{% call(item, n) each(xs) %}{{ n }}={{ item|upper }}{% endcall %}",
     {"xs": ["a", "b", "c"]})
case("x_call_caller_default_arg", "macros",
     "{% macro box() %}[{{ caller() }}|{{ caller('X') }}]{% endmacro %}{% call(v='dflt') box() %}{{ v }}{% endcall %}")
case("x_call_caller_kwargs", "macros",
     "{% macro row(d) %}{% for k, v in d.items() %}{{ caller(key=k, value=v) }}{% endfor %}{% endmacro %}"
     "{% call(key, value) row(data) %}{{ key }}:{{ value }};{% endcall %}",
     {"data": {"x": 1, "y": [2]}})
case("x_call_multiline_prompt", "macros",
     "{% macro section(title) %}\n### {{ title }}\n{{ caller()|trim }}\n\n{% endmacro %}\n"
     "{% call section('Rules') %}\n  - be brief\n  - be kind\n{% endcall %}\n"
     "{% call section('Input') %}\n{{ text }}\n{% endcall %}\nEND",
     {"text": "hello"})
case("x_call_caller_too_many_args", "macros",
     "{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(a) m() %}{{ a }}{% endcall %}")
case("x_macro_varargs", "macros",
     "{% macro m(a) %}{{ a }}|{{ varargs }}|{{ varargs|length }}|{{ varargs|join(',') }}{% endmacro %}"
     "{{ m(1) }} {{ m(1, 2, 'three') }}")
case("x_macro_kwargs", "macros",
     "{% macro m(a, b=2) %}{{ a }} {{ b }} {{ kwargs }} {{ kwargs|length }}{% endmacro %}"
     "{{ m(1) }} / {{ m(1, c=3, d='x') }} / {{ m(a=0, b=1, z=none) }}")
case("x_macro_varargs_and_kwargs", "macros",
     "{% macro tag(name) %}<{{ name }}{% for k, v in kwargs|dictsort %} {{ k }}=\"{{ v }}\"{% endfor %}>"
     "{{ varargs|join(' ') }}</{{ name }}>{% endmacro %}{{ tag('p', 'hello', 'world', id='x', class_='c') }}")
case("x_macro_no_kwargs_unknown_keyword", "macros",
     "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}")
case("x_macro_multiple_values", "macros",
     "{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(1, a=2) }}")
case("x_macro_default_refers_earlier_param", "macros",
     "{% macro m(a, b=a * 2, c=a ~ '-' ~ b) %}{{ a }} {{ b }} {{ c }}{% endmacro %}{{ m(1) }} | {{ m(2, 5) }} | {{ m(3, c='z') }}")
case("x_macro_default_refers_outer_var", "macros",
     "{% set unit = 'kg' %}{% macro w(n, u=unit) %}{{ n }}{{ u }}{% endmacro %}{{ w(3) }} {{ w(4, 'lb') }}")
case("x_macro_nested_definition", "macros",
     "{% macro outer(xs) %}{% macro inner(x) %}<{{ x }}>{% endmacro %}{% for x in xs %}{{ inner(x) }}{% endfor %}{% endmacro %}"
     "{{ outer([1, 2]) }} {{ inner is defined }}")
case("x_macro_calls_macro", "macros",
     "{% macro b(x) %}**{{ x }}**{% endmacro %}{% macro line(k, v) %}{{ b(k) }}: {{ v }}{% endmacro %}"
     "{% for k, v in d.items() %}{{ line(k, v) }}\n{% endfor %}",
     {"d": {"Name": "Ann", "Age": 3}})
case("x_macro_recursion", "macros",
     "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}")
case("x_macro_properties", "macros",
     "{% macro m(a, b=1) %}{{ varargs }}{% endmacro %}{{ m.name }} {{ m.arguments }} {{ m.catch_varargs }} {{ m.catch_kwargs }} {{ m.caller }}")
case("x_macro_sees_globals_not_callers_locals", "macros",
     "{% set g = 'global' %}{% macro m() %}{{ g }}{% endmacro %}{% for g in ['loopvar'] %}{{ m() }}{% endfor %}")
case("x_macro_set_inside_does_not_leak", "macros",
     "{% set v = 1 %}{% macro m() %}{% set v = 2 %}{{ v }}{% endmacro %}{{ m() }}{{ v }}")
case("x_macro_returns_markup_safe", "macros",
     "{% macro m() %}<b>{% endmacro %}{{ m()|e }} {{ m() ~ '<' }} {{ m() is escaped }}")
case("x_macro_called_too_few_with_default", "macros",
     "{% macro m(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ m() }}")
case("x_recursive_loop_tree", "control",
     "{% for n in tree recursive %}{{ '  ' * loop.depth0 }}- {{ n.name }} (d{{ loop.depth }})\n"
     "{% if n.children %}{{ loop(n.children) }}{% endif %}{% endfor %}",
     {"tree": TREE})
case("x_recursive_loop_index_resets", "control",
     "{% for n in tree recursive %}[{{ loop.index }}/{{ loop.length }}{{ ' first' if loop.first }}{{ ' last' if loop.last }} {{ n.name }}"
     "{% if n.children %} {{ loop(n.children) }}{% endif %}]{% endfor %}",
     {"tree": TREE})
case("x_recursive_loop_missing_attr", "control",
     "{% for n in tree recursive %}{{ n.name }}{{ loop(n.children) }}{% endfor %}",
     {"tree": [{"name": "x", "children": [{"name": "y"}]}]})
case("x_recursive_loop_filter_before_recursive_required", "control",
     "{% for n in tree recursive if n.name != 'b' %}{{ n.name }}{% endfor %}",
     {"tree": TREE})
case("x_recursive_loop_filtered", "control",
     "{% for n in tree if n.name != 'b' recursive %}{{ n.name }}({{ loop.depth }}){% if n.children %}{{ loop(n.children) }}{% endif %} {% endfor %}",
     {"tree": TREE})
case("x_loop_call_without_recursive", "control",
     "{% for n in tree %}{{ loop(n.children) }}{% endfor %}", {"tree": TREE})
case("x_loop_cycle_variants", "control",
     "{% for x in range(5) %}{{ loop.cycle('a', 'b', 'c') }}{{ loop.cycle(1, 2) }}{{ loop.cycle(*pal) }} {% endfor %}",
     {"pal": ["r", "g"]})
case("x_loop_cycle_no_args", "control", "{% for x in [1] %}{{ loop.cycle() }}{% endfor %}")
case("x_loop_changed_multi_args", "control",
     "{% for r in rows %}{% if loop.changed(r.a, r.b) %}*{% endif %}{{ r.a }}{{ r.b }} {% endfor %}",
     {"rows": [{"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 2, "b": 2}, {"a": 2, "b": 2}]})
case("x_loop_changed_called_twice", "control",
     "{% for v in [1, 1, 2] %}{{ loop.changed(v) }}{{ loop.changed(v) }} {% endfor %}")
case("x_loop_previtem_nextitem_values", "control",
     "{% for x in xs %}{% if not loop.first %}{{ loop.previtem }}<{% endif %}{{ x }}{% if not loop.last %}>{{ loop.nextitem }}{% endif %} {% endfor %}",
     {"xs": ["a", "b", "c"]})
case("x_loop_length_revindex_of_filtered", "control",
     "{% for x in xs if x is odd %}{{ x }}:{{ loop.index }}/{{ loop.length }}/{{ loop.revindex }}{{ '|' if not loop.last }}{% endfor %}",
     {"xs": [1, 2, 3, 4, 5, 7]})
case("x_nested_loops_outer_loop_var", "control",
     "{% for row in grid %}{% set outer = loop %}{% for c in row %}{{ outer.index0 }}{{ loop.index0 }}{{ c }}{{ ',' if not loop.last }}"
     "{% endfor %}{{ ';' if not loop.last }}{% endfor %}",
     {"grid": [["a", "b"], ["c"], ["d", "e", "f"]]})
case("x_nested_loops_shadowing", "control",
     "{% for x in [1, 2] %}{% for x in ['a', 'b'] %}{{ x }}{% endfor %}{{ x }} {% endfor %}")
case("x_loop_var_after_loop", "control",
     "{% set x = 'before' %}{% for x in [1, 2] %}{% endfor %}{{ x }}")
case("x_loop_over_string_and_dict", "control",
     "{% for c in 'h\u00e9\U0001F600' %}[{{ c }}]{% endfor %} {% for k in d %}{{ k }}{% endfor %} {% for k, v in d|dictsort %}{{ v }}{% endfor %}",
     {"d": {"b": 1, "a": 2}})
case("x_loop_unpack_too_few", "control",
     "{% for a, b, c in rows %}{{ a }}{% endfor %}", {"rows": [[1, 2]]})
case("x_loop_unpack_too_many", "control",
     "{% for a, b in rows %}{{ a }}{% endfor %}", {"rows": [[1, 2, 3]]})
case("x_loop_unpack_nested_tuple", "control",
     "{% for i, (k, v) in pairs %}{{ i }}:{{ k }}={{ v }} {% endfor %}", {"pairs": [[1, ["a", "b"]], [2, "cd"]]})
case("x_loop_unpack_nested_target", "control",
     "{% for (a, b), c in rows %}{{ a }}{{ b }}{{ c }} {% endfor %}", {"rows": [[[1, 2], 3], [["x", "y"], "z"]]})
case("x_loop_unpack_string_pairs", "control",
     "{% for a, b in ['xy', 'zw'] %}{{ b }}{{ a }}{% endfor %}")
case("x_for_else_filtered_partial", "control",
     "{% for u in users if u.age > 100 %}{{ u.name }}{% else %}none over 100{% endfor %} / "
     "{% for u in users if u.age > 30 %}{{ u.name }}{% else %}none{% endfor %}",
     {"users": [{"name": "a", "age": 20}, {"name": "b", "age": 40}]})
case("x_for_else_loop_undefined_in_else", "control",
     "{% for x in [] %}{% else %}{{ loop is defined }}{% endfor %}")
case("x_for_over_none", "control", "{% for x in v %}{{ x }}{% endfor %}", {"v": None})
case("x_for_over_int", "control", "{% for x in 3 %}{{ x }}{% endfor %}")
case("x_print_statement", "control",
     "{% print 'a' %}|{% print x, y %}|{% print x ~ y|upper %}", {"x": "p", "y": "q"})
case("x_set_swap", "assignments",
     "{% set a, b = 1, 2 %}{% set a, b = b, a %}{{ a }} {{ b }}")
case("x_set_tuple_from_list_and_string", "assignments",
     "{% set a, b, c = xs %}{% set p, q = 'hi' %}{{ c }}{{ b }}{{ a }} {{ q }}{{ p }}", {"xs": [1, 2, 3]})
case("x_set_tuple_parenthesized", "assignments",
     "{% set (a, b) = [1, 2] %}{% set (c, d), e = [[3, 4], 5] %}{{ a }}{{ b }}{{ c }}{{ d }}{{ e }}")
case("x_set_tuple_trailing_comma", "assignments",
     "{% set t = 1, %}{% set u = 1, 2, %}{{ t }} {{ u }} {{ t|length }}")
case("x_set_unpack_mismatch", "assignments", "{% set a, b = [1, 2, 3] %}{{ a }}")
case("x_set_unpack_non_iterable", "assignments", "{% set a, b = 5 %}{{ a }}")
case("x_set_multiple_targets_values", "assignments",
     "{% set a = b = 1 %}{{ a }}")
case("x_set_namespace_attr_in_macro", "assignments",
     "{% set ns = namespace(items=[]) %}{% macro add(x) %}{% set _ = ns['items'].append(x) %}{% endmacro %}"
     "{{ add(1) }}{{ add(2) }}{{ ns['items'] }}")
case("x_set_namespace_dict_arg", "assignments",
     "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{% set ns.c = 3 %}{{ ns.c }}")
case("x_set_namespace_missing_attr", "assignments",
     "{% set ns = namespace() %}{{ ns.nope }}")
case("x_block_standalone", "control",
     "A{% block body %}[{{ x }}]{% endblock %}B{{ self.body() }}", {"x": 1})
case("x_autoescape_block", "control",
     "{% autoescape true %}{{ s }}{% endautoescape %} {{ s }} {% autoescape false %}{{ s|e }}{% endautoescape %}",
     {"s": "<a>"})
case("x_include_without_loader", "control", "before {% include 'x.txt' %} after")
case("x_if_elif_chain_with_set", "control",
     "{% if n > 5 %}{% set r = 'big' %}{% elif n > 2 %}{% set r = 'mid' %}{% else %}{% set r = 'small' %}{% endif %}{{ r }}",
     {"n": 3})

# =============================================================================================== whitespace
_WS_BODY = "a  \n  {OPEN} \n  b"
for _lm in ("", "-", "+"):
    for _rm in ("", "-", "+"):
        _ln = {"": "n", "-": "m", "+": "p"}[_lm]
        _rn = {"": "n", "-": "m", "+": "p"}[_rm]
        case(f"x_ws_if_{_ln}{_rn}", "whitespace",
             "a  \n  {%" + _lm + " if x " + _rm + "%}  \n  X  \n  {%" + _lm + " endif " + _rm + "%}  \n  b", {"x": True})
        case(f"x_ws_comment_{_ln}{_rn}", "whitespace",
             "a  \n  {#" + _lm + " note " + _rm + "#}  \n  b")
        case(f"x_ws_var_{_ln}{_rn}", "whitespace",
             "a  \n  {{" + _lm + " x " + _rm + "}}  \n  b", {"x": "X"})
        case(f"x_ws_raw_{_ln}{_rn}", "whitespace",
             "a  \n  {%" + _lm + " raw " + _rm + "%}  \n  {{ x }}  \n  {%" + _lm + " endraw " + _rm + "%}  \n  b")
# the same matrix with each tag directly followed by its newline (where trim_blocks applies)
for _lm in ("", "-", "+"):
    for _rm in ("", "-", "+"):
        _ln = {"": "n", "-": "m", "+": "p"}[_lm]
        _rn = {"": "n", "-": "m", "+": "p"}[_rm]
        case(f"x_ws_nl_if_{_ln}{_rn}", "whitespace",
             "a\n  {%" + _lm + " if x " + _rm + "%}\n  X\n  {%" + _lm + " endif " + _rm + "%}\nb", {"x": True})
        case(f"x_ws_nl_comment_{_ln}{_rn}", "whitespace",
             "a\n  {#" + _lm + " note " + _rm + "#}\nb")
        if _rm != "+":
            case(f"x_ws_nl_var_{_ln}{_rn}", "whitespace",
                 "a\n  {{" + _lm + " x " + _rm + "}}\nb", {"x": "X"})
            case(f"x_ws_nl_raw_{_ln}{_rn}", "whitespace",
                 "a\n  {%" + _lm + " raw " + _rm + "%}\n  {{ x }}\n  {%" + _lm + " endraw " + _rm + "%}\nb")
        case(f"x_ws_nl_for_{_ln}{_rn}", "whitespace",
             "<ul>\n  {%" + _lm + " for i in xs " + _rm + "%}\n  <li>{{ i }}</li>\n  {%" + _lm + " endfor " + _rm + "%}\n</ul>",
             {"xs": [1, 2]})
case("x_ws_tabs_before_tags", "whitespace",
     "Start\n\t{% if x %}\n\tyes\n\t  {% endif %}\n \t{# c #}\n\t{{ x }}\nEnd", {"x": 1})
case("x_ws_tab_then_text_then_tag", "whitespace",
     "\tval {% if x %}\n\tin\n\t{% endif %}\n", {"x": 1})
case("x_ws_trim_blocks_end_of_template", "whitespace",
     "a\n{% if x %}b{% endif %}", {"x": True})
case("x_ws_trim_blocks_end_newline", "whitespace",
     "a\n{% if x %}b\n{% endif %}\n", {"x": True})
case("x_ws_set_only_template", "whitespace", "{% set x = 1 %}\n{% set y = 2 %}\n")
case("x_ws_comment_at_end", "whitespace", "text\n{# c #}\n")
case("x_ws_several_trailing_newlines", "whitespace", "x{{ y }}\n\n\n", {"y": 1})
case("x_ws_only_newlines", "whitespace", "\n\n")
case("x_ws_single_newline", "whitespace", "\n")
case("x_ws_trailing_crlf_pair", "whitespace", "x\r\n\r\n")
case("x_ws_trailing_cr", "whitespace", "x\r")
case("x_ws_cr_lf_mix", "whitespace",
     "a\rb\n{% if x %}\r\nc\r{% endif %}\rd\n\re", {"x": True})
case("x_ws_crlf_in_raw_and_string", "whitespace",
     "{% raw %}\r\nr1\r\nr2{% endraw %}|{{ 'p\r\nq\rr' }}|{{ v }}", {"v": "keep\r\nthis\r"})
case("x_ws_crlf_with_dash", "whitespace",
     "a\r\n  {%- if x -%}\r\n  b\r\n  {%- endif -%}\r\n  c", {"x": True})
case("x_ws_lstrip_endraw", "whitespace",
     "{% raw %}\n  x\n  {% endraw %}\nafter")
case("x_ws_lstrip_comment_multiline", "whitespace",
     "a\n    {# one\n  two #}\nb")
case("x_ws_dash_strips_multiple_lines", "whitespace",
     "a\n\n\n   {{- x -}}\n\n\n   b", {"x": "X"})
case("x_ws_plus_var_start", "whitespace",
     "a\n  {{+ x }}\nb", {"x": "X"})
case("x_ws_plus_lstrip_for_loop", "whitespace",
     "<ul>\n  {%+ for i in xs %}\n  <li>{{ i }}</li>\n  {%+ endfor %}\n</ul>", {"xs": [1, 2]})
case("x_ws_else_elif_lines", "whitespace",
     "{% for v in vs %}\n  {% if v == 1 %}\n  one\n  {% elif v == 2 %}\n  two\n  {% else %}\n  other\n  {% endif %}\n{% endfor %}\n",
     {"vs": [1, 2, 3]})
case("x_ws_macro_definition_lines", "whitespace",
     "{% macro m(x) %}\n  <{{ x }}>\n{% endmacro %}\n\n{{ m(1) }}\n{{ m(2) }}\n")
case("x_ws_inline_tags_multiple_per_line", "whitespace",
     "  {% if a %}A{% endif %}  {% if b %}B{% endif %}\n  next", {"a": 1, "b": 1})
case("x_ws_tag_after_expression_on_line", "whitespace",
     "  {{ v }} {% if v %}\nyes\n{% endif %}", {"v": 1})
case("x_ws_unicode_space_before_tag", "whitespace",
     "a\n\u00a0 {% if x %}\nb\n{% endif %}", {"x": 1})
case("x_ws_form_feed_vtab_in_template", "whitespace",
     "a\x0c{{ x }}\x0b\n{% if x %}\x0c\n{% endif %}b", {"x": 1})
case("x_ws_comment_dash_in_middle", "whitespace", "a {#- x -#} b {#- y #}c{# z -#}  d")
case("x_ws_whitespace_inside_tags", "whitespace",
     "{%if x%}A{%endif%}{{x}}{%  if   x  %}B{%   endif   %}{{\n x \n}}", {"x": 1})

# =============================================================================================== expressions
case("x_expr_bool_arith", "expressions",
     "{{ true + 1 }} {{ true + true }} {{ false * 5 }} {{ true / 2 }} {{ -true }} {{ true // 2 }} {{ 2 ** true }} "
     "{{ (1 == 1) + (2 == 2) }} {{ 1.5 + true }} {{ 'ab' * true }} {{ [0] * 2 }}")
case("x_expr_int_float_mix", "expressions",
     "{{ 1 + 2.0 }} {{ 3 * 1.5 }} {{ 10 - 2.5 }} {{ 4 / 2 }} {{ 4.0 // 3 }} {{ 2 * 0.1 }} {{ 3 * 0.1 }} {{ 1e3 + 1 }} {{ 1.0 * 10 }}")
case("x_expr_negative_floordiv_mod_int", "expressions",
     "{{ -7 // 2 }} {{ 7 // -2 }} {{ -7 // -2 }} {{ -7 % 2 }} {{ 7 % -2 }} {{ -7 % -2 }} {{ -1 // 10 }} {{ -10 % 3 }} {{ 6 % -3 }}")
case("x_expr_negative_floordiv_mod_float", "expressions",
     "{{ -7.5 // 2 }} {{ -7.5 % 2 }} {{ 7.5 % -2 }} {{ -7 // 2.0 }} {{ -6 // 3.0 }} {{ 0.0 // -1 }} {{ -0.0 % 5 }} "
     "{{ 6 % -3.0 }} {{ -6 % 3.0 }} {{ -1 % 3.0 }} {{ 5.5 // -0.5 }} {{ 1e300 * 1e10 }} {{ -1e300 * 1e10 }}")
case("x_expr_float_mod_precision", "expressions",
     "{{ 0.3 % 0.1 }} {{ 1.1 % 1 }} {{ -0.3 % 0.1 }} {{ 7 % 2.5 }} {{ 10 // 0.1 }} {{ 1 // 0.1 }}")
case("x_expr_power_variants", "expressions",
     "{{ 2 ** -2 }} {{ 2.0 ** 3 }} {{ 4 ** 0.5 }} {{ (-2) ** 3 }} {{ (-2) ** -1 }} {{ 0 ** 0 }} {{ 0.0 ** 0 }} "
     "{{ 10 ** 20 }} {{ 10 ** 20.0 }} {{ 2 ** 0.5 }} {{ (-8) ** 2.0 }} {{ 1.1 ** 2 }} {{ 2 ** 64 }} {{ 3 ** -1 }}")
case("x_expr_power_zero_negative", "expressions", "{{ 0 ** -1 }}")
case("x_expr_big_int_arith", "expressions",
     "{{ a * a }} {{ a // 7 }} {{ a % 7 }} {{ -a // 2 }} {{ a / 3 }} {{ a - a }} {{ 2 ** 63 // 3 }} {{ -(2 ** 63) }} "
     "{{ (2 ** 64) % 1000 }} {{ (2 ** 64) * 1.5 }} {{ (10 ** 25)|float }}",
     {"a": 123456789012345678901234567890})
case("x_expr_big_int_vs_float_exact", "expressions",
     "{{ big == bigf }} {{ big > bigf }} {{ big + 0.0 }} {{ big - 1 == bigf }} {{ big|float }} {{ bigf|int }} {{ big in [bigf] }}",
     {"big": 9007199254740993, "bigf": 9007199254740992.0})
case("x_expr_int_float_equal_hash", "expressions",
     "{{ 1 == 1.0 }} {{ 1.0 in [1] }} {{ [1, 1.0, true]|unique|list }} {{ {1: 'a', 1.0: 'b', true: 'c'} }} {{ 2.0 in {2: 'x'} }}")
case("x_expr_string_percent_operator", "expressions",
     "{{ '%s-%s' % (1, 2) }} {{ '%d%%' % 50 }} {{ '%.2f' % 3.14159 }} {{ '%5s|' % 'ab' }} {{ '%-5s|' % 'ab' }} "
     "{{ '%(a)s/%(b)d' % {'a': 'x', 'b': 2} }} {{ '%x %X %o' % (255, 255, 8) }} {{ '%r' % 'q' }} {{ '%s' % [1, 'a'] }} "
     "{{ '%e' % 12345.678 }} {{ '%g' % 0.00001234 }} {{ '%+d' % 5 }} {{ '%05.1f' % 2.25 }} {{ '%c' % 65 }}")
case("x_expr_string_percent_single_value", "expressions",
     "{{ 'n=%s' % n }} {{ 'v=%s' % none }} {{ 'x=%s' % (xs,) }} {{ '%s' % 1.0 }} {{ '%i' % 3.9 }} {{ 'xs=%s' % xs }}",
     {"n": 5, "xs": [1, 2], "pair": ["a", "b"]})
case("x_expr_string_percent_too_few", "expressions", "{{ '%s %s' % 'a' }}")
case("x_expr_string_percent_list_is_one_arg", "expressions", "{{ '%s and %s' % pair }}", {"pair": ["a", "b"]})
case("x_expr_string_percent_not_all_converted", "expressions", "{{ 'a' % 'b' }}")
case("x_expr_string_percent_bad_type", "expressions", "{{ '%d' % 'x' }}")
case("x_expr_in_variants", "expressions",
     "{{ 'b' in 'abc' }} {{ 'ac' in 'abc' }} {{ 2 in (1, 2) }} {{ (1, 2) in [(1, 2)] }} {{ [1, 2] in [[1, 2]] }} "
     "{{ 'k' in {'k': 1} }} {{ 1 in {'k': 1} }} {{ 'x' not in 'xyz' }} {{ none in [none] }} {{ 1 in [true] }} {{ '' in '' }}")
case("x_expr_in_int_in_string_error", "expressions", "{{ 1 in 'abc' }}")
case("x_expr_in_undefined_container", "expressions", "{{ 'a' in missing }}")
case("x_expr_compare_lists_tuples", "expressions",
     "{{ [1, 2] < [1, 2, 3] }} {{ (1, 2) == (1, 2) }} {{ [1, 2] == (1, 2) }} {{ (1, 'a') < (1, 'b') }} {{ [2] > [1, 9] }} "
     "{{ [] < [0] }} {{ ['a'] <= ['a'] }} {{ (1,) != [1] }} {{ {'a': 1} == {'a': 1.0} }} {{ 'abc' < 'abd' }} {{ 'B' < 'a' }}")
case("x_expr_compare_list_with_int_error", "expressions", "{{ [1] < 1 }}")
case("x_expr_compare_none_error", "expressions", "{{ none < 1 }}")
case("x_expr_chained_compare_in", "expressions",
     "{{ 'a' in 'abc' == true }} {{ 1 < 2 in [2] }} {{ 1 < 2 in [3] }} {{ 'a' in 'ab' in 'abc' }} {{ 1 == 1 != 2 }} "
     "{{ 3 > 2 > 1 }} {{ 1 < 3 > 2 }} {{ 5 not in [1] != false }}")
case("x_expr_not_precedence", "expressions",
     "{{ not 1 == 2 }} {{ not 'a' in 'abc' }} {{ 'a' not in 'abc' }} {{ not not 0 }} {{ not (true and false) or 0 }} {{ not [] }}")
case("x_expr_and_or_precedence", "expressions",
     "{{ 1 or 2 and 0 }} {{ (1 or 2) and 0 }} {{ 0 or none or [] }} {{ 1 and 'x' or 'y' }} {{ 0 and 'x' or 'y' }}")
case("x_expr_unary_ops", "expressions",
     "{{ -x }} {{ +x }} {{ - -x }} {{ -f }} {{ +f }} {{ -0.0 }} {{ -(-0.0) }} {{ -n|abs }} {{ (-n)|abs }}",
     {"x": 5, "f": 2.5, "n": 3})
case("x_expr_unary_minus_string_error", "expressions", "{{ -s }}", {"s": "x"})
case("x_expr_slicing_emoji", "expressions",
     "[{{ s[::-1] }}] [{{ s[1::2] }}] [{{ s[-3:-1] }}] [{{ s[::-2] }}] [{{ s[2] }}] [{{ s[-1] }}] [{{ s[1:-1] }}] [{{ s|length }}] [{{ s[10:20] }}]",
     {"s": "a\U0001F600b\u00e9\U0001F680c"})
case("x_expr_slicing_lists_steps", "expressions",
     "{{ xs[::2] }} {{ xs[::-2] }} {{ xs[-2::-1] }} {{ xs[1:5:3] }} {{ xs[5:1:-2] }} {{ xs[-100:100] }} {{ xs[3:1] }} "
     "{{ xs[:-1] }} {{ xs[::3]|sum }}",
     {"xs": [0, 1, 2, 3, 4, 5, 6]})
case("x_expr_slice_step_zero", "expressions", "{{ xs[::0] }}", {"xs": [1, 2]})
case("x_expr_slice_with_none_and_vars", "expressions",
     "{{ xs[none:2] }} {{ xs[i:j] }} {{ s[i:] }} {{ xs[:n - 1] }}", {"xs": [1, 2, 3, 4], "i": 1, "j": 3, "s": "hello", "n": 2})
case("x_expr_index_string_negative_out_of_range", "expressions", "{{ s[-10] }}", {"s": "abc"})
case("x_expr_index_float_error", "expressions", "{{ xs[1.0] }}", {"xs": [1, 2]})
case("x_expr_tuple_literals", "expressions",
     "{{ (1,) }} {{ () }} {{ (1, 2) }} {{ ((),) }} {{ (1, (2, 3)) }} {{ ('a',)|length }} {{ (1, 2)[1] }} {{ (1, 2) + (3,) }} {{ (1,) * 3 }}")
case("x_expr_list_concat_repeat", "expressions",
     "{{ [1] + [2, 3] }} {{ [1, 2] * 2 }} {{ 2 * ['a'] }} {{ 'ab' * 3 }} {{ 3 * 'x' }} {{ 'x' * 0 }} {{ 'x' * -1 }} {{ [] * 5 }}")
case("x_expr_list_plus_tuple_error", "expressions", "{{ [1] + (2,) }}")
case("x_expr_dict_int_keys", "expressions",
     "{% set d = {1: 'one', 2: 'two', 'three': 3} %}{{ d }} {{ d[1] }} {{ d['three'] }} {{ d.get(2) }} {{ {true: 1, none: 2, 1.5: 3} }} "
     "{{ {(1, 2): 'pair'} }}")
case("x_expr_dict_missing_int_key", "expressions", "{% set d = {1: 'one'} %}{{ d[2] }}")
case("x_expr_dict_duplicate_keys", "expressions", "{{ {'a': 1, 'b': 2, 'a': 3} }}")
case("x_expr_string_escapes", "expressions",
     "{{ '\\x41\\u00e9\\U0001F600' }}|{{ 'a\\tb' }}|{{ '\\101' }}|{{ '\\q' }}|{{ \"d\\\"q\" }}|{{ '\\N{BULLET}' }}|{{ 'back\\\\' }}|{{ '\\'' }}")
case("x_expr_string_escape_repr", "expressions",
     "{{ ['\\x00', '\\x1b', '\\x7f', '\\r', '\\\\'] }}")
case("x_expr_adjacent_string_literals", "expressions", "{{ 'a' 'b' \"c\" }}")
case("x_expr_number_literals", "expressions",
     "{{ 0x1F }} {{ 0b101 }} {{ 0o17 }} {{ 1_000_000 }} {{ 1e3 }} {{ 1E-2 }} {{ 1_0.5 }} {{ 0 }} {{ 00 }} {{ 1.5e+3 }} {{ 0.0 }}")
case("x_expr_number_literal_leading_dot", "expressions", "{{ .5 }}")
case("x_expr_number_literal_trailing_dot", "expressions", "{{ 1. }}")
case("x_expr_number_literal_leading_zero", "expressions", "{{ 007 }}")
case("x_expr_attr_digit_index", "expressions",
     "{{ xs.0 }} {{ xs.1.name }} {{ d.x.0 }}", {"xs": ["a", {"name": "n"}], "d": {"x": [9]}})
case("x_expr_literal_true_case_variants", "expressions",
     "{{ True }} {{ TRUE is defined }} {{ False }} {{ None }} {{ none is none }}")
case("x_expr_tilde_types", "expressions",
     "{{ 1 ~ 2 }} {{ 1.0 ~ '' }} {{ none ~ 'x' }} {{ [1] ~ (2,) }} {{ {'a': 1} ~ '' }} {{ true ~ false }} {{ ('x' ~ 1)|length }}")
case("x_expr_inline_if_nesting", "expressions",
     "{{ 'a' if x else 'b' if y else 'c' }} {{ ('a' if x else 'b') if y else 'c' }} {{ x if x else 'none' }} {{ [1, 2] if x }}",
     {"x": 0, "y": 1})
case("x_expr_inline_if_undefined_else_branch", "expressions",
     "{{ 'ok' if flag else missing }}", {"flag": True})
case("x_expr_filter_on_literal_precedence", "expressions",
     "{{ -1|abs }} {{ (-1)|abs }} {{ 'a' ~ 'b'|upper }} {{ ('a' ~ 'b')|upper }} {{ 2 * 3|string }}")
case("x_expr_filter_binds_before_plus", "expressions", "{{ 1 + 2|string }}")
case("x_expr_test_precedence", "expressions",
     "{{ 3 is odd and 4 is even }} {{ not 3 is odd }} {{ 1 + 2 is odd }} {{ -3 is odd }} {{ 'x' is string or 1 }}")
case("x_expr_call_on_literals", "expressions",
     "{{ 'a,b'.split(',') }} {{ [3, 1, 2]|sort }} {{ {'a': 1}.items()|list }} {{ 'x'.upper() ~ 'y'.upper() }} {{ (1, 2).count(1) }}")
case("x_expr_list_comparison_mixed_types_equal", "expressions",
     "{{ [1, 'a'] == [1, 'a'] }} {{ [1, 'a'] != [1, 'b'] }} {{ 'a' == ['a'] }} {{ none == 0 }} {{ false == 0 }} {{ '' == none }}")

# =============================================================================================== values
case("x_val_tuples_and_empty", "values",
     "{{ t }} {{ [[], {}, ()] }} {{ {'a': [], 'b': {}, 'c': ()} }} {{ [[[]]] }} {{ e }} {{ el }} {{ ed }} {{ [none, true, 1.0] }}",
     {"t": [1, 2], "e": "", "el": [], "ed": {}})
case("x_val_floats_str", "values",
     "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ g }} {{ h }} {{ i }} {{ j }} {{ k }}",
     {"a": 1e22, "b": 1.5e-10, "c": 123456789.123, "d": -1e-7, "e": 12345678901234567.0, "f": 0.000123,
      "g": 0.0001, "h": 5e-324, "i": 1.7976931348623157e308, "j": 1e16, "k": 9999999999999998.0})
case("x_val_floats_in_list_repr", "values",
     "{{ xs }} {{ {'v': 1e22} }}", {"xs": [1e22, 1.5e-10, 123456789.123, -1e-7, 0.1, 100.0, 1e-4]})
case("x_val_float_arith_results", "values",
     "{{ 1 / 7 }} {{ 100 / 3 }} {{ 2 ** 0.5 }} {{ 1e16 + 1 }} {{ 0.1 * 0.1 }} {{ 1 / 3 * 3 }} {{ 9.95 * 10 }} {{ 1.15 * 100 }} {{ 4.35 * 100 }}")
case("x_val_inf_nan", "values",
     "{{ 'inf'|float }} {{ '-inf'|float }} {{ 'nan'|float }} {{ ['inf'|float] }} {{ '1e400'|float }} {{ 'Infinity'|float > 1 }} "
     "{{ ('nan'|float) == ('nan'|float) }} {{ ('inf'|float) * 0 }} {{ -('inf'|float) }}")
case("x_val_big_ints", "values",
     "{{ a }} {{ b }} {{ [a, b] }} {{ a|string|length }} {{ -a }} {{ a * 0 }} {{ {'k': b} }}",
     {"a": 18446744073709551616, "b": -123456789012345678901234567890})
case("x_val_unicode_repr_edge_cases", "values",
     "{{ xs }}",
     {"xs": ["\x00", "\x07", "\x1b[0m", "\x7f", "\x80", "\x85", "\x9f", "\xa0", "\xad", "e\u0301", "\u0301",
             "\u2028", "\u200e", "\ufeff", "\ue000", "\U0001F1FA\U0001F1F8", "\U000E0001", "\u3000", "\uffff", "\U0010FFFF"]})
case("x_val_unicode_repr_quotes_and_backslash", "values",
     "{{ xs }}", {"xs": ["'", "\"", "'\"", "\\", "\\'", "a\\nb", "\t\n\r"]})
case("x_val_markup_in_list", "values",
     "{{ [s|e] }} {{ [s|safe, 'plain'] }} {{ {'k': s|e} }} {{ (s|e,) }}", {"s": "<b>it's</b>"})
case("x_val_markup_repr_quotes", "values",
     "{{ [q|e] }} {{ [dq|safe] }}", {"q": "it's", "dq": "say \"hi\""})
case("x_val_dict_views", "values",
     "{{ d.keys() }} {{ d.values() }} {{ d.items() }} {{ {}.keys() }} {{ d.keys()|length }} {{ 'a' in d.values() }}",
     {"d": {"a": 1, "b": "a"}})
case("x_val_nested_repr_in_string_concat", "values",
     "{{ 'L=' ~ xs }} {{ 'D=' ~ d }} {{ xs|string }}", {"xs": [1, "a", None], "d": {"k": [True, 1.5]}})
case("x_val_range_repr", "values",
     "{{ range(3) }} {{ range(1, 5, 2) }} {{ range(0) }} {{ range(3)|list }} {{ range(10)[2] }} {{ range(10)[2:5] }} {{ range(5)|length }}")
case("x_val_namespace_repr", "values",
     "{% set ns = namespace(a=1, b='x') %}{{ ns }}")
case("x_val_undefined_in_inline_if_printed_inside_list", "values",
     "{{ [('x' if false)] }}")
case("x_val_negative_zero_and_ints", "values",
     "{{ -0 }} {{ 0 * -1 }} {{ 0.0 * -1 }} {{ -0.0 + 0 }} {{ [-0.0] }} {{ -0.0 == 0 }} {{ (-0.0)|string }}")
case("x_val_json_int_vs_float", "values",
     "{{ a }} {{ b }} {{ a == b }} {{ a is integer }} {{ b is float }} {{ c }} {{ c * 2 }}",
     {"a": 3, "b": 3.0, "c": 1e2})

# =============================================================================================== filters
case("x_flt_list", "filters_list",
     "{{ 'abc'|list }} {{ d|list }} {{ (1, 2)|list }} {{ range(3)|list }} {{ xs|list }} {{ '\U0001F600\u00e9'|list }} {{ d.items()|list }}",
     {"d": {"x": 1, "y": 2}, "xs": [1]})
case("x_flt_list_of_int_error", "filters_list", "{{ 5|list }}")
case("x_flt_batch_fill", "filters_list",
     "{{ xs|batch(3, 'X')|list }} {{ xs|batch(4)|list }} {{ xs|batch(7, 0)|list }} {{ []|batch(2)|list }} {{ xs|batch(1)|list|length }} "
     "{{ 'abcde'|batch(2)|list }} {{ xs|batch(2, none)|list }}",
     {"xs": [1, 2, 3, 4, 5]})
case("x_flt_batch_zero", "filters_list", "{{ [1, 2, 3]|batch(0)|list }}")
case("x_flt_batch_table", "filters_list",
     "{% for row in items|batch(2, '&nbsp;') %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>\n{% endfor %}",
     {"items": ["a", "b", "c"]})
case("x_flt_slice_fill", "filters_list",
     "{{ xs|slice(3)|list }} {{ xs|slice(3, 'X')|list }} {{ xs|slice(2, 0)|list }} {{ xs|slice(8)|list }} {{ xs|slice(8, '-')|list }} "
     "{{ []|slice(2)|list }} {{ 'abcde'|slice(2)|list }}",
     {"xs": [1, 2, 3, 4, 5, 6, 7]})
case("x_flt_slice_zero", "filters_list", "{{ [1, 2]|slice(0)|list }}")
case("x_flt_dictsort_variants", "filters_list",
     "{{ d|dictsort(false, 'value') }} {{ d|dictsort(by='value', reverse=true) }} {{ d|dictsort(case_sensitive=true) }} "
     "{{ d|dictsort(true, 'key', true) }} {{ n|dictsort }} {{ n|dictsort(by='value') }}",
     {"d": {"b": "x", "A": "Y", "c": "z", "a": "X"}, "n": {"k1": 3, "k2": 1.5, "k3": -1}})
case("x_flt_dictsort_bad_by", "filters_list", "{{ {'a': 1}|dictsort(by='size') }}")
case("x_flt_dictsort_mixed_types_error", "filters_list", "{{ d|dictsort(by='value') }}", {"d": {"a": 1, "b": "x"}})
case("x_flt_dictsort_loop", "filters_list",
     "{% for k, v in d|dictsort %}{{ k }}={{ v }};{% endfor %}", {"d": {"zeta": 1, "Alpha": 2, "beta": 3}})
case("x_flt_groupby_default", "filters_list",
     "{% for g, items in rows|groupby('team', default='none') %}{{ g }}:{{ items|map(attribute='n')|join(',') }} {% endfor %}",
     {"rows": [{"n": 1, "team": "b"}, {"n": 2}, {"n": 3, "team": "a"}, {"n": 4, "team": "b"}]})
case("x_flt_groupby_missing_no_default", "filters_list",
     "{% for g in rows|groupby('team') %}{{ g.grouper }}{% endfor %}", {"rows": [{"n": 1, "team": "b"}, {"n": 2}]})
case("x_flt_groupby_case_sensitive_and_dotted", "filters_list",
     "{% for g in rows|groupby('meta.lang') %}{{ g.grouper }}={{ g.list|length }} {% endfor %}| "
     "{% for g in rows|groupby('meta.lang', case_sensitive=true) %}{{ g.grouper }}={{ g.list|length }} {% endfor %}| "
     "{% for g in rows|groupby('meta.lang') %}{{ g }} {% endfor %}",
     {"rows": [{"meta": {"lang": "en"}}, {"meta": {"lang": "EN"}}, {"meta": {"lang": "de"}}]})
case("x_flt_groupby_int_keys_and_index", "filters_list",
     "{% for g in rows|groupby('0') %}{{ g.grouper }}:{{ g.list }} {% endfor %}|{{ people|groupby('age')|map(attribute='grouper')|list }}",
     {"rows": [[1, "a"], [2, "b"], [1, "c"]], "people": [{"age": 30}, {"age": 25}, {"age": 30}]})
case("x_flt_map_with_filter_args", "filters_list",
     "{{ fs|map('round', 1)|list }} {{ ss|map('truncate', 5, true, '')|list }} {{ ss|map('default', 'x')|list }} "
     "{{ ns|map('int')|sum }} {{ ss|map('length')|list }} {{ ss|map('center', 6)|join('|') }} {{ fs|map('int')|list }} "
     "{{ ss|map('format')|list }}",
     {"fs": [1.25, 2.35, -0.05], "ss": ["abcdefgh", "xy", ""], "ns": ["1", "2", "x"]})
case("x_flt_map_attribute_nested_and_default", "filters_list",
     "{{ rows|map(attribute='a.b')|list }} {{ rows|map(attribute='a.c', default=0)|list }} {{ rows|map(attribute='0')|list }}",
     {"rows": [{"a": {"b": 1, "c": 5}, "0": "zero"}, {"a": {"b": 2}, "0": "z"}]})
case("x_flt_map_unknown_filter", "filters_list", "{{ xs|map('shout')|list }}", {"xs": [1]})
case("x_flt_map_missing_attribute", "filters_list", "{{ rows|map(attribute='x')|list }}", {"rows": [{"y": 1}]})
case("x_flt_select_every_test_1", "filters_list",
     "{{ xs|select('defined')|list|length }} {{ xs|select('none')|list }} {{ xs|select('boolean')|list }} {{ xs|select('false')|list }} "
     "{{ xs|select('true')|list }} {{ xs|select('integer')|list }} {{ xs|select('float')|list }} {{ xs|select('number')|list }} "
     "{{ xs|select('string')|list }} {{ xs|select('mapping')|list }} {{ xs|select('iterable')|list }} {{ xs|select('sequence')|list }}",
     {"xs": [None, True, False, 0, 1, 2.5, "", "s", "UP", [], [1], {}, {"k": 1}]})
case("x_flt_select_every_test_2", "filters_list",
     "{{ ns|select('even')|list }} {{ ns|select('odd')|list }} {{ ns|select('divisibleby', 3)|list }} {{ ns|select('lt', 3)|list }} "
     "{{ ns|select('le', 3)|list }} {{ ns|select('ge', 4)|list }} {{ ns|select('ne', 2)|list }} {{ ns|select('==', 2)|list }} "
     "{{ ns|select('>', 4)|list }} {{ ns|select('!=', 1)|list }} {{ ns|select('greaterthan', 5)|list }} {{ ns|select('lessthan', 1)|list }} "
     "{{ ss|select('lower')|list }} {{ ss|select('upper')|list }} {{ ss|select('in', 'abcXY')|list }} {{ ss|select('sameas', 'a')|list }} "
     "{{ ns|select('undefined')|list }} {{ ss|select('escaped')|list }} {{ ss|select('callable')|list }} {{ ss|select('filter')|list }} "
     "{{ ss|select('test')|list }}",
     {"ns": [0, 1, 2, 3, 4, 5, 6], "ss": ["a", "XY", "Mx", "b", "upper", "lower", "odd"]})
case("x_flt_reject_every_test", "filters_list",
     "{{ xs|reject('none')|list }} {{ xs|reject('string')|list }} {{ xs|reject('number')|list }} {{ xs|reject|list }} "
     "{{ xs|reject('sameas', false)|list }} {{ xs|reject('in', [0, ''])|list }} {{ xs|reject('eq', 0)|list }} {{ xs|reject('iterable')|list }}",
     {"xs": [None, True, False, 0, 1.5, "", "s", [0]]})
case("x_flt_select_with_numbers_gt_on_mixed_error", "filters_list",
     "{{ xs|select('gt', 1)|list }}", {"xs": [1, "a"]})
case("x_flt_select_unknown_test", "filters_list", "{{ xs|select('prime')|list }}", {"xs": [1]})
case("x_flt_selectattr_tests", "filters_list",
     "{{ rows|selectattr('v', 'none')|map(attribute='n')|list }} {{ rows|rejectattr('v', 'none')|map(attribute='n')|list }} "
     "{{ rows|selectattr('v', 'string')|map(attribute='n')|list }} {{ rows|selectattr('v', 'in', [1, 'x'])|map(attribute='n')|list }} "
     "{{ rows|selectattr('v')|map(attribute='n')|list }} {{ rows|selectattr('meta.ok')|map(attribute='n')|list }}",
     {"rows": [{"n": 1, "v": None, "meta": {"ok": True}}, {"n": 2, "v": "x", "meta": {"ok": False}},
               {"n": 3, "v": 1, "meta": {"ok": 1}}, {"n": 4, "v": 0, "meta": {"ok": ""}}]})
case("x_flt_sum_attribute", "filters_list",
     "{{ rows|sum(attribute='n') }} {{ rows|sum(attribute='f') }} {{ rows|sum(attribute='n', start=10) }} {{ rows|sum(attribute='m.x') }} "
     "{{ [[1], [2]]|sum(start=[]) }} {{ [0.1, 0.2, 0.3]|sum }} {{ [true, true]|sum }} {{ [big, 1]|sum }}",
     {"rows": [{"n": 1, "f": 0.5, "m": {"x": 2}}, {"n": 2, "f": 0.25, "m": {"x": 3}}], "big": 9007199254740993})
case("x_flt_sum_missing_attribute", "filters_list", "{{ rows|sum(attribute='n') }}", {"rows": [{"n": 1}, {"m": 2}]})
case("x_flt_min_max_attribute", "filters_list",
     "{{ rows|min(attribute='age') }} {{ rows|max(attribute='age') }} {{ rows|max(attribute='name') }} "
     "{{ rows|min(attribute='name', case_sensitive=true) }} {{ (rows|max(attribute='age')).name }} {{ [1, 2.5, -1]|max }} "
     "{{ ['b', 'A']|min }} {{ ['b', 'A']|min(case_sensitive=true) }} {{ 'hello'|max }}",
     {"rows": [{"name": "bob", "age": 30}, {"name": "Al", "age": 25}, {"name": "cy", "age": 30}]})
case("x_flt_min_mixed_error", "filters_list", "{{ [1, 'a']|min }}")
case("x_flt_max_of_empty", "filters_list", "{{ []|max }}")
case("x_flt_unique_attribute", "filters_list",
     "{{ rows|unique(attribute='k')|map(attribute='v')|list }} {{ rows|unique(attribute='k', case_sensitive=true)|map(attribute='v')|list }} "
     "{{ [1, 2, 1.0, '1']|unique|list }} {{ ['a', 'A', 'b']|unique|list }} {{ 'hello'|unique|list }}",
     {"rows": [{"k": "a", "v": 1}, {"k": "A", "v": 2}, {"k": "b", "v": 3}, {"k": "a", "v": 4}]})
case("x_flt_unique_unhashable", "filters_list", "{{ [[1], [1]]|unique|list }}")
case("x_flt_xmlattr", "filters_text",
     "<div{{ a|xmlattr }}>|<p {{ a|xmlattr(false) }}>|{{ {'x': 1, 'y': true, 'z': 1.5}|xmlattr }}|[{{ {}|xmlattr }}]|{{ {'n': none}|xmlattr }}",
     {"a": {"class": "a b", "id": "x", "missing": None, "data-x": "<&>\"'", "title": "caf\u00e9"}})
case("x_flt_filesizeformat", "filters_number",
     "{{ 0|filesizeformat }} {{ 1|filesizeformat }} {{ 999|filesizeformat }} {{ 1000|filesizeformat }} {{ 1024|filesizeformat }} "
     "{{ 1500|filesizeformat }} {{ 1000000|filesizeformat }} {{ 1234567890|filesizeformat }} {{ 1e30|filesizeformat }} "
     "{{ '2048'|filesizeformat }} {{ 1.5|filesizeformat }} {{ -5000|filesizeformat }}")
case("x_flt_filesizeformat_binary", "filters_number",
     "{{ 1|filesizeformat(true) }} {{ 1023|filesizeformat(true) }} {{ 1024|filesizeformat(true) }} {{ 1536|filesizeformat(true) }} "
     "{{ 1048576|filesizeformat(binary=true) }} {{ (10**12)|filesizeformat(true) }} {{ (2**90)|filesizeformat(true) }} {{ (2**80)|filesizeformat }}")
case("x_flt_filesizeformat_binds_tighter_than_pow", "filters_number", "{{ 10**12|filesizeformat(true) }}")
case("x_flt_filesizeformat_string_error", "filters_number", "{{ 'big'|filesizeformat }}")
case("x_flt_pprint_simple", "filters_format",
     "{{ 'x'|pprint }} {{ none|pprint }} {{ 1.0|pprint }} {{ [1, 'a']|pprint }} {{ {'b': 1, 'a': 2}|pprint }} {{ (1,)|pprint }} "
     "{{ \"it's\"|pprint }} {{ true|pprint }} {{ {}|pprint }}")
case("x_flt_pprint_long_wraps", "filters_format",
     "{{ xs|pprint }}\n{{ d|pprint }}",
     {"xs": ["item number %d" % i for i in range(8)], "d": {"z": list(range(30)), "a": "short", "m": {"k": "v" * 70}}})
case("x_flt_tojson_nested_unicode_floats", "filters_format",
     "{{ d|tojson }}",
     {"d": {"u": "caf\u00e9 \U0001F600 \u2028", "f": [1.0, 1e16, 1e22, 1.5e-10, -0.0, 0.1, 123456789.123],
            "big": 123456789012345678901234567890, "nest": {"l": [[], {}, [None, True]], "s": "</script>"}}})
case("x_flt_tojson_literals_and_tuples", "filters_format",
     "{{ (1, 2)|tojson }} {{ 'x'|tojson }} {{ none|tojson }} {{ 1.5|tojson }} {{ ('inf'|float)|tojson }} {{ s|e|tojson }} "
     "{{ {1: 'a', 2: 'b'}|tojson }} {{ \"a'b\"|tojson }} {{ 'tab\\there\\n'|tojson }} {{ '\\x00\\x1f\\x7f'|tojson }}",
     {"s": "<x>"})
case("x_flt_tojson_indent_nested", "filters_format",
     "{{ d|tojson(2) }}\n{{ []|tojson(indent=4) }} {{ {}|tojson(indent=1) }} {{ [1]|tojson(indent=0) }}",
     {"d": {"b": [1, {"c": []}], "a": {"x": None}}})
case("x_flt_tojson_mixed_keys_error", "filters_format", "{{ {1: 'a', 'b': 2}|tojson }}")
case("x_flt_yaml_nested", "filters_format",
     "{{ d|yaml }}",
     {"d": {"level1": {"level2": {"level3": [1, {"k": "v"}, [2, 3]]}}, "list_of_lists": [[1, 2], [], [[]]],
            "list_of_dicts": [{"a": 1, "b": 2}, {}], "empty_str": "", "none": None}})
case("x_flt_yaml_tricky_strings", "filters_format",
     "{{ xs|yaml }}",
     {"xs": ["0o12", "0x1F", "+1", ".5", "1_000", "NaN", ".inf", "Yes", "OFF", "=", "<<", "?", ":", "-", "a:b", "key: ",
             "#x", "!tag", "&anchor", "%p", "`x", "|", ">", "'", "\"", " lead", "trail ", "a\u00a0b", "~", "null", "Null",
             "NULL", "true", "False", "0", "-0", "1e5", "1.5e-3", "12:30", "2001-12-14t21:59:43.10-05:00", "[a]", "{b}", ",",
             "x, y", "a #b", "a# b", "@x", "-x", "- x", "? x", "*", "&", "!", "..."]})
case("x_flt_yaml_multiline_unicode_control", "filters_format",
     "{{ d|yaml }}",
     {"d": {"ml": "line1\nline2", "ml_trailing": "a\nb\n", "ml_spaces": "a \nb", "ml_lead_space": " a\nb",
            "emoji": "\U0001F600 hi", "bell": "a\x07b", "ls": "a\u2028b", "nel": "a\x85b", "tab": "\tx", "cr": "a\rb",
            "bom": "\ufeffx", "zw": "a\u200bb", "accent": "\u00e9t\u00e9", "cjk": "\u65e5\u672c", "long_word": "x" * 100,
            "long_text": ("word " * 30).strip()}})
case("x_flt_yaml_numbers_and_keys", "filters_format",
     "{{ d|yaml }}\n---\n{{ {1: 'a', true: 'b', none: 'c', 2.5: 'd'}|yaml }}",
     {"d": {"f1": 1e22, "f2": 1.5e-10, "f3": -1e-7, "f4": 123456789.123, "f5": 1.0, "f6": -0.0, "i": 12345678901234567890,
            "neg": -5, "b": False, "pi": 3.14159}})
case("x_flt_yaml_inf_nan", "filters_format",
     "{{ ['inf'|float, '-inf'|float, 'nan'|float]|yaml }}")
case("x_flt_yaml_tuple", "filters_format", "{{ (1, 'a')|yaml }}")
case("x_flt_yaml_markup_value", "filters_format", "{{ [s|e]|yaml }}", {"s": "<b>"})
case("x_flt_yaml_top_level_list_of_strings", "filters_format",
     "{{ ['a b', 'c: d', '', 'multi\\nline']|yaml }}")
case("x_flt_yaml_long_key_and_special_key", "filters_format",
     "{{ d|yaml }}",
     {"d": {"k" * 130: 1, "key with: colon": 2, "": 3, "- dash": 4, "multi\nline": 5}})
case("x_flt_center", "filters_text",
     "[{{ 'ab'|center(7) }}] [{{ 'abc'|center(6) }}] [{{ 'abc'|center(2) }}] [{{ ''|center(3) }}] [{{ 'a'|center(4) }}] "
     "[{{ 5|center(5) }}] [{{ '\U0001F600'|center(3) }}] [{{ 'x'.center(5, '*') }}]")
case("x_flt_indent_strings", "filters_text",
     "[{{ s|indent('>> ') }}]\n[{{ s|indent('\\t', true) }}]\n[{{ s|indent(width=1, first=true, blank=true) }}]\n"
     "[{{ ''|indent(first=true) }}]\n[{{ t|indent }}]\n[{{ u|indent(2) }}]\n[{{ m|indent(2, true) }}]",
     {"s": "a\n\nb\n", "t": "x\ry\u2028z", "u": "one\r\ntwo", "m": "\n"})
case("x_flt_indent_int_error", "filters_text", "{{ 5|indent }}")
case("x_flt_truncate_edges", "filters_text",
     "[{{ s|truncate(9) }}] [{{ s|truncate(8, leeway=0) }}] [{{ s|truncate(3, leeway=0) }}] [{{ 'abcdefghijklmnop'|truncate(5, leeway=0) }}] "
     "[{{ 'abcdefghijklmnop'|truncate(5, true, leeway=0) }}] [{{ s|truncate(255) }}] [{{ 'a b c d e f g h'|truncate(7, leeway=0) }}] "
     "[{{ s|truncate(6, false, '!', 0) }}] [{{ '  lead spaces here'|truncate(8, leeway=0) }}] [{{ e|truncate(5, leeway=0) }}]",
     {"s": "hello world foo", "e": "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"})
case("x_flt_truncate_leeway_boundary", "filters_text",
     "[{{ s|truncate(10) }}] [{{ s|truncate(11) }}] [{{ s|truncate(10, leeway=1) }}] [{{ t|truncate(10) }}]",
     {"s": "abcdefghijklmno", "t": "abcdefghijklmnop"})
case("x_flt_wordwrap_edges", "filters_text",
     "{{ a|wordwrap(5) }}\n--\n{{ a|wordwrap(5, false) }}\n--\n{{ b|wordwrap(10) }}\n--\n{{ c|wordwrap(8) }}\n--\n{{ d|wordwrap(6) }}\n--\n"
     "{{ e|wordwrap(10) }}\n--\n{{ f|wordwrap(3) }}",
     {"a": "supercalifragilistic is long", "b": "first para\nsecond line here\n\nthird", "c": "  lead and   multiple   spaces",
      "d": "well-known hyphen-ated", "e": "tab\tseparated\twords", "f": "a b c d e"})
case("x_flt_wordwrap_no_hyphen_break", "filters_text",
     "{{ s|wordwrap(6, break_on_hyphens=false) }}|{{ s|wordwrap(6, wrapstring=' / ') }}", {"s": "well-known hyphen-ated"})
case("x_flt_striptags_entities", "filters_text",
     "[{{ a|striptags }}] [{{ b|striptags }}] [{{ c|striptags }}] [{{ d|striptags }}]",
     {"a": "a &amp; b &lt;c&gt; &nbsp;x &#39; &#x27; &copy; &unknown; &amp;amp;",
      "b": "<script>var x = 1;</script>\n<p\n class='x'>para</p>  <br/>  end",
      "c": "no tags at all   \n  just   spaces", "d": "<<b>>bold<</b>> 1 < 2 > 0 <!-- a\n b --> tail"})
case("x_flt_urlencode_variants", "filters_text",
     "{{ 'a b/c?d=e&f'|urlencode }} | {{ {'q': 'a b/c', 'lang': '\u00e9'}|urlencode }} | {{ [('k', 1), ('k', 2)]|urlencode }} | "
     "{{ 42|urlencode }} | {{ none|urlencode }} | {{ '\U0001F600~-_.!*()'|urlencode }} | {{ {'a+b': 'c&d', 'e': none}|urlencode }} | "
     "{{ \"'quoted'\"|urlencode }} | {{ 'x%20y'|urlencode }}")
case("x_flt_int_edges", "filters_number",
     "{{ '0b101'|int(0, 2) }} {{ '0o17'|int(0, 8) }} {{ '017'|int(0, 0) }} {{ '0x1A'|int(0, 0) }} {{ '1_000'|int }} {{ '+5'|int }} "
     "{{ '  -7  '|int }} {{ '12.5'|int }} {{ '-12.9'|int }} {{ 12.9|int }} {{ -12.9|int }} {{ '\uff11\uff12'|int }} {{ '1e3'|int }} "
     "{{ ''|int }} {{ none|int(5) }} {{ [1]|int }} {{ 'ff'|int(base=16) }} {{ 'z'|int(base=36) }} {{ big|int }} {{ '99999999999999999999'|int }}",
     {"big": 9007199254740993})
case("x_flt_float_edges", "filters_number",
     "{{ '  12.5 '|float }} {{ '1,5'|float }} {{ '1_000.5'|float }} {{ '.5'|float }} {{ '5.'|float }} {{ '-0'|float }} {{ true|float }} "
     "{{ none|float }} {{ ''|float(-1.0) }} {{ big|float }} {{ '1e-7'|float }} {{ '0x10'|float }} {{ 10|float / 4 }} {{ 'infinity'|float }} "
     "{{ '\uff11.5'|float }}",
     {"big": 9007199254740993})
case("x_flt_round_negative_precision", "filters_number",
     "{{ 1234|round(-2) }} {{ 1250|round(-2) }} {{ 1350|round(-2) }} {{ 15|round(-1, 'floor') }} {{ 15|round(-1, 'ceil') }} "
     "{{ 1234.5678|round(-1) }} {{ 0.5|round }} {{ 1.5|round }} {{ -0.5|round }} {{ 2.5|round(0, 'ceil') }} {{ 123.456|round(1, 'floor') }} "
     "{{ -123.456|round(1, 'floor') }} {{ 1.005|round(2) }} {{ 0.125|round(2) }} {{ 5|round(2) }} {{ 1e20|round(2) }}")
case("x_flt_round_bad_method", "filters_number", "{{ 1.5|round(0, 'up') }}")
case("x_flt_string_filter", "filters_text",
     "{{ none|string }} {{ true|string }} {{ 1.0|string }} {{ (1,)|string }} {{ {'a': none}|string }} {{ s|e|string }} {{ (s|e|string)|length }}",
     {"s": "<&>"})
case("x_flt_trim_chars", "filters_text",
     "[{{ s|trim }}] [{{ s|trim('x') }}] [{{ s|trim(' x') }}] [{{ t|trim }}] [{{ '..a..'|trim('.') }}] [{{ 'abcba'|trim('ab') }}]",
     {"s": "xx  hi  xx", "t": "\u3000\u00a0 wide \t\n\u2003"})
case("x_flt_replace_count", "filters_text",
     "{{ s|replace('a', 'A', 2) }} {{ s|replace('a', 'A', 0) }} {{ s|replace('a', 'A', -1) }} {{ s|replace('', '-') }} "
     "{{ s|replace('', '-', 2) }} {{ s|replace('aa', 'b') }} {{ 12321|replace(2, 9) }} {{ s.replace('a', 'A', 1) }}",
     {"s": "banana aaa"})
case("x_flt_title_capitalize_unicode", "filters_text",
     "{{ a|title }} | {{ a|capitalize }} | {{ b|title }} | {{ b|capitalize }} | {{ c|title }} | {{ c|capitalize }} | {{ d|title }} | "
     "{{ e|lower }} | {{ f|upper }} | {{ g|title }} | {{ a.title() }} | {{ b.title() }}",
     {"a": "\u01c6emal ok", "b": "\u00dfa stra\u00dfe", "c": "\ufb01sh \ufb02y", "d": "\u00e9t\u00e9 \u00e0 paris [x]y {z}w <q>r",
      "e": "\u03a3\u0391\u03a3 \u0130stanbul", "f": "\u00df\u0149\ufb00", "g": "hello_world foo.bar 3rd o'neil"})
case("x_flt_title_separators", "filters_text",
     "{{ 'one-two (three) [four] {five} <six>\tseven\neight'|title }}|{{ 'ALL CAPS--x'|title }}|{{ 'a1b c2d'|title }}|{{ ''|title }}")
case("x_flt_capitalize_edge", "filters_text",
     "{{ 'hELLO World'|capitalize }}|{{ ' lead'|capitalize }}|{{ '1abc'|capitalize }}|{{ ''|capitalize }}|{{ '\u0149x'|capitalize }}")
case("x_flt_reverse_variants", "filters_list",
     "{{ 'a\U0001F600b\u00e9'|reverse }} {{ [1, 2, 3]|reverse|list }} {{ (1, 2)|reverse|list }} {{ d|reverse|list }} "
     "{{ range(3)|reverse|list }} {{ ''|reverse }} {{ 123|string|reverse }}",
     {"d": {"a": 1, "b": 2}})
case("x_flt_reverse_int_error", "filters_list", "{{ 123|reverse }}")
case("x_flt_attr", "filters_list",
     "{% set ns = namespace(a=1) %}{{ ns|attr('a') }} {{ d|attr('items') is callable }} {{ 'abc'|attr('upper') is callable }} "
     "{{ (d|attr('get'))('k') }}", {"d": {"k": "v"}})
case("x_flt_attr_dict_key_is_not_attr", "filters_list", "{{ user|attr('name') }}", {"user": {"name": "Ann"}})
case("x_flt_default_d_boolean", "filters_text",
     "[{{ false|d('x', true) }}] [{{ 0|d('x') }}] [{{ 0|d('x', boolean=true) }}] [{{ ''|d('x', true) }}] [{{ []|d([1], true) }}] "
     "[{{ none|d(none) }}] [{{ missing|d }}] [{{ missing|d|length }}] [{{ missing|d|default('x') }}]")
case("x_flt_default_custom_chained", "filters_text",
     "[{{ none|default('a')|upper }}] [{{ ''|default(none)|string }}] [{{ false|default('x') }}] [{{ [0]|default('x') }}] "
     "[{{ 0.0|default('z') }}] [{{ {}|default({'a': 1}) }}] [{{ ()|default('t') }}]")
case("x_flt_default_boolean_kw_error", "filters_text", "{{ ''|default('x', true) }}")
case("x_flt_escape_non_strings", "escape",
     "{{ 5|e }} {{ none|e }} {{ 1.5|e }} {{ [1, '<']|e }} {{ true|e }} {{ {'a': '&'}|escape }} {{ (5|e) is string }} {{ (none|e)|length }}")
case("x_flt_escape_entities", "escape",
     "{{ s|e }} {{ s|forceescape }} {{ (s|e)|e }} {{ s|e|safe }}", {"s": "<>&'\" \u00e9"})
case("x_flt_markup_operations", "escape",
     "{{ (s|e) * 2 }} {{ (s|e) ~ (s|e) }} {{ '%s!'|e % '<' }} {{ (s|e)|replace('&', '+') }} {{ (s|e).upper() }} {{ (s|e)|length }} "
     "{{ (s|e)|list|length }} {{ (s|safe)|striptags }}",
     {"s": "<i>"})
case("x_flt_wordcount_unicode_punct", "filters_text",
     "{{ 'don\u2019t stop-me_now, 42 x-ray'|wordcount }} {{ '\u65e5\u672c\u8a9e \u3053\u3093'|wordcount }} {{ ''|wordcount }} {{ 123|wordcount }}")
case("x_flt_join_edge", "filters_list",
     "{{ []|join(',') }}|{{ 'abc'|join('-') }}|{{ [none, 1]|join }}|{{ [s|e, '<']|join }}|{{ ['<', 'x']|join(s|e) }}|{{ d|join(',') }}",
     {"s": "&", "d": {"a": 1, "b": 2}})
case("x_flt_join_attribute_missing", "filters_list", "{{ rows|join(',', attribute='n') }}", {"rows": [{"n": 1}, {}]})
case("x_flt_length_variants", "filters_list",
     "{{ range(10)|length }} {{ (1, 2)|length }} {{ d.items()|length }} {{ ns|length }}",
     {"d": {"a": 1}, "ns": "x"})
case("x_flt_first_last_dict_and_gen", "filters_list",
     "{{ d|first }} {{ xs|select('odd')|first }} {{ range(5)|last }} {{ 'ab\U0001F600'|last }}",
     {"d": {"k1": 1, "k2": 2}, "xs": [2, 3, 5]})
case("x_flt_last_of_dict", "filters_list", "{{ d|last }}", {"d": {"k1": 1}})
case("x_flt_random_single", "filters_list", "{{ ['only']|random }} {{ 'a'|random }}")
case("x_flt_abs_variants", "filters_number",
     "{{ -5|abs }} {{ (-5)|abs }} {{ -2.5|abs }} {{ (-0.0)|abs }} {{ true|abs }} {{ (-big)|abs }}", {"big": 12345678901234567890})
case("x_flt_abs_string_error", "filters_number", "{{ 'x'|abs }}")
case("x_flt_format_filter_variants", "filters_text",
     "{{ '%s|%5.2f|%-4d|%x'|format('a', 3.14159, 7, 255) }} {{ '%(n)s=%(v)r'|format(n='k', v='v') }} "
     "{{ '%s'|format([1, 2]) }} {{ '%s %s'|format(*xs) }} {{ '%.3e'|format(123456) }} {{ '%%'|format() }} {{ 'plain'|format() }}",
     {"xs": ["p", "q"]})
case("x_flt_format_mixed_args_error", "filters_text", "{{ '%s'|format(1, k=2) }}")
case("x_flt_format_brace_style_error", "filters_text", "{{ '{}'|format(1) }}")
case("x_flt_items_and_tojson_on_items", "filters_list",
     "{{ d|items|list }} {{ d|items|map('first')|list }} {{ (d|items|list)[1][1] }}", {"d": {"a": 1, "b": [2]}})
case("x_flt_items_on_list_error", "filters_list", "{{ xs|items|list }}", {"xs": [1]})
case("x_flt_items_on_none_error", "filters_list", "{{ v|items|list }}", {"v": None})
case("x_flt_sort_variants", "filters_list",
     "{{ [3, 1.5, true, 0]|sort }} {{ ['b', 'B', 'a']|sort }} {{ ['b', 'B', 'a']|sort(case_sensitive=true) }} {{ [[2, 1], [1, 3]]|sort }} "
     "{{ rows|sort(attribute='a.b')|map(attribute='n')|list }} {{ 'dcba'|sort|join }} {{ [(2, 'b'), (1, 'z'), (2, 'a')]|sort }}",
     {"rows": [{"n": 1, "a": {"b": 3}}, {"n": 2, "a": {"b": 1}}]})
case("x_flt_sort_mixed_error", "filters_list", "{{ [1, 'a']|sort }}")
case("x_flt_sort_none_error", "filters_list", "{{ [1, none]|sort }}")
case("x_flt_lower_upper_non_string", "filters_text",
     "{{ 1|upper }} {{ [1, 'a']|upper }} {{ none|lower }} {{ true|lower }} {{ {'a': 'B'}|upper }}")
case("x_flt_safe_and_string_concat", "escape",
     "{{ ('<' ~ (s|safe))|e }} {{ ((s|safe) ~ '<')|e }} {{ ((s|safe) + '<')|e }} {{ ('<' + (s|safe)) }}", {"s": "<b>"})
case("x_flt_unknown_filter_in_inline_if_not_taken", "errors",
     "{{ (x|shout) if flag else x }}", {"x": "a", "flag": False})
case("x_flt_unknown_filter_in_inline_if_taken", "errors",
     "{{ (x|shout) if flag else x }}", {"x": "a", "flag": True})
case("x_flt_unknown_filter_in_inline_if_condition", "errors",
     "{{ 'y' if x|shout else 'n' }}", {"x": "a"})
case("x_flt_unknown_filter_in_for_body", "errors",
     "{% for i in xs %}{{ i|shout }}{% endfor %}", {"xs": []})
case("x_flt_unknown_filter_in_else_branch", "errors",
     "{% if true %}ok{% else %}{{ x|shout }}{% endif %}", {"x": 1})
case("x_flt_unknown_test_in_if_not_taken", "errors",
     "{% if false %}{{ x is prime }}{% endif %}ok", {"x": 1})
case("x_flt_unknown_filter_in_macro", "errors",
     "{% macro m() %}{{ 1|shout }}{% endmacro %}ok")
case("x_flt_unknown_filter_in_filter_block_in_if", "errors",
     "{% if false %}{% filter shout %}x{% endfilter %}{% endif %}ok")
case("x_flt_missing_required_arg", "errors", "{{ 'x'|replace('a') }}")
case("x_flt_too_many_args", "errors", "{{ 'x'|upper(1) }}")
case("x_flt_unknown_kwarg", "errors", "{{ 'x'|truncate(5, foo=1) }}")
case("x_flt_join_int_error", "errors", "{{ 5|join(',') }}")
case("x_flt_length_none_error", "errors", "{{ v|length }}", {"v": None})
case("x_flt_center_bad_width_error", "errors", "{{ 'x'|center('5') }}")
case("x_flt_wordwrap_zero_width", "errors", "{{ 'a b'|wordwrap(0) }}")

# =============================================================================================== tests
case("x_test_all_type_tests", "tests",
     "{% for v in vals %}{{ v is none }}{{ v is boolean }}{{ v is integer }}{{ v is float }}{{ v is number }}{{ v is string }}"
     "{{ v is mapping }}{{ v is iterable }}{{ v is sequence }}{{ v is callable }}{{ v is defined }}{{ v is undefined }}\n{% endfor %}",
     {"vals": [None, True, 0, 1.5, "s", "", [], [1], {}, {"a": 1}, -1, 1e22]})
case("x_test_sequence_iterable_on_builtins", "tests",
     "{{ range(3) is sequence }} {{ range(3) is iterable }} {{ (1,) is sequence }} {{ {}.items() is sequence }} {{ {}.items() is iterable }} "
     "{{ {}.keys() is sequence }} {{ (xs|map('upper')) is iterable }} {{ (xs|map('upper')) is sequence }} {{ 'x'|e is sequence }} "
     "{% set ns = namespace() %}{{ ns is mapping }} {{ ns is iterable }}",
     {"xs": ["a"]})
case("x_test_sameas", "tests",
     "{{ none is sameas none }} {{ true is sameas true }} {{ 1 is sameas 1 }} {{ 1 is sameas true }} {{ xs is sameas xs }} {{ xs is sameas ys }} "
     "{{ 'a' is sameas 'a' }} {{ 0 is sameas false }} {{ 1.0 is sameas 1 }} {{ [] is sameas [] }}",
     {"xs": [1], "ys": [1]})
case("x_test_escaped", "tests",
     "{{ s is escaped }} {{ s|e is escaped }} {{ s|safe is escaped }} {{ (s|e ~ 'x') is escaped }} {{ (s|e + 'x') is escaped }} "
     "{{ (s|e)|upper is escaped }} {{ 1 is escaped }} {{ (s|e|string) is escaped }} {{ ((s|e) * 2) is escaped }}",
     {"s": "<b>"})
case("x_test_callable", "tests",
     "{% macro m() %}{% endmacro %}{{ m is callable }} {{ range is callable }} {{ 'x'.upper is callable }} {{ 'x' is callable }} "
     "{{ d.get is callable }} {{ namespace is callable }} {{ lipsum is callable }} {{ d is callable }} {{ cycler is callable }} "
     "{{ joiner is callable }} {{ dict is callable }}",
     {"d": {"a": 1}})
case("x_test_filter_and_test", "tests",
     "{{ 'upper' is filter }} {{ 'shout' is filter }} {{ 'default' is filter }} {{ 'yaml' is filter }} {{ 'd' is filter }} "
     "{{ 'odd' is test }} {{ 'prime' is test }} {{ 'sameas' is test }} {{ '==' is test }} {{ 'in' is test }} {{ 1 is filter }}")
case("x_test_number_edges", "tests",
     "{{ 'inf'|float is number }} {{ true is number }} {{ true is integer }} {{ 1e22 is integer }} {{ big is integer }} {{ '1' is number }} "
     "{{ 1.0 is float }} {{ 0 is false }} {{ false is false }} {{ none is false }} {{ 1 is true }} {{ true is true }}",
     {"big": 123456789012345678901234567890})
case("x_test_even_odd_edges", "tests",
     "{{ 0 is even }} {{ -1 is odd }} {{ -2 is even }} {{ big is odd }} {{ 3.0 is odd }} {{ 2.5 is even }} {{ true is odd }}",
     {"big": 9007199254740993})
case("x_test_odd_on_string_error", "tests", "{{ 'a' is odd }}")
case("x_test_divisibleby_edges", "tests",
     "{{ 10 is divisibleby 5 }} {{ 10 is divisibleby 3 }} {{ 10.0 is divisibleby 2.5 }} {{ 0 is divisibleby 7 }} {{ -9 is divisibleby 3 }} "
     "{{ 10 is divisibleby(4) }} {{ 7.5 is divisibleby 2 }}")
case("x_test_divisibleby_zero", "tests", "{{ 10 is divisibleby 0 }}")
case("x_test_lower_upper_edges", "tests",
     "{{ 'abc1' is lower }} {{ '123' is lower }} {{ 'ABC1' is upper }} {{ '\u00e9' is lower }} {{ '\u00c9' is upper }} "
     "{{ 'a B' is lower }} {{ '\u00df' is lower }} {{ '\u01c5' is upper }}")
case("x_test_lower_on_int", "tests", "{{ 1 is lower }}")
case("x_test_in_variants", "tests",
     "{{ 1 is in [1, 2] }} {{ 'a' is in 'cat' }} {{ 'k' is in {'k': 1} }} {{ 3 is in range(5) }} {{ 5 is in range(5) }} "
     "{{ 'x' is not in 'abc' }} {{ 1 is in [1.0] }}")
case("x_test_in_paren_arg_is_call_args", "tests", "{{ 1.0 is in (1,) }}")
case("x_test_comparison_aliases", "tests",
     "{{ 'b' is gt 'a' }} {{ 2 is ge 2 }} {{ 2 is le 1 }} {{ 1 is lt 2 }} {{ 1 is greaterthan 0 }} "
     "{{ [1] is eq [1] }} {{ none is eq none }} {{ 1 is ne none }}")
case("x_test_gt_on_mixed_error", "tests", "{{ 'b' is gt 1 }}")
case("x_test_operator_symbol_name", "tests", "{{ 1 is == 1 }}")
case("x_test_defined_on_nested", "tests",
     "{{ d.a is defined }} {{ d.a.b is defined }} {{ d['x'] is defined }} {{ xs[5] is defined }} {{ xs[0] is defined }} {{ d.a.c.z is defined }}",
     {"d": {"a": {"c": 1}}, "xs": [1]})
case("x_test_defined_attr_of_undefined_raises", "tests", "{{ nope.x is defined }}")
case("x_test_undefined_on_missing_attr_of_none", "tests",
     "{{ n.x is defined }} {{ n is defined }}", {"n": None})
case("x_test_mapping_namespace_and_loop", "tests",
     "{% for x in [1] %}{{ loop is mapping }} {{ loop is iterable }} {{ loop is callable }}{% endfor %}")
case("x_test_not_and_parens", "tests",
     "{{ 1 is not none }} {{ not 1 is none }} {{ (1 is odd) is sameas true }} {{ none is not sameas false }} {{ x is not defined or x }}",
     {"x": 0})
case("x_test_with_args_no_parens_and_parens", "tests",
     "{{ 3 is divisibleby 3 }} {{ 3 is divisibleby(3) }} {{ 'a' is in ['a'] }} {{ 'a' is in(['a']) }} {{ 2 is gt(1) }} {{ 2 is sameas(2) }}")
case("x_test_arg_is_expression", "tests",
     "{{ 6 is divisibleby 1 + 2 }} {{ 6 is eq 3 * 2 }} {{ x is gt y - 1 }}", {"x": 3, "y": 3})

# =============================================================================================== methods
case("x_meth_split_rsplit_maxsplit", "methods",
     "{{ s.split(',', 1) }} {{ s.rsplit(',', 1) }} {{ s.split(',', -1) }} {{ s.split(',', 0) }} {{ w.split(none, 1) }} {{ w.rsplit(None, 1) }} "
     "{{ w.rsplit() }} {{ ''.split() }} {{ ''.split(',') }} {{ s.split(maxsplit=1, sep=',') }} {{ 'a,,b'.split(',') }} {{ ' a  b '.split(' ') }}",
     {"s": "a,b,c,d", "w": "  one two   three  "})
case("x_meth_split_empty_separator", "methods", "{{ 'abc'.split('') }}")
case("x_meth_splitlines", "methods",
     "{{ s.splitlines() }} {{ s.splitlines(true) }} {{ s.splitlines(keepends=true) }} {{ ''.splitlines() }} {{ 'x\\n'.splitlines() }} "
     "{{ t.splitlines() }}",
     {"s": "a\nb\r\nc\rd\n\ne", "t": "p\x0bq\x0cr\x1cs\x1dt\x1eu\x85v\u2028w\u2029x"})
case("x_meth_partition", "methods",
     "{{ s.partition(':') }} {{ s.rpartition(':') }} {{ s.partition('#') }} {{ s.rpartition('#') }} {{ s.partition(':')[2] }}",
     {"s": "key:value:more"})
case("x_meth_zfill_ljust_rjust_center", "methods",
     "[{{ '42'.zfill(5) }}] [{{ '-42'.zfill(5) }}] [{{ '+4'.zfill(4) }}] [{{ 'abc'.zfill(2) }}] [{{ 'ab'.ljust(5) }}] [{{ 'ab'.ljust(5, '.') }}] "
     "[{{ 'ab'.rjust(5, '0') }}] [{{ 'abc'.center(8, '=') }}] [{{ '\U0001F600'.ljust(3, '*') }}] [{{ 'x'.rjust(0) }}]")
case("x_meth_ljust_bad_fill_error", "methods", "{{ 'ab'.ljust(5, '--') }}")
case("x_meth_find_rfind_count_ranges", "methods",
     "{{ s.find('a') }} {{ s.find('a', 2) }} {{ s.find('a', 2, 4) }} {{ s.find('z') }} {{ s.rfind('a') }} {{ s.rfind('a', 0, 5) }} "
     "{{ s.count('a') }} {{ s.count('a', 3) }} {{ s.count('an', 1, -1) }} {{ s.count('') }} {{ s.find('') }} {{ s.rfind('') }} "
     "{{ s.index('n') }} {{ s.rindex('n') }} {{ s.find('a', -2) }} {{ e.find('b') }} {{ e.count('\U0001F600') }}",
     {"s": "banana", "e": "\U0001F600a\U0001F600b"})
case("x_meth_index_not_found", "methods", "{{ 'abc'.index('z') }}")
case("x_meth_startswith_endswith_variants", "methods",
     "{{ s.startswith(('x', 'he')) }} {{ s.startswith('ll', 2) }} {{ s.startswith('he', 1) }} {{ s.endswith('lo', 0, 5) }} "
     "{{ s.endswith(('a', 'b')) }} {{ s.endswith('') }} {{ s.startswith(['he']) if false else 'skip' }} {{ s.endswith('l', 0, -1) }}",
     {"s": "hello"})
case("x_meth_startswith_list_error", "methods", "{{ 'hello'.startswith(['he']) }}")
case("x_meth_replace_count", "methods",
     "{{ s.replace('a', '_', 2) }} {{ s.replace('a', '_', -1) }} {{ s.replace('', '.') }} {{ s.replace('', '.', 3) }} {{ s.replace('xyz', 'q') }}",
     {"s": "banana"})
case("x_meth_format_specs", "methods",
     "{{ '{:>8}|{:<8}|{:^8}|{:*^9}'.format('r', 'l', 'c', 'm') }} {{ '{:08.3f}'.format(3.14159) }} {{ '{:+d} {: d}'.format(5, 5) }} "
     "{{ '{:x} {:X} {:o} {:b} {:#x} {:#b}'.format(255, 255, 8, 5, 255, 5) }} {{ '{:,.2f}'.format(1234567.891) }} {{ '{:_}'.format(1000000) }} "
     "{{ '{:.1%}'.format(0.1234) }} {{ '{:e}'.format(12345.6789) }} {{ '{:g}'.format(1e-5) }} {{ '{:.3g}'.format(1234.5) }} "
     "{{ '{0[0]}-{0[1]}'.format(xs) }} {{ '{d[k]}'.format(d=d) }} {{ '{!r}'.format('q') }} {{ '{{literal}}'.format() }} {{ '{:5}|'.format(42) }} "
     "{{ '{:5}|'.format('ab') }} {{ '{}'.format(1.0) }} {{ '{}'.format(none) }} {{ '{:.2}'.format('abcdef') }} {{ '{:=+6d}'.format(-42) }}",
     {"xs": ["a", "b"], "d": {"k": "v"}})
case("x_meth_format_float_general_edges", "methods",
     "{{ '{:.0f}'.format(2.5) }} {{ '{:.0f}'.format(3.5) }} {{ '{:.2f}'.format(2.675) }} {{ '{:.1f}'.format(-0.05) }} {{ '{:g}'.format(100000.0) }} "
     "{{ '{:g}'.format(1000000.0) }} {{ '{:.10g}'.format(1/3) }} {{ '{:n}'.format(1234) }} {{ '{:.2e}'.format(0) }} {{ '{:f}'.format(1e20) }} "
     "{{ '{:,}'.format(-1234567) }} {{ '{:,}'.format(1234.5) }} {{ '{}'.format(1e16) }} {{ '{:r}'.format(1) if false else 'skip' }}")
case("x_meth_format_bad_spec", "methods", "{{ '{:d}'.format('x') }}")
case("x_meth_format_float_as_d", "methods", "{{ '{:d}'.format(1.5) }}")
case("x_meth_is_predicates", "methods",
     "{% for s in ss %}{{ s.isdigit()|int }}{{ s.isalpha()|int }}{{ s.isalnum()|int }}{{ s.isspace()|int }}{{ s.isupper()|int }}"
     "{{ s.islower()|int }}{{ s.istitle()|int }}{{ s.isnumeric()|int }}{{ s.isdecimal()|int }}{{ s.isidentifier()|int }}{{ s.isprintable()|int }} {% endfor %}",
     {"ss": ["123", "abc", "Abc Def", "ABC", "a1", " \t", "", "\u00b2", "\u00bd", "\u0663", "\u00e9", "x\ny", "_id", "\U0001F600"]})
case("x_meth_misc_str", "methods",
     "{{ 'Hello'.swapcase() }} {{ 'Stra\u00dfe'.casefold() }} {{ 'a\\tb'.expandtabs(4) }} {{ 'prefix_x'.removeprefix('prefix_') }} "
     "{{ 'x.txt'.removesuffix('.txt') }} {{ '  x  '.strip() }} {{ 'xxaxx'.strip('x') }} {{ 'abc'.lstrip('ba') }} {{ 'abc'.rstrip('cb') }} "
     "{{ 'a-b-c'.split('-')|reverse|join('-') }} {{ 'ab'.upper().lower() }} {{ 'hello world'.capitalize() }}")
case("x_meth_str_upper_unicode", "methods",
     "{{ '\u00df'.upper() }} {{ '\u0130'.lower() }} {{ '\u03a3\u0391\u03a3'.lower() }} {{ '\u01c6'.title() }} {{ '\ufb01'.upper() }} "
     "{{ '\u00df'.capitalize() }} {{ 'i\u0307'.upper() }}")
case("x_meth_str_unknown_method", "methods", "{{ 'x'.shout() }}")
case("x_meth_list_mutation", "methods",
     "{% set xs = [3, 1, 2] %}{{ xs.append(4) }}{{ xs }} {{ xs.pop() }} {{ xs.pop(0) }} {{ xs }} {{ xs.index(2) }} {{ xs.count(1) }} "
     "{{ xs.sort() }}{{ xs }} {{ xs.reverse() }}{{ xs }} {{ xs.insert(1, 'm') }}{{ xs }} {{ xs.extend([7, 8]) }}{{ xs }} "
     "{{ xs.remove(7) }}{{ xs }} {{ xs.copy() }} {{ xs.clear() }}{{ xs }}")
case("x_meth_list_sort_kwargs", "methods",
     "{% set xs = ['b', 'C', 'a'] %}{{ xs.sort(reverse=true) }}{{ xs }} {% set ys = [3, 1, 2] %}{% set _ = ys.sort() %}{{ ys }}")
case("x_meth_list_index_missing", "methods", "{{ [1, 2].index(3) }}")
case("x_meth_list_remove_missing", "methods", "{% set xs = [1] %}{{ xs.remove(2) }}")
case("x_meth_list_sort_mixed_error", "methods", "{% set xs = [1, 'a'] %}{{ xs.sort() }}")
case("x_meth_list_in_loop_append", "methods",
     "{% set acc = [] %}{% for x in range(4) %}{% if x is even %}{% set _ = acc.append(x * 10) %}{% endif %}{% endfor %}{{ acc }} {{ acc|length }}")
case("x_meth_dict_methods", "methods",
     "{% set d = {'a': 1} %}{{ d.get('a') }} {{ d.get('b', 'dflt') }} {{ d.setdefault('b', 2) }} {{ d.setdefault('a', 9) }} {{ d }} "
     "{{ d.update({'c': 3}) }}{{ d }} {{ d.update(e=5) }}{{ d }} {{ d.pop('a') }} {{ d.pop('zz', 'none') }} {{ d }} {{ d.copy() }} "
     "{{ d.items()|list }} {{ d.popitem() }} {{ d }} {{ d.clear() }}{{ d }}")
case("x_meth_dict_update_in_loop", "methods",
     "{% set d = {} %}{% for k in ['x', 'y'] %}{% set _ = d.update({k: loop.index}) %}{% endfor %}{{ d }} {{ d|tojson }}")
case("x_meth_dict_views_print", "methods",
     "{{ d.keys() }}|{{ d.items() }}|{{ d.values() }}|{{ d.keys()|list }}|{{ d.items()|first }}|{{ d.keys()|join(',') }}",
     {"d": {"k": "v", "n": [1, 2], "q": "it's"}})
case("x_meth_dict_fromkeys_and_get_none", "methods",
     "{{ d.get('x') }} {{ d.get('n') is none }} {{ dict.fromkeys(['a', 'b'], 0) if false else 'skip' }}", {"d": {"n": None}})
case("x_meth_call_method_on_undefined", "methods", "{{ missing.upper() }}")
case("x_meth_call_method_on_none", "methods", "{{ v.upper() }}", {"v": None})
case("x_meth_str_join_non_str", "methods", "{{ ','.join(xs|map('string')) }} {{ ''.join([]) }} {{ '-'.join('abc') }}",
     {"xs": [1, 2.0, None]})
case("x_meth_int_float_methods", "methods",
     "{{ (5).bit_length() }} {{ 2.5.is_integer() }} {{ 2.0.is_integer() }} {{ (255).to_bytes(2, 'big') if false else 'skip' }} "
     "{{ (7).real }} {{ 1.5.real }} {{ 3.7.__floor__() if false else 'skip' }}")

# =============================================================================================== globals
case("x_glob_range_edges", "globals",
     "{{ range(5, 1)|list }} {{ range(-3)|list }} {{ range(0, 10, 4)|list }} {{ range(3, -3, -2)|list }} {{ range(2, 3)|list }} "
     "{{ 2 in range(5) }} {{ range(10)|sum }} {{ range(3)|map('string')|join }} {{ range(1, 4)|reverse|list }}")
case("x_glob_range_float_error", "globals", "{{ range(1.5)|list }}")
case("x_glob_range_zero_step", "globals", "{{ range(1, 5, 0)|list }}")
case("x_glob_dict_variants", "globals",
     "{{ dict(a=1, **{'b': 2}) if false else dict(a=1, b=2) }} {{ dict(x=none) }} {{ dict({'k': 1}, z=2) if false else 'skip' }} {{ dict(a=[1]).a }}")
case("x_glob_cycler_methods", "globals",
     "{% set c = cycler(1, 2, 3) %}{{ c.current }} {{ c.next() }} {{ c.next() }} {{ c.current }} {{ c.next() }} {{ c.next() }} "
     "{% set _ = c.reset() %}{{ c.current }}")
case("x_glob_joiner_default", "globals",
     "{% set j = joiner() %}{% for x in xs %}{{ j() }}{{ x }}{% endfor %}", {"xs": ["a", "b", "c"]})
case("x_glob_lipsum_callable_only", "globals", "{{ lipsum is defined }}")
case("x_glob_namespace_loop_counter_nested", "globals",
     "{% set ns = namespace(n=0, seen=[]) %}{% for g in groups %}{% for x in g %}{% set ns.n = ns.n + 1 %}"
     "{% if x not in ns.seen %}{% set ns.seen = ns.seen + [x] %}{% endif %}{% endfor %}{% endfor %}{{ ns.n }} {{ ns.seen }}",
     {"groups": [["a", "b"], ["b", "c"]]})
case("x_glob_undefined_function", "globals", "{{ now() }}")

# =============================================================================================== undefined & errors
case("x_undef_line_3_in_for", "undefined",
     "Header\n{% for x in xs %}\n{{ x.name }} {{ x.missing }}\n{% endfor %}\n", {"xs": [{"name": "a"}]})
case("x_undef_line_in_macro_body", "undefined",
     "{% macro m(a) %}\nA={{ a }}\nB={{ b }}\n{% endmacro %}\nline4\n{{ m(1) }}")
case("x_undef_in_filter_argument", "undefined",
     "ok\n{{ xs|join(sep) }}", {"xs": ["a"]})
case("x_undef_in_call_argument", "undefined",
     "{{ 'a,b'.split(sep) }}")
case("x_undef_in_set", "undefined",
     "line1\nline2\n{% set y = missing + 1 %}\n{{ y }}")
case("x_undef_in_dict_literal", "undefined",
     "{{ {'a': missing} }}")
case("x_undef_dict_literal_not_printed_ok", "undefined",
     "{% set d = {'a': missing} %}ok")
case("x_undef_list_literal_length", "undefined",
     "{{ [missing]|length }}")
case("x_undef_in_with", "undefined",
     "{% with a = missing %}{{ a }}{% endwith %}")
case("x_undef_in_with_unused", "undefined",
     "{% with a = missing %}ok{% endwith %}")
case("x_undef_in_inline_if_condition", "undefined",
     "{{ 'y' if missing else 'n' }}")
case("x_undef_in_elif", "undefined",
     "{% if false %}\na\n{% elif missing %}\nb\n{% endif %}")
case("x_undef_key_of_dict_message", "undefined", "{{ d['k'] }}", {"d": {"a": 1}})
case("x_undef_attr_of_list_message", "undefined", "{{ xs.name }}", {"xs": [1]})
case("x_undef_attr_of_string_message", "undefined", "{{ s.name }}", {"s": "x"})
case("x_undef_attr_of_int_message", "undefined", "{{ n.x }}", {"n": 5})
case("x_undef_attr_of_none_message", "undefined", "{{ n.x }}", {"n": None})
case("x_undef_index_of_none", "undefined", "{{ n[0] }}", {"n": None})
case("x_undef_int_key_of_dict_message", "undefined", "{{ d[0] }}", {"d": {"a": 1}})
case("x_undef_attr_of_undefined_attr", "undefined", "{{ d.a.b.c }}", {"d": {}})
case("x_undef_iterate_missing_attr", "undefined", "{% for x in d.items_list %}{% endfor %}", {"d": {}})
case("x_undef_string_concat_tilde", "undefined", "{{ 'a' ~ missing }}")
case("x_undef_compare", "undefined", "{{ missing > 1 }}")
case("x_undef_call", "undefined", "{{ missing() }}")
case("x_undef_filter_upper", "undefined", "{{ missing|upper }}")
case("x_undef_in_macro_default_unused", "undefined",
     "{% macro m(a=missing) %}x{% endmacro %}{{ m() }}")
case("x_undef_in_macro_default_used", "undefined",
     "{% macro m(a=missing) %}{{ a }}{% endmacro %}{{ m() }}")
case("x_undef_tojson", "undefined", "{{ {'a': missing}|tojson }}")
case("x_undef_if_test_defined_then_use", "undefined",
     "{% if x is defined %}{{ x }}{% else %}none{% endif %}|{{ x is defined and x > 1 }}")
case("x_undef_length_of_undefined", "undefined", "{{ missing|length }}")
case("x_undef_list_of_undefined_in_join", "undefined", "{{ [1, missing]|join }}")
case("x_undef_bool_in_and", "undefined", "{{ false and missing }} {{ true or missing }}")
case("x_undef_namespace_attr_line", "undefined",
     "a\nb\n{% set ns = namespace() %}\n{{ ns.total + 1 }}")
case("x_err_type_error_line_multiline_expr", "errors",
     "x\n{{ a +\n b }}\n", {"a": 1, "b": "s"})
case("x_err_type_error_in_filter_in_loop", "errors",
     "{% for v in vs %}\n{{ v|round }}\n{% endfor %}", {"vs": [1.5, "x"]})
case("x_err_zero_division_messages", "errors", "{{ 1 // 0 }}")
case("x_err_float_floordiv_zero", "errors", "{{ 1.0 // 0 }}")
case("x_err_float_mod_zero", "errors", "{{ 5 % 0.0 }}")
case("x_err_int_div_zero_float", "errors", "{{ 1 / 0.0 }}")
case("x_err_str_times_str", "errors", "{{ 'a' * 'b' }}")
case("x_err_str_minus", "errors", "{{ 'a' - 'b' }}")
case("x_err_list_minus", "errors", "{{ [1] - [1] }}")
case("x_err_dict_plus", "errors", "{{ {'a': 1} + {'b': 2} }}")
case("x_err_none_plus_int", "errors", "{{ v + 1 }}", {"v": None})
case("x_err_int_plus_none", "errors", "{{ 1 + v }}", {"v": None})
case("x_err_float_times_str", "errors", "{{ 1.5 * 'a' }}")
case("x_err_str_floordiv", "errors", "{{ 'a' // 2 }}")
case("x_err_str_pow", "errors", "{{ 'a' ** 2 }}")
case("x_err_list_index_str", "errors", "{{ xs['a'] }}", {"xs": [1]})
case("x_err_str_index_str", "errors", "{{ s['a'] }}", {"s": "abc"})
case("x_err_unhashable_dict_key", "errors", "{{ {[1]: 2} }}")
case("x_err_unhashable_in_dict", "errors", "{{ [1] in {'a': 1} }}")
case("x_err_int_iteration", "errors", "{% for a, b in [1] %}{% endfor %}")
case("x_err_call_int", "errors", "{{ (1)() }}")
case("x_err_call_dict", "errors", "{{ d() }}", {"d": {}})
case("x_err_macro_call_undefined_caller", "errors",
     "{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}")
case("x_err_int_plus_str_from_context", "errors", "line\n\n{{ n + s }}", {"n": 1, "s": "2"})
case("x_err_lt_dict", "errors", "{{ {} < {} }}")

# ---- syntax errors
case("x_syn_unclosed_string", "errors", "Hello\n{{ 'abc }}\nBye")
case("x_syn_unclosed_double_string", "errors", "{{ \"abc }}")
case("x_syn_unexpected_brace", "errors", "{{ x } }}", {"x": 1})
case("x_syn_single_closing_brace_in_block", "errors", "{% if x } %}a{% endif %}", {"x": 1})
case("x_syn_endif_without_if", "errors", "text\n{% endif %}")
case("x_syn_endfor_without_for", "errors", "{% endfor %}")
case("x_syn_else_without_if", "errors", "a\n\n{% else %}")
case("x_syn_elif_after_else", "errors", "{% if a %}1{% else %}2{% elif b %}3{% endif %}", {"a": 1})
case("x_syn_for_without_in", "errors", "{% for x %}{{ x }}{% endfor %}")
case("x_syn_for_without_iterable", "errors", "{% for x in %}{{ x }}{% endfor %}")
case("x_syn_for_bad_target", "errors", "{% for 1 in xs %}{% endfor %}", {"xs": [1]})
case("x_syn_for_attr_target", "errors", "{% for a.b in xs %}{% endfor %}", {"xs": [1]})
case("x_syn_set_bad_target_const", "errors", "{% set 1 = 2 %}")
case("x_syn_set_bad_target_call", "errors", "{% set f() = 2 %}")
case("x_syn_set_bad_target_subscript", "errors", "{% set xs[0] = 2 %}", {"xs": [1]})
case("x_syn_set_missing_value", "errors", "{% set x = %}")
case("x_syn_set_no_name", "errors", "{% set %}")
case("x_syn_set_block_unclosed", "errors", "{% set x %}abc")
case("x_syn_macro_nondefault_after_default", "errors",
     "line1\n{% macro m(a=1, b) %}{% endmacro %}")
case("x_syn_macro_no_name", "errors", "{% macro %}{% endmacro %}")
case("x_syn_macro_bad_param", "errors", "{% macro m(1) %}{% endmacro %}")
case("x_syn_macro_dotted_param", "errors", "{% macro m(a.b) %}{% endmacro %}")
case("x_syn_macro_unclosed", "errors", "{% macro m() %}\nbody\n")
case("x_syn_call_without_call", "errors", "{% call m %}x{% endcall %}")
case("x_syn_filter_block_no_filter", "errors", "{% filter %}x{% endfilter %}")
case("x_syn_with_bad", "errors", "{% with a %}{% endwith %}")
case("x_syn_empty_expression", "errors", "a\n{{ }}")
case("x_syn_empty_block", "errors", "{% %}")
case("x_syn_if_without_condition", "errors", "{% if %}a{% endif %}")
case("x_syn_filter_without_name", "errors", "{{ x| }}", {"x": 1})
case("x_syn_filter_number_name", "errors", "{{ x|1 }}", {"x": 1})
case("x_syn_is_without_test", "errors", "{{ x is }}", {"x": 1})
case("x_syn_unclosed_list", "errors", "{{ [1, 2 }}")
case("x_syn_unclosed_paren", "errors", "{{ (1 + 2 }}")
case("x_syn_unclosed_dict", "errors", "{{ {'a': 1 }}")
case("x_syn_mismatched_bracket", "errors", "{{ [1, 2) }}")
case("x_syn_extra_closing_paren", "errors", "{{ 1 + 2) }}")
case("x_syn_kwarg_before_positional", "errors", "{{ f(a=1, 2) }}")
case("x_syn_double_operator", "errors", "{{ 1 +* 2 }}")
case("x_syn_trailing_operator_in_block", "errors", "{% if x and %}y{% endif %}", {"x": 1})
case("x_syn_missing_else_value", "errors", "{{ 'a' if x else }}", {"x": 1})
case("x_syn_assignment_in_expression", "errors", "{{ x = 1 }}")
case("x_syn_dict_missing_colon", "errors", "{{ {'a' 1} }}")
case("x_syn_dict_key_not_hashable_syntax", "errors", "{{ {'a': 1, } }} {{ {'a' } }}")
case("x_syn_unexpected_end_of_template_in_expr", "errors", "{{ 1 +")
case("x_syn_unclosed_block_tag", "errors", "a\n{% if x\nb", {"x": 1})
case("x_syn_unclosed_raw", "errors", "{% raw %}\nabc\n")
case("x_syn_endraw_without_raw", "errors", "{% endraw %}")
case("x_syn_continue_is_unknown_tag", "errors", "{% for x in [1] %}{% continue %}{% endfor %}")
case("x_syn_do_is_unknown_tag", "errors", "{% do xs.append(1) %}")
case("x_syn_extends_no_loader", "errors", "{% extends 'base.txt' %}")
case("x_syn_bad_char", "errors", "{{ x $ y }}")
case("x_syn_bang_not_equal_typo", "errors", "{{ 1 ! 2 }}")
case("x_syn_two_expressions", "errors", "{{ x y }}", {"x": 1, "y": 2})
case("x_syn_end_tag_extra_tokens", "errors", "{% if x %}a{% endif x %}", {"x": 1})
case("x_syn_endfor_name_in_endmacro", "errors", "{% macro m() %}x{% endmacro n %}")
case("x_syn_block_duplicate", "errors", "{% block a %}{% endblock %}{% block a %}{% endblock %}")
case("x_syn_reserved_name_assign", "errors", "{% set true = 1 %}")
case("x_syn_loop_assign", "errors", "{% for x in [1] %}{% set loop = 1 %}{% endfor %}")
case("x_syn_error_on_line_5", "errors",
     "l1\nl2 {{ a }}\nl3\n{% for x in xs %}\n{{ x + }}\n{% endfor %}", {"a": 1, "xs": [1]})
case("x_syn_unclosed_if_in_macro", "errors",
     "{% macro m() %}\n{% if x %}\n{% endmacro %}")
case("x_syn_unclosed_comment_multiline", "errors", "a\nb\n{# c\nd\ne")
case("x_syn_string_with_newline_unclosed", "errors", "{{ 'abc\ndef }}")
case("x_syn_slice_syntax_errors", "errors", "{{ xs[1:2:3:4] }}", {"xs": [1]})
case("x_syn_unknown_test_compile_time", "errors", "a\nb\n{{ 1 is prime }}")
case("x_syn_elif_unknown_filter", "errors", "{% if true %}a{% elif x|shout %}b{% endif %}", {"x": 1})

# =============================================================================================== prompts
case("x_prompt_tool_schema", "prompts",
     "Tools:\n{% for t in tools %}\n- name: {{ t.name }}\n  args: {{ t.args|tojson }}\n{% if t.required %}\n"
     "  required: {{ t.required|join(', ') }}\n{% endif %}\n{% endfor %}\nRespond with {{ '{\"tool\": ...}' }}",
     {"tools": [{"name": "search", "args": {"q": "string", "k": 5}, "required": ["q"]},
                {"name": "noop", "args": {}, "required": []}]})
case("x_prompt_chat_template_style", "prompts",
     "{% for message in messages %}{% if loop.first and message.role != 'system' %}<|system|>\nYou are helpful.</s>\n{% endif %}"
     "<|{{ message.role }}|>\n{{ message.content }}</s>\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}",
     {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "add_generation_prompt": True})
case("x_prompt_llama_style_raise", "prompts",
     "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
     "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
     "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
     "{{ raise_exception('Conversation roles must alternate') }}{% endif %}"
     "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
     "{% else %}{% set content = message['content'] %}{% endif %}"
     "{% if message['role'] == 'user' %}{{ '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
     "{{ ' ' + content.strip() + ' ' }}{% endif %}{% endfor %}",
     {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": " Hi "},
                   {"role": "assistant", "content": "Hello "}, {"role": "user", "content": "Bye"}]})
case("x_prompt_numbered_with_namespace", "prompts",
     "{% set ns = namespace(i=0) %}{% for sec in sections %}{% if sec.items %}\n## {{ sec.title }}\n{% for it in sec['items'] %}"
     "{% set ns.i = ns.i + 1 %}\n{{ ns.i }}. {{ it }}\n{% endfor %}{% endif %}{% endfor %}\nTotal: {{ ns.i }}",
     {"sections": [{"title": "A", "items": ["x", "y"]}, {"title": "B", "items": []}, {"title": "C", "items": ["z"]}]})
case("x_prompt_few_shot_with_macro_and_indent", "prompts",
     "{% macro example(q, a) -%}\nQ: {{ q }}\nA: {{ a|indent(3) }}\n{%- endmacro %}\n"
     "{% for ex in examples %}\n{{ example(ex.q, ex.a) }}\n\n{% endfor %}\nQ: {{ question }}\nA:",
     {"examples": [{"q": "2+2?", "a": "4"}, {"q": "Poem?", "a": "Roses are red,\nviolets are blue."}], "question": "Why?"})
case("x_prompt_tojson_in_string_and_pretty", "prompts",
     "Input JSON:\n{{ payload|tojson(indent=2) }}\nInline: {{ payload|tojson }}\nKeys: {{ payload|dictsort|map('first')|join(', ') }}",
     {"payload": {"user": "Zo\u00eb <zoe@x>", "scores": [0.5, 1.0, 2], "meta": {"ok": True, "n": None}}})
case("x_prompt_yaml_config_block", "prompts",
     "```yaml\n{{ cfg|yaml }}\n```\n{% if cfg.extra is defined %}{{ cfg.extra }}{% endif %}",
     {"cfg": {"model": "m-1", "temperature": 0.7, "stop": ["\n\nHuman:", "###"], "system": "You are\na bot.", "limits": {"max": 100}}})
case("x_prompt_truncate_documents", "prompts",
     "{% for d in docs|sort(attribute='score', reverse=true) %}\n{% if loop.index <= k %}\n[{{ loop.index }}] {{ d.text|truncate(30, true) }} ({{ '%.1f'|format(d.score * 100) }}%)\n{% endif %}\n{% endfor %}",
     {"k": 2, "docs": [{"text": "short", "score": 0.2}, {"text": "a rather long document text that goes on and on", "score": 0.9},
                       {"text": "medium length text here", "score": 0.55}]})

# =============================================================================================== more
case("x_more_string_compare_astral", "expressions",
     "{{ '\U0001F600' > '\uffff' }} {{ ['\U0001F600', '\ue000', 'z']|sort }} {{ ['\U0001F600', '\ue000']|max }} {{ '\U0001F600' > '\ue000' }} "
     "{{ {'\U0001F600': 1, '\ue000': 2}|dictsort }} {{ 'é' > 'z' }}")
case("x_more_float_join_and_format", "values",
     "{{ [1.0, 2.5, 1e16, -0.0]|join(',') }} {{ '%s'|format(1e16) }} {{ '%.2f'|format(big) }} {{ '%d'|format(3.9) }} {{ '%s' % true }} "
     "{{ '%d' % true }} {{ '%5.1f%%' % 99.55 }} {{ '{:,}'.format(big) }} {{ '%s' % 0.1 }} {{ '%r' % 1e22 }}",
     {"big": 12345678901234567890})
case("x_more_float_literal_values", "values",
     "{{ 1e100 }} {{ 1e-300 * 1e-300 }} {{ 2 ** 100 }} {{ 10 ** -2 }} {{ 10 ** 17 / 1 }} {{ (0.1 + 0.2) == 0.3 }} {{ 3 * '-' ~ '>' }} "
     "{{ 7 // 2 * 2 }} {{ 2 ** 2 ** -1 }} {{ 1 / 3|round(2) }} {{ 1e15 }} {{ 1e15 + 0.3 }} {{ 123456789012.34567 }}")
case("x_more_round_big_floats", "filters_number",
     "{{ 1e16|round }} {{ 123456789.987654321|round(3) }} {{ 0.1|round(20) }} {{ (2.5|round)|int }} {{ 1.23456e-7|round(9) }} {{ -1e-20|round(2) }}")
case("x_more_set_from_context_var", "assignments",
     "{% set n = n + 1 %}{{ n }} {% set name = name|upper %}{{ name }}", {"n": 1, "name": "ann"})
case("x_more_reassign_loop_var", "assignments",
     "{% for item in items %}{% set item = item|upper %}{{ item }}{% endfor %}", {"items": ["a", "b"]})
case("x_more_set_undefined_value_ok", "undefined",
     "{% set x = missing %}ok {{ x is defined }}")
case("x_more_loop_over_list_of_undefined", "undefined",
     "{% for x in [missing, 2] %}{{ loop.index }}{% endfor %}")
case("x_more_undefined_string_filter", "undefined", "{{ missing|string }}")
case("x_more_undefined_d_then_upper", "undefined", "[{{ missing|d('x')|upper }}] [{{ user.nick|d('y') }}]", {"user": {}})
case("x_more_undefined_attr_of_undefined_with_d", "undefined", "[{{ missing.attr|d('y') }}]")
case("x_more_undefined_macro_arg_unused", "undefined",
     "{% macro m(a) %}ok{% endmacro %}{{ m(missing) }}")
case("x_more_undefined_macro_arg_used_line", "undefined",
     "{% macro m(a) %}\n{{ a }}\n{% endmacro %}\n\n{{ m(missing) }}")
case("x_more_undefined_in_loop_filter", "undefined",
     "{% for x in xs if x.flag %}{{ x }}{% endfor %}", {"xs": [{"a": 1}]})
case("x_more_nested_call_blocks", "macros",
     "{% macro outer() %}<o>{{ caller() }}</o>{% endmacro %}{% macro inner() %}<i>{{ caller() }}</i>{% endmacro %}"
     "{% call outer() %}{% call inner() %}x{% endcall %}{% endcall %}")
case("x_more_macro_only_kwargs_varargs_used", "macros",
     "{% macro k() %}{{ kwargs }}{% endmacro %}{% macro v() %}{{ varargs }}{% endmacro %}{{ k(a=1) }} {{ v(1, 2) }} {{ k.catch_kwargs }} {{ v.catch_varargs }}")
case("x_more_macro_too_many_args_varargs_not_used", "macros",
     "{% macro v() %}x{% endmacro %}{{ v(1) }}")
case("x_more_call_site_unpacking", "macros",
     "{% macro m(a, b, c='C') %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(*xs) }} {{ m(**d) }} {{ m(1, *['B']) }} {{ m('a', **{'b': 2, 'c': 3}) }}",
     {"xs": [1, 2], "d": {"a": "x", "b": "y"}})
case("x_more_call_site_unpacking_filter", "filters_list",
     "{{ '%s=%s'|format(*pair) }} {{ xs|join(*sep) }} {{ 'a-b-c'.split(*args) }} {{ dict(**d) }}",
     {"pair": ["k", "v"], "xs": [1, 2], "sep": ["+"], "args": ["-", 1], "d": {"z": 1}})
case("x_more_macro_in_loop_with_loop_var", "macros",
     "{% macro item(x, i) %}{{ i }}:{{ x }}{% endmacro %}{% for x in xs %}{{ item(x, loop.index) }}{{ ', ' if not loop.last }}{% endfor %}",
     {"xs": ["a", "b"]})
case("x_more_trailing_commas", "expressions",
     "{{ [1, 2,] }} {{ {'a': 1,} }} {{ (1, 2,) }} {{ (1) }} {{ 'x'.upper() }} {{ range(3,)|list }} {{ dict(a=1,) }}")
case("x_more_filter_parens_and_spaces", "filters_text",
     "{{ user.name | upper() }} {{ user.name|lower|capitalize }} {{ user . name }} {{ user [ 'name' ] }}", {"user": {"name": "aNN"}})
case("x_more_big_int_float_ordering", "filters_list",
     "{{ [bigf, big]|max }} {{ [big, bigf]|min }} {{ [big, bigf]|sort }} {{ [big, bigf]|unique|list }} {{ 2**53 + 1 > 2.0**53 }}",
     {"big": 9007199254740993, "bigf": 9007199254740992.0})
case("x_more_urlize", "filters_text",
     "{{ 'see https://example.com/x?a=1 and www.test.org, mail a@b.co.'|urlize }}\n{{ 'http://x.org'|urlize(target='_blank') }}\n"
     "{{ 'http://averyveryverylongdomain.example.org/path'|urlize(20) }}\n{{ 'https://x.org'|urlize(rel='nofollow') }}\n"
     "{{ '<b>http://x.org</b> & more'|urlize }}")
case("x_more_pprint_sorted_nested", "filters_format",
     "{{ {'b': {'d': 1, 'c': [3, {'z': 1, 'y': 2}]}, 'a': (1, 'x')}|pprint }}")
case("x_more_markup_methods_escape_args", "escape",
     "{{ ('{}!'|e).format('<') }} {{ ('x'|e).join(['<', '>']) }} {{ ('<'|e).replace('&', '<') }} {{ ('%(a)s'|e) % {'a': '<'} }} "
     "{{ ('a'|e).center(5, '&') if false else 'skip' }}")
case("x_more_dict_view_equality", "methods",
     "{{ d.keys() == ['a'] }} {{ d.keys()|list == ['a'] }} {{ d.items()|list == [('a', 1)] }} {{ d.keys() == {'a': 2}.keys() }}",
     {"d": {"a": 1}})
case("x_more_undefined_line_multiline_print", "undefined", "a\n{{\n  user.nick\n}}", {"user": {}})
case("x_more_undefined_line_multiline_elif", "undefined",
     "{% if false %}\na\n{% elif false %}\nb\n{% elif user.nick %}\n{% endif %}", {"user": {}})
case("x_more_lstrip_unicode_whitespace", "whitespace",
     "a\n\u3000{% if x %}\nb\n{% endif %}|{% if x -%}\u00a0\n\u0085c{% endif %}|d {{- x -}} \u00a0\u2003 e|f {#- c -#} \u00a0g|{% raw -%}\u00a0 h{%- endraw %}",
     {"x": 1})
case("x_more_unpack_none_message", "errors", "{% set a, b = v %}", {"v": None})
case("x_more_loop_as_for_target", "errors", "{% for loop in [1] %}{% endfor %}")
case("x_more_reverse_none", "filters_list", "{{ v|reverse }}", {"v": None})
case("x_more_filesizeformat_none", "filters_number", "{{ v|filesizeformat }}", {"v": None})
case("x_more_batch_negative", "filters_list", "{{ [1, 2, 3]|batch(-1)|list }}")
case("x_more_unique_dicts_unhashable", "filters_list", "{{ rows|unique|list }}", {"rows": [{"a": 1}, {"a": 1}]})
case("x_more_in_dict_unhashable_key", "errors", "{{ {} in d }}", {"d": {"a": 1}})
case("x_more_float_unicode_digits", "filters_number", "{{ '\uff11.5'|float }} {{ '\u0663.\u0665'|float }} {{ '\u0663'|int }}")
case("x_more_round_negative_zero", "filters_number",
     "{{ -0.5|round }} {{ (-0.4)|round }} {{ (-0.04)|round(1) }} {{ -0.0|round }} {{ (-0.5)|round(0, 'ceil') }} {{ (-0.001)|round(2, 'floor') }}")
case("x_more_markup_kept_by_filters", "escape",
     "{{ ((s|e)|center(9)) is escaped }} {{ ((s|e)|format) is escaped }} {{ ((s|e)|truncate(3)) is escaped }} {{ ((s|e)|title) is escaped }} "
     "{{ (2 * (s|e)) is escaped }} {{ ((s|e)|center(9)) + '<' }}",
     {"s": "<b>"})
case("x_syn_single_brace_close_eof", "errors", "Hi {{ name }\nBye", {"name": "x"})
case("x_syn_unclosed_block_tag_eof", "errors", "{% if x %}a{% endif", {"x": 1})
case("x_syn_dot_without_name", "errors", "{{ x. }}", {"x": 1})
case("x_more_empty_subscript", "errors", "{{ x[] }}", {"x": [1]})
case("x_syn_call_leading_comma", "errors", "{{ range(,) }}")
case("x_syn_tilde_missing_operand", "errors", "{{ 'a' ~ }}")
case("x_syn_inline_if_missing_condition", "errors", "{{ 1 if }}")
case("x_syn_else_if_typo", "errors", "{% if a %}1{% else if b %}2{% endif %}", {"a": 0, "b": 1})
case("x_syn_elseif_typo", "errors", "{% if a %}1\n{% elseif b %}2{% endif %}", {"a": 0, "b": 1})
case("x_syn_end_tag_typo", "errors", "{% if a %}1{% end %}", {"a": 1})
case("x_syn_default_filter_no_parens", "errors", "{{ x | default 'a' }}", {"x": 1})
case("x_syn_nested_unclosed_if_line", "errors",
     "{% for x in xs %}\n  {% if x %}\n    {% if y %}\n      deep\n    {% endif %}\n{% endfor %}", {"xs": [1], "y": 1})
case("x_syn_comment_inside_expression", "errors", "{{ x {# c #} }}", {"x": 1})
case("x_syn_variable_tag_inside_block", "errors", "{% if {{ x }} %}y{% endif %}", {"x": 1})
case("x_more_set_keyword_name", "assignments", "{% set for = 1 %}")
case("x_syn_python_style_not_equal", "errors", "{{ a <> b }}", {"a": 1, "b": 2})
case("x_syn_python_style_bang", "errors", "{% if !x %}y{% endif %}", {"x": 1})
case("x_syn_python_and_operator", "errors", "{% if a && b %}y{% endif %}", {"a": 1, "b": 1})
case("x_syn_lambda_like", "errors", "{{ xs|map(x => x) }}", {"xs": [1]})
case("x_syn_semicolon", "errors", "{% set a = 1; %}")


# --------------------------------------------------------------------------- main
def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(here, "extra_cases.json"), help="where to write the corpus")
    ap.add_argument("--check", metavar="PATH", help="re-render and compare with PATH instead of writing")
    args = ap.parse_args(argv)
    main_names = {c[0] for c in gen_cases.CASES}
    clash = sorted(main_names & {c[0] for c in CASES})
    if clash:
        raise ValueError(f"names already in cases.json: {clash}")
    corpus = build(CASES)
    if args.check:
        return check(corpus, args.check)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(corpus, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(corpus['cases'])} cases to {args.out}")
    print(summary(corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
