"""Prompt templates: only what content needs compiles, and showing one never fails or runs away."""

from __future__ import annotations

import logging

import pytest

from bot.content.text import FALLBACK, MAX_RENDER_CHARS, NOT_ANSWERED, RenderError, TemplateSyntaxError, compile_text

DEEP = "{{ " + "(" * 5000 + "n" + ")" * 5000 + " }}"


@pytest.mark.parametrize(
    ("source", "values", "shown"),
    [
        ("Hello {{ name }}.", {"name": "Sam"}, "Hello Sam."),
        ("What would {{ n + 1 }} look like?", {"n": 4}, "What would 5 look like?"),
        ("{{ n - 1 }}", {"n": 4}, "3"),
        (
            "{% if n > last %}up{% elif n < last %}down{% elif n <= 3 %}low{% else %}same{% endif %}",
            {"n": 2, "last": 2},
            "low",
        ),
        ("{% if for_someone %}they{% else %}you{% endif %}", {"for_someone": True}, "they"),
        ("{{ area|lower }} and {{ area|upper }}", {"area": "Food"}, "food and FOOD"),
        ("{{ area|capitalize }}, {{ area|title }}", {"area": "food and DRINK"}, "Food and drink, Food And Drink"),
        ("[{{ area|trim }}]", {"area": "  food "}, "[food]"),
        ("{{ nickname|default('you') }}", {}, "you"),
        ("{{ 'yes' if 'meals' in areas else 'no' }}", {"areas": "meals; evenings"}, "yes"),
        ("{% if area in ['food', 'sleep'] and not skipped %}{{ -n }}{% endif %}", {"area": "food", "n": 2}, "-2"),
        ("{{ nickname }}", {}, NOT_ANSWERED),
        ("{% if nickname is defined %}x{% else %}y{% endif %}", {}, "y"),
        ("{% raw %}{{ as typed }}{% endraw %} {# a note #}", {}, "{{ as typed }}"),
    ],
)
def test_what_content_uses_compiles_and_renders(source: str, values: dict[str, object], shown: str) -> None:
    assert compile_text(source).render(values) == shown


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("{% for a in x %}{% for b in x %}x{% endfor %}{% endfor %}", 1, "a {% for %} loop is not allowed"),
        ("{% macro m() %}x{% endmacro %}", 1, "{% macro %} is not allowed"),
        ("{% call m() %}x{% endcall %}", 1, "{% call %} is not allowed"),
        ("{% include 'a.html' %}", 1, "{% include %} is not allowed"),
        ("{% import 'a.html' as a %}", 1, "{% import %} is not allowed"),
        ("{% from 'a.html' import b %}", 1, "{% import %} is not allowed"),
        ("{% extends 'a.html' %}", 1, "{% extends %} is not allowed"),
        ("{% block b %}x{% endblock %}", 1, "{% block %} is not allowed"),
        ("{% set x = 1 %}", 1, "{% set %} is not allowed"),
        ("{% set x %}y{% endset %}", 1, "{% set %} is not allowed"),
        ("{% with x = 1 %}{% endwith %}", 1, "{% with %} is not allowed"),
        ("{% filter upper %}x{% endfilter %}", 1, "{% filter %} is not allowed"),
        ("{% autoescape true %}x{% endautoescape %}", 1, "{% autoescape %} is not allowed"),
        ("Hi\n{{ name.__class__ }}", 2, "attribute and item access (x.y, x[0]) is not allowed"),
        ("{{ name['__class__'] }}", 1, "attribute and item access (x.y, x[0]) is not allowed"),
        ("{{ name[0:3] }}", 1, "attribute and item access (x.y, x[0]) is not allowed"),
        ("{{ range(10) }}", 1, "calling a function is not allowed"),
        ("{{ lipsum(100000) }}", 1, "calling a function is not allowed"),
        ("{{ 'x' * 3000000000 }}", 1, "'*' is not allowed"),
        ("{{ 10 ** 100000 }}", 1, "'**' is not allowed"),
        ("{{ n / 2 }}", 1, "'/' is not allowed"),
        ("{{ n // 2 }}", 1, "'//' is not allowed"),
        ("{{ '%0999999999d' % n }}", 1, "'%' is not allowed"),
        ("{{ name ~ name }}", 1, "'~' is not allowed"),
        ("{{ name + name }}", 1, "'+' and '-' only add or take away a number, as in {{ n + 1 }}"),
        ("{{ {'a': 1} }}", 1, "a {...} mapping is not allowed"),
        ("{{ name|center(1000000000) }}", 1, "the filter 'center' is not allowed"),
        ("{{ name|default(*areas) }}", 1, "*args and **kwargs are not allowed"),
        ("{{ n is divisibleby(3) }}", 1, "the test 'divisibleby' is not allowed"),
        ("{{ " + "9" * 5000 + " }}", 1, "the number is too long"),
        (DEEP, 1, "nested too deeply"),
        ("{{ a }}" * 3000, 1, "a template may be at most 16,384 characters"),
        ("{% if n %}" * 100 + "x" + "{% endif %}" * 100, 1, "nested too deeply"),
    ],
)
def test_loops_calls_and_unbounded_operations_do_not_compile(source: str, line: int, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        compile_text(source)
    assert message in caught.value.message  # type: ignore[operator]
    assert caught.value.lineno == line


def test_a_template_has_no_globals_to_call_or_print() -> None:
    assert compile_text("{{ range }}{{ lipsum }}{{ cycler }}{{ namespace }}").render({}) == NOT_ANSWERED * 4


def test_output_over_the_limit_is_an_error_and_shown_as_the_fallback() -> None:
    text = compile_text("{{ a }} {{ a }} {{ a }} {{ a }} {{ a }}")
    long_answer = "x" * 4000
    with pytest.raises(RenderError, match=f"longer than {MAX_RENDER_CHARS:,} characters"):
        text.render_strictly({"a": long_answer})
    assert text.render({"a": long_answer}) == FALLBACK
    assert text.render({"a": "x" * 100}) == " ".join(["x" * 100] * 5)


@pytest.mark.parametrize(
    ("source", "values"),
    [
        ("What would {{ n + 1 }} look like?", {}),  # n is undefined outside a scale's follow-up
        ("What would {{ n + 1 }} look like?", {"n": "5"}),  # an answer is shown as words
        ("{% if n > last %}up{% endif %}", {"n": 5, "last": ""}),
        ("{{ -name }}", {"name": "Sam"}),
    ],
)
def test_a_template_that_fails_when_shown_gives_the_fallback_never_an_error(
    source: str, values: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    text = compile_text(source)
    with pytest.raises(RenderError):
        text.render_strictly(values)
    with caplog.at_level(logging.WARNING):
        assert text.render(values) == FALLBACK
    assert caplog.records and all("Sam" not in r.getMessage() for r in caplog.records)  # never answer text


def test_the_fallback_is_kind_and_fits_a_message() -> None:
    assert FALLBACK.startswith("Sorry") and len(FALLBACK) < 100
    assert MAX_RENDER_CHARS >= 4096
