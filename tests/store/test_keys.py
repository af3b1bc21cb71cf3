"""Keys: a check value proves the key at once, no key is ever made over saved people, key files live
outside the data folder, and a rotation moves every encrypted value to a new key in one go."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
import sqlite_utils
from cryptography.fernet import Fernet

import bot.store.storage as storage_module
from bot.engine.state import Answer, Record, SessionState
from bot.errors import ConfigError, StorageError
from bot.store.encryption import CHECK_TEXT, FernetCipher, PlainCipher, WrongKey, read_key_file, write_key_file
from bot.store.keys import open_storage, rotate_key
from bot.store.lock import ProcessLock
from bot.store.migrations import migrations
from bot.store.storage import Storage

WORDS = "Walking the dog by the canal with my neighbour"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coach.db"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "config" / "what-matters-coach"


def fill(storage: Storage, person: str = "tg:4242") -> str:
    state = SessionState("example", "hash", "q2", answers={"q1": Answer(WORDS, WORDS, WORDS)})
    return storage.create_session(person, state, [Record("q1", Answer(WORDS, WORDS, WORDS), "bank.q1", "Asked?")])


def meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("select key, value from meta").fetchall())


def text_values(path: Path) -> list[str]:
    """Every text value in every table of the database."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        return [value for table in tables for row in conn.execute(f'select * from "{table}"')
                for value in row if isinstance(value, str)]


def test_keys_a_database_first_given_a_key_keeps_a_check_value_encrypted(db: Path) -> None:
    key = Fernet.generate_key()
    Storage(db, FernetCipher(key)).close()
    check = meta(db)["check"]
    assert check != CHECK_TEXT and FernetCipher(key).decrypt(check) == CHECK_TEXT


@pytest.mark.parametrize("other", [FernetCipher(Fernet.generate_key()), PlainCipher()], ids=["fernet", "plain"])
def test_keys_a_wrong_key_is_refused_at_open_when_people_are_stored(db: Path, other: object) -> None:
    first = Storage(db, FernetCipher(Fernet.generate_key()))
    fill(first)
    first.close()
    before = meta(db)
    with pytest.raises(WrongKey, match="the secret key has changed"):
        Storage(db, other)  # type: ignore[arg-type]
    assert meta(db) == before  # nothing rewritten


def test_keys_a_database_holding_nobody_takes_the_key_it_is_opened_with(db: Path) -> None:
    Storage(db, FernetCipher(Fernet.generate_key())).close()
    key = Fernet.generate_key()
    storage = Storage(db, FernetCipher(key))
    fill(storage)
    storage.close()
    assert FernetCipher(key).decrypt(meta(db)["check"]) == CHECK_TEXT


def old_database(path: Path, cipher: FernetCipher) -> None:
    """A database as the coach wrote it before check values and pseudonyms (first migration only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_meta_versions_channel_ids")
    stamp = "2026-01-01T00:00:00+00:00"
    db.execute("insert into people values ('tg:777', ?, ?, ?)", [stamp, stamp, cipher.encrypt('{"name": "Sam"}')])
    db.execute("insert into sessions (id, person_id, flow_id, flow_hash, status, state, started_at, updated_at) "
               "values ('s1', 'tg:777', 'example', 'h', 'active', ?, ?, ?)",
               [cipher.encrypt('{"flow_id": "example", "flow_hash": "h", "node": "q2"}'), stamp, stamp])
    db.execute("insert into answers (session_id, person_id, node_id, question_id, hidden, created_at, updated_at) "
               "values ('s1', 'tg:777', 'q1', 'bank.q1', 0, ?, ?)", [stamp, stamp])
    db.execute("insert into answer_versions (answer_id, version, value, text, display, asked, skipped, answered_at) "
               "values (1, 1, ?, ?, ?, ?, 0, ?)", [cipher.encrypt(f'"{WORDS}"'), cipher.encrypt(WORDS),
                                                    cipher.encrypt(WORDS), cipher.encrypt("Asked?"), stamp])
    db.execute("insert into processed values ('tg:777', 'update-1', ?)", [stamp])
    db.conn.commit()
    db.close()


def test_keys_an_old_database_is_proved_on_its_data_then_its_ids_become_pseudonyms(db: Path) -> None:
    cipher = FernetCipher(Fernet.generate_key())
    old_database(db, cipher)
    with pytest.raises(WrongKey):
        Storage(db, FernetCipher(Fernet.generate_key()))
    assert "check" not in meta(db) and "pseudonymised" not in meta(db)
    storage = Storage(db, cipher)
    assert storage.settings("tg:777") == {"name": "Sam"}
    assert [a.answer.text for a in storage.answers("tg:777")] == [WORDS]
    assert [s["id"] for s in storage.sessions("tg:777")] == ["s1"]
    assert storage.was_processed("tg:777", "update-1")
    assert storage.person_ids() == ["tg:777"]
    storage.close()
    assert not any("777" in value for value in text_values(db))
    again = Storage(db, cipher)  # once only: the pseudonyms are not hashed again
    assert again.settings("tg:777") == {"name": "Sam"} and again.was_processed("tg:777", "update-1")
    again.close()


def test_keys_open_storage_makes_a_key_file_outside_the_data_folder(db: Path, key_dir: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.close()
    [key_file] = key_dir.iterdir()
    assert key_file == key_dir / f"{meta(db)['database_id']}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not db.with_suffix(".key").exists()
    moved = db.parent.parent / "moved" / "coach.db"  # a moved database still finds its key by its id
    moved.parent.mkdir()
    db.rename(moved)
    again = open_storage(moved, key_dir=key_dir)
    assert [a.answer.text for a in again.answers("tg:4242")] == [WORDS]
    again.close()


def test_keys_a_missing_key_file_with_people_stored_is_refused_and_no_key_is_made(db: Path, key_dir: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.close()
    [key_file] = key_dir.iterdir()
    key_file.unlink()
    with pytest.raises(ConfigError, match=f"holds saved answers but its key file {key_file} is missing"):
        open_storage(db, key_dir=key_dir)
    assert list(key_dir.iterdir()) == []


def test_keys_a_wrong_key_file_is_one_clear_line(db: Path, key_dir: Path, tmp_path: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.close()
    other = tmp_path / "other.key"
    write_key_file(other, Fernet.generate_key())
    with pytest.raises(ConfigError) as refused:
        open_storage(db, key_file=other, key_dir=key_dir, exclusive=True)
    assert str(refused.value) == (f"the key file {other} does not open {db}, which holds answers saved under another "
                                  "key: put back the key file they were saved with, or point COACH_KEY_FILE at it; "
                                  "nothing was changed")
    ProcessLock(db).release()  # the refused open let its lock go


def test_keys_rotation_moves_every_encrypted_value_and_keeps_pseudonyms(db: Path, key_dir: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.save_settings("tg:99", {"name": "Jo"})
    storage.db.execute("create table inbox (update_id integer primary key, body text, note text)")
    storage.db.execute("insert into inbox values (1, ?, 'plain words')", [storage.cipher.encrypt("an update body")])
    storage.db.conn.commit()
    people_before = sorted(storage.db.execute("select id from people").fetchall())
    old = storage.cipher
    storage.close()
    [key_file] = key_dir.iterdir()
    new = Fernet.generate_key()

    done = rotate_key(db, new, key_dir=key_dir)

    assert done.key_file == key_file and read_key_file(key_file) == new
    assert not key_file.with_name(key_file.name + ".new").exists()
    tokens = [v for v in text_values(db) if v.startswith("gAAAAA")]
    assert done.values == len(tokens) >= 9  # check, pseudonym key, 2 channel ids, 2 settings, state, 4 texts, body
    assert all(FernetCipher(new).decrypt(token) is not None for token in tokens)
    for token in tokens:
        with pytest.raises(StorageError):
            old.decrypt(token)  # type: ignore[attr-defined]
    assert "plain words" in text_values(db)
    after = open_storage(db, key_dir=key_dir)
    assert sorted(after.db.execute("select id from people").fetchall()) == people_before
    assert [a.answer.text for a in after.answers("tg:4242")] == [WORDS] and after.settings("tg:99") == {"name": "Jo"}
    after.close()


def test_keys_rotation_is_refused_while_a_coach_runs(db: Path, key_dir: Path) -> None:
    open_storage(db, key_dir=key_dir).close()
    lock = ProcessLock(db)
    try:
        with pytest.raises(StorageError, match="another coach is already running"):
            rotate_key(db, Fernet.generate_key(), key_dir=key_dir)
    finally:
        lock.release()


def test_keys_a_rotation_that_fails_changes_nothing(db: Path, key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.close()
    [key_file] = key_dir.iterdir()
    old = read_key_file(key_file)

    def half_then_fail(database: sqlite_utils.Database, cipher: FernetCipher) -> int:
        database.execute("update people set settings = ?", [cipher.encrypt("{}")])
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(storage_module, "reencrypt", half_then_fail)
    with pytest.raises(StorageError, match="disk I/O error"):
        rotate_key(db, Fernet.generate_key(), key_dir=key_dir)
    assert read_key_file(key_file) == old and list(key_dir.iterdir()) == [key_file]
    again = open_storage(db, key_dir=key_dir)
    assert [a.answer.text for a in again.answers("tg:4242")] == [WORDS]
    again.close()


def test_keys_a_rotation_cut_short_after_the_database_changed_is_finished_at_start(db: Path, key_dir: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    [key_file] = key_dir.iterdir()
    new = Fernet.generate_key()
    write_key_file(key_file.with_name(key_file.name + ".new"), new)
    assert isinstance(storage.cipher, FernetCipher)
    storage.reencrypt(FernetCipher(new, *storage.cipher.keys))  # committed; then the process died
    storage.close()

    again = open_storage(db, key_dir=key_dir)
    assert [a.answer.text for a in again.answers("tg:4242")] == [WORDS]
    again.close()
    assert read_key_file(key_file) == new and list(key_dir.iterdir()) == [key_file]


def test_keys_a_rotation_cut_short_before_the_database_changed_is_dropped(db: Path, key_dir: Path) -> None:
    storage = open_storage(db, key_dir=key_dir)
    fill(storage)
    storage.close()
    [key_file] = key_dir.iterdir()
    old = read_key_file(key_file)
    write_key_file(key_file.with_name(key_file.name + ".new"), Fernet.generate_key())

    again = open_storage(db, key_dir=key_dir)
    assert [a.answer.text for a in again.answers("tg:4242")] == [WORDS]
    again.close()
    assert read_key_file(key_file) == old and list(key_dir.iterdir()) == [key_file]


ERASE_THEN_DIE = """
import os, sqlite3, sys
from bot.store.lock import checkpoint
import bot.store.lock as lock
from bot.engine.state import Answer, Record, SessionState
from bot.store.keys import open_storage
from pathlib import Path
lock.CHECKPOINT_WAIT_MS = 10
storage = open_storage(sys.argv[1], key_dir=Path(sys.argv[2]), exclusive=True)
state = SessionState("example", "hash", "q2")
storage.create_session("p", state, [Record("q1", Answer("my secret garden", "my secret garden", "x"), "b.q1", "?")])
reader = sqlite3.connect(sys.argv[1])
reader.execute("begin")
print(reader.execute("select text from answer_versions").fetchone()[0], flush=True)  # the sealed words
print(storage.delete_person("p"), flush=True)
os._exit(0)  # as a kill: nothing closed, the log left as it is
"""


def test_keys_an_erase_a_crash_left_in_the_log_is_finished_when_the_coach_starts(db: Path, key_dir: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    died = subprocess.run([sys.executable, "-c", ERASE_THEN_DIE, str(db), str(key_dir)], cwd=root,
                          capture_output=True, text=True, timeout=60)
    token, wiped = died.stdout.split()
    assert wiped == "False", died.stderr
    assert token.encode() in Path(f"{db}-wal").read_bytes()  # the erase is not finished in the files
    storage = open_storage(db, key_dir=key_dir, exclusive=True)
    assert storage.answers("p") == []
    for file in db.parent.iterdir():
        assert token.encode() not in file.read_bytes(), file.name
    storage.close()
