"""Reminders on Telegram end to end: the real PTB Application over HTTP to the fake Bot API, a clock
the test moves, and the bot as a real process for kill -9.

A reminder is set by talking to the bot; moving the clock past it brings the note once, and the
meeting card only on a tap; quiet hours hold it; snooze and cancel work; /delete removes it; a bot
killed before it is due sends it once after the restart, and one killed in the middle of sending
it does not send it again; `coach reminders --due-before` shows what was set. Waiting is on the
sender's finished rounds (or on a later note), never on time alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Clock
from fake_telegram import ChatMessage, FakeTelegram, FakeUser
from fake_telegram.harness import running_bot
from telegram.ext import Application

import bot.channels.telegram.reminders as sender
import bot.conversation.safety_net as safety_net
from bot.conversation import reminders
from bot.conversation.coach import Coach
from bot.conversation.reminders import ZONE
from bot.engine.state import SessionState
from bot.safety import SafetyCheck, check_safety
from bot.safety.classifier import SafetyModel
from bot.store.encryption import load_cipher
from bot.store.reminders import MEETING, UNSURE, Reminders
from bot.store.storage import Storage

pytestmark = pytest.mark.slow  # end to end over HTTP; one test runs the bot as a process and kills it

ROOT = Path(__file__).resolve().parents[2]
NOTE = reminders.NOTE
EVENING = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # the evening before a meeting on Tuesday 1 December
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def steady_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns alone: which ordinary words get a check-in is the classifier's call, and moves."""
    def check(text: str, **kw: Any) -> SafetyCheck:
        return check_safety(text, model=SafetyModel(None), **kw)

    monkeypatch.setattr(safety_net, "check_safety", check)


@pytest.fixture(autouse=True)
def quick_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "TICK", 0.05)


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
    assert fake.errors() == [], fake.dump()
    assert fake.unanswered_callbacks() == []


async def say(user: FakeUser, text: str) -> list[ChatMessage]:
    user.send_text(text)
    return await user.wait_for_replies()


async def tap(user: FakeUser, message: ChatMessage, label: str) -> list[ChatMessage]:
    user.tap(message, label)
    return await user.wait_for_replies()


def notes(user: FakeUser) -> list[ChatMessage]:
    return [m for m in user.bot_messages() if m.text.startswith(NOTE)]


async def rounds(server: FakeTelegram, app: Application, count: int = 3) -> None:
    """Wait until the sender has finished `count` more rounds (each reads what is due by the clock now)."""
    running = app.bot_data["reminders"]
    target = running.rounds + count
    await server.wait_for(lambda: running.rounds >= target, 10, f"{count} rounds of the reminder sender")


async def set_reminders(user: FakeUser, *choices: str, day: str = "1 December") -> None:
    """Talk to the bot: the meeting flow, its date, then each choice from the offers (waiting for
    the question each reply ends with, so a bot in another process has said everything)."""
    user.send_text("/start meeting")
    user.tap(await user.wait_for_text("Who are we thinking about", timeout=15), "Me")
    await user.wait_for_text("When is the meeting", timeout=15)
    user.send_text(day)
    await user.wait_for_text("What kind of meeting", timeout=15)
    assert any(m.text == reminders.MEETING_OFFER for m in user.replies())
    for choice in choices:
        user.tap(next(m for m in reversed(user.bot_messages()) if choice in m.labels), choice)
        await user.wait_for_text("What kind of meeting", timeout=15)
        assert any("I'll send you a short note" in m.text for m in user.replies())


# ----- in one process -----


async def test_a_reminder_set_by_talking_arrives_once_and_the_card_only_on_a_tap(
        server: FakeTelegram, coach: Coach, clock: Clock) -> None:
    async with running_bot(server, coach) as app:
        alex = server.user(1001)
        await set_reminders(alex, "Day before: evening")
        clock.now = EVENING - timedelta(seconds=1)
        await rounds(server, app)
        assert notes(alex) == []
        clock.now = EVENING
        note = await server.wait_for(lambda: notes(alex), what="the note")
        await rounds(server, app)
        [note] = notes(alex)
        assert note.text.split("\n")[0] == NOTE  # all a lock screen shows
        assert note.text == f"{NOTE}\n\nYour meeting is tomorrow. {reminders.GOOD_LUCK}"
        assert note.labels == ["Show my meeting card", "Remind me later", "No more reminders"]
        card = await tap(alex, note, "Show my meeting card")
        assert any("Tuesday 1 December 2026" in m.text for m in card)
        await rounds(server, app)
        assert len(notes(alex)) == 1


async def test_quiet_hours_hold_a_reminder_due_while_the_bot_was_down(
        server: FakeTelegram, coach: Coach, clock: Clock) -> None:
    alex = server.user(1001)
    async with running_bot(server, coach):
        await set_reminders(alex, "Day before: evening")
    clock.now = EVENING.replace(hour=22)  # back at 10pm, three hours late: quiet hours
    async with running_bot(server, coach) as app:
        await rounds(server, app)
        clock.now = MORNING.replace(hour=7, minute=59)
        await rounds(server, app)
        assert notes(alex) == []
        clock.now = MORNING
        await server.wait_for(lambda: notes(alex), what="the note at 8am")
        await rounds(server, app)
        [note] = notes(alex)
        assert "Your meeting is today." in note.text and "Sorry" not in note.text


async def test_snooze_then_no_more_reminders(server: FakeTelegram, coach: Coach, clock: Clock) -> None:
    async with running_bot(server, coach) as app:
        alex = server.user(1001)
        await set_reminders(alex, "Day before: afternoon", "Morning of the meeting")
        clock.now = EVENING.replace(hour=14)
        first = await server.wait_for(lambda: notes(alex), what="the first note")
        later = await tap(alex, first[0], "Remind me later")
        assert any("I'll remind you again on Monday 30 November at 4pm" in m.text for m in later)
        clock.now = EVENING.replace(hour=16)
        again = await server.wait_for(lambda: notes(alex)[1:], what="the note again, two hours later")
        stop = await tap(alex, again[0], "No more reminders")
        assert any("no more reminders about this meeting" in m.text for m in stop)
        clock.now = MORNING
        await rounds(server, app)
        assert len(notes(alex)) == 2
        assert "You have no reminders set." in (await say(alex, "/reminders"))[0].text


async def test_delete_removes_a_reminder(server: FakeTelegram, coach: Coach, clock: Clock) -> None:
    async with running_bot(server, coach) as app:
        alex = server.user(1001)
        await set_reminders(alex, "Day before: evening")
        confirm = (await say(alex, "/delete"))[-1]
        await tap(alex, confirm, "Yes, erase everything")
        assert coach.storage.db.execute("select count(*) from reminders").fetchone()[0] == 0
        clock.now = MORNING
        await rounds(server, app)
        assert notes(alex) == []


async def test_a_failed_send_is_tried_again_only_when_telegram_certainly_did_not_get_it(
        server: FakeTelegram, coach: Coach, clock: Clock) -> None:
    people = {name: server.user(user_id) for name, user_id in (("error", 1001), ("dropped", 1002), ("blocked", 1003))}
    book, ids = Reminders(coach.storage), {}
    for name, user in people.items():
        person = f"tg:{user.id}"
        session = coach.storage.create_session(person, SessionState("meeting", "hash", "meeting_kind"), now=clock.now)
        ids[name] = book.set(person, session_id=session, kind=MEETING, slot="day", due_at=MORNING, zone=ZONE,
                             details={"meeting": "2026-12-01"}, now=clock.now).id
    async with running_bot(server, coach) as app:
        server.fail("sendMessage", 500)  # Telegram answered: not sent
        server.drop("sendMessage")  # the connection closed with no answer: it may have been sent
        server.block(people["blocked"].id)
        clock.now = MORNING
        await server.wait_for(lambda: notes(people["error"]), what="the note, a round after the 500")
        await rounds(server, app)
    states = dict(coach.storage.db.execute("select id, state from reminders").fetchall())
    assert {name: states[rid] for name, rid in ids.items()} == {"error": "sent", "dropped": UNSURE,
                                                                 "blocked": "failed"}
    assert [len(notes(user)) for user in people.values()] == [1, 0, 0]
    assert [c.status for c in server.calls_to("sendMessage")] == [500, 0, 403, 200]
    [refused] = server.errors()  # the blocked chat's, as expected (the fixture checks there is no other)
    server.calls.remove(refused)


# ----- a real process, killed -----

LAUNCH = """
import os, sys
from datetime import datetime
from pathlib import Path
import bot.channels.telegram.reminders as sender
import bot.conversation.safety_net as safety_net
from bot import cli
from bot.safety import check_safety
from bot.safety.classifier import SafetyModel

sender.TICK = 0.1
clock_file = Path(os.environ["TEST_CLOCK_FILE"])
made = cli.Coach
cli.Coach = lambda *a, **k: made(*a, clock=lambda: datetime.fromisoformat(clock_file.read_text()), **k)
safety_net.check_safety = lambda text, **kw: check_safety(text, model=SafetyModel(None), **kw)
sys.exit(cli.main(["telegram"]))
"""


def set_clock(path: Path, moment: datetime) -> None:
    """Move the bot's clock (replaced whole, so the bot never reads half a time)."""
    part = path.with_suffix(".part")
    part.write_text(moment.isoformat())
    os.replace(part, path)


def bot_env(server: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "COACH_"))}
    env.update(TELEGRAM_BOT_TOKEN=server.token, TELEGRAM_BASE_URL=server.url, COACH_DB=str(tmp_path / "coach.db"),
               COACH_KEY_FILE=str(tmp_path / "coach.key"), COACH_LOG_LEVEL="WARNING", NO_PROXY="127.0.0.1,localhost",
               TEST_CLOCK_FILE=str(tmp_path / "clock"))
    return env


async def start(env: dict[str, str], log: Path, server: FakeTelegram) -> asyncio.subprocess.Process:
    polls = len(server.calls_to("getUpdates"))
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", LAUNCH, cwd=ROOT, stdout=out,
                                                       stderr=out, env=env)
    await server.wait_for(lambda: len(server.calls_to("getUpdates")) > polls, 30, "the bot polling")
    return process


async def kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


def coach_reminders(env: dict[str, str], *args: str) -> str:
    code = "import sys; from bot.cli import main; sys.exit(main())"
    done = subprocess.run([sys.executable, "-c", code, "reminders", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout


async def test_killed_before_it_is_due_it_comes_once_after_the_restart_and_a_kill_mid_send_never_doubles(
        server: FakeTelegram, tmp_path: Path) -> None:
    env, log = bot_env(server, tmp_path), tmp_path / "bot.log"
    set_clock(tmp_path / "clock", datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    process = await start(env, log, server)
    try:
        alex = server.user(1001)
        await set_reminders(alex, "Day before: evening", "Morning of the meeting")

        listed = json.loads(coach_reminders(env, "--due-before", "2026-12-02T00:00", "--json"))
        assert [(r["kind"], r["due_at"]) for r in listed] == [("meeting", EVENING.isoformat()),
                                                              ("meeting", MORNING.isoformat())]
        assert set(listed[0]) == {"id", "kind", "due_at", "zone", "sends_at"}  # ids and times, no answers
        plain = coach_reminders(env, "--due-before", "2026-12-01T00:00")
        assert plain.startswith("1 reminder due before 2026-12-01T00:00:00+00:00:") and f"#{listed[0]['id']}" in plain

        await kill(process)  # before it is due
        set_clock(tmp_path / "clock", EVENING.replace(minute=30))
        process = await start(env, log, server)
        await server.wait_for(lambda: notes(alex), 30, "the note after the restart")

        server.slow("sendMessage", 3)  # the next note reaches Telegram, but its answer is slow to come back
        sends = len(server.calls_to("sendMessage"))
        set_clock(tmp_path / "clock", MORNING)
        await server.wait_for(lambda: len(server.calls_to("sendMessage")) > sends, 30, "the second note on its way")
        await kill(process)  # in the middle of sending it
        await server.wait_for(lambda: len(notes(alex)) == 2, 10, "Telegram keeping the note it was sent")
        process = await start(env, log, server)

        alex.send_text("/pause")  # a nudge for tomorrow: when it comes, later rounds have run
        alex.tap(await alex.wait_for_text(reminders.NUDGE_OFFER, timeout=15), "Tomorrow")
        await alex.wait_for_text("I'll send you one nudge", timeout=15)
        set_clock(tmp_path / "clock", MORNING.replace(day=2))
        await alex.wait_for_text("You asked me for a nudge", timeout=30)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    meeting_notes = [m.text for m in notes(alex) if "nudge" not in m.text]
    assert [text.split("\n\n")[1].split(".")[0] for text in meeting_notes] == [
        "Your meeting is tomorrow", "Your meeting is today"]  # each once, the one killed mid-send too
    assert "were being sent when the last run stopped" in log.read_text(encoding="utf-8", errors="replace")
    storage = Storage(tmp_path / "coach.db", load_cipher(None, tmp_path / "coach.key"))
    try:
        states = [row[0] for row in storage.db.execute("select state from reminders where kind = 'meeting' "
                                                       "order by due_at")]
    finally:
        storage.close()
    assert states == ["sent", UNSURE]
