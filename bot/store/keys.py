"""Which key opens which database: where its key file lives, opening the database with it (never
making a key for a database that already holds people), and rotating to a new key.

The key is COACH_SECRET_KEY when it is set. Otherwise it is a key file: COACH_KEY_FILE when set;
else `<database>.key` beside the database if one is there from before (used, with a warning: a
backup of the data folder would carry its own key); else `<key dir>/<database id>.key`, made on
first run, where the key dir is `$XDG_CONFIG_HOME/what-matters-coach` (`~/.config/...` without it)
and the database id is kept in clear in the database, so the file still matches a moved database.

A rotation writes the new key beside the key file (`<key file>.new`) before the database changes,
and over the key file after; a rotation cut short between the two is finished at the next start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from cryptography.fernet import Fernet

from bot.errors import ConfigError
from bot.store.encryption import (
    FernetCipher,
    WrongKey,
    create_key_file,
    database_id,
    holds_people,
    key_fits,
    key_from_secret,
    read_key_file,
    write_key_file,
)
from bot.store.lock import ProcessLock
from bot.store.migrations import connect
from bot.store.storage import Storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeySource:
    """Where a database's key comes from: the secret, or a key file."""

    secret: str | None = None
    file: Path | None = None

    def __str__(self) -> str:
        return "COACH_SECRET_KEY" if self.secret else f"the key file {self.file}"


@dataclass(frozen=True)
class Rotated:
    """What `rotate_key` did: how many encrypted values changed, and the key file now holding the new
    key (None when the key is COACH_SECRET_KEY, which the operator must now set to the new key)."""

    values: int
    key_file: Path | None


def new_key() -> bytes:
    return Fernet.generate_key()


def key_source(db_path: Path, database: str, *, secret_key: str | None, key_file: Path | None,
               key_dir: Path) -> KeySource:
    """Where the key of the database at `db_path` (with id `database`) comes from (see the module docstring)."""
    if secret_key is not None and secret_key.strip():
        return KeySource(secret=secret_key)
    if key_file is not None:
        return KeySource(file=key_file)
    beside = db_path.with_suffix(".key")
    if beside.is_file():
        log.warning("the key file %s sits beside the database, so a backup of %s carries its own key: move it to "
                    "%s (or anywhere outside that folder, and set COACH_KEY_FILE)",
                    beside, db_path.parent, key_dir / f"{database}.key")
        return KeySource(file=beside)
    return KeySource(file=key_dir / f"{database}.key")


def open_storage(db_path: str | Path, *, secret_key: str | None = None, key_file: Path | None = None,
                 key_dir: Path, exclusive: bool = False) -> Storage:
    """The database opened with its key; `exclusive` holds it for this process alone (run and chat),
    and empties the write-ahead log first, so an erase a crash left in it is finished.

    ConfigError, in one line saying what to do, if the key is wrong or missing for saved people."""
    return _open(Path(db_path), secret_key, key_file, key_dir, exclusive)[0]


def rotate_key(db_path: str | Path, new: bytes, *, secret_key: str | None = None, key_file: Path | None = None,
               key_dir: Path) -> Rotated:
    """Re-encrypt everything under the key `new` in one transaction (MultiFernet); then the key file
    holds `new`. Holds the database's lock, so it refuses while a coach is running on it."""
    storage, source = _open(Path(db_path), secret_key, key_file, key_dir, exclusive=True)
    try:
        assert isinstance(storage.cipher, FernetCipher)
        rotating = FernetCipher(new, *storage.cipher.keys)
        if source.file is None:
            return Rotated(storage.reencrypt(rotating), None)
        pending = _pending(source.file)
        write_key_file(pending, new)
        try:
            changed = storage.reencrypt(rotating)
        except BaseException:
            pending.unlink(missing_ok=True)  # nothing changed: the old key still opens everything
            raise
        write_key_file(source.file, new)
        pending.unlink(missing_ok=True)
        return Rotated(changed, source.file)
    finally:
        storage.close()


def _open(db_path: Path, secret_key: str | None, key_file: Path | None, key_dir: Path,
          exclusive: bool) -> tuple[Storage, KeySource]:
    lock = ProcessLock(db_path) if exclusive else None  # first: a second coach is refused before anything
    try:
        probe = connect(db_path)
        try:
            source = key_source(db_path, database_id(probe), secret_key=secret_key, key_file=key_file,
                                key_dir=key_dir)
            cipher = _cipher(probe, source, db_path)
        finally:
            probe.close()
        try:
            storage = Storage(db_path, cipher, lock=lock)
        except WrongKey as error:
            raise ConfigError(_wrong_key(source, db_path)) from error
        if exclusive:
            storage.checkpoint()  # words erased before a crash leave the log now
        return storage, source
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _cipher(probe: sqlite_utils.Database, source: KeySource, db_path: Path) -> FernetCipher:
    if source.secret is not None:
        return FernetCipher(key_from_secret(source.secret))
    assert source.file is not None
    _finish_rotation(probe, source.file)
    try:
        return FernetCipher(read_key_file(source.file))
    except FileNotFoundError:
        pass
    if holds_people(probe):
        raise ConfigError(f"{db_path} holds saved answers but its key file {source.file} is missing: put the key file "
                          "back, or point COACH_KEY_FILE (or COACH_SECRET_KEY) at its key; no new key was made, as "
                          "one would lock everyone out")
    return FernetCipher(create_key_file(source.file))


def _finish_rotation(probe: sqlite_utils.Database, key_file: Path) -> None:
    """A `<key file>.new` left by a rotation: finish it if the database already uses the new key, else drop it."""
    pending = _pending(key_file)
    if not pending.is_file():
        return
    try:
        current: FernetCipher | None = FernetCipher(read_key_file(key_file))
    except FileNotFoundError:
        current = None
    if current is not None and key_fits(probe, current) is not False:
        pending.unlink()
        log.warning("removed %s, left by a key rotation that stopped before changing anything", pending)
    elif key_fits(probe, FernetCipher(read_key_file(pending))):
        write_key_file(key_file, read_key_file(pending))
        pending.unlink()
        log.warning("finished a key rotation that stopped part way: %s now holds the new key", key_file)


def _pending(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".new")


def _wrong_key(source: KeySource, db_path: Path) -> str:
    if source.secret is not None:
        return (f"COACH_SECRET_KEY does not open {db_path}, which holds answers saved under another key: set it back "
                "to the key they were saved with (after `coach rotate-key`, the new key it printed); nothing was "
                "changed")
    return (f"the key file {source.file} does not open {db_path}, which holds answers saved under another key: put "
            "back the key file they were saved with, or point COACH_KEY_FILE at it; nothing was changed")
