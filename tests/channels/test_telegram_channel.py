"""How the channel shows each kind of `Outgoing`, driven by a stub coach (real PTB, fake Bot API)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fake_telegram import PNG, FakeTelegram
from fake_telegram.harness import running_bot

from bot.conversation import wording
from bot.conversation.chat import Attachment, Button, Incoming, Outgoing, Response
from bot.conversation.coach import Coach
from bot.store.storage import Storage, now_utc

pytestmark = pytest.mark.slow  # end to end over HTTP to the fake Bot API


class StubCoach:
    """Answers every Incoming with whatever `reply` returns, and remembers what came in."""

    commands = (("start", "Begin"), ("help", "Help"))

    def __init__(self, storage: Storage) -> None:
        self.storage = storage  # the channel keeps its inbox (and reminders) in the coach's database
        self.clock = now_utc
        self.seen: list[tuple[str, Incoming]] = []
        self.reply: Callable[[Incoming], Response] = lambda incoming: Response([Outgoing(text="ok")])

    def handle(self, person: str, incoming: Incoming) -> Response:
        self.seen.append((person, incoming))
        return self.reply(incoming)

    def risky(self, text: str) -> bool:
        return False

    def safety_reply(self, text: str, practising: Callable[[], bool] = lambda: False) -> str | None:
        return None


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def stub(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[StubCoach]:
    storage = Storage(tmp_path / "coach.db")
    coach = StubCoach(storage)
    async with running_bot(server, coach):  # type: ignore[arg-type]
        yield coach
    storage.close()


async def test_incoming_shapes(server: FakeTelegram, stub: StubCoach) -> None:
    alex = server.user(1001)
    alex.send_text("/start carer")
    sent = alex.send_text("hello")
    alex.send_voice()
    await alex.wait_for_replies()
    alex.edit(sent, "hello again")
    await alex.wait_for_replies()
    kinds = [(p, i.kind, i.command, i.arg, i.text) for p, i in stub.seen]
    assert kinds == [("tg:1001", "command", "start", "carer", ""), ("tg:1001", "text", "", "", "hello"),
                     ("tg:1001", "other", "", "", "voice"), ("tg:1001", "edit", "", "", "hello again")]
    assert stub.seen[1][1].ref == str(sent.message_id) == stub.seen[3][1].ref
    assert len({i.key for _, i in stub.seen}) == 4
    assert server.commands == [{"command": "start", "description": "Begin"}, {"command": "help", "description": "Help"}]


async def test_ready_html_is_sent_as_is(server: FakeTelegram, stub: StubCoach) -> None:
    stub.reply = lambda incoming: Response([Outgoing(text="plain", html="<b>Your profile</b>\n\n<i>words</i>")])
    alex = server.user(1001)
    alex.send_text("hi")
    [reply] = await alex.wait_for_replies()
    assert reply.text == "Your profile\n\nwords"
    assert [e["type"] for e in reply.entities] == ["bold", "italic"]


async def test_long_html_is_split_with_its_formatting_and_buttons_on_the_last_piece(
        server: FakeTelegram, stub: StubCoach) -> None:
    bold = "<b>" + "strong words " * 400 + "</b>"  # one paragraph of 5200 characters
    html = f"<b><u>Title</u></b>\n\n{bold}\n\n<i>the end &amp; more</i>"
    stub.reply = lambda incoming: Response([Outgoing(text="plain", html=html, buttons=((Button("Yes", "y"),),))])
    alex = server.user(1001)
    alex.send_text("hi")
    replies = await alex.wait_for_replies()
    assert len(replies) == 2
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in replies)
    assert [m.labels for m in replies] == [[], ["Yes"]]
    assert " ".join(m.text for m in replies).split() == ["Title", *["strong", "words"] * 400, "the", "end", "&", "more"]
    assert replies[0].text.startswith("Title\n\nstrong words") and replies[1].entities[0]["offset"] == 0
    assert replies[1].entities[0]["type"] == "bold"  # the paragraph's <b> was opened again


async def test_broken_html_falls_back_to_plain_text(server: FakeTelegram, stub: StubCoach) -> None:
    stub.reply = lambda incoming: Response([Outgoing(text="Fish & chips <3", html="<b>Fish & chips <3")])
    alex = server.user(1001)
    alex.send_text("hi")
    replies = await alex.wait_for_replies()
    assert [m.text for m in replies] == ["Fish & chips <3"]
    assert [c.description.split(":")[1] for c in server.errors()] == [" can't parse entities"]


async def test_files_photos_long_captions_and_buttons(server: FakeTelegram, stub: StubCoach) -> None:
    stub.reply = lambda incoming: Response([
        Outgoing(attachment=Attachment("profile.png", PNG, caption="Your <profile>", image=True)),
        Outgoing(attachment=Attachment("draft.md", b"# Draft", caption="c" * 1500)),
        Outgoing(text="", buttons=((Button("Yes", "y"), Button("Too long", "x" * 65)),)),
    ])
    alex = server.user(1001)
    alex.send_text("/export")
    replies = await alex.wait_for_replies()
    photo, document, caption, buttons = replies
    assert photo.kind == "photo" and photo.caption == "Your <profile>"
    assert document.upload is not None and document.upload.filename == "draft.md" and document.caption == ""
    assert caption.text == "c" * 1500
    assert buttons.text == "…" and buttons.labels == ["Yes"]
    assert [a for _, a in server.actions] == ["typing", "upload_photo", "upload_document"]


async def test_tap_is_answered_then_edited_then_replied(server: FakeTelegram, stub: StubCoach) -> None:
    stub.reply = lambda incoming: Response([Outgoing(text="Pick <one>", buttons=((Button("A & B", "a:1"),),))])
    alex = server.user(1001)
    alex.send_text("hi")
    question = (await alex.wait_for_replies())[0]
    stub.reply = lambda incoming: Response([Outgoing(text="Next")], ack="Saved " * 50, edit="Pick <one>\n\n✓ A & B")
    query = alex.tap(question, "A & B")
    await alex.wait_for_replies()
    assert query.answered and query.answer_text is not None and len(query.answer_text) == 200
    assert (question.text, question.keyboard) == ("Pick <one>\n\n✓ A & B", [])
    assert stub.seen[-1][1] == Incoming("tap", data="a:1", key=query.id)
    stub.reply = lambda incoming: Response([], edit="Pick <one>\n\n✓ A & B")  # the same edit again
    alex.tap_data(question, "a:1")
    await alex.wait_for_replies()
    assert server.errors()[-1].description.startswith("Bad Request: message is not modified")  # ignored
    assert server.unanswered_callbacks() == []


async def test_a_failing_coach_still_gets_a_reply(server: FakeTelegram, stub: StubCoach) -> None:
    def explode(incoming: Incoming) -> Response:
        raise RuntimeError("boom")

    stub.reply = explode
    alex = server.user(1001)
    alex.send_text("hi")
    [reply] = await alex.wait_for_replies()
    assert reply.text == wording.SAVE_FAILED


def test_stub_is_shaped_like_the_coach() -> None:
    assert callable(Coach.handle) and hasattr(StubCoach, "commands")


def test_the_daily_retention_job_is_scheduled_and_erases_stale_people(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    from datetime import timedelta
    from pathlib import Path
    from types import SimpleNamespace

    from bot.channels.telegram import PURGE_EVERY, build_application, purge_daily
    from bot.channels.telegram.limits import CONTENT
    from bot.content.loader import load_content
    from bot.conversation.coach import Coach
    from bot.settings import Settings
    from bot.store.storage import Storage, now_utc

    root = Path(__file__).resolve().parents[2]

    storage = Storage(tmp_path / "c.db")
    coach = Coach(load_content(root / "question_banks", root / "flows", limits=CONTENT), storage, retention_days=30)
    app = build_application(coach, Settings(telegram_bot_token="123456:" + "A" * 35))
    [job] = app.job_queue.get_jobs_by_name("retention")  # type: ignore[union-attr]
    assert job.data.coach is coach and job.trigger.interval_length == PURGE_EVERY
    storage.save_settings("old", {}, now=now_utc() - timedelta(days=31))
    storage.save_settings("new", {})
    asyncio.run(purge_daily(SimpleNamespace(job=SimpleNamespace(data=job.data))))  # type: ignore[arg-type]
    assert storage.person_ids() == ["new"]
    storage.close()


def test_importing_the_limits_or_the_text_helpers_does_not_import_ptb() -> None:
    """The CLI reads `limits` for every command; PTB loads only when the bot itself is wanted."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import os, sys\n"
        "import bot.channels.telegram.limits, bot.channels.telegram.text\n"
        "assert 'telegram' not in sys.modules, 'PTB was imported'\n"
        "assert os.environ['PTB_TIMEDELTA'] == 'true'\n"
        "from bot.channels.telegram import TelegramChannel, run_telegram\n"
        "assert 'telegram' in sys.modules and callable(run_telegram) and TelegramChannel.__name__\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PTB_TIMEDELTA"}
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
