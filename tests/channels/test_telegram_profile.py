"""The profile end to end on Telegram (the real PTB Application, the fake Bot API, a real Coach):
after the meeting flow is done twice, /summary holds each question's latest answer once, /export
sends the PDF, and /card holds the hard-to-say note only when the person chose to hand it over."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pypdfium2 as pdfium
import pytest
from fake_telegram import ChatMessage, FakeTelegram, FakeUser
from fake_telegram.harness import running_bot
from telegram.ext import Application

import bot.conversation.safety_net as safety_net
from bot.content.model import AskNode
from bot.conversation.coach import Coach
from bot.engine.state import SessionState
from bot.safety import SafetyCheck, check_safety
from bot.safety.classifier import SafetyModel

pytestmark = pytest.mark.slow  # end to end over HTTP to the fake Bot API

NOTE = "I have wet myself twice when I couldn't get to the toilet in time."
FIRST = {
    "for_someone": "Me",
    "meeting_date": "2 December",
    "want_from_it": "Someone to talk to about my money.",
    "hard_days_know": "Mornings are slow.",
    "must_say": ["My back hurts"],
    "hard_to_say": NOTE,
    "hard_to_say_card": "no",
    "own_questions": ["Who sorts my post?"],
    "bring_along": "My tablets list.",
}
SECOND = {
    **FIRST,
    "want_from_it": "Help in the mornings, so I can stay at home.",
    "hard_days_know": "I fell in September and lay there for an hour until Joan came.",
    "must_say": ["I fell in September", "Mornings take me till ten"],
    "hard_to_say_card": "yes",
    "own_questions": ["Can someone help me wash in the mornings?"],
    "bring_along": "My list of tablets.",
}


@pytest.fixture(autouse=True)
def steady_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns alone: which ordinary words get a check-in is the classifier's call, and moves."""
    def check(text: str, **kw: Any) -> SafetyCheck:
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


async def say(user: FakeUser, text: str) -> list[ChatMessage]:
    user.send_text(text)
    return await user.wait_for_replies()


def state_of(coach: Coach, user: FakeUser) -> SessionState | None:
    session_id = coach.storage.settings(f"tg:{user.id}").get("session")
    found = coach.storage.session(session_id) if session_id else None
    return found[1] if found else None


async def meeting(user: FakeUser, coach: Coach, answers: dict[str, Any]) -> None:
    """The meeting flow from its deep link, typed as a person would; unscripted questions skipped."""
    flow = coach.content.flows["meeting"]
    await say(user, "/start meeting")
    for _ in range(80):
        state = state_of(coach, user)
        if state is None or state.status == "finished" or state.node is None:
            return
        node = flow.nodes[state.node]
        value = answers.get(state.node, "skip") if isinstance(node, AskNode) else "yes"  # a reflection: confirmed
        for text in [*value, "done"] if isinstance(value, list) else [value]:
            await say(user, text)
        after = state_of(coach, user)
        assert after is None or after.node != state.node or after.status == "finished", user.render()[-600:]
    raise AssertionError(f"the meeting flow did not finish:\n{user.render()[-800:]}")


def words_of(replies: list[ChatMessage]) -> str:
    return "\n".join(m.text for m in replies if m.kind == "text")


async def test_profile_after_a_flow_done_twice_summary_export_and_card(
    server: FakeTelegram, bot: Application, coach: Coach
) -> None:
    ann = server.user(1401, "Ann")
    await meeting(ann, coach, FIRST)
    first_card = words_of(await say(ann, "/card"))
    assert "My meeting card" in first_card and NOTE not in first_card  # she chose to keep it to herself

    await meeting(ann, coach, SECOND)
    summary = words_of(await say(ann, "/summary"))
    for words in ("Help in the mornings, so I can stay at home.", "I fell in September and lay there for an hour",
                  "Can someone help me wash in the mornings?", "My list of tablets."):
        assert summary.count(words) == 1, words
    for older in ("Someone to talk to about my money.", "Mornings are slow.", "Who sorts my post?",
                  "My tablets list."):
        assert older not in summary, older
    assert summary.count("When is the meeting, if you know?") <= 1
    assert summary.count(NOTE) == 1 and "My notes, just for me" in summary  # her own view holds her notes

    replies = await say(ann, "/export")
    [pdf] = [m for m in replies if m.upload is not None]
    assert pdf.upload is not None and pdf.upload.content.startswith(b"%PDF-")
    assert pdf.upload.filename.endswith(".pdf")
    document = pdfium.PdfDocument(io.BytesIO(pdf.upload.content))
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    assert "Help in the mornings, so I can stay at home." in text
    assert "Someone to talk to about my money." not in text
    assert text.count(NOTE) == 1 and "Things I find hard to say out loud" in text  # on the card: she chose it

    second_card = words_of(await say(ann, "/card"))
    assert "Things I find hard to say out loud" in second_card and NOTE in second_card
    assert "Who sorts my post?" not in second_card
