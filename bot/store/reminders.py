"""Reminders a person asked for, kept in SQLite so none lives only in memory.

One row per (person, session, slot): setting the same slot again moves it, so a message handled
twice (a repeated delivery after a crash) never makes a second reminder. The due time is in UTC;
the person's time zone is kept beside it. `details` (the meeting date, the part of the day
chosen) is encrypted like an answer; the due time, kind and state are in clear, since the sender
and `coach reminders` must find what is due without the key.

    Reminders   one person's reminders, through the coach's own Storage (its connection and key)
    Schedule    the sender's view, on a connection of its own: what is due, claimed, sent

A reminder's states:

    pending --claim--> sending --sent--> sent
       |                  |--release--> pending   (certainly not delivered: try again later)
       |                  |--settle---> failed    (Telegram refused it: blocked, chat gone)
       |                  '--settle---> unsure    (it may have gone: never sent again, see `recover`)
       |--cancel--> cancelled      '--drop--> dropped (a nudge too late, or no longer needed)
    declined: the person said no thanks to a nudge for that session (a marker, never sent)

Erasing a person (`Storage._erase`, so /delete and retention too) deletes their reminders.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from bot.errors import StorageError
from bot.store.encryption import Cipher
from bot.store.migrations import connect, writing

if TYPE_CHECKING:
    from bot.store.storage import Storage

PENDING, SENDING, SENT, CANCELLED, DROPPED, FAILED, UNSURE, DECLINED = (
    "pending", "sending", "sent", "cancelled", "dropped", "failed", "unsure", "declined")
MEETING, NUDGE = "meeting", "nudge"  # kinds
_COLUMNS = "r.id, r.session_id, r.kind, r.slot, r.due_at, r.zone, r.state, r.details, r.set_at, r.sent_at"


@dataclass(frozen=True)
class Reminder:
    """One reminder; `details` decrypted."""

    id: int
    session_id: str
    kind: str
    slot: str
    due_at: datetime
    zone: str
    state: str
    set_at: datetime
    details: dict[str, Any] = field(default_factory=dict)
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Due:
    """A pending reminder whose time has come, with where to send it and how its conversation
    stands now (`session_status` None: the conversation is gone)."""

    reminder: Reminder
    channel_id: str
    session_status: str | None
    session_updated_at: datetime | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _reminder(row: tuple[Any, ...], cipher: Cipher) -> Reminder:
    id_, session_id, kind, slot, due_at, zone, state, details, set_at, sent_at = row[:10]
    return Reminder(id_, session_id, kind, slot, datetime.fromisoformat(due_at), zone, state,
                    datetime.fromisoformat(set_at), json.loads(cipher.decrypt(details)) if details else {},
                    _when(sent_at))


def _read(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    try:
        return db.conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc


class Reminders:
    """One person's reminders, written on the coach's connection (each call one transaction).

    Every call names the person, and reads or changes only their rows: a reminder id from a
    button is never trusted on its own."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def of(self, person: str, states: tuple[str, ...] = (PENDING,)) -> list[Reminder]:
        """The person's reminders in these states, soonest first."""
        marks = ", ".join("?" * len(states))
        rows = _read(self.storage.db, f"select {_COLUMNS} from reminders r where r.person_id = ? and "
                                      f"r.state in ({marks}) order by r.due_at, r.id",
                     [self.storage.pseudonym(person), *states])
        return [_reminder(row, self.storage.cipher) for row in rows]

    def get(self, person: str, reminder_id: int) -> Reminder | None:
        rows = _read(self.storage.db, f"select {_COLUMNS} from reminders r where r.id = ? and r.person_id = ?",
                     [reminder_id, self.storage.pseudonym(person)])
        return _reminder(rows[0], self.storage.cipher) if rows else None

    def find(self, person: str, session_id: str, slot: str) -> Reminder | None:
        rows = _read(self.storage.db, f"select {_COLUMNS} from reminders r where r.person_id = ? and "
                                      "r.session_id = ? and r.slot = ?",
                     [self.storage.pseudonym(person), session_id, slot])
        return _reminder(rows[0], self.storage.cipher) if rows else None

    def set(self, person: str, *, session_id: str, kind: str, slot: str, due_at: datetime, zone: str,
            details: dict[str, Any], now: datetime, state: str = PENDING) -> Reminder | None:
        """Set (or move) the person's reminder for this session and slot; it is pending again.
        None if the session is not theirs (a session id from a button is not trusted either)."""
        sealed = self.storage.cipher.encrypt(json.dumps(details, ensure_ascii=False))
        who = self.storage.pseudonym(person)
        with writing(self.storage.db) as db:
            if db.execute("select 1 from sessions where id = ? and person_id = ?", [session_id, who]).fetchone() \
                    is None:
                return None
            row = db.execute(
                "insert into reminders (person_id, session_id, kind, slot, due_at, zone, state, details, set_at) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(person_id, session_id, slot) do update set "
                "kind = excluded.kind, due_at = excluded.due_at, zone = excluded.zone, state = excluded.state, "
                "details = excluded.details, set_at = excluded.set_at, claimed_at = null, sent_at = null, "
                "message_id = null returning id",
                [who, session_id, kind, slot, _iso(due_at), zone, state, sealed, _iso(now)]).fetchone()
        return self.get(person, row[0])

    def move(self, person: str, reminder_id: int, due_at: datetime, now: datetime) -> bool:
        """Move a pending or sent reminder to `due_at` (pending again); False if it is not theirs,
        or is being sent right now."""
        with writing(self.storage.db) as db:
            cursor = db.execute("update reminders set due_at = ?, state = ?, set_at = ?, claimed_at = null, "
                                "sent_at = null, message_id = null where id = ? and person_id = ? and state in (?, ?)",
                                [_iso(due_at), PENDING, _iso(now), reminder_id, self.storage.pseudonym(person),
                                 PENDING, SENT])
            return cursor.rowcount == 1

    def cancel(self, person: str, reminder_id: int) -> bool:
        """Cancel a pending reminder; False if it is not theirs or no longer pending."""
        with writing(self.storage.db) as db:
            cursor = db.execute("update reminders set state = ? where id = ? and person_id = ? and state = ?",
                                [CANCELLED, reminder_id, self.storage.pseudonym(person), PENDING])
            return cursor.rowcount == 1

    def pending_before(self, moment: datetime) -> list[Reminder]:
        """Everyone's pending reminders due before `moment`, soonest first (for operators: no person in them)."""
        columns = _COLUMNS.replace("r.details", "null")  # what is in them is not needed, so not decrypted
        rows = _read(self.storage.db, f"select {columns} from reminders r where r.state = ? and r.due_at < ? "
                                      "order by r.due_at, r.id", [PENDING, _iso(moment)])
        return [_reminder(row, self.storage.cipher) for row in rows]


class Schedule:
    """What the sender needs, on its own connection (so sending never waits on the coach's
    transaction, nor shares its connection across threads). Open one per round; close it after."""

    def __init__(self, path: str, cipher: Cipher) -> None:
        self.cipher = cipher
        self.db = connect(path)

    def close(self) -> None:
        self.db.close()

    def recover(self) -> list[int]:
        """At start, before any claim of this run: a reminder still `sending` was claimed by a run
        that died (kill -9, power cut) between its claim and the record of its send. Telegram may
        or may not have it, and cannot be asked; sending again could show it twice. It is marked
        `unsure` and never sent again (at most once). Returns their ids for the log."""
        with writing(self.db) as db:
            ids = [row[0] for row in db.execute("select id from reminders where state = ?", [SENDING])]
            db.execute("update reminders set state = ? where state = ?", [UNSURE, SENDING])
        return ids

    def due(self, now: datetime) -> list[Due]:
        """Pending reminders due by `now`, soonest first, with the person's channel id (decrypted)."""
        rows = _read(self.db, f"select {_COLUMNS}, p.channel_id, s.status, s.updated_at from reminders r "
                              "join people p on p.id = r.person_id left join sessions s on s.id = r.session_id "
                              "where r.state = ? and r.due_at <= ? order by r.due_at, r.id", [PENDING, _iso(now)])
        return [Due(_reminder(row, self.cipher), self.cipher.decrypt(row[10]), row[11], _when(row[12]))
                for row in rows if row[10]]

    def claim(self, reminder_id: int, now: datetime) -> bool:
        """Take a pending reminder for sending, durably, before anything goes to Telegram; False if
        it is no longer pending (cancelled, moved, erased since it was read)."""
        return self._change(reminder_id, PENDING, SENDING, claimed_at=_iso(now))

    def sent(self, reminder_id: int, now: datetime, message_id: int | None) -> None:
        self._change(reminder_id, SENDING, SENT, sent_at=_iso(now), message_id=message_id)

    def release(self, reminder_id: int) -> None:
        """Certainly not delivered (no connection was made): pending again, for a later round."""
        self._change(reminder_id, SENDING, PENDING, claimed_at=None)

    def settle(self, reminder_id: int, state: str, *, claimed: bool = True) -> None:
        """End a claimed (or, with `claimed=False`, a pending) reminder without sending it again."""
        self._change(reminder_id, SENDING if claimed else PENDING, state)

    def _change(self, reminder_id: int, before: str, after: str, **columns: Any) -> bool:
        sets = "".join(f", {name} = ?" for name in columns)
        with writing(self.db) as db:
            cursor = db.execute(f"update reminders set state = ?{sets} where id = ? and state = ?",
                                [after, *columns.values(), reminder_id, before])
            return cursor.rowcount == 1
