"""A practitioner on Telegram: check a question, rehearse with an invented person, get a summary."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_telegram import FakeTelegram
from fake_telegram.harness import running_bot
from telegram.ext import Application

from bot.conversation.coach import Coach

pytestmark = pytest.mark.slow  # end to end over HTTP to the fake Bot API


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegram, coach: Coach) -> AsyncIterator[Application]:
    async with running_bot(server, coach) as app:
        yield app
    assert server.errors() == [], server.dump()
    assert server.unanswered_callbacks() == []


async def test_a_rehearsal_and_a_question_check_on_telegram(server: FakeTelegram, bot: Application) -> None:
    sam = server.user(4242)
    sam.send_text("/practice")
    await sam.wait_for_replies()
    menu = sam.last_keyboard()
    assert "Rehearse with an invented person" in menu.labels
    sam.tap(menu, "Rehearse with an invented person")
    await sam.wait_for_replies()
    people = sam.last_keyboard()
    sam.tap(people, people.labels[0])
    await sam.wait_for_replies()

    sam.send_text("Do you have family nearby?")
    closed = await sam.wait_for_text("Note:")
    assert "Closed" in closed.text and "You could try" in closed.text
    sam.send_text("When is it a little better, even for a moment?")
    good = await sam.wait_for_text("exception question")
    assert "Good" in good.text

    sam.send_text("/done")
    summary = await sam.wait_for_text("You asked 2 questions")
    assert "1 open and 1 closed" in summary.text and "One thing to try next time" in summary.text

    sam.send_text("/check")
    await sam.wait_for_replies()
    sam.send_text("Why didn't you take your tablets?")
    verdict = await sam.wait_for_text("You could try")
    assert "why" in verdict.text.lower() and "<" not in verdict.text
