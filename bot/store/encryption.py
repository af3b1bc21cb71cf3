"""Answer text encrypted at rest with Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`).

The key comes from `COACH_SECRET_KEY` when it is set: either a Fernet key as made by
`Fernet.generate_key()`, or any passphrase, from which a key is derived with PBKDF2-HMAC-SHA256
and a fixed application salt (so the same passphrase always opens the same database). Without it
the key is read from a key file, which is created with owner-only permissions on first run.
Lose the key and the saved answers cannot be read again; that is the point.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from bot.errors import ConfigError, StorageError

log = logging.getLogger(__name__)

APP_SALT = b"what-matters-coach/answer-key/v1"
PBKDF2_ITERATIONS = 600_000
KEY_CHANGED = "cannot read saved answers: the secret key has changed"


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
    """Encrypts and decrypts text; tokens are URL-safe ASCII, so they store as TEXT."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise StorageError(KEY_CHANGED) from error


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


def load_cipher(secret_key: str | None, key_file: Path) -> FernetCipher:
    """The cipher for saved answers: from the secret key if given, else the key file (made if missing)."""
    if secret_key is not None and secret_key.strip():
        value = secret_key.strip()
        return FernetCipher(value.encode("ascii") if is_fernet_key(value) else derive_key(value))
    return FernetCipher(_read_or_create_key_file(key_file))


def _read_or_create_key_file(key_file: Path) -> bytes:
    try:
        return _read_key_file(key_file)
    except FileNotFoundError:
        pass
    key = Fernet.generate_key()
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(key_file)  # another process made it first
    except OSError as error:
        raise ConfigError(f"cannot create the key file {key_file}: {error.strerror or error}") from error
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(key_file, 0o600)  # in case a umask or file system ignored the mode
    log.info("created a new key file at %s", key_file)
    return key


def _read_key_file(key_file: Path) -> bytes:
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
