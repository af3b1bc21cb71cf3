"""Opening the database, and the one way to write to it (`writing`): its file owner-only, durable by
configuration, its tables up to date as numbered migrations (sqlite-utils records which have run); and
the one data migration that needs the key, channel ids to pseudonyms (run once by `encryption.unlock`,
recorded in `meta`)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.errors import StorageError
from bot.store.lock import create_private

migrations = Migrations("coach")

PERSON_TABLES = ("people", "sessions", "answers", "processed", "reminders")  # every table with a person in it


def connect(path: str | Path) -> sqlite_utils.Database:
    """The database at `path` (made owner-only if new), durable by configuration, its tables up to date."""
    path = str(path)
    try:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            create_private(Path(path))
        db = sqlite_utils.Database(sqlite3.connect(path, timeout=5, check_same_thread=False))
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                       "foreign_keys=ON", "busy_timeout=5000"):
            db.execute(f"PRAGMA {pragma}")
        migrations.apply(db)
        return db
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"cannot open the database at {path}: {exc}") from exc


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One transaction that takes the write lock at its start (BEGIN IMMEDIATE), nested ones as
    savepoints; any SQLite failure is a StorageError. A deferred BEGIN that reads and then writes
    fails at once ("database is locked", no wait) if another connection wrote in between, as the
    reminder sender's connection does; an immediate one waits its turn (busy_timeout) instead."""
    try:
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc


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


@migrations()
def m002_meta_versions_channel_ids(db: sqlite_utils.Database) -> None:
    """`meta` holds the database's id (names its default key file), the key check value and the
    encrypted pseudonym key; sessions get an optimistic version; people their encrypted channel id."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.execute("insert into meta (key, value) values ('database_id', ?)", [secrets.token_hex(8)])
    db.table("sessions").add_column("version", int, not_null_default=1)
    db.table("people").add_column("channel_id", str)


@migrations()
def m003_reminders(db: sqlite_utils.Database) -> None:
    """Reminders a person asked for (bot.store.reminders): due time in UTC, their time zone, state."""
    db.table("reminders").create(
        {"id": int, "person_id": str, "session_id": str, "kind": str, "slot": str, "due_at": str, "zone": str,
         "state": str, "details": str, "set_at": str, "claimed_at": str, "sent_at": str, "message_id": int},
        pk="id", foreign_keys=[("person_id", "people", "id")],
    )
    db.table("reminders").create_index(["person_id", "session_id", "slot"], unique=True)
    db.table("reminders").create_index(["state", "due_at"])


def pseudonymise(db: sqlite_utils.Database, pseudonym: Callable[[str], str], seal: Callable[[str], str]) -> int:
    """Replace every clear channel id with its pseudonym, keeping it sealed in `people.channel_id`;
    return how many people were changed. Run inside the caller's transaction, with foreign keys deferred."""
    db.execute("PRAGMA defer_foreign_keys = ON")
    clear = {row[0] for table in PERSON_TABLES
             for row in db.execute(f"select distinct {'id' if table == 'people' else 'person_id'} from {table}")}
    for person_id in clear:
        db.execute("update people set id = ?, channel_id = ? where id = ?", [pseudonym(person_id), seal(person_id),
                                                                             person_id])
        for table in PERSON_TABLES[1:]:
            db.execute(f"update {table} set person_id = ? where person_id = ?", [pseudonym(person_id), person_id])
    return len(clear)
