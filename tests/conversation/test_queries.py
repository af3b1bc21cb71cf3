"""What one typed answer costs the database, counted with sqlite3's trace callback: the context is
loaded once (two reads), the session state decrypted once, and everything saved in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from conftest import Clock, current_session

from bot import engine
from bot.content.model import Content
from bot.conversation import buttons
from bot.conversation.chat import Incoming
from bot.conversation.coach import Coach
from bot.store.encryption import PlainCipher
from bot.store.storage import Storage

P = "tg:42"


class CountingCipher(PlainCipher):
    """Plain text, but counts how often a session state is opened."""

    def __init__(self) -> None:
        self.states_opened = 0

    def decrypt(self, text: str) -> str:
        if text.startswith("{") and '"flow_hash"' in text and isinstance(json.loads(text), dict):
            self.states_opened += 1
        return text


@contextmanager
def traced(storage: Storage) -> Iterator[list[str]]:
    statements: list[str] = []
    storage.db.conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        storage.db.conn.set_trace_callback(None)


def kinds(statements: list[str]) -> list[str]:
    return [s.split(None, 1)[0].upper() for s in statements]


def test_one_typed_answer_mid_flow_costs_two_reads_one_transaction_one_state_decrypt(content: Content, tmp_path,
                                                                                    clock: Clock) -> None:  # type: ignore[no-untyped-def]
    cipher = CountingCipher()
    storage = Storage(tmp_path / "coach.db", cipher=cipher)
    coach = Coach(content, storage, clock=clock)
    coach.handle(P, Incoming("command", command="start", arg="example", key="1"))
    first = coach.handle(P, Incoming("text", text="Me", key="2"))
    assert "call you" in first.messages[-1].text  # mid-flow: the next question waits
    cipher.states_opened = 0
    with traced(storage) as statements:
        response = coach.handle(P, Incoming("text", text="Sam", key="3"))
    assert response.ack == "Saved" and response.messages[-1].is_question
    found = kinds(statements)
    assert found.count("SELECT") <= 2, statements
    assert found.count("BEGIN") == 1 and found.count("COMMIT") == 1, statements
    assert cipher.states_opened == 1
    assert any(a.answer.display == "Sam" for a in storage.answers(P))
    assert storage.was_processed(P, "3")
    storage.close()


def test_a_repeated_delivery_costs_two_reads_and_no_write(content: Content, tmp_path, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    storage = Storage(tmp_path / "coach.db")
    coach = Coach(content, storage, clock=clock)
    coach.handle(P, Incoming("command", command="start", arg="example", key="1"))
    coach.handle(P, Incoming("text", text="Me", key="2"))
    with traced(storage) as statements:
        again = coach.handle(P, Incoming("text", text="Me", key="2"))
    assert again.ack == "Already saved" and kinds(statements) == ["SELECT", "SELECT"]  # the person; where they are
    storage.close()


def test_the_last_answer_of_the_meeting_flow_reads_everything_once(content: Content, tmp_path,  # type: ignore[no-untyped-def]
                                                                    clock: Clock) -> None:
    """The end of a flow shows the draft (and, for the meeting, the card): its data is read once."""
    storage = Storage(tmp_path / "coach.db")
    coach = Coach(content, storage, clock=clock)
    coach.handle(P, Incoming("command", command="start", arg="meeting"))
    for n in range(60):
        found = current_session(coach, P)
        assert found is not None
        session_id, flow, state = found
        if state.status == "finished":
            break
        prompt = [r.prompt for r in engine.ask_again(flow, state).replies if r.prompt is not None][-1]
        if prompt.choices:
            value = "done" if prompt.kind == "multi" and prompt.picked else prompt.choices[0][0]
            incoming = Incoming("tap", data=buttons.answer(session_id, prompt.node_id, value), key=str(n))
        else:
            words = {"scale": "6", "yes_no": "yes", "date": "next Tuesday"}.get(prompt.kind)
            incoming = Incoming("text", text=words or ("that's all" if prompt.current else f"answer {n}"), key=str(n))
        with traced(storage) as statements:
            response = coach.handle(P, incoming)
    assert "Is it right?" in "\n".join(m.text for m in response.messages)
    assert any("matters most" in m.text.lower() for m in response.messages)  # the meeting card came too
    found_kinds = kinds(statements)
    assert found_kinds.count("SELECT") <= 5, statements  # person, session; then sessions with states, answers
    assert found_kinds.count("BEGIN") == 1 and found_kinds.count("COMMIT") == 1, statements
    storage.close()
