"""Where everything is kept: SQLite (the truth; nothing lives only in memory), encryption at rest,
and retention.

    storage     Storage: reads, and `save(person, Changes)`: all one message changed, in one transaction
    records     what it reads and writes: StoredAnswer, StoredPerson, StoredSession, Changes, Saved
    migrations  the tables
    encryption  Fernet at rest (MultiFernet while rotating); people stored under a keyed hash
    keys        where the key comes from, the check that it fits, `open_storage`, `rotate_key`
    lock        one coach process per database
    inbox       every update on disk before the channel acknowledges it; handled ones marked done
    retention   erase people untouched for the retention period

The only package that imports sqlite3 or sqlite_utils.
"""

from __future__ import annotations

from bot.store.encryption import Cipher, FernetCipher, PlainCipher, load_cipher
from bot.store.retention import purge
from bot.store.storage import Changes, Storage, StoredAnswer, StoredPerson, StoredSession, new_session_id, now_utc

__all__ = ["Changes", "Cipher", "FernetCipher", "PlainCipher", "Storage", "StoredAnswer", "StoredPerson",
           "StoredSession", "load_cipher", "new_session_id", "now_utc", "purge"]
