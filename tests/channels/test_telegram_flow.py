"""The coach on Telegram end to end: the real PTB Application talking HTTP to a fake Bot API
(tests/fake_telegram), with a real Coach over a temporary SQLite database and the example flow."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_telegram import ChatMessage, FakeTelegram, FakeUser
from fake_telegram.harness import running_bot
from telegram.ext import Application

from bot.conversation import wording
from bot.conversation.coach import Coach

pytestmark = pytest.mark.slow  # end to end over HTTP to the fake Bot API

CONTROLS = {"Back", "Skip", "Why am I asked this?"}


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


def question(user: FakeUser) -> ChatMessage:
    """The newest question (a bot message with answer buttons or navigation)."""
    return user.last_keyboard()


async def begin_example(user: FakeUser) -> ChatMessage:
    await say(user, "/start example")
    return await user.wait_for_text("Who are we thinking about")


async def test_start_shows_welcome_and_flow_buttons(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    replies = await say(alex, "/start")
    assert "What Matters Coach" in replies[0].text
    assert "not an assessment" in replies[0].text
    menu = replies[-1]
    assert "A two-minute taster" in menu.labels
    assert "For me" in menu.text
    assert [c["command"] for c in server.commands] == ["start", "menu", "resume", "back", "skip", "why", "pause",
                                                       "restart", "review", "summary", "card", "export", "reminders",
                                                       "delete", "privacy", "practice", "help"]


async def test_menu_button_starts_a_flow(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    menu = (await say(alex, "/start"))[-1]
    replies = await tap(alex, menu, "A two-minute taster")
    assert any("Who are we thinking about" in m.text for m in replies)
    assert server.callbacks and all(q.answered for q in server.callbacks.values())


async def test_deep_link_opens_the_flow_directly(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    assert "Question 1 of about" in first.text
    assert first.buttons[0] == ["Me"]


async def test_tap_edits_the_question_to_show_the_answer_without_keyboard(server: FakeTelegram, bot: Application,
                                                                         coach: Coach) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    query = alex.tap(first, "Me")
    replies = await alex.wait_for_replies()
    assert first.edited and first.keyboard == []
    assert first.text.endswith("✓ Me")
    assert "Who are we thinking about" in first.text
    assert query.answered and query.answer_text == "Saved"
    assert "What would you like me to call you?" in replies[-1].text
    assert answers_of(coach, alex)["builtin.for_someone"] == "me"


async def test_typed_answers_work_for_choices_and_scales(server: FakeTelegram, bot: Application,
                                                         coach: Coach) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "me")
    await say(alex, "Sam")
    replies = await say(alex, "to get out more")
    assert "So your best hope is: to get out more" in replies[-1].text
    await tap(alex, question(alex), "Yes, that's right")
    scale = await alex.wait_for_text("0 to 10")
    assert scale.buttons[:2] == [[str(n) for n in range(0, 6)], [str(n) for n in range(6, 11)]]
    assert set(scale.buttons[2]) <= CONTROLS
    assert "0 =" in scale.text and "10 =" in scale.text
    await say(alex, "seven")
    assert answers_of(coach, alex)["example.managing"] == 7
    assert alex.transcript()[-1].from_bot


async def test_back_and_skip_by_buttons(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    await tap(alex, first, "Me")
    name = question(alex)
    await tap(alex, name, "Skip")
    assert name.text.endswith("✓ skipped")
    hopes = question(alex)
    assert "best hopes" in hopes.text
    replies = await tap(alex, hopes, "Back")
    assert any("call you" in m.text for m in replies)
    await say(alex, "Sam")
    assert answers_of(coach, alex)["example.name"] == "Sam"


async def test_stale_tap_never_records_and_offers_to_change(server: FakeTelegram, bot: Application,
                                                            coach: Coach) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    stale = first.data_for("Someone I care for")
    await say(alex, "Me")
    await alex.wait_for_text("call you")
    query = alex.tap_data(first, stale)  # e.g. a phone that still shows the old keyboard
    replies = await alex.wait_for_replies()
    assert answers_of(coach, alex)["builtin.for_someone"] == "me"
    assert query.answered and query.answer_text == "That was an earlier question"
    offer = replies[-1]
    assert "earlier question" in offer.text
    assert "Change that answer" in offer.labels


async def test_a_typed_answer_takes_the_buttons_off_its_question(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    await say(alex, "Someone I care for")
    assert first.keyboard == [] and "Who are we thinking about" in first.text
    name = question(alex)
    await say(alex, "/why")
    assert name.keyboard  # nothing answered yet: the buttons stay
    await say(alex, "Sam")
    assert name.keyboard == []
    assert server.errors() == []


async def test_double_tap_records_once(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    first = await begin_example(alex)
    one, two = alex.tap(first, "Me"), alex.tap(first, "Me")
    replies = await alex.wait_for_replies()
    assert one.answered and two.answered
    assert two.answer_text == "Already saved"
    assert len([a for a in coach.storage.answers("tg:1001") if a.question_id == "builtin.for_someone"]) == 1
    assert sum("call you" in m.text for m in replies) == 1


async def test_every_callback_is_answered_even_unknown_data(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    menu = (await say(alex, "/start"))[-1]
    forged = alex.tap_data(menu, "zz:nonsense")
    replies = await alex.wait_for_replies()
    assert forged.answered
    assert replies and "earlier" in replies[-1].text


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "location", "contact", "document"])
async def test_non_text_gets_a_kind_reply_and_the_question_again(server: FakeTelegram, bot: Application,
                                                                 kind: str) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    getattr(alex, f"send_{kind}")()
    replies = await alex.wait_for_replies()
    assert replies[0].text == wording.NOT_TEXT
    assert "Who are we thinking about" in replies[-1].text and replies[-1].labels


async def test_group_chat_gets_the_private_chat_message_and_nothing_is_stored(server: FakeTelegram,
                                                                              bot: Application,
                                                                              coach: Coach) -> None:
    alex = server.user(1001).in_group(-1005)
    alex.send_text("/start@some_other_bot")
    alex.send_text(f"/start@{server.username}")
    alex.send_text("My answer in public")
    replies = await alex.wait_for_replies()
    assert [m.text for m in replies] == [wording.PRIVATE_ONLY] * 2
    assert replies[0].keyboard[0][0]["url"] == f"https://t.me/{server.username}"
    assert coach.storage.answers("tg:1001") == []
    assert coach.storage.settings("tg:1001") == {}


HOSTILE = ["<b>bold</b> & </code> <script>alert(1)</script>", "{{ name }} {% if x %}{{ 7*7 }}{% endif %} ${x} %s",
           "a < b && c > d &amp; &lt;", "x" * 10_000, "😀" * 3000, "<", "&", "\u202e\u0000 tab\tand\nnewline"]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
async def test_hostile_text_always_gets_a_reply_and_no_api_error(server: FakeTelegram, bot: Application,
                                                                text: str) -> None:
    alex = server.user(1001)
    await say(alex, text)  # before any conversation
    assert alex.replies()
    await begin_example(alex)
    await say(alex, "Me")
    replies = await say(alex, text)  # as a name: it is echoed back later
    assert replies
    assert server.errors() == []


async def test_hostile_answer_is_shown_back_exactly(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "Me")
    await say(alex, "Sam")
    words = "<i>more</i> time & {{ friends }} </code>"
    replies = await say(alex, words)
    assert f"So your best hope is: {words}" in replies[-1].text


async def test_long_reply_is_split_under_the_limit(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "Me")
    await say(alex, "Sam")
    replies = await say(alex, "garden " * 1400)  # echoed in the reflection: over 4096 characters
    assert len(replies) >= 2
    assert all(len(m.text) <= 4096 for m in replies)
    assert "Is that right?" in replies[-1].text and replies[-1].labels


async def test_long_summary_arrives_in_valid_pieces_with_every_word(server: FakeTelegram, bot: Application) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "Me")
    await say(alex, "Sam")
    hope = " ".join(f"hope{n} & <more>" for n in range(230))  # 3,900 characters; as HTML, about 6,000
    replies = await say(alex, hope)
    assert "Is that right?" in replies[-1].text
    await tap(alex, replies[-1], replies[-1].labels[0])
    summary = await say(alex, "/summary")
    draft = [m for m in summary if m.kind == "text" and "To change anything" not in m.text]
    assert len(draft) >= 2  # one draft, split by the channel; the fixture checks Telegram refused none
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in draft)
    shown = " ".join(m.text for m in draft).split()
    start = shown.index("hope0")
    assert shown[start : start + 3 * 230] == hope.split()


async def test_a_command_is_never_stored_as_an_answer(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "Me")
    replies = await say(alex, "/help")
    assert "/resume" in replies[0].text
    await say(alex, "/privacy")
    assert "example.name" not in answers_of(coach, alex)
    await say(alex, "/resume")
    await say(alex, "Sam")
    assert answers_of(coach, alex)["example.name"] == "Sam"


async def test_edit_of_the_latest_answer_updates_it(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    await say(alex, "Me")
    sent = alex.send_text("Sma")
    await alex.wait_for_replies()
    alex.edit(sent, "Sam")
    replies = await alex.wait_for_replies()
    assert replies
    assert answers_of(coach, alex)["example.name"] == "Sam"


async def test_edit_of_an_older_message_is_left_alone(server: FakeTelegram, bot: Application, coach: Coach) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    who = alex.send_text("Me")
    await alex.wait_for_replies()
    await say(alex, "Sam")
    alex.edit(who, "Someone I care for")
    replies = await alex.wait_for_replies()
    assert replies[-1].text == wording.EDIT_LEFT_ALONE
    assert answers_of(coach, alex)["builtin.for_someone"] == "me"


TYPED = {"call you": "Sam", "best hopes": "More good days & fewer <bad> ones", "hard day like": "Tired & alone",
         "When is": "2 December"}


async def walk_flow_mostly_by_taps(user: FakeUser) -> tuple[int, int]:
    """Finish the example flow: type a name, hopes, a hard day and a date; tap everything else.
    Returns (taps, typed)."""
    await begin_example(user)
    taps = typed = 0
    for _ in range(30):
        if any("That is everything" in m.text for m in user.replies()):
            return taps, typed
        current = question(user)
        words = next((answer for fragment, answer in TYPED.items() if fragment in current.text), None)
        choices = [label for label in current.labels if label not in CONTROLS]
        if words is not None:
            await say(user, words)
            typed += 1
            continue
        if "0 to 10" in current.text:
            button = "3"
        elif choices:
            button = choices[0]
        else:
            button = "Skip"
        await tap(user, current, button)
        taps += 1
    raise AssertionError(f"the flow did not finish:\n{user.render()}")


async def test_full_flow_by_taps_then_summary_and_export(server: FakeTelegram, bot: Application,
                                                         coach: Coach) -> None:
    alex = server.user(1001)
    taps, typed = await walk_flow_mostly_by_taps(alex)
    assert taps > typed
    assert all(not m.keyboard for m in alex.bot_messages()[:-1] if "✓" in m.text)  # answered questions: no keys
    summary = await say(alex, "/summary")
    assert any("More good days & fewer <bad> ones" in m.text and "Tired & alone" in m.text for m in summary)
    replies = await say(alex, "/export")
    files = [m for m in replies if m.upload is not None]
    assert files and files[0].upload is not None and files[0].upload.content
    assert (alex.chat_id, "upload_document") in server.actions
    assert (alex.chat_id, "typing") in server.actions


async def test_twenty_people_at_once_see_only_their_own_words(server: FakeTelegram, bot: Application) -> None:
    people = [server.user(2000 + n, f"P{n}") for n in range(20)]
    for person in people:
        person.send_text("/start example")
    await server.settle()
    for person in people:
        person.send_text("Me")
    await server.settle()
    for person in people:
        person.send_text(f"Name-{person.id}")
    await server.settle()
    for person in people:
        person.send_text(f"hope-of-{person.id}")
    await server.settle(timeout=20)
    for person in people:
        said = "\n".join(m.text for m in person.bot_messages())
        assert f"hope-of-{person.id}" in said
        others = [p.id for p in people if p is not person and f"of-{p.id}" in said]
        assert others == []


async def test_carer_deep_link_opens_the_carer_flow(server: FakeTelegram, bot: Application) -> None:
    sam = server.user(1002, "Sam")
    replies = await say(sam, "/start carer")
    assert any("Question 1 of about" in m.text for m in replies)
    assert not any(m.text.startswith(wording.MENU_INTRO) for m in replies)


async def test_one_persons_messages_are_handled_in_order(server: FakeTelegram, bot: Application,
                                                         coach: Coach) -> None:
    alex = server.user(1001)
    await begin_example(alex)
    for text in ("Me", "Sam", "Seeing friends"):  # sent at once, before any reply
        alex.send_text(text)
    await alex.wait_for_replies()
    answers = answers_of(coach, alex)
    assert (answers["builtin.for_someone"], answers["example.name"], answers["example.best_hopes"]) == (
        "me", "Sam", "Seeing friends")
