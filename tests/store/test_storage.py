"""Storage: durable settings, every answer versioned, repeats recorded once, erasing for good."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.engine.state import Answer, Record, SessionState
from bot.errors import StaleState, StorageError
from bot.store import lock
from bot.store.encryption import FernetCipher
from bot.store.migrations import connect, writing
from bot.store.storage import HISTORY_LIMIT, Changes, Storage

T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def state(node: str = "q1", **answers: str) -> SessionState:
    return SessionState("example", "hash", node, answers={k: Answer(v, v, v) for k, v in answers.items()})


def record(node: str, words: str) -> Record:
    return Record(node, Answer(words, words, words), f"bank.{node}", f"Asked {node}?")


def test_the_database_is_durable_by_configuration(storage: Storage) -> None:
    assert next(storage.db.query("PRAGMA journal_mode"))["journal_mode"] == "wal"
    assert next(storage.db.query("PRAGMA synchronous"))["synchronous"] == 2  # FULL
    assert next(storage.db.query("PRAGMA secure_delete"))["secure_delete"] == 1


def test_a_write_that_reads_first_waits_for_another_connection_instead_of_failing(tmp_path: Path) -> None:
    """The coach and the reminder sender write on two connections. A transaction that had read before
    the other wrote used to fail at once ("database is locked"); it must take the lock first and wait."""
    coach, sender = connect(tmp_path / "c.db"), connect(tmp_path / "c.db")
    coach.execute("create table t (x int)")
    trying, failures = threading.Event(), []

    def send() -> None:
        trying.set()
        try:
            with writing(sender) as db:
                db.execute("insert into t values (2)")
        except StorageError as exc:
            failures.append(exc)

    with writing(coach) as db:
        db.conn.execute("select count(*) from t").fetchone()
        other = threading.Thread(target=send)
        other.start()
        trying.wait()
        time.sleep(0.2)  # the sender is now writing, or waiting for the lock
        db.execute("insert into t values (1)")
    other.join()
    assert failures == []
    assert sorted(x for (x,) in coach.execute("select x from t")) == [1, 2]


def test_a_failed_write_leaves_no_transaction_open(tmp_path: Path) -> None:
    db = connect(tmp_path / "c.db")
    with pytest.raises(StorageError), writing(db) as inside:
        inside.execute("insert into no_such_table values (1)")
    assert not db.conn.in_transaction


def test_migrations_are_recorded_and_reopening_keeps_data(tmp_path: Path) -> None:
    first = Storage(tmp_path / "c.db")
    first.save_settings("p", {"name": "Sam"})
    first.close()
    again = Storage(tmp_path / "c.db")
    assert again.settings("p") == {"name": "Sam"}
    assert "_sqlite_migrations" in again.db.table_names()
    again.close()


def test_a_changed_answer_keeps_its_history(storage: Storage) -> None:
    sid = storage.create_session("p", state(), now=T1)
    storage.save_turn("p", sid, state("q2", q1="walking"), [record("q1", "walking")], now=T1)
    storage.save_turn("p", sid, state("q2", q1="swimming"), [record("q1", "swimming")], now=T2)
    [answer] = storage.answers("p")
    assert answer.answer.display == "swimming" and answer.answered_at == T2
    assert [(old.display, when) for old, when in answer.history] == [("walking", T1)]


def test_a_repeated_delivery_is_recorded_once(storage: Storage) -> None:
    sid = storage.create_session("p", state())
    storage.save_turn("p", sid, state("q2"), [record("q1", "a")], message_key="update-7")
    assert storage.was_processed("p", "update-7")
    assert not storage.was_processed("someone-else", "update-7")


def test_state_and_answers_are_written_in_one_transaction(storage: Storage) -> None:
    sid = storage.create_session("p", state())
    bad = Record("q1", Answer(object(), "x", "x"), "bank.q1", "?")  # not JSON: the write fails
    with pytest.raises(TypeError):
        storage.save_turn("p", sid, state("q2"), [bad])
    found = storage.session(sid)
    assert found is not None and found[1].node == "q1"
    assert storage.answers("p") == []


def test_several_flows_in_progress_for_one_person(storage: Storage) -> None:
    a = storage.create_session("p", state())
    b = storage.create_session("p", SessionState("other", "h", "x"))
    assert [s["id"] for s in storage.sessions("p")] == [a, b]
    assert storage.sessions("nobody") == []


def test_hide_and_delete_one_answer(storage: Storage) -> None:
    sid = storage.create_session("p", state())
    storage.save_turn("p", sid, state("q3"), [record("q1", "one"), record("q2", "two")])
    first, second = storage.answers("p")
    assert storage.set_hidden("p", first.id, True)
    assert storage.answers("p")[0].hidden
    assert not storage.delete_answer("intruder", second.id)
    assert storage.delete_answer("p", second.id)
    assert [a.answer.display for a in storage.answers("p")] == ["one"]


def test_delete_person_leaves_no_trace_in_the_files(tmp_path: Path) -> None:
    store = Storage(tmp_path / "c.db")
    sid = store.create_session("p", state())
    store.save_turn("p", sid, state("q2"), [record("q1", "my secret garden words")])
    store.create_session("other", state())
    store.delete_person("p")
    assert store.answers("p") == [] and store.sessions("p") == [] and store.settings("p") == {}
    assert store.sessions("other")
    store.close()
    for file in tmp_path.iterdir():
        assert b"secret garden" not in file.read_bytes(), file.name


def test_a_read_only_database_raises_a_storage_error(tmp_path: Path) -> None:
    store = Storage(tmp_path / "c.db")
    sid = store.create_session("p", state())
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StorageError):
        store.save_turn("p", sid, state("q2"), [record("q1", "x")])
    store.db.execute("PRAGMA query_only = OFF")
    store.save_turn("p", sid, state("q2"), [record("q1", "x")])
    assert len(store.answers("p")) == 1
    store.close()


def test_an_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StorageError, match="cannot open the database"):
        Storage(tmp_path / "dir.db")


def test_stale_people(storage: Storage) -> None:
    storage.save_settings("old", {}, now=T1)
    storage.save_settings("new", {}, now=T2)
    assert storage.stale_people(datetime(2026, 3, 5, tzinfo=UTC)) == ["old"]


def test_sql_is_parameterised_against_hostile_ids(storage: Storage) -> None:
    hostile = "x'); drop table answers; --"
    storage.save_settings(hostile, {"a": 1})
    assert storage.settings(hostile) == {"a": 1}
    assert "answers" in storage.db.table_names()
    assert isinstance(storage.db.conn, sqlite3.Connection)


def test_purge_erases_only_people_past_the_retention_period(storage: Storage) -> None:
    from bot.store.retention import purge

    storage.save_settings("old", {"x": 1}, now=T1)
    storage.save_settings("recent", {"x": 1}, now=T2)
    assert purge(storage, datetime(2026, 8, 25, tzinfo=UTC), days=180) == 0
    assert purge(storage, datetime(2026, 9, 3, tzinfo=UTC), days=180) == 1
    assert storage.person_ids() == ["recent"]


# ----- people under a keyed hash -----


def test_people_are_stored_under_a_keyed_hash_of_their_channel_id(tmp_path: Path) -> None:
    store = Storage(tmp_path / "c.db", FernetCipher(Fernet.generate_key()))
    sid = store.create_session("tg:5550123", state())
    store.save_turn("tg:5550123", sid, state("q2"), [record("q1", "my allotment")], message_key="update-1")
    ids = {table: [r[0] for r in store.db.execute(f"select {column} from {table}")]
           for table, column in [("people", "id"), ("sessions", "person_id"), ("answers", "person_id"),
                                 ("processed", "person_id")]}
    [pseudonym] = ids["people"]
    assert len(pseudonym) == 32 and int(pseudonym, 16) >= 0
    assert all(found == [pseudonym] for found in ids.values()), ids
    assert store.person_ids() == ["tg:5550123"] and store.was_processed("tg:5550123", "update-1")
    assert [a.answer.text for a in store.answers("tg:5550123")] == ["my allotment"]
    store.close()
    for file in tmp_path.iterdir():
        assert b"5550123" not in file.read_bytes(), file.name
    other = Storage(tmp_path / "other.db", FernetCipher(Fernet.generate_key()))
    other.save_settings("tg:5550123", {})
    assert other.db.execute("select id from people").fetchone()[0] != pseudonym  # keyed: another database, another id
    other.close()


# ----- optimistic versions -----


def test_a_save_over_a_session_changed_elsewhere_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    first, second = Storage(tmp_path / "c.db"), Storage(tmp_path / "c.db")
    sid = first.create_session("p", state())
    assert [s.version for s in (first.stored_session(sid), second.stored_session(sid))] == [1, 1]  # type: ignore[union-attr]
    first.save_turn("p", sid, state("q2", q1="walking"), [record("q1", "walking")])
    with pytest.raises(StaleState) as stale:
        second.save("p", Changes(settings={"name": "lost?"}, sessions={sid: (state("q9"), False)},
                                 records=[(sid, record("q1", "swimming"))], key="update-2"))
    assert stale.value.session_id == sid and isinstance(stale.value, StorageError)
    assert [a.answer.text for a in first.answers("p")] == ["walking"]  # nothing of the refused save
    assert first.settings("p") == {} and not first.was_processed("p", "update-2")
    found = second.stored_session(sid)  # read again: the other write is seen, and building on it works
    assert found is not None and found.state.node == "q2" and found.version == 2
    second.save_turn("p", sid, state("q3"), [record("q2", "swimming")])
    assert first.stored_session(sid).version == 3  # type: ignore[union-attr]
    first.close()
    second.close()


def test_versions_passed_in_changes_are_checked_and_saved_says_the_new_ones(storage: Storage) -> None:
    sid = storage.create_session("p", state())
    read = storage.stored_session(sid)
    assert read is not None
    saved = storage.save("p", Changes(sessions={sid: (state("q2"), False)}, versions={sid: read.version}))
    assert saved.versions == {sid: 2} and not saved.wiped
    with pytest.raises(StaleState):  # the version read before that save is stale now, even here
        storage.save("p", Changes(sessions={sid: (state("q3"), False)}, versions={sid: read.version}))
    again = storage.save("p", Changes(sessions={sid: (state("q3"), False)}, versions=saved.versions))
    assert again.versions == {sid: 3}
    new = storage.save("p", Changes(sessions={"fresh": (state(), True)}))
    assert new.versions == {"fresh": 1}


# ----- answer history -----


def test_answer_history_keeps_the_newest_versions_only(storage: Storage) -> None:
    sid = storage.create_session("p", state())
    for n in range(1, HISTORY_LIMIT + 6):
        storage.save_turn("p", sid, state("q2"), [record("q1", f"answer {n}")])
    [answer] = storage.answers("p")
    assert answer.answer.text == f"answer {HISTORY_LIMIT + 5}"
    assert [old.text for old, _ in answer.history] == [f"answer {n}" for n in range(6, HISTORY_LIMIT + 5)]
    assert storage.db.execute("select count(*) from answer_versions").fetchone()[0] == HISTORY_LIMIT == 20


# ----- erasing: is it gone from the files? -----


def test_delete_person_says_whether_the_words_left_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lock, "CHECKPOINT_WAIT_MS", 20)
    store = Storage(tmp_path / "c.db")
    sid = store.create_session("p", state())
    store.save_turn("p", sid, state("q2"), [record("q1", "my secret garden words")])
    reader = sqlite3.connect(tmp_path / "c.db")
    reader.execute("begin")
    reader.execute("select count(*) from answers").fetchall()  # a reader holds the log open
    assert store.delete_person("p") is False
    assert store.answers("p") == []
    assert b"secret garden" in (tmp_path / "c.db-wal").read_bytes()  # honest: still in the log
    reader.rollback()
    reader.close()
    assert store.checkpoint() is True
    assert store.delete_person("nobody") is True
    store.close()
    for file in tmp_path.iterdir():
        assert b"secret garden" not in file.read_bytes(), file.name


# ----- the files -----


def test_database_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    sqlite3.connect(old).close()
    old.chmod(0o644)  # made before this rule
    for path in (tmp_path / "new" / "c.db", old):
        store = Storage(path)
        store.save_settings("p", {"a": 1})
        files = [f for f in path.parent.iterdir() if f.name.startswith(path.name)]
        assert {f.name.removeprefix(path.name) for f in files} >= {"", "-wal", "-shm"}
        assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {f.name: "0o600" for f in files}
        store.close()
