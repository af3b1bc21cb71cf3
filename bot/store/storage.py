"""SQLite storage through sqlite-utils: people, sessions, answers with history.

Everything one message changes is written in one transaction (`Storage.save` with `Changes`)
with `synchronous=FULL` in WAL mode, so an answer is on disk before the next question is sent.
Answer text, settings, session state and channel ids pass through a `Cipher`, so the database
file alone can be kept free of clear text; a person is stored under a keyed hash of their channel
id (callers still pass the channel id). A session carries a version: a save that would overwrite a
session changed since it was read raises StaleState and writes nothing. Each answer keeps its
newest HISTORY_LIMIT versions. The files are owner-only.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.engine.state import FINISHED, Answer, Record, SessionState
from bot.errors import StaleState, StorageError
from bot.store.encryption import Cipher, FernetCipher, PlainCipher, reencrypt, unlock
from bot.store.lock import ProcessLock, checkpoint
from bot.store.migrations import connect, writing
from bot.store.records import (  # noqa: F401 - names callers import from here
    Changes,
    Saved,
    StoredAnswer,
    StoredPerson,
    StoredSession,
    _iso,
    new_session_id,
    now_utc,
)

log = logging.getLogger(__name__)

HISTORY_LIMIT = 20  # versions kept of one answer (the newest); older ones go in the same transaction


class Storage:
    """The only module that talks to SQLite. Owns `lock` (held while open) if one is given.

    A wrong cipher for a database that holds people is refused here (WrongKey, a StorageError);
    `keys.open_storage` picks the cipher from the settings and words that error for the operator."""

    def __init__(self, path: str | Path, cipher: Cipher | None = None, *, lock: ProcessLock | None = None) -> None:
        self.path = str(path)
        self.cipher = cipher or PlainCipher()
        self.lock = lock
        self._versions: dict[str, int] = {}  # session id -> version last read or written here
        try:
            self.db = connect(self.path)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        try:
            self._pseudonym = unlock(self.db, self.cipher)
        except BaseException as exc:
            self.close()
            if isinstance(exc, sqlite3.Error):
                raise StorageError(f"cannot open the database at {self.path}: {exc}") from exc
            raise

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()

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
            {"person": self._pseudonym(person_id), "key": key or ""})
        return StoredPerson(self._open(row["settings"]) or {}, bool(key) and bool(row["seen"]))

    def settings(self, person_id: str) -> dict[str, Any]:
        return self.person(person_id).settings

    def was_processed(self, person_id: str, key: str) -> bool:
        return self.person(person_id, key).seen

    def pseudonym(self, person_id: str) -> str:
        """The keyed hash a person is stored under (for bot.store.reminders, which shares the connection)."""
        return self._pseudonym(person_id)

    def person_ids(self) -> list[str]:
        """Everyone's channel id (decrypted), sorted."""
        return sorted(self._channel_ids("select channel_id from people"))

    def stale_people(self, before: datetime) -> list[str]:
        """The channel ids of people untouched since `before`."""
        return self._channel_ids("select channel_id from people where updated_at < ?", [_iso(before)])

    def _channel_ids(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        return [self.cipher.decrypt(row["channel_id"]) for row in self._rows(sql, params) if row["channel_id"]]

    def stored_session(self, session_id: str) -> StoredSession | None:
        rows = self._rows("select id, flow_id, state, started_at, updated_at, version from sessions where id = ?",
                          [session_id])
        if not rows:
            return None
        row = rows[0]
        self._versions[session_id] = row["version"]
        return StoredSession(row["id"], row["flow_id"], SessionState.from_dict(self._open(row["state"])),
                             datetime.fromisoformat(row["started_at"]), datetime.fromisoformat(row["updated_at"]),
                             row["version"])

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
                          "where person_id = ? order by started_at, rowid", [self._pseudonym(person_id)])

    def sessions_with_states(self, person_id: str) -> list[tuple[dict[str, Any], SessionState]]:
        """Every session, oldest first: its row (without the sealed state) and its state, in one read."""
        rows = self._rows(
            "select id, flow_id, status, started_at, updated_at, finished_at, state from sessions "
            "where person_id = ? order by started_at, rowid", [self._pseudonym(person_id)])
        return [(row, SessionState.from_dict(self._open(row.pop("state")))) for row in rows]

    def answers(self, person_id: str) -> list[StoredAnswer]:
        """Every answer of the person, each with its history."""
        rows = self._rows(
            "select a.id, a.session_id, a.node_id, a.question_id, a.hidden, v.value, v.text, v.display, "
            "v.asked, v.skipped, v.answered_at from answers a join answer_versions v on v.answer_id = a.id "
            "where a.person_id = ? order by a.id, v.version", [self._pseudonym(person_id)])
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

    def save(self, person_id: str, changes: Changes, now: datetime | None = None) -> Saved:
        """Write everything in `changes` in one durable transaction (nothing if it is empty).

        StaleState (and nothing written) if a session changed since this message read it."""
        if not changes:
            return Saved()
        stamp = _iso(now or now_utc())
        who = self._pseudonym(person_id)
        with writing(self.db) as db:
            if changes.erase:
                self._erase(db, who)
                versions: dict[str, int] = {}
            else:
                versions = self._write(db, who, person_id, changes, stamp)
        self._versions.update(versions)
        return Saved(versions, wiped=self._wipe() if changes.erase else False)

    def _write(self, db: sqlite_utils.Database, who: str, person_id: str, changes: Changes,
               stamp: str) -> dict[str, int]:
        if changes.settings is not None or changes.sessions or changes.records:
            db.execute(
                "insert into people (id, channel_id, created_at, updated_at, settings) values (?, ?, ?, ?, ?) "
                "on conflict(id) do update set updated_at = excluded.updated_at",
                [who, self.cipher.encrypt(person_id), stamp, stamp, self._seal({})],
            )
        if changes.settings is not None:
            db.execute("update people set settings = ? where id = ?", [self._seal(changes.settings), who])
        versions = {session_id: self._write_session(db, who, session_id, state, new, changes.versions, stamp)
                    for session_id, (state, new) in changes.sessions.items()}
        for session_id, record in changes.records:
            self._write_record(db, session_id, who, record, stamp)
        for answer_id, hidden in changes.hidden.items():
            self._hide(db, who, answer_id, hidden)
        for answer_id in changes.deleted:
            self._delete_answer(db, who, answer_id)
        if changes.key:
            db.execute("insert or ignore into processed (person_id, key, at) values (?, ?, ?)",
                       [who, changes.key, stamp])
        return {session_id: version for session_id, version in versions.items() if version is not None}

    def _write_session(self, db: sqlite_utils.Database, who: str, session_id: str, state: SessionState, new: bool,
                       read: dict[str, int], stamp: str) -> int | None:
        """Insert or update one session; its new version (None: no such session and none was read)."""
        if new:
            db.execute(
                "insert into sessions (id, person_id, flow_id, flow_hash, status, state, started_at, updated_at, "
                "finished_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                [session_id, who, state.flow_id, state.flow_hash, state.status, self._seal(state.to_dict()), stamp,
                 stamp, None])
            return 1
        expected = read.get(session_id, self._versions.get(session_id))
        finished = stamp if state.status == FINISHED else None
        row = db.execute(
            "update sessions set state = ?, status = ?, flow_hash = ?, updated_at = ?, finished_at = ?, "
            f"version = version + 1 where id = ?{'' if expected is None else ' and version = ?'} returning version",
            [self._seal(state.to_dict()), state.status, state.flow_hash, stamp, finished, session_id,
             *([] if expected is None else [expected])]).fetchone()
        if row is None and expected is not None:
            raise StaleState(session_id)  # rolls back everything this message wrote
        return None if row is None else int(row[0])

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
        db.execute("delete from answer_versions where answer_id = ? and version <= "
                   "(select max(version) from answer_versions where answer_id = ?) - ?",
                   [answer_id, answer_id, HISTORY_LIMIT])

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

    @staticmethod
    def _erase(db: sqlite_utils.Database, who: str) -> None:
        db.execute("delete from answer_versions where answer_id in "
                   "(select id from answers where person_id = ?)", [who])
        for table in ("reminders", "answers", "sessions", "processed"):
            db.execute(f"delete from {table} where person_id = ?", [who])
        db.execute("delete from people where id = ?", [who])

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
        with writing(self.db) as db:
            return self._hide(db, self._pseudonym(person_id), answer_id, hidden)

    def delete_answer(self, person_id: str, answer_id: int) -> bool:
        """Delete one of the person's answers with its history; False if they have no such answer."""
        with writing(self.db) as db:
            return self._delete_answer(db, self._pseudonym(person_id), answer_id)

    def delete_person(self, person_id: str) -> bool:
        """Erase everything about a person; True if the words are gone from the files too (False: the
        rows are gone, but the write-ahead log still holds them until a later checkpoint)."""
        return self.save(person_id, Changes(erase=True)).wiped

    def erase_untouched(self, before: datetime) -> int:
        """Erase everyone untouched since `before`, in one transaction; return how many."""
        with writing(self.db) as db:
            stale = [row[0] for row in db.execute("select id from people where updated_at < ?", [_iso(before)])]
            for who in stale:
                self._erase(db, who)
        if stale:
            self._wipe()
        return len(stale)

    # ----- the files -----

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it; False if readers kept it busy."""
        return checkpoint(self.db)

    def _wipe(self) -> bool:
        """After an erase: whether the checkpoint took the erased words out of the files."""
        try:
            return checkpoint(self.db)
        except StorageError as exc:
            log.warning("checkpoint after an erase failed: %s", exc)
            return False

    def reencrypt(self, cipher: FernetCipher) -> int:
        """Re-encrypt every encrypted value with the cipher's first key, in one transaction, then use
        that key; the old key's copies are then checkpointed out of the files. Pseudonyms stay the same."""
        with writing(self.db) as db:
            changed = reencrypt(db, cipher)
        self.cipher = FernetCipher(cipher.keys[0])
        self._wipe()
        return changed
