"""The Jinja2 environment for the profile's templates (bot/profile/templates/).

StrictUndefined, so a typo in a template fails loudly; autoescape for .html and .xml templates
only. Person text is only ever passed in as data, so template syntax inside it is never run.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

import bot.profile.wording as wording

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+(?=[.)]))", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """Backslash-escape Markdown syntax so the person's words show exactly as typed."""
    return _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(r"\\\1", text))


def _escape_line_start(found: re.Match[str]) -> str:
    """`# x` -> `\\# x`, `- x` -> `\\- x`, `1. x` -> `1\\. x`: never a heading or a list."""
    indent, marker = found.group(1), found.group(2)
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def quote(text: str, prefix: str = "> ") -> str:
    """Prefix every line (blank ones too), for Markdown block quotes and indented plain text."""
    return "\n".join((prefix + line).rstrip() or prefix.rstrip() for line in text.splitlines() or [""])


def ruler(scale: Any) -> str:
    """A text ruler for an importance or confidence scale: "0 ─────●──── 10"."""
    low, high = scale.minimum, scale.maximum
    at = min(max(scale.score, low), high) - low
    return f"{low} {'─' * at}●{'─' * (high - low - at)} {high}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.profile", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["quote"] = quote
    env.filters["ruler"] = ruler
    return env


def render(template: str, **context: Any) -> str:
    """`template` with `context`, and our fixed wording as `w`."""
    return environment().get_template(template).render(w=wording, **context)
