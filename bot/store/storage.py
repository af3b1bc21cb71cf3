"""SQLite storage through sqlite-utils: people, sessions, answers with history.

Every turn is written in one transaction with `synchronous=FULL` in WAL mode, so an answer is
on disk before the next question is sent. Answer text and session state pass through a
`Cipher` so the database file alone can be kept free of clear text.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.engine.state import Answer, Record, SessionState
from bot.errors import StorageError

migrations = Migrations("coach")


@migrations()
def m001_create_tables(db: sqlite_utils.Database) -> None:
    db.table("people").create(
        {"id": str, "created_at": str, "updated_at": str, "settings": str}, pk="id"
    )
    db.table("sessions").create(
        {"id": str, "person_id": str, "flow_id": str, "flow_hash": str, "status": str,
         "state": str, "started_at": str, "updated_at": str, "finished_at": str},
        pk="id", foreign_keys=[("person_id", "people", "id")],
    )
    db.table("sessions").create_index(["person_id", "updated_at"])
    db.table("answers").create(
        {"id": int, "session_id": str, "person_id": str, "node_id": str, "question_id": str,
         "hidden": int, "created_at": str, "updated_at": str},
        pk="id", foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("answers").create_index(["session_id", "node_id"], unique=True)
    db.table("answers").create_index(["person_id"])
    db.table("answer_versions").create(
        {"id": int, "answer_id": int, "version": int, "value": str, "text": str, "display": str,
         "asked": str, "skipped": int, "answered_at": str},
        pk="id", foreign_keys=[("answer_id", "answers", "id")],
    )
    db.table("answer_versions").create_index(["answer_id", "version"], unique=True)
    db.table("processed").create({"person_id": str, "key": str, "at": str}, pk=("person_id", "key"))


class Cipher(Protocol):
    def encrypt(self, text: str) -> str: ...
    def decrypt(self, text: str) -> str: ...


class PlainCipher:
    """No encryption (tests and tools that need to read the file)."""

    def encrypt(self, text: str) -> str:
        return text

    def decrypt(self, text: str) -> str:
        return text


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


def now_utc() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


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

    @contextmanager
    def _writing(self) -> Iterator[sqlite_utils.Database]:
        try:
            with self.db.atomic() as db:
                yield db
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read; a database that cannot be read is a StorageError, like a failed write."""
        try:
            return list(self.db.query(sql, params))
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def _seal(self, value: Any) -> str:
        return self.cipher.encrypt(json.dumps(value, ensure_ascii=False))

    def _open(self, sealed: str | None) -> Any:
        return json.loads(self.cipher.decrypt(sealed)) if sealed else None

    # ----- people -----

    def settings(self, person_id: str) -> dict[str, Any]:
        rows = list(self._rows("select settings from people where id = ?", [person_id]))
        return self._open(rows[0]["settings"]) or {} if rows else {}

    def save_settings(self, person_id: str, settings: dict[str, Any], now: datetime | None = None) -> None:
        stamp = _iso(now or now_utc())
        with self._writing() as db:
            self._touch_person(db, person_id, stamp)
            db.table("people").update(person_id, {"settings": self._seal(settings)})

    def _touch_person(self, db: sqlite_utils.Database, person_id: str, stamp: str) -> None:
        db.execute(
            "insert into people (id, created_at, updated_at, settings) values (?, ?, ?, ?) "
            "on conflict(id) do update set updated_at = excluded.updated_at",
            [person_id, stamp, stamp, self._seal({})],
        )

    def person_ids(self) -> list[str]:
        return [row["id"] for row in self._rows("select id from people order by id")]

    # ----- sessions -----

    def create_session(self, person_id: str, state: SessionState, records: Sequence[Record] = (),
                       now: datetime | None = None) -> str:
        session_id = secrets.token_hex(6)  # 48 bits: no clash among millions of sessions
        stamp = _iso(now or now_utc())
        with self._writing() as db:
            self._touch_person(db, person_id, stamp)
            db.table("sessions").insert({
                "id": session_id, "person_id": person_id, "flow_id": state.flow_id,
                "flow_hash": state.flow_hash, "status": state.status, "state": self._seal(state.to_dict()),
                "started_at": stamp, "updated_at": stamp, "finished_at": None,
            })
            self._write_records(db, session_id, person_id, records, stamp)
        return session_id

    def save_turn(self, person_id: str, session_id: str, state: SessionState, records: Sequence[Record],
                  *, now: datetime | None = None, message_key: str | None = None) -> None:
        """Write the new state, the answers and the message key in one durable transaction."""
        stamp = _iso(now or now_utc())
        with self._writing() as db:
            self._touch_person(db, person_id, stamp)
            db.table("sessions").update(session_id, {
                "state": self._seal(state.to_dict()), "status": state.status, "flow_hash": state.flow_hash,
                "updated_at": stamp, "finished_at": stamp if state.status == "finished" else None,
            })
            self._write_records(db, session_id, person_id, records, stamp)
            if message_key:
                self._mark(db, person_id, message_key, stamp)

    def _write_records(self, db: sqlite_utils.Database, session_id: str, person_id: str,
                       records: Sequence[Record], stamp: str) -> None:
        for record in records:
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

    def _mark(self, db: sqlite_utils.Database, person_id: str, key: str, stamp: str) -> None:
        db.execute("insert or ignore into processed (person_id, key, at) values (?, ?, ?)", [person_id, key, stamp])

    def mark_processed(self, person_id: str, key: str) -> None:
        with self._writing() as db:
            self._mark(db, person_id, key, _iso(now_utc()))

    def was_processed(self, person_id: str, key: str) -> bool:
        return bool(list(self._rows("select 1 from processed where person_id = ? and key = ?", [person_id, key])))

    def session(self, session_id: str) -> tuple[dict[str, Any], SessionState] | None:
        rows = list(self._rows("select * from sessions where id = ?", [session_id]))
        if not rows:
            return None
        return rows[0], SessionState.from_dict(self._open(rows[0]["state"]))

    def sessions(self, person_id: str) -> list[dict[str, Any]]:
        return list(self._rows(
            "select id, flow_id, status, started_at, updated_at, finished_at from sessions "
            "where person_id = ? order by started_at, rowid", [person_id]))

    def set_status(self, session_id: str, status: str) -> None:
        with self._writing() as db:
            db.table("sessions").update(session_id, {"status": status, "updated_at": _iso(now_utc())})

    # ----- answers -----

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

    def set_hidden(self, person_id: str, answer_id: int, hidden: bool) -> bool:
        with self._writing() as db:
            cursor = db.execute("update answers set hidden = ? where id = ? and person_id = ?",
                                [int(hidden), answer_id, person_id])
            return cursor.rowcount > 0

    def delete_answer(self, person_id: str, answer_id: int) -> bool:
        with self._writing() as db:
            owned = list(db.query("select 1 from answers where id = ? and person_id = ?", [answer_id, person_id]))
            if not owned:
                return False
            db.execute("delete from answer_versions where answer_id = ?", [answer_id])
            db.execute("delete from answers where id = ?", [answer_id])
        return True

    def delete_person(self, person_id: str) -> None:
        """Erase everything about a person so it cannot be recovered from the file."""
        with self._writing() as db:
            db.execute("delete from answer_versions where answer_id in "
                       "(select id from answers where person_id = ?)", [person_id])
            for table in ("answers", "sessions", "processed"):
                db.execute(f"delete from {table} where person_id = ?", [person_id])
            db.execute("delete from people where id = ?", [person_id])
        self.checkpoint()

    def checkpoint(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def stale_people(self, before: datetime) -> list[str]:
        return [r["id"] for r in self._rows("select id from people where updated_at < ?", [_iso(before)])]
