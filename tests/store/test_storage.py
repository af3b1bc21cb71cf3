"""Storage: durable settings, every answer versioned, repeats recorded once, erasing for good."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.engine.state import Answer, Record, SessionState
from bot.errors import StorageError
from bot.store.storage import Storage

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
