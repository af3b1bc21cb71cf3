"""Content text that weaves in earlier answers, through a sandboxed Jinja2 environment.

Text is rendered as plain text: escaping for Telegram HTML happens once, in the channel,
so a person's words can never become markup and the terminal shows exactly what was typed.
A name with no answer yet renders as "(not answered)" rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOT_ANSWERED = "(not answered)"


class _NotAnswered(Undefined):
    def __str__(self) -> str:
        return NOT_ANSWERED


_ENV = ImmutableSandboxedEnvironment(autoescape=False, undefined=_NotAnswered)


@dataclass(frozen=True)
class PromptText:
    """One compiled text; `names` are the values it reads."""

    source: str
    names: frozenset[str] = field(default_factory=frozenset)
    _template: Any = field(default=None, compare=False, repr=False)

    def render(self, values: Mapping[str, Any]) -> str:
        if self._template is None:
            return self.source
        return str(self._template.render(dict(values))).strip()


@lru_cache(maxsize=2048)
def compile_text(source: str) -> PromptText:
    """Compile text; raise TemplateSyntaxError (with .lineno) when it does not compile.

    Compiled once per source: a `repeat` step's text is the same for every option it runs for.
    """
    source = str(source)
    if "{" not in source:
        return PromptText(source.strip())
    tree = _ENV.parse(source)
    names = frozenset(meta.find_undeclared_variables(tree)) - {"range", "loop"}
    return PromptText(source.strip(), names, _ENV.from_string(tree))


__all__ = ["NOT_ANSWERED", "PromptText", "TemplateSyntaxError", "compile_text"]
