"""The database's files on disk: readable by their owner only, served by one coach at a time, and
the write-ahead log emptied on demand (so erased words leave the files).

`ProcessLock` is an exclusive `flock` on `<database>.lock`, held for the life of the process; the
operating system lets it go when the process ends, even on `kill -9`, so a stale lock cannot block
a restart. The lock file is never deleted (deleting it would let two processes lock two files).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from bot.errors import StorageError

log = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm", "-journal")
CHECKPOINT_TRIES = 5
CHECKPOINT_WAIT_MS = 200  # per try, while a reader finishes


class ProcessLock:
    """Held by the one process that runs a coach on a database; a second one is refused in one line."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.path = Path(f"{db_path}.lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            reason = error.strerror or error
            raise StorageError(f"cannot open the database's lock file {self.path}: {reason}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StorageError(f"another coach is already running on {self.db_path} (pid {holder}); "
                               "stop it first, or give this one its own COACH_DB") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def create_private(db_path: Path) -> None:
    """Make the database file owner-only before SQLite first opens it (its -wal and -shm then follow
    its mode), and tighten the files of an existing database made before this rule."""
    # Only ever open a file that is not there yet: closing any descriptor of a database file drops
    # every POSIX lock this process holds on it (SQLite's own included, from its other connections),
    # and another process could then delete a write-ahead log still in use here.
    if not db_path.exists():
        try:
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # empty file: empty database
        except FileExistsError:
            pass
        except OSError:
            return  # SQLite will say what is wrong, with the path
    for path in (db_path, *(Path(f"{db_path}{suffix}") for suffix in SIDE_FILES)):
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError as error:
            log.warning("cannot make %s readable by its owner only: %s", path, error.strerror or error)


def checkpoint(db: sqlite_utils.Database) -> bool:
    """Copy the write-ahead log into the database file and empty it, trying a few times while
    readers finish; False if they kept it busy through every try."""
    try:
        before = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        try:
            for _ in range(CHECKPOINT_TRIES):
                if db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0:
                    return True
                time.sleep(CHECKPOINT_WAIT_MS / 1000)
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(before)}")
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc
    log.warning("the write-ahead log is still in use after %d tries; erased words stay in it until the next "
                "checkpoint", CHECKPOINT_TRIES)
    return False
