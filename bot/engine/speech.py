"""How the coach's own words read around what the person said: answers woven into text without
their closing full stop (so "this.. Have I" never happens), and acknowledgements taken in turn so
that they vary. Pure, like the rest of the engine."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.content.model import Text

SUMMARY_CHARS = 240  # an answer handed back in a summary is cut here, so a summary stays one message
RECENT = 4  # an acknowledgement said among the last few is not said again while another will do
KEPT = 12  # how many acknowledgements said are remembered in the session
_DOUBLED = re.compile(r"([.?!…])[ \t]*\.(?=\s|$)")


def woven(words: str) -> str:
    """An answer as it is woven into the coach's text: without trailing spaces and full stops."""
    return words.rstrip().rstrip(". \t") or words.strip()


def shortened(words: str, limit: int = SUMMARY_CHARS) -> str:
    """An answer as handed back in a summary: woven in, and cut at a word with "…" when it is long."""
    words = " ".join(woven(words).split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def tidy(text: str) -> str:
    """Text as shown: a full stop after an answer that already ends in one ("well?." -> "well?") goes."""
    return _DOUBLED.sub(r"\1", text)


def render(text: Text, values: Mapping[str, Any]) -> str:
    return tidy(text.render(values))


def pick(lines: Sequence[Text], said: list[str]) -> Text | None:
    """The acknowledgement to say next from `lines`: in turn, skipping any said recently.

    `said` is the session's list of acknowledgements already said (their source text; never the
    person's words); the one picked is added to it.
    """
    if not lines:
        return None
    start = len(said) % len(lines)
    ordered = [*lines[start:], *lines[:start]]
    recent = said[-RECENT:]
    chosen = next((line for line in ordered if line.source not in recent), ordered[0])
    said.append(chosen.source)
    del said[:-KEPT]
    return chosen
