"""Content text that weaves in earlier answers, through a sandboxed Jinja2 environment.

Text is rendered as plain text: escaping for Telegram HTML happens once, in the channel,
so a person's words can never become markup and the terminal shows exactly what was typed.
A name with no answer yet renders as "(not answered)" rather than failing.

A template may hold only what content needs (names, `{% if %}`, comparisons, `and`/`or`/`not`,
`+` or `-` a number, a few filters): `compile_text` refuses the rest, with its line. With no loops,
calls, `{% set %}` or multiplication, rendering takes time in proportion to the template and the
values it shows, so no timer is needed; the output is capped at MAX_RENDER_CHARS. Showing text
never raises: a template that fails, or comes out too long, shows FALLBACK instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

logger = logging.getLogger(__name__)

NOT_ANSWERED = "(not answered)"
FALLBACK = "Sorry, I couldn't show this part properly, so let's carry on."
MAX_RENDER_CHARS = 4 * 4096  # a few Telegram messages; longer is a runaway, not a message
MAX_DEPTH = 30  # levels of nesting in one template
MAX_NUMBER = 10**15
TOO_DEEP = f"the template is nested too deeply (more than {MAX_DEPTH} levels)"
TOO_LONG_NUMBER = "the number is too long (15 digits at most)"
FILTERS = ("capitalize", "default", "lower", "title", "trim", "upper")
TESTS = ("defined", "none", "number", "string", "undefined")
_ALLOWED = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Name, nodes.Const, nodes.Compare,
    nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.CondExpr, nodes.List, nodes.Tuple,
    nodes.Filter, nodes.Test, nodes.Keyword, nodes.Add, nodes.Sub,
)  # fmt: skip
_ACCESS = "attribute and item access (x.y, x[0])"
_NOT_ALLOWED: dict[type[nodes.Node], str] = {
    nodes.For: "a {% for %} loop",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Call: "calling a function",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Scope: "{% autoescape %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.Getattr: _ACCESS,
    nodes.Getitem: _ACCESS,
    nodes.Slice: _ACCESS,
    nodes.Dict: "a {...} mapping",
    nodes.Concat: "'~'",
}


class RenderError(Exception):
    """Text failed when shown, or came out longer than MAX_RENDER_CHARS."""


class _NotAnswered(Undefined):
    def __str__(self) -> str:
        return NOT_ANSWERED


_ENV = ImmutableSandboxedEnvironment(autoescape=False, undefined=_NotAnswered)
_ENV.globals.clear()  # no range(), lipsum(), cycler() ...


@dataclass(frozen=True)
class PromptText:
    """One compiled text; `names` are the values it reads."""

    source: str
    names: frozenset[str] = field(default_factory=frozenset)
    _template: Any = field(default=None, compare=False, repr=False)

    def render(self, values: Mapping[str, Any]) -> str:
        """The text with `values` woven in, or FALLBACK (logged) when that fails: never an error."""
        try:
            return self.render_strictly(values)
        except RenderError as exc:
            cause = type(exc.__cause__ or exc).__name__  # never the message: it may quote an answer
            logger.warning("content text %.60r could not be shown (%s)", self.source, cause)
            return FALLBACK

    def render_strictly(self, values: Mapping[str, Any]) -> str:
        """The text with `values` woven in; raise RenderError when it fails or runs too long."""
        if self._template is None:
            return self.source
        parts: list[str] = []
        size = 0
        try:
            for part in self._template.generate(dict(values)):
                size += len(part)
                if size > MAX_RENDER_CHARS:
                    raise RenderError(f"it comes out longer than {MAX_RENDER_CHARS:,} characters")
                parts.append(part)
        except RenderError:
            raise
        except Exception as exc:  # the template's own mistake (a wrong type, a missing value), met in the sandbox
            raise RenderError(str(exc)) from exc
        return "".join(parts).strip()


@lru_cache(maxsize=2048)
def compile_text(source: str) -> PromptText:
    """Compile text; raise TemplateSyntaxError (with .lineno) when it does not compile or is not allowed.

    Compiled once per source: a `repeat` step's text is the same for every option it runs for.
    """
    source = str(source)
    if "{" not in source:
        return PromptText(source.strip())
    if len(source) > MAX_RENDER_CHARS:  # it could only come out too long, after a slow compile
        raise TemplateSyntaxError(f"a template may be at most {MAX_RENDER_CHARS:,} characters", 1)
    try:
        tree = _ENV.parse(source)
    except RecursionError:
        raise TemplateSyntaxError(TOO_DEEP, 1) from None
    except ValueError:  # Python will not read an integer of more than 4,300 digits
        raise TemplateSyntaxError(TOO_LONG_NUMBER, 1) from None
    _check(tree, 0, 1)
    names = frozenset(meta.find_undeclared_variables(tree))
    return PromptText(source.strip(), names, _ENV.from_string(tree))


def _check(node: nodes.Node, depth: int, line: int) -> None:
    """Raise TemplateSyntaxError at the first part of the template that is not allowed."""
    line = node.lineno or line  # a few nodes (Scope) have no line of their own
    if depth > MAX_DEPTH:
        raise TemplateSyntaxError(TOO_DEEP, line)
    problem = _problem(node)
    if problem:
        raise TemplateSyntaxError(problem, line)
    for child in node.iter_child_nodes():
        _check(child, depth + 1, line)


def _problem(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Add | nodes.Sub) and not (_is_number(node.left) or _is_number(node.right)):
        return "'+' and '-' only add or take away a number, as in {{ n + 1 }}"
    if isinstance(node, nodes.Filter | nodes.Test):
        kind, allowed = ("filter", FILTERS) if isinstance(node, nodes.Filter) else ("test", TESTS)
        if node.name not in allowed:
            return _not_allowed(f"the {kind} '{node.name}'") + f" (use {', '.join(allowed)})"
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            return "*args and **kwargs are not allowed in content text"
    if isinstance(node, nodes.Const) and _is_number(node) and abs(node.value) >= MAX_NUMBER:
        return TOO_LONG_NUMBER
    if isinstance(node, _ALLOWED):
        return None
    if isinstance(node, nodes.BinExpr):
        return _not_allowed(f"'{node.operator}'") + " (only + or - a number, as in {{ n + 1 }})"
    return _not_allowed(_NOT_ALLOWED.get(type(node), f"Jinja's {type(node).__name__}"))


def _is_number(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def _not_allowed(what: str) -> str:
    return f"{what} is not allowed in content text"


__all__ = ["FALLBACK", "NOT_ANSWERED", "PromptText", "RenderError", "TemplateSyntaxError", "compile_text"]
