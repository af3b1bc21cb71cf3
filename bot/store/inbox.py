"""The durable inbox: every update is on disk before the channel tells Telegram it was received.

A channel calls `add` before acknowledging an update (for long polling: before the next
getUpdates confirms it; for a webhook: before the HTTP reply), `done` once it has been handled,
and at start `pending` to handle first whatever a crash left behind. The update's body is kept
encrypted and wiped when it is done; its id stays a day as a tombstone, so Telegram sending it
again (it keeps unconfirmed updates for a day) is recognised and not handled twice.

It has its own connection (with `synchronous=FULL`) and its own migrations, so receiving never
waits on the coach's transaction and the coach's tables know nothing of it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.errors import StorageError
from bot.store.encryption import Cipher

KEEP_DONE = timedelta(days=1)  # Telegram keeps an unconfirmed update for 24 hours

migrations = Migrations("coach-inbox")


@migrations()
def m001_create_inbox(db: sqlite_utils.Database) -> None:
    db.table("inbox").create({"update_id": int, "body": str, "received_at": str, "done_at": str}, pk="update_id")
    db.table("inbox").create_index(["done_at"])


class Inbox:
    """Updates received and not yet handled, by update id (Telegram's own order)."""

    def __init__(self, path: str, cipher: Cipher) -> None:
        self.cipher = cipher
        self._lock = threading.Lock()  # one thread at a time on the connection, closing included
        self._closed = False
        try:
            self.db = sqlite_utils.Database(sqlite3.connect(path, timeout=5, check_same_thread=False))
            # A short wait: its writes are tiny, and if the database stays locked the update is handled
            # anyway (the safety net must read it) and marked done later.
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON", "busy_timeout=1000"):
                self.db.execute(f"PRAGMA {pragma}")
            migrations.apply(self.db)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the inbox at {path}: {exc}") from exc

    def close(self) -> None:
        """Close once no other thread is using the connection (a later call fails as a StorageError)."""
        with self._lock:
            self.db.close()
            self._closed = True

    def add(self, update_id: int, body: str, now: datetime) -> bool:
        """Keep an update; False if it was kept before (pending or done), so it is not handled twice."""
        with self._lock, self._writing() as conn:
            cursor = conn.execute("insert or ignore into inbox (update_id, body, received_at) values (?, ?, ?)",
                                  [update_id, self.cipher.encrypt(body), now.isoformat()])
            return cursor.rowcount == 1

    def done(self, update_id: int, now: datetime) -> None:
        """The update has been handled: wipe its body; forget old tombstones."""
        with self._lock, self._writing() as conn:
            conn.execute("update inbox set body = null, done_at = ? where update_id = ?", [now.isoformat(), update_id])
            conn.execute("delete from inbox where done_at < ?", [(now - KEEP_DONE).isoformat()])

    def pending(self) -> list[tuple[int, str]]:
        """Updates received but never handled (a crash, a kill), oldest first, decrypted."""
        with self._lock:
            if self._closed:
                raise StorageError("the inbox is closed")
            try:
                rows = self.db.conn.execute(
                    "select update_id, body from inbox where done_at is null order by update_id").fetchall()
            except sqlite3.Error as exc:
                raise StorageError(str(exc)) from exc
        return [(update_id, self.cipher.decrypt(body)) for update_id, body in rows]

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One committed write; any SQLite failure becomes a StorageError."""
        if self._closed:
            raise StorageError("the inbox is closed")
        try:
            with self.db.conn as conn:  # commits, or rolls back on an error
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
