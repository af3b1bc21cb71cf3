"""Encryption at rest with Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`): ciphers, key
files, the keyed hash that stands in for a person's channel id, and what a database keeps about its key.

A key is either a Fernet key as made by `Fernet.generate_key()`, or any passphrase, from which a
key is derived with PBKDF2-HMAC-SHA256 and a fixed application salt (so the same passphrase always
opens the same database). Key files are written owner-only. Lose the key and the saved answers
cannot be read again; that is the point. Which key file belongs to which database is `keys.py`'s.

A database keeps in its `meta` table a check value (a known text encrypted with its key, written
when it is first given a key), so a wrong key is refused at once, and the pseudonym key (random,
encrypted with the database's key, so rotating the key keeps every pseudonym the same).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from bot.errors import ConfigError, StorageError
from bot.store.migrations import pseudonymise

log = logging.getLogger(__name__)

APP_SALT = b"what-matters-coach/answer-key/v1"
PBKDF2_ITERATIONS = 600_000
KEY_CHANGED = "cannot read saved answers: the secret key has changed"
PSEUDONYM_HEX = 32  # 128 bits of HMAC-SHA256: no clash among billions of people
CHECK_TEXT = "what-matters-coach: this key opens this database"
TOKEN_GLOB = "gAAAAA*"  # how every Fernet token made before 2106 begins (version 0x80, then the time)


class WrongKey(StorageError):
    """The key does not open this database, which holds people saved under another key."""


class Cipher(Protocol):
    """Turns text into stored text and back."""

    def encrypt(self, text: str) -> str: ...
    def decrypt(self, text: str) -> str: ...


class PlainCipher:
    """No encryption (tests and tools that need to read the file)."""

    def encrypt(self, text: str) -> str:
        return text

    def decrypt(self, text: str) -> str:
        return text


class FernetCipher:
    """Encrypts with `key` and decrypts with it or any of `older` (MultiFernet); tokens are URL-safe ASCII."""

    def __init__(self, key: bytes, *older: bytes) -> None:
        self.keys = (key, *older)
        self._fernet = MultiFernet([Fernet(k) for k in self.keys])

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise StorageError(KEY_CHANGED) from error

    def rotate(self, token: str) -> str | None:
        """The token re-encrypted with the first key; None if no key of this cipher opens it."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            return None


class Pseudonyms:
    """A person's channel id (say `tg:12345`) as a keyed hash: stable for the key, not reversible without it."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, person_id: str) -> str:
        return hmac.new(self._key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


def is_fernet_key(value: str | bytes) -> bool:
    """True if the value is a URL-safe base64 encoding of exactly 32 bytes."""
    raw = value.encode("ascii", "replace") if isinstance(value, str) else value
    try:
        return len(base64.urlsafe_b64decode(raw.strip())) == 32 and len(raw.strip()) == 44
    except (binascii.Error, ValueError):
        return False


@lru_cache(maxsize=8)
def derive_key(passphrase: str) -> bytes:
    """A Fernet key from any passphrase (slow on purpose; cached for the life of the process)."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=APP_SALT, iterations=PBKDF2_ITERATIONS)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def key_from_secret(secret: str) -> bytes:
    """The Fernet key a COACH_SECRET_KEY stands for: itself if it is one, else derived from it."""
    value = secret.strip()
    return value.encode("ascii") if is_fernet_key(value) else derive_key(value)


def load_cipher(secret_key: str | None, key_file: Path) -> FernetCipher:
    """The cipher from the secret key if given, else from the key file (made if missing).

    For tools and tests with a database of their own; the coach opens its database with
    `keys.open_storage`, which never makes a key for a database that already holds people."""
    if secret_key is not None and secret_key.strip():
        return FernetCipher(key_from_secret(secret_key))
    try:
        return FernetCipher(read_key_file(key_file))
    except FileNotFoundError:
        return FernetCipher(create_key_file(key_file))


def create_key_file(key_file: Path) -> bytes:
    """A new key in a new owner-only file (a key another process made first is read instead)."""
    key = Fernet.generate_key()
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_key_file(key_file)
    except OSError as error:
        raise ConfigError(f"cannot create the key file {key_file}: {error.strerror or error}") from error
    _write_and_sync(fd, key)
    os.chmod(key_file, 0o600)  # in case a umask or file system ignored the mode
    log.warning("made a new key file at %s: back it up somewhere safe, apart from the database", key_file)
    return key


def write_key_file(key_file: Path, key: bytes) -> None:
    """Put `key` in `key_file` whole or not at all: written beside it, synced, then renamed over it."""
    temporary = key_file.with_name(key_file.name + ".tmp")
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary.unlink(missing_ok=True)
    _write_and_sync(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), key)
    os.replace(temporary, key_file)
    directory = os.open(key_file.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_key_file(key_file: Path) -> bytes:
    """The key in the file; FileNotFoundError if there is none, ConfigError if it is not a key."""
    try:
        raw = key_file.read_bytes().strip()
    except IsADirectoryError as error:
        raise ConfigError(f"the key file {key_file} is a folder, not a file") from error
    except PermissionError as error:
        raise ConfigError(f"cannot read the key file {key_file}: permission denied") from error
    if not is_fernet_key(raw):
        raise ConfigError(f"the key file {key_file} does not hold a valid key (44 characters of URL-safe base64)")
    mode = key_file.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("the key file %s can be read by other users; run: chmod 600 %s", key_file, key_file)
    return raw


def _write_and_sync(fd: int, key: bytes) -> None:
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
        handle.flush()
        os.fsync(handle.fileno())


# ----- what the database keeps about its key -----


def database_id(db: sqlite_utils.Database) -> str:
    """The database's own id (in clear; the default key file is named after it)."""
    return _meta(db, "database_id") or ""


def holds_people(db: sqlite_utils.Database) -> bool:
    return db.execute("select exists(select 1 from people)").fetchone()[0] == 1


def key_fits(db: sqlite_utils.Database, cipher: Cipher) -> bool | None:
    """Whether the cipher opens the database's check value (None: it has none yet)."""
    check = _meta(db, "check")
    return None if check is None else _opens(cipher, check)


def unlock(db: sqlite_utils.Database, cipher: Cipher) -> Pseudonyms:
    """The database's pseudonyms, once the cipher is proved to be its key (else WrongKey).

    A database first given a key gets its check value and pseudonym key, and any clear channel ids
    from before become pseudonyms, in one transaction. A database that holds nobody may be given a
    new key (its old check value goes)."""
    fits = key_fits(db, cipher)
    if fits and _meta(db, "pseudonymised"):
        return Pseudonyms(base64.urlsafe_b64decode(cipher.decrypt(_meta(db, "pseudonym_key") or "")))
    if fits is False and holds_people(db):
        raise WrongKey(KEY_CHANGED)
    db.conn.execute("BEGIN IMMEDIATE")  # another process may be setting up the same new database
    try:
        pseudonyms = _set_up(db, cipher)
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    return pseudonyms


def _set_up(db: sqlite_utils.Database, cipher: Cipher) -> Pseudonyms:
    fits = key_fits(db, cipher)
    if fits is False:
        if holds_people(db):
            raise WrongKey(KEY_CHANGED)
        log.warning("the database holds nobody, so it takes the new key it was opened with")
        db.execute("delete from meta where key in ('check', 'pseudonym_key')")
        db.execute("delete from processed")  # pseudonyms of the old key
    if not fits:
        sample = db.execute("select settings from people where settings is not null limit 1").fetchone()
        if sample is not None and not _opens(cipher, sample[0], None):
            raise WrongKey(KEY_CHANGED)  # a database from before check values, saved under another key
        _put(db, "check", cipher.encrypt(CHECK_TEXT))
    sealed = _meta(db, "pseudonym_key")
    if sealed is None:
        key = secrets.token_bytes(32)
        _put(db, "pseudonym_key", cipher.encrypt(base64.urlsafe_b64encode(key).decode("ascii")))
    else:
        key = base64.urlsafe_b64decode(cipher.decrypt(sealed))
    pseudonyms = Pseudonyms(key)
    if not _meta(db, "pseudonymised"):
        changed = pseudonymise(db, pseudonyms, cipher.encrypt)
        _put(db, "pseudonymised", "1")
        if changed:
            log.warning("stored %d people's channel ids as keyed hashes (once, on upgrade)", changed)
    return pseudonyms


def reencrypt(db: sqlite_utils.Database, cipher: FernetCipher) -> int:
    """Every value in every table that one of the cipher's keys opens, encrypted again with its first
    key, in the caller's transaction (so tables this module does not know, like the inbox, are
    covered too); return how many values changed."""
    changed = 0
    for table in db.table_names():
        if table.startswith(("sqlite_", "_sqlite")):
            continue
        for column in (c.name for c in db.table(table).columns):
            rows = db.execute(f'select rowid, "{column}" from "{table}" where "{column}" glob ?', [TOKEN_GLOB])
            for rowid, token in rows.fetchall():
                rotated = cipher.rotate(token)
                if rotated is not None:
                    db.execute(f'update "{table}" set "{column}" = ? where rowid = ?', [rotated, rowid])
                    changed += 1
    return changed


def _opens(cipher: Cipher, sealed: str, expected: str | None = CHECK_TEXT) -> bool:
    """The cipher opens `sealed` (to `expected`, or to any JSON when expected is None)."""
    try:
        text = cipher.decrypt(sealed)
        if expected is None:
            json.loads(text)
            return True
        return text == expected
    except (StorageError, ValueError):
        return False


def _meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def _put(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("insert into meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value",
               [key, value])
