"""Compact button data (Telegram allows 64 bytes): what a tap means, and for which question."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

LIMIT = 64
# The most an answer button adds around a choice id: "a:<12 hex session>:<8 hex node tag>:".
ANSWER_OVERHEAD_BYTES = len("a:" + "f" * 12 + ":" + "f" * 8 + ":")


def node_tag(node_id: str) -> str:
    """A short, stable tag for a node id (survives edits to other steps)."""
    return format(zlib.crc32(node_id.encode()), "x")


@dataclass(frozen=True)
class Tap:
    """A decoded tap: `kind` plus its parts."""

    kind: str
    parts: tuple[str, ...]


def answer(session_id: str, node_id: str, value: str) -> str:
    return _fit(f"a:{session_id}:{node_tag(node_id)}:{value}")


def action(kind: str, *parts: object) -> str:
    return _fit(":".join([kind, *(str(p) for p in parts)]))


def decode(data: str) -> Tap:
    kind, _, rest = data.partition(":")
    if kind == "a":
        parts = rest.split(":", 2)
        return Tap(kind, tuple(parts)) if len(parts) == 3 else Tap("unknown", ())
    return Tap(kind, tuple(rest.split(":")) if rest else ())


def _fit(data: str) -> str:
    if len(data.encode()) > LIMIT:
        raise ValueError(f"button data over {LIMIT} bytes: {data[:20]}...")
    return data
