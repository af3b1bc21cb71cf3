"""SQLite storage through sqlite-utils: people, sessions, answers with history.

Everything one message changes is written in one transaction (`Storage.save` with `Changes`)
with `synchronous=FULL` in WAL mode, so an answer is on disk before the next question is sent.
Answer text, settings and session state pass through a `Cipher`, so the database file alone can
be kept free of clear text.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.engine.state import FINISHED, Answer, Record, SessionState
from bot.errors import StorageError
from bot.store.encryption import Cipher, PlainCipher
from bot.store.migrations import migrations


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

    def __bool__(self) -> bool:
        return bool(self.settings is not None or self.sessions or self.records or self.hidden or self.deleted
                    or self.key or self.erase)


class Storage:
    """The only module that talks to SQLite."""

    def __init__(self, path: str | Path, cipher: Cipher | None = None) -> None:
        self.path = str(path)
        self.cipher = cipher or PlainCipher()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=5, check_same_thread=False))
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                           "foreign_keys=ON", "busy_timeout=5000"):
                self.db.execute(f"PRAGMA {pragma}")
            migrations.apply(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"cannot open the database at {self.path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    # ----- reading -----

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run a read; a database that cannot be read is a StorageError, like a failed write."""
        try:
            cursor = self.db.conn.execute(sql, params)  # not db.query(): it wraps each read in a savepoint
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def _seal(self, value: Any) -> str:
        return self.cipher.encrypt(json.dumps(value, ensure_ascii=False))

    def _open(self, sealed: str | None) -> Any:
        return json.loads(self.cipher.decrypt(sealed)) if sealed else None

    def person(self, person_id: str, key: str | None = None) -> StoredPerson:
        """The person's settings ({} if new) and whether message `key` was handled: one read."""
        [row] = self._rows(
            "select (select settings from people where id = :person) as settings, "
            "exists(select 1 from processed where person_id = :person and key = :key) as seen",
            {"person": person_id, "key": key or ""})
        return StoredPerson(self._open(row["settings"]) or {}, bool(key) and bool(row["seen"]))

    def settings(self, person_id: str) -> dict[str, Any]:
        return self.person(person_id).settings

    def was_processed(self, person_id: str, key: str) -> bool:
        return self.person(person_id, key).seen

    def person_ids(self) -> list[str]:
        return [row["id"] for row in self._rows("select id from people order by id")]

    def stale_people(self, before: datetime) -> list[str]:
        return [r["id"] for r in self._rows("select id from people where updated_at < ?", [_iso(before)])]

    def stored_session(self, session_id: str) -> StoredSession | None:
        rows = self._rows("select id, flow_id, state, started_at, updated_at from sessions where id = ?",
                          [session_id])
        if not rows:
            return None
        row = rows[0]
        return StoredSession(row["id"], row["flow_id"], SessionState.from_dict(self._open(row["state"])),
                             datetime.fromisoformat(row["started_at"]), datetime.fromisoformat(row["updated_at"]))

    def session(self, session_id: str) -> tuple[dict[str, Any], SessionState] | None:
        """The session's row (without its sealed state) and its state."""
        found = self.stored_session(session_id)
        if found is None:
            return None
        row = {"id": found.id, "flow_id": found.flow_id, "started_at": _iso(found.started_at),
               "updated_at": _iso(found.updated_at)}
        return row, found.state

    def sessions(self, person_id: str) -> list[dict[str, Any]]:
        return self._rows("select id, flow_id, status, started_at, updated_at, finished_at from sessions "
                          "where person_id = ? order by started_at, rowid", [person_id])

    def sessions_with_states(self, person_id: str) -> list[tuple[dict[str, Any], SessionState]]:
        """Every session, oldest first: its row (without the sealed state) and its state, in one read."""
        rows = self._rows(
            "select id, flow_id, status, started_at, updated_at, finished_at, state from sessions "
            "where person_id = ? order by started_at, rowid", [person_id])
        return [(row, SessionState.from_dict(self._open(row.pop("state")))) for row in rows]

    def answers(self, person_id: str) -> list[StoredAnswer]:
        """Every answer of the person, each with its history."""
        rows = self._rows(
            "select a.id, a.session_id, a.node_id, a.question_id, a.hidden, v.value, v.text, v.display, "
            "v.asked, v.skipped, v.answered_at from answers a join answer_versions v on v.answer_id = a.id "
            "where a.person_id = ? order by a.id, v.version", [person_id])
        grouped: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            grouped.setdefault(row["id"], []).append(row)
        result = []
        for versions in grouped.values():
            history = tuple(
                (Answer(self._open(v["value"]), self.cipher.decrypt(v["text"]),
                        self.cipher.decrypt(v["display"]), bool(v["skipped"])),
                 datetime.fromisoformat(v["answered_at"]))
                for v in versions
            )
            last = versions[-1]
            result.append(StoredAnswer(
                last["id"], last["session_id"], last["node_id"], last["question_id"], bool(last["hidden"]),
                history[-1][0], self.cipher.decrypt(last["asked"]), history[-1][1], history[:-1],
            ))
        return result

    # ----- writing: one transaction per message -----

    def save(self, person_id: str, changes: Changes, now: datetime | None = None) -> None:
        """Write everything in `changes` in one durable transaction (nothing if it is empty)."""
        if not changes:
            return
        stamp = _iso(now or now_utc())
        with self._writing() as db:
            if changes.erase:
                self._erase(db, person_id)
            else:
                self._write(db, person_id, changes, stamp)
        if changes.erase:
            self.checkpoint()

    def _write(self, db: sqlite_utils.Database, person_id: str, changes: Changes, stamp: str) -> None:
        if changes.settings is not None or changes.sessions or changes.records:
            db.execute(
                "insert into people (id, created_at, updated_at, settings) values (?, ?, ?, ?) "
                "on conflict(id) do update set updated_at = excluded.updated_at",
                [person_id, stamp, stamp, self._seal({})],
            )
        if changes.settings is not None:
            db.execute("update people set settings = ? where id = ?", [self._seal(changes.settings), person_id])
        for session_id, (state, new) in changes.sessions.items():
            if new:
                db.execute(
                    "insert into sessions (id, person_id, flow_id, flow_hash, status, state, started_at, updated_at, "
                    "finished_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [session_id, person_id, state.flow_id, state.flow_hash, state.status,
                     self._seal(state.to_dict()), stamp, stamp, None])
            else:
                finished = stamp if state.status == FINISHED else None
                db.execute(
                    "update sessions set state = ?, status = ?, flow_hash = ?, updated_at = ?, finished_at = ? "
                    "where id = ?",
                    [self._seal(state.to_dict()), state.status, state.flow_hash, stamp, finished, session_id])
        for session_id, record in changes.records:
            self._write_record(db, session_id, person_id, record, stamp)
        for answer_id, hidden in changes.hidden.items():
            self._hide(db, person_id, answer_id, hidden)
        for answer_id in changes.deleted:
            self._delete_answer(db, person_id, answer_id)
        if changes.key:
            db.execute("insert or ignore into processed (person_id, key, at) values (?, ?, ?)",
                       [person_id, changes.key, stamp])

    def _write_record(self, db: sqlite_utils.Database, session_id: str, person_id: str, record: Record,
                      stamp: str) -> None:
        answer_id = db.execute(
            "insert into answers (session_id, person_id, node_id, question_id, hidden, created_at, updated_at) "
            "values (?, ?, ?, ?, 0, ?, ?) on conflict (session_id, node_id) "
            "do update set updated_at = excluded.updated_at returning id",
            [session_id, person_id, record.node_id, record.question_id, stamp, stamp],
        ).fetchone()[0]
        answer = record.answer
        db.execute(
            "insert into answer_versions (answer_id, version, value, text, display, asked, skipped, answered_at) "
            "select ?, coalesce(max(version), 0) + 1, ?, ?, ?, ?, ?, ? from answer_versions where answer_id = ?",
            [answer_id, self._seal(answer.value), self.cipher.encrypt(answer.text),
             self.cipher.encrypt(answer.display), self.cipher.encrypt(record.asked), int(answer.skipped), stamp,
             answer_id],
        )

    @staticmethod
    def _hide(db: sqlite_utils.Database, person_id: str, answer_id: int, hidden: bool) -> bool:
        cursor = db.execute("update answers set hidden = ? where id = ? and person_id = ?",
                            [int(hidden), answer_id, person_id])
        return cursor.rowcount > 0

    @staticmethod
    def _delete_answer(db: sqlite_utils.Database, person_id: str, answer_id: int) -> bool:
        db.execute("delete from answer_versions where answer_id in "
                   "(select id from answers where id = ? and person_id = ?)", [answer_id, person_id])
        return db.execute("delete from answers where id = ? and person_id = ?", [answer_id, person_id]).rowcount > 0

    def _erase(self, db: sqlite_utils.Database, person_id: str) -> None:
        db.execute("delete from answer_versions where answer_id in "
                   "(select id from answers where person_id = ?)", [person_id])
        for table in ("answers", "sessions", "processed"):
            db.execute(f"delete from {table} where person_id = ?", [person_id])
        db.execute("delete from people where id = ?", [person_id])

    @contextmanager
    def _writing(self) -> Iterator[sqlite_utils.Database]:
        try:
            with self.db.atomic() as db:
                yield db
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    # ----- the same writes one at a time (tools, tests, benchmarks) -----

    def save_settings(self, person_id: str, settings: dict[str, Any], now: datetime | None = None) -> None:
        self.save(person_id, Changes(settings=settings), now)

    def create_session(self, person_id: str, state: SessionState, records: Sequence[Record] = (),
                       now: datetime | None = None) -> str:
        session_id = new_session_id()
        self.save(person_id, Changes(sessions={session_id: (state, True)},
                                     records=[(session_id, r) for r in records]), now)
        return session_id

    def save_turn(self, person_id: str, session_id: str, state: SessionState, records: Sequence[Record],
                  *, now: datetime | None = None, message_key: str | None = None) -> None:
        """Write the new state, the answers and the message key in one durable transaction."""
        self.save(person_id, Changes(sessions={session_id: (state, False)},
                                     records=[(session_id, r) for r in records], key=message_key), now)

    def set_hidden(self, person_id: str, answer_id: int, hidden: bool) -> bool:
        """Hide (or show) one of the person's answers; False if they have no such answer."""
        with self._writing() as db:
            return self._hide(db, person_id, answer_id, hidden)

    def delete_answer(self, person_id: str, answer_id: int) -> bool:
        """Delete one of the person's answers with its history; False if they have no such answer."""
        with self._writing() as db:
            return self._delete_answer(db, person_id, answer_id)

    def delete_person(self, person_id: str) -> None:
        """Erase everything about a person so it cannot be recovered from the file."""
        self.save(person_id, Changes(erase=True))

    def checkpoint(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
