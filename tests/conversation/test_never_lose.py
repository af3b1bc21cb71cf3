"""The coach never loses a message to a failure: the safety net's help shows even when storage
fails, a long message is read whole by the safety net before it is clipped, and nothing crashes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.content.model import Content
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.store.encryption import FernetCipher
from bot.store.storage import Storage

P = "tg:1"
RISKY = "I want to kill myself tonight"


def say(coach: Coach, text: str) -> Response:
    return coach.handle(P, Incoming("text", text=text))


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def in_a_flow(coach: Coach) -> None:
    coach.handle(P, Incoming("command", command="start", arg="about_me"))


def helped(response: Response) -> bool:
    return "Samaritans" in texts(response) and "116 123" in texts(response)


def test_a_risky_message_gets_help_when_the_database_is_read_only(coach: Coach) -> None:
    in_a_flow(coach)
    coach.storage.db.execute("PRAGMA query_only = ON")
    response = say(coach, RISKY)
    assert helped(response)
    assert "couldn't save that" in texts(response)
    coach.storage.db.execute("PRAGMA query_only = OFF")


def test_an_ordinary_message_when_storage_fails_is_told_honestly_without_help(coach: Coach) -> None:
    in_a_flow(coach)
    coach.storage.db.execute("PRAGMA query_only = ON")
    response = say(coach, "My garden and my cat")
    assert "couldn't save that" in texts(response) and not helped(response)
    assert response.ack == "Not saved, please try again"
    coach.storage.db.execute("PRAGMA query_only = OFF")


def test_a_risky_message_gets_help_when_the_database_is_locked(coach: Coach, tmp_path: Path) -> None:
    in_a_flow(coach)
    coach.storage.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(coach.storage.path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        response = say(coach, RISKY)
    finally:
        other.rollback()
        other.close()
    assert helped(response) and "couldn't save that" in texts(response)


def test_a_risky_message_gets_help_when_the_key_is_wrong(content: Content, tmp_path: Path) -> None:
    """A wrong key is refused at start; this is a key that stops fitting while the coach runs."""
    storage = Storage(tmp_path / "coach.db", FernetCipher(Fernet.generate_key()))
    coach = Coach(content, storage)
    in_a_flow(coach)
    storage.cipher = FernetCipher(Fernet.generate_key())
    try:
        response = say(coach, RISKY)
    finally:
        storage.close()
    assert helped(response) and "couldn't save that" in texts(response)


def test_a_risky_message_gets_help_when_the_coach_itself_fails(coach: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.conversation.coach as coach_module

    def broken(ctx: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(coach_module, "route", broken)
    response = say(coach, RISKY)
    assert helped(response) and "couldn't save that" in texts(response)


def test_a_risk_at_the_end_of_a_very_long_message_is_still_read(coach: Coach) -> None:
    in_a_flow(coach)
    response = say(coach, "My days are mostly fine and quiet. " * 130 + RISKY)  # ~4,500 characters
    assert helped(response)


def test_a_very_long_message_is_kept_up_to_telegrams_limit_and_the_person_told(coach: Coach) -> None:
    coach.handle(P, Incoming("command", command="start"))
    first = coach.handle(P, Incoming("tap", data="f:example"))
    [me] = [b.data for m in first.messages for row in m.buttons for b in row if b.label.endswith("Me")]
    coach.handle(P, Incoming("tap", data=me))
    response = say(coach, "word " * 2000)
    assert "kept the first 4,096 characters" in texts(response)
    assert all(len(a.answer.text) <= 4096 for a in coach.storage.answers(P))
    assert any(len(a.answer.text) == 4096 for a in coach.storage.answers(P))


def test_start_it_again_tapped_twice_starts_one_new_conversation(coach: Coach) -> None:
    coach.handle(P, Incoming("command", command="start", arg="example"))
    again = coach.handle(P, Incoming("command", command="start"))  # back, part way through a flow
    [restart] = [b.data for m in again.messages for row in m.buttons for b in row if b.label == "Start it again"]
    first = coach.handle(P, Incoming("tap", data=restart, key="q1"))
    second = coach.handle(P, Incoming("tap", data=restart, key="q2"))  # a double tap: two callback queries
    assert "Who are we thinking about today?" in texts(first)
    assert "Who are we thinking about today?" in texts(second)  # shown where they are, not started again
    assert len(coach.storage.sessions(P)) == 2


def test_typing_what_was_just_tapped_is_not_filed_against_the_next_question(coach: Coach, clock) -> None:  # type: ignore[no-untyped-def]
    coach.handle(P, Incoming("command", command="start"))
    first = coach.handle(P, Incoming("tap", data="f:example"))
    [me] = [b.data for m in first.messages for row in m.buttons for b in row if b.label.endswith("Me")]
    coach.handle(P, Incoming("tap", data=me))
    echo = say(coach, "me")  # a hurried person taps "Me" and types it too
    assert "You tapped “Me”" in texts(echo) and "call you" in texts(echo)
    assert [a.node_id for a in coach.storage.answers(P)] == ["for_someone"]
    again = say(coach, "Me")  # sent again on purpose: now it is this question's answer
    assert "best hopes" in texts(again)
    assert [a.answer.text for a in coach.storage.answers(P) if a.node_id == "name"] == ["Me"]


def test_the_same_words_typed_later_are_an_answer(coach: Coach, clock) -> None:  # type: ignore[no-untyped-def]
    coach.handle(P, Incoming("command", command="start"))
    first = coach.handle(P, Incoming("tap", data="f:example"))
    [me] = [b.data for m in first.messages for row in m.buttons for b in row if b.label.endswith("Me")]
    coach.handle(P, Incoming("tap", data=me))
    clock.advance(seconds=30)
    assert "best hopes" in texts(say(coach, "Me"))


PRACTITIONERS_QUESTION = "What should I say if someone tells me they want to kill themselves?"


def test_in_practice_mode_a_question_about_risk_gets_no_card_when_storage_fails(coach: Coach) -> None:
    coach.handle(P, Incoming("command", command="practice"))
    coach.handle(P, Incoming("command", command="check"))
    coach.storage.db.execute("PRAGMA query_only = ON")  # settings can be read, nothing written
    try:
        question = say(coach, PRACTITIONERS_QUESTION)
        disclosure = say(coach, "Honestly I want to kill myself after shifts like today")
    finally:
        coach.storage.db.execute("PRAGMA query_only = OFF")
    assert "couldn't save that" in texts(question) and not helped(question)
    assert helped(disclosure)  # a first-person disclosure still gets the help


def test_when_practice_mode_cannot_be_read_a_question_about_risk_gets_the_help(content: Content,
                                                                               tmp_path: Path) -> None:
    storage = Storage(tmp_path / "coach.db", FernetCipher(Fernet.generate_key()))
    coach = Coach(content, storage)
    coach.handle(P, Incoming("command", command="practice"))
    storage.cipher = FernetCipher(Fernet.generate_key())  # the stored settings can no longer be read
    try:
        response = say(coach, PRACTITIONERS_QUESTION)
    finally:
        storage.close()
    assert helped(response) and "couldn't save that" in texts(response)  # in doubt, the help shows
