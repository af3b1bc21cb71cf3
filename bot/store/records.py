"""What Storage reads and writes, as plain records: a stored answer with its history, a person,
a session with its version, the `Changes` one message makes and what `Storage.save` reports."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.engine.state import Answer, Record, SessionState


def now_utc() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def new_session_id() -> str:
    """48 random bits: no clash among millions of sessions."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as it stands now, with its earlier versions (oldest first)."""

    id: int
    session_id: str
    node_id: str
    question_id: str
    hidden: bool
    answer: Answer
    asked: str
    answered_at: datetime
    history: tuple[tuple[Answer, datetime], ...]


@dataclass(frozen=True)
class StoredPerson:
    """A person's settings, and whether the message with the asked key was already handled."""

    settings: dict[str, Any]
    seen: bool


@dataclass(frozen=True)
class StoredSession:
    """One session row with its decrypted state."""

    id: str
    flow_id: str
    state: SessionState
    started_at: datetime
    updated_at: datetime
    version: int = 1  # pass it back in Changes.versions, so a write over someone else's is refused


@dataclass
class Changes:
    """Everything one message changes for one person, written together by `Storage.save`."""

    settings: dict[str, Any] | None = None
    sessions: dict[str, tuple[SessionState, bool]] = field(default_factory=dict)  # id -> (state, new?)
    records: list[tuple[str, Record]] = field(default_factory=list)  # (session id, answer)
    hidden: dict[int, bool] = field(default_factory=dict)  # answer id -> hidden?
    deleted: list[int] = field(default_factory=list)  # answer ids
    key: str | None = None  # the message, so a repeated delivery is not handled twice
    erase: bool = False  # erase everything about the person (nothing else is written)
    # session id -> the version read (StoredSession.version, then Saved.versions). A session missing
    # here is checked against the version this Storage last read or wrote for it, if any.
    versions: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.settings is not None or self.sessions or self.records or self.hidden or self.deleted
                    or self.key or self.erase)


@dataclass(frozen=True)
class Saved:
    """What `Storage.save` wrote: each written session's new version; after an erase, whether the
    words are gone from the files too (False: the log could not be emptied yet; the rows are gone)."""

    versions: dict[str, int] = field(default_factory=dict)
    wiped: bool = False
