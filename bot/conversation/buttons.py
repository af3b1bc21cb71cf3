"""Every button's data is built here and every tap decoded here: one short string per button,
`kind:part:part` (the channel checks the length it can carry)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

ANSWER, FLOW, MENU, ERASE, REVIEW, SAFETY, PRACTICE = "a", "f", "m", "d", "r", "s", "q"
REMIND = "n"
# The most an answer button adds around a choice id: "a:<12 hex session>:<8 hex node tag>:".
ANSWER_OVERHEAD_BYTES = len("a:" + "f" * 12 + ":" + "f" * 8 + ":")


@dataclass(frozen=True)
class Tap:
    """A decoded tap: `kind` plus its parts."""

    kind: str
    parts: tuple[str, ...]


def node_tag(node_id: str) -> str:
    """A short, stable tag for a node id (survives edits to other steps)."""
    return format(zlib.crc32(node_id.encode()), "x")


def decode(data: str) -> Tap:
    kind, _, rest = data.partition(":")
    if kind == ANSWER:
        parts = rest.split(":", 2)
        return Tap(kind, tuple(parts)) if len(parts) == 3 else Tap("unknown", ())
    return Tap(kind, tuple(rest.split(":")) if rest else ())


def _data(kind: str, *parts: object) -> str:
    return ":".join([kind, *(str(p) for p in parts)])


def answer(session_id: str, node_id: str, value: str) -> str:
    """A choice (or ~back, ~skip, ~why) for one question of one session."""
    return _data(ANSWER, session_id, node_tag(node_id), value)


def start_flow(flow_id: str) -> str:
    return _data(FLOW, flow_id)


def menu() -> str:
    return _data(MENU, "menu")


def carry_on() -> str:
    return _data(MENU, "go")


def start_again(flow_id: str, session_id: str) -> str:
    """Start `flow_id` afresh in place of the conversation `session_id` (so a second tap does nothing new)."""
    return _data(MENU, "new", flow_id, session_id)


def erase(sure: bool) -> str:
    return _data(ERASE, "yes" if sure else "no")


def review(action: str, arg: object = None) -> str:
    """v(iew), c(hange), h(ide), x (delete) an answer; p(age) n; e(xport) a format; ok."""
    return _data(REVIEW, action) if arg is None else _data(REVIEW, action, arg)


def safety(action: str, token: str = "") -> str:
    """The safety net's buttons, `token` naming the help card or check-in they belong to.

    Under a help card: pause, go (carry on). Words held back: keep (save them as the answer),
    drop (leave them out). Under a check-in: ok (I'm OK, carry on), no (not really), help.
    """
    return _data(SAFETY, action, token) if token else _data(SAFETY, action)


def practice(*parts: object) -> str:
    return _data(PRACTICE, *parts)


def reminder(action: str, *parts: object) -> str:
    """Reminders' buttons (bot.conversation.reminders): a choice in an offer (m, c) with its session
    id, or what to do with one reminder (k, z, o, g, n, x, e) with its id."""
    return _data(REMIND, action, *parts)
