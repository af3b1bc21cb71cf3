"""Storage faults: a read-only database, a full disk and a locked database.

The person is told their answer could not be saved and to try again; nothing crashes; nothing
half-written is left; and once the fault clears the same answer goes through. Faults are made on
the coach's own connection, the way they happen in service:

- read-only: `PRAGMA query_only` (SQLite then refuses every write exactly as for a read-only file;
  tests run as root here, so file permissions would not stop anything);
- full: `PRAGMA max_page_count` set to the current size, so any write needing a new page fails
  with SQLITE_FULL ("database or disk is full");
- locked: another connection holds an exclusive lock while the coach waits a short busy timeout.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import current_session
from fake_telegram import FakeTelegram
from fake_telegram.harness import running_bot

from bot import engine
from bot.content.model import AskNode, Content
from bot.conversation import buttons, wording
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.engine.state import Prompt
from bot.store.storage import Storage

ROOT = Path(__file__).resolve().parents[2]
PERSON = "fault:1"
LONG_ANSWER = "Walking by the river with my sister, every Sunday if the weather holds. " * 40  # needs new pages


def readonly(storage: Storage) -> Callable[[], None]:
    storage.db.execute("PRAGMA query_only = ON")
    return lambda: storage.db.execute("PRAGMA query_only = OFF")


def full(storage: Storage) -> Callable[[], None]:
    pages = storage.db.execute("PRAGMA page_count").fetchall()[0][0]
    storage.db.execute(f"PRAGMA max_page_count = {pages}").fetchall()
    return lambda: storage.db.execute("PRAGMA max_page_count = 1073741823").fetchall()


def locked(storage: Storage) -> Callable[[], None]:
    storage.db.execute("PRAGMA busy_timeout = 100").fetchall()
    other = sqlite3.connect(storage.path, isolation_level=None, timeout=1)
    other.execute("BEGIN EXCLUSIVE")

    def clear() -> None:
        other.execute("ROLLBACK")
        other.close()
        storage.db.execute("PRAGMA busy_timeout = 5000").fetchall()

    return clear


FAULTS = {"read-only": readonly, "full": full, "locked": locked}


@contextmanager
def fault(kind: str, storage: Storage) -> Iterator[None]:
    clear = FAULTS[kind](storage)
    try:
        yield
    finally:
        clear()


def current_prompt(coach: Coach, person: str) -> tuple[str, Prompt]:
    found = current_session(coach, person)
    assert found is not None
    session_id, flow, state = found
    prompts = [r.prompt for r in engine.ask_again(flow, state).replies if r.prompt is not None]
    return session_id, prompts[-1]


def begin(coach: Coach, person: str, flow_id: str) -> Response:
    """/start (a first-timer gets the welcome), then the flow's button on the menu."""
    coach.handle(person, Incoming("command", command="start"))
    return coach.handle(person, Incoming("tap", data=f"f:{flow_id}"))


def reach_text_question(coach: Coach, person: str, flow_id: str = "example") -> str:
    """Start `flow_id` and answer (by tapping the first choice, or '7') until a free-text question."""
    begin(coach, person, flow_id)
    flow = coach.content.flows[flow_id]
    for _ in range(30):
        session_id, prompt = current_prompt(coach, person)
        node = flow.nodes[prompt.node_id]
        if isinstance(node, AskNode) and node.question.type == "text":
            return prompt.node_id
        if prompt.choices:
            coach.handle(person, Incoming("tap", data=buttons.answer(session_id, prompt.node_id, prompt.choices[0][0])))
        else:
            coach.handle(person, Incoming("text", text="7" if prompt.kind == "scale" else "yes"))
    raise AssertionError("never reached a free-text question")


def snapshot(storage: Storage, person: str) -> tuple:
    sessions = [(row, storage.session(row["id"])) for row in storage.sessions(person)]
    answers = [(a.id, a.node_id, a.answer, len(a.history)) for a in storage.answers(person)]
    return sessions, answers, storage.settings(person)


def assert_not_saved(response: Response) -> None:
    assert [m.text for m in response.messages] == [wording.SAVE_FAILED]
    assert "try" in wording.SAVE_FAILED and "again" in wording.SAVE_FAILED
    assert response.ack == "Not saved, please try again"


def integrity_ok(path: str) -> None:
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_an_answer_that_cannot_be_saved_is_refused_kindly_and_goes_through_after(kind: str, coach: Coach,
                                                                                storage: Storage) -> None:
    node_id = reach_text_question(coach, PERSON)
    before = snapshot(storage, PERSON)
    with fault(kind, storage):
        assert_not_saved(coach.handle(PERSON, Incoming("text", text=LONG_ANSWER, key="u1", ref="1")))
        assert snapshot(storage, PERSON) == before, "a refused answer left something behind"
        # trying again while the fault lasts: the same kind answer, still nothing half-written
        assert_not_saved(coach.handle(PERSON, Incoming("text", text=LONG_ANSWER, key="u2", ref="2")))
        assert snapshot(storage, PERSON) == before
    response = coach.handle(PERSON, Incoming("text", text=LONG_ANSWER, key="u2", ref="2"))
    assert wording.SAVE_FAILED not in [m.text for m in response.messages]
    assert response.ack == "Saved" and any(m.is_question for m in response.messages)
    saved = [a for a in storage.answers(PERSON) if a.node_id == node_id]
    assert len(saved) == 1 and not saved[0].history, "the answer was saved more than once"
    assert saved[0].answer.text.startswith("Walking by the river")
    _, prompt = current_prompt(coach, PERSON)
    assert prompt.node_id != node_id
    integrity_ok(storage.path)


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_nothing_a_person_does_during_a_fault_crashes(kind: str, coach: Coach, storage: Storage) -> None:
    """Commands, taps, new people and flows during the fault: each gets a reply, none raises."""
    reach_text_question(coach, PERSON)
    session_id, prompt = current_prompt(coach, PERSON)
    actions = [Incoming("command", command=name) for name in
               ("start", "menu", "back", "skip", "pause", "resume", "why", "restart", "review", "summary", "card",
                "export", "help", "privacy", "delete")]
    actions += [Incoming("command", command="start", arg="meeting"), Incoming("tap", data="f:about_me"),
                Incoming("tap", data="m:go"), Incoming("tap", data="r:p:0"),
                Incoming("tap", data=buttons.answer(session_id, prompt.node_id, "~skip")),
                Incoming("text", text="I want to end my life"), Incoming("tap", data="s:keep"),
                Incoming("edit", text="changed", ref="1"), Incoming("other", text="sticker")]
    with fault(kind, storage):
        before = snapshot(storage, PERSON)
        for incoming in actions:
            response = coach.handle(PERSON, incoming)
            assert response.messages or response.ack, f"no reply to {incoming}"
        first_timer = coach.handle("fault:new", Incoming("command", command="start"))
        assert first_timer.messages
        if kind != "full":  # on a full disk, a change that fits in the pages it has (like /back) may be saved
            assert snapshot(storage, PERSON) == before, "something was written although the database refused"
    integrity_ok(storage.path)
    if kind == "full":  # erasing needs no new pages, so /delete still works on a full disk
        coach.handle(PERSON, Incoming("tap", data="d:yes"))
        assert storage.answers(PERSON) == [] and storage.sessions(PERSON) == []
        return
    # after the fault, the person carries on where they were
    response = coach.handle(PERSON, Incoming("command", command="resume"))
    assert any(m.is_question for m in response.messages)
    assert current_prompt(coach, PERSON)[1].node_id == prompt.node_id


def test_a_full_disk_mid_conversation_recovers_for_every_kind_of_answer(content: Content, tmp_path: Path) -> None:
    """Fill the database while answering a whole flow: each refused answer goes through on the retry."""
    storage = Storage(tmp_path / "coach.db")
    coach = Coach(content, storage)
    try:
        begin(coach, PERSON, "meeting")
        refused = 0
        for n in range(80):
            found = current_session(coach, PERSON)
            assert found is not None
            if found[2].status == "finished":
                break
            session_id, prompt = current_prompt(coach, PERSON)
            if prompt.choices and prompt.kind != "multi":
                incoming = Incoming("tap", data=buttons.answer(session_id, prompt.node_id, prompt.choices[0][0]))
            elif prompt.kind == "multi":
                value = "done" if prompt.picked else prompt.choices[0][0]
                incoming = Incoming("tap", data=buttons.answer(session_id, prompt.node_id, value))
            else:
                words = {"scale": "6", "yes_no": "yes", "date": "next Tuesday"}.get(prompt.kind)
                incoming = Incoming("text", text=words or ("that's all" if prompt.current else f"answer {n} " * 30))
            if n % 3 == 1:
                with fault("full", storage):
                    response = coach.handle(PERSON, incoming)
                if response.messages and response.messages[0].text == wording.SAVE_FAILED:
                    refused += 1
                    assert current_prompt(coach, PERSON)[1] == prompt
            response = coach.handle(PERSON, incoming)
            assert wording.SAVE_FAILED not in [m.text for m in response.messages]
        assert current_session(coach, PERSON)[2].status == "finished"  # type: ignore[index]
        assert refused >= 2  # a small answer may still fit in a free page: then it is simply saved
        integrity_ok(storage.path)
    finally:
        storage.close()


@pytest.mark.slow
def test_coach_chat_with_a_database_it_cannot_create_says_so_without_a_traceback(tmp_path: Path) -> None:
    """A read-only place for the database (/proc cannot hold files, even for root)."""
    for db in ("/proc/coach.db", "/proc/no-such-folder/coach.db"):
        env = {**os.environ, "COACH_DB": db, "COACH_KEY_FILE": str(tmp_path / "coach.key"),
               "COACH_SECRET_KEY": "", "PYTHONUNBUFFERED": "1"}
        code = "import sys; from bot.cli import main; sys.exit(main(['chat', '--flow', 'example']))"
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                             input="Sam\n", capture_output=True, text=True, timeout=60)
        assert "Traceback" not in run.stderr, f"COACH_DB={db}: a traceback instead of a message\n{run.stderr}"
        assert run.returncode == 2 and "coach:" in run.stderr and "database" in run.stderr, run.stderr


# ----- through the Telegram channel -----


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(FAULTS))
async def test_telegram_person_is_told_to_try_again_and_the_retry_is_saved(kind: str, server: FakeTelegram,
                                                                          coach: Coach, storage: Storage) -> None:
    async with running_bot(server, coach):
        alex = server.user(1001)
        alex.send_text("/start")
        await alex.wait_for_replies()
        alex.tap(alex.last_keyboard(), "f:example")
        await alex.wait_for_text("Who are we thinking about")
        alex.tap(alex.last_keyboard(), "Me")
        await alex.wait_for_text("call you")
        with fault(kind, storage):
            alex.send_text(LONG_ANSWER)
            replies = await alex.wait_for_replies()
            assert [m.text for m in replies] == [wording.SAVE_FAILED]
        alex.send_text(LONG_ANSWER)
        replies = await alex.wait_for_replies()
        assert any("best hopes" in m.text for m in replies), [m.text for m in replies]
        await server.settle()
    assert server.errors() == []
    saved = [a.answer.text for a in storage.answers("tg:1001") if a.node_id == "name"]
    assert len(saved) == 1 and saved[0].startswith("Walking by the river")
    integrity_ok(storage.path)


# ----- Bot API faults during a whole conversation -----


SCRIPT = [("text", "/start"), ("tap", "f:example"), ("tap", "Me"), ("text", "Sam"), ("text", "Time with friends"),
          ("tap", "Yes, that's right"), ("text", "3"), ("text", "/back"), ("text", "4"), ("text", "/summary")]


async def converse(server: FakeTelegram, coach: Coach, faults: random.Random | None) -> list[tuple[str, list[str]]]:
    """Run SCRIPT; with `faults`, inject a seeded mix of Bot API failures before each step
    (5xx and dropped connections; 429 with retry_after has its own test in test_telegram_robustness)."""
    async with running_bot(server, coach):
        alex = server.user(1001)
        for kind, what in SCRIPT:
            if faults is not None:
                fault_kind = faults.choice(["500", "502", "drop", "drop", "edit500"])
                if fault_kind in ("500", "502"):
                    server.fail("sendMessage", int(fault_kind))
                elif fault_kind == "drop":
                    server.drop("sendMessage")
                elif fault_kind == "edit500":
                    server.fail("editMessageText", 500)
            if kind == "text":
                alex.send_text(what)
            else:
                alex.tap(alex.last_keyboard(), what)
            await alex.wait_for_replies()
        await server.settle()
    assert server.errors() == [], server.dump()
    return [(m.text, m.labels) for m in alex.bot_messages()]


@pytest.mark.slow
async def test_replies_arrive_once_and_in_order_through_bot_api_faults(content: Content, tmp_path: Path) -> None:
    async with FakeTelegram() as clean_server:
        clean_storage = Storage(tmp_path / "clean.db")
        try:
            expected = await converse(clean_server, Coach(content, clean_storage), None)
        finally:
            clean_storage.close()
    async with FakeTelegram() as faulty_server:
        storage = Storage(tmp_path / "faulty.db")
        try:
            got = await converse(faulty_server, Coach(content, storage), random.Random(7))
        finally:
            storage.close()
        injected = [c for c in faulty_server.calls if c.injected]
    assert len(injected) >= 8, "too few faults were injected to prove anything"
    assert [t for t, _ in got] == [t for t, _ in expected], "replies lost, doubled or out of order"
    assert got == expected
