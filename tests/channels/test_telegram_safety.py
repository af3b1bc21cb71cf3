"""The safety net on Telegram end to end: the real PTB Application talking HTTP to a fake Bot API,
a real Coach over a temporary SQLite database and the example flow.

Which messages get a check-in is the classifier's call, and its thresholds move as it is
retrained; so the safety net is handed a steady checker (the patterns alone, with a few known
messages in the middle band), except in the practice-mode test, which uses the shipped one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fake_telegram import ChatMessage, FakeTelegram, FakeUser
from fake_telegram.harness import running_bot
from telegram.ext import Application

import bot.conversation.safety_net as safety_net
from bot.conversation.coach import Coach
from bot.safety import SafetyCheck, check_safety
from bot.safety.classifier import SafetyModel

pytestmark = pytest.mark.slow  # end to end over HTTP to the fake Bot API

RISKY = "Honestly some days I feel like ending it all"
MIDDLE = ("Some days I just want it all to stop", "I'm not sure I can keep going like this",
          "Nobody would notice if I wasn't here")


@pytest.fixture(autouse=True)
def middle_band(monkeypatch: pytest.MonkeyPatch) -> None:
    def check(text: str, **kw: Any) -> SafetyCheck:
        if text in MIDDLE:
            return SafetyCheck(True, "suicide_self_harm", ("suicide_self_harm",), "check_in", "classifier")
        return check_safety(text, model=SafetyModel(None), **kw)

    monkeypatch.setattr(safety_net, "check_safety", check)


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


def answers_of(coach: Coach, user: FakeUser) -> dict[str, object]:
    return {a.question_id: a.answer.value for a in coach.storage.answers(f"tg:{user.id}")}


async def say(user: FakeUser, text: str) -> list[ChatMessage]:
    user.send_text(text)
    return await user.wait_for_replies()


async def tap(user: FakeUser, message: ChatMessage, button: str) -> list[ChatMessage]:
    user.tap(message, button)
    return await user.wait_for_replies()


def shown(replies: list[ChatMessage]) -> str:
    return "\n".join(m.text for m in replies)


async def at_best_hopes(user: FakeUser) -> None:
    await say(user, "/start example")
    await tap(user, await user.wait_for_text("Who are we thinking about"), "Me")
    await say(user, "Sam")
    await user.wait_for_text("best hopes")


async def test_telegram_safety_a_risky_message_mid_flow_gets_the_help_and_keeps_the_words_if_chosen(
        server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await at_best_hopes(alex)
    replies = await say(alex, RISKY)
    card, ask = replies[-2], replies[-1]
    assert "Samaritans" in card.text and "116 123" in card.text and card.labels == ["Pause for now"]
    assert "Would you like me to keep it as your answer?" in ask.text
    assert ask.labels == ["Yes, keep it as my answer", "No, leave it out"]
    assert "example.best_hopes" not in answers_of(coach, alex)
    kept = await tap(alex, ask, "Yes, keep it as my answer")
    assert answers_of(coach, alex)["example.best_hopes"] == RISKY
    assert f"So your best hope is: {RISKY}" in shown(kept)
    assert ask.keyboard == []  # the choice has been made: its buttons are gone


async def test_telegram_safety_a_typed_yes_after_the_card_keeps_what_was_typed(
        server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await at_best_hopes(alex)
    await say(alex, RISKY)
    replies = await say(alex, "yes")
    assert answers_of(coach, alex)["example.best_hopes"] == RISKY  # never "yes"
    assert "So your best hope is" in shown(replies)


async def test_telegram_safety_pause_from_the_card(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await at_best_hopes(alex)
    card = (await say(alex, "he hits me when I ask for help"))[-2]
    assert "safeguarding" in card.text.lower()
    paused = await tap(alex, card, "Pause for now")
    assert "Paused" in shown(paused) and "I haven't kept what you wrote earlier." in shown(paused)
    assert "example.best_hopes" not in answers_of(coach, alex)


async def test_telegram_safety_the_check_in_and_each_of_its_buttons(server: FakeTelegram, bot: Application,
                                                                    coach: Coach) -> None:
    alex = server.user(1001)
    await at_best_hopes(alex)

    replies = await say(alex, MIDDLE[0])
    check_in = replies[-1]
    assert shown(replies) == "I want to be sure I understood you. Are you safe right now?"
    assert check_in.buttons == [["I'm OK, carry on"], ["Not really", "Show me where to get help"]]
    assert answers_of(coach, alex)["example.best_hopes"] == MIDDLE[0]  # the answer typed is kept
    ok = await tap(alex, check_in, "I'm OK, carry on")
    assert check_in.keyboard == [] and check_in.text.endswith("✓ I'm OK, carry on")
    assert f"So your best hope is: {MIDDLE[0]}" in shown(ok)
    await tap(alex, alex.last_keyboard(), "Yes, that's right")
    await say(alex, "7")
    await alex.wait_for_text("not lower")

    check_in = (await say(alex, MIDDLE[1]))[-1]
    help_ = await tap(alex, check_in, "Not really")
    assert "116 123" in shown(help_) and "999" in shown(help_)
    assert check_in.keyboard == []
    carry_on = await tap(alex, help_[-1], "Carry on")
    assert "What would 8 look like?" in shown(carry_on)

    check_in = (await say(alex, MIDDLE[2]))[-1]
    old_ok = check_in.data_for("I'm OK, carry on")
    help_ = await tap(alex, check_in, "Show me where to get help")
    assert "116 123" in shown(help_)
    assert set(MIDDLE) <= set(answers_of(coach, alex).values())  # each answer typed is kept

    late = alex.tap_data(check_in, old_ok)  # a client that still shows the old keyboard
    assert await alex.wait_for_replies() == []
    assert late.answered


async def test_telegram_safety_a_typed_reply_to_the_check_in(server: FakeTelegram, bot: Application,
                                                            coach: Coach) -> None:
    alex = server.user(1001)
    await at_best_hopes(alex)
    await say(alex, MIDDLE[0])
    replies = await say(alex, "not sure")
    assert "116 123" in shown(replies) and "Are you safe" not in shown(replies)
    assert "not sure" not in answers_of(coach, alex).values()


async def test_telegram_safety_a_practitioners_question_about_risk_gets_no_crisis_card(
        server: FakeTelegram, bot: Application, coach: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety_net, "check_safety", check_safety)  # the shipped checker: patterns and classifier
    sam = server.user(4242)
    await say(sam, "/practice")
    await say(sam, "/check")
    replies = await say(sam, "What should I say if someone tells me they want to kill themselves?")
    assert replies and "116 123" not in shown(replies) and "Samaritans" not in shown(replies)
    disclosure = await say(sam, "Honestly I want to kill myself after shifts like today")
    assert "116 123" in shown(disclosure)
    assert coach.storage.settings(f"tg:{sam.id}")["practice"] is not None  # still practising


async def test_telegram_safety_in_a_burst_a_practitioners_question_about_risk_gets_no_card_at_once(
        server: FakeTelegram, coach: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    """The help sent ahead of a burst's queue knows about practice mode, as the turn itself does."""
    monkeypatch.setattr(safety_net, "check_safety", check_safety)
    question = 'Someone says "I want to kill myself tonight". What do I do?'
    assert check_safety(question).band == "signpost"  # outside practice mode it would be the card
    burst = ["How are mornings for you?", "What helps on a good day?", "Do you like your garden?",
             question, "Who do you talk to when it's hard?", "What matters most to you?"]
    async with running_bot(server, coach, paced=True):
        sam, pat = server.user(4243), server.user(4244)
        for user in (sam, pat):
            await say(user, "/practice")
            await say(user, "/check")
        for text in burst:  # Sam's burst: all six land before the first is answered
            sam.send_text(text)
        for text in burst[:3] + ["Honestly I want to kill myself after shifts like today"] + burst[4:]:
            pat.send_text(text)  # Pat's burst carries a first-person disclosure
        await server.settle(quiet=0.5, timeout=60)
    sam_saw = "\n".join(m.text for m in server.transcript(sam.chat_id) if m.from_bot)
    pat_saw = "\n".join(m.text for m in server.transcript(pat.chat_id) if m.from_bot)
    assert "116 123" not in sam_saw and "Samaritans" not in sam_saw
    assert "116 123" in pat_saw
    assert server.errors() == []
