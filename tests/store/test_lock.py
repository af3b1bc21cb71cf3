"""One coach per database: an exclusive lock beside it, refused in one line, gone when its holder is."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.errors import StorageError
from bot.store.encryption import FernetCipher
from bot.store.lock import ProcessLock
from bot.store.storage import Storage

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time; from bot.store.lock import ProcessLock; lock = ProcessLock(sys.argv[1]); "
        "print('locked', flush=True); time.sleep(60)")


def test_lock_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    first = ProcessLock(db)
    with pytest.raises(StorageError) as refused:
        ProcessLock(db)
    assert str(refused.value) == (f"another coach is already running on {db} (pid {os.getpid()}); "
                                  "stop it first, or give this one its own COACH_DB")
    first.release()
    ProcessLock(db).release()  # free again


def test_lock_file_sits_beside_the_database_owner_only(tmp_path: Path) -> None:
    lock = ProcessLock(tmp_path / "data" / "coach.db")
    try:
        assert lock.path == tmp_path / "data" / "coach.db.lock"
        assert stat.S_IMODE(lock.path.stat().st_mode) == 0o600
    finally:
        lock.release()
    lock.release()  # twice is harmless


def test_lock_held_by_another_process_and_released_by_the_os_on_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StorageError, match=rf"already running on {db} \(pid {holder.pid}\)"):
            ProcessLock(db)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=10)
    ProcessLock(db).release()  # no stale lock after kill -9


def test_lock_storage_owns_its_lock_until_closed(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    storage = Storage(db, lock=ProcessLock(db))
    with pytest.raises(StorageError, match="already running"):
        ProcessLock(db)
    storage.close()
    ProcessLock(db).release()


def test_lock_is_let_go_when_the_database_refuses_the_key(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    first = Storage(db, FernetCipher(Fernet.generate_key()))
    first.save_settings("tg:1", {"name": "Sam"})
    first.close()
    with pytest.raises(StorageError):
        Storage(db, FernetCipher(Fernet.generate_key()), lock=ProcessLock(db))
    ProcessLock(db).release()
