"""The safety net through the Coach: the help card, the check-in, and what happens to the words.

Which messages get a check-in is the classifier's call, and its thresholds move as it is
retrained. So these tests hand the safety net a steady checker: the patterns alone, with a few
known messages put in the middle band (MIDDLE). The tests marked `shipped` use the real one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Clock

import bot.conversation.safety_net as safety_net
from bot.conversation import buttons
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.conversation.context import Context
from bot.conversation.drafts import read_person
from bot.safety import SafetyCheck, check_safety
from bot.safety.classifier import SafetyModel

P = "tg:1"
WORRYING = "Some days I just want it all to stop"  # the checker below puts these in the middle band
UNSURE_WHO = "Everything feels a bit much lately"
LATE_DATE = "1 December"  # stands in for a last answer the classifier is unsure of
RISKY = "Honestly some days I feel like ending it all"
MIDDLE = {
    WORRYING: SafetyCheck(True, "suicide_self_harm", ("suicide_self_harm",), "check_in", "classifier"),
    UNSURE_WHO: SafetyCheck(True, None, (), "check_in", "classifier"),
    LATE_DATE: SafetyCheck(True, "suicide_self_harm", ("suicide_self_harm",), "check_in", "classifier"),
}


@pytest.fixture(autouse=True)
def checked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The steady checker (see the module docstring); the keywords of each call."""
    calls: list[dict[str, Any]] = []

    def check(text: str, **kw: Any) -> SafetyCheck:
        calls.append(kw)
        return MIDDLE.get(text) or check_safety(text, model=SafetyModel(None), **kw)

    monkeypatch.setattr(safety_net, "check_safety", check)
    return calls


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker as shipped: patterns and classifier."""
    monkeypatch.setattr(safety_net, "check_safety", check_safety)


def say(coach: Coach, text: str) -> Response:
    return coach.handle(P, Incoming("text", text=text))


def cmd(coach: Coach, name: str, arg: str = "") -> Response:
    return coach.handle(P, Incoming("command", command=name, arg=arg))


def tap(coach: Coach, data: str) -> Response:
    return coach.handle(P, Incoming("tap", data=data))


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def labels(response: Response) -> list[str]:
    return [b.label for m in response.messages for row in m.buttons for b in row]


def button(response: Response, label: str) -> str:
    found = [b.data for m in response.messages for row in m.buttons for b in row if b.label == label]
    assert found, f"no button {label!r} in {labels(response)}"
    return found[0]


def answers(coach: Coach, step: str) -> list[str]:
    return [a.answer.display for a in coach.storage.answers(P) if a.node_id == step]


def settings_text(coach: Coach) -> str:
    return json.dumps(coach.storage.settings(P))


def at_best_hopes(coach: Coach) -> None:
    tap(coach, button(cmd(coach, "start", "example"), "Me"))
    say(coach, "Sam")


def exported(coach: Coach) -> dict[str, Any]:
    [data] = [m.attachment for m in cmd(coach, "export", "json").messages if m.attachment]
    return dict(json.loads(data.content))


# ----- the help card (signpost) -----


def test_safety_net_a_clear_risk_gets_the_card_at_once_with_999_first_for_danger(coach: Coach) -> None:
    at_best_hopes(coach)
    response = say(coach, "He's hitting me right now and I can't get out")
    card = response.messages[0].text
    assert card.startswith("This sounds urgent") and "999" in card.split("\n\n")[0]
    assert "best hopes" not in texts(response).lower()  # the conversation waits: no question under the card
    assert answers(coach, "best_hopes") == []


def test_safety_net_signpost_words_are_held_and_kept_only_if_chosen(coach: Coach) -> None:
    at_best_hopes(coach)
    response = say(coach, RISKY)
    assert "Samaritans" in texts(response)
    assert "Would you like me to keep it as your answer?" in texts(response)
    assert labels(response) == ["Pause for now", "Yes, keep it as my answer", "No, leave it out"]
    assert answers(coach, "best_hopes") == []
    assert RISKY in settings_text(coach)  # held, encrypted, until the next message decides
    kept = tap(coach, button(response, "Yes, keep it as my answer"))
    assert "I've saved what you wrote as your answer" in texts(kept)
    assert "So your best hope is: " + RISKY in texts(kept)
    assert answers(coach, "best_hopes") == [RISKY]
    assert coach.storage.settings(P)["held"] is None


def test_safety_net_a_typed_yes_after_the_card_keeps_the_words_and_never_replaces_them(coach: Coach) -> None:
    at_best_hopes(coach)
    say(coach, RISKY)
    response = say(coach, "yes")
    assert answers(coach, "best_hopes") == [RISKY]  # not "yes"
    assert "I've saved what you wrote" in texts(response) and "Is that right?" in texts(response)


@pytest.mark.parametrize("choose", [
    lambda coach, card: tap(coach, button(card, "No, leave it out")),
    lambda coach, card: say(coach, "no"),
])
def test_safety_net_leaving_held_words_out_discards_them(coach: Coach,
                                                         choose: Callable[[Coach, Response], Response]) -> None:
    at_best_hopes(coach)
    card = say(coach, RISKY)
    response = choose(coach, card)
    assert "I've left it out" in texts(response) and "best hopes" in texts(response).lower()
    assert answers(coach, "best_hopes") == []
    assert RISKY not in settings_text(coach)


def test_safety_net_moving_on_discards_held_words_and_says_so(coach: Coach) -> None:
    at_best_hopes(coach)
    say(coach, RISKY)
    response = say(coach, "To stay in my own home")
    assert texts(response).startswith("I haven't kept what you wrote earlier.")
    assert answers(coach, "best_hopes") == ["To stay in my own home"]
    assert RISKY not in settings_text(coach)


def test_safety_net_pause_from_the_card_discards_held_words_and_says_so(coach: Coach) -> None:
    at_best_hopes(coach)
    paused = tap(coach, button(say(coach, RISKY), "Pause for now"))
    assert "I haven't kept what you wrote earlier." in texts(paused) and "Paused" in texts(paused)
    assert RISKY not in settings_text(coach) and answers(coach, "best_hopes") == []


def test_safety_net_held_words_are_in_all_my_data_and_help_and_privacy_leave_them_waiting(coach: Coach) -> None:
    at_best_hopes(coach)
    card = say(coach, RISKY)
    assert exported(coach)["kept_between_messages"]["held"]["text"] == RISKY
    privacy = texts(cmd(coach, "privacy"))
    assert "kept only until you answer or move on" in privacy and "never your words" in privacy
    assert "116 123" in texts(cmd(coach, "help"))
    tap(coach, button(card, "Yes, keep it as my answer"))
    assert answers(coach, "best_hopes") == [RISKY]
    assert exported(coach)["kept_between_messages"]["held"] is None


def test_safety_net_a_second_risky_message_is_held_with_the_first(coach: Coach) -> None:
    at_best_hopes(coach)
    say(coach, RISKY)
    card = say(coach, "I want to end my life")
    tap(coach, button(card, "Yes, keep it as my answer"))
    assert answers(coach, "best_hopes") == [f"{RISKY}\n\nI want to end my life"]


def test_safety_net_an_old_keep_button_keeps_nothing(coach: Coach) -> None:
    at_best_hopes(coach)
    first = say(coach, RISKY)
    tap(coach, button(first, "No, leave it out"))
    late = tap(coach, button(first, "Yes, keep it as my answer"))
    assert late.ack == "That was an earlier message" and "no longer held" in texts(late)
    assert answers(coach, "best_hopes") == []


def test_safety_net_words_that_would_not_be_an_answer_are_not_offered_or_held(coach: Coach) -> None:
    cmd(coach, "start", "example")  # a choice question: these words don't choose anything
    response = say(coach, "I want to end my life")
    assert "Samaritans" in texts(response) and labels(response) == ["Pause for now", "Carry on"]
    assert coach.storage.settings(P)["held"] is None
    assert "Who are we thinking about today?" in texts(tap(coach, button(response, "Carry on")))


def test_safety_net_words_after_a_command_are_read_too(coach: Coach) -> None:
    cmd(coach, "practice")
    response = cmd(coach, "check", "I want to end my life")
    assert "Samaritans" in response.messages[0].text  # the help first ...
    assert len(response.messages) > 1  # ... then the command does what it does


def test_safety_net_a_risky_edit_is_not_applied_and_the_person_is_told(coach: Coach) -> None:
    at_best_hopes(coach)
    coach.handle(P, Incoming("text", text="A quiet garden", ref="m1"))
    response = coach.handle(P, Incoming("edit", text="I want to end my life", ref="m1"))
    assert "Samaritans" in texts(response) and "left your saved answer as it was" in texts(response)
    assert answers(coach, "best_hopes") == ["A quiet garden"]


def test_safety_net_legacy_held_words_are_decided_by_the_next_message(coach: Coach) -> None:
    at_best_hopes(coach)
    settings = coach.storage.settings(P)
    coach.storage.save_settings(P, {**settings, "held_message": RISKY})
    kept = tap(coach, buttons.safety("keep"))  # an old card's button, from before holds had tokens
    assert "I've saved what you wrote" in texts(kept) and answers(coach, "best_hopes") == [RISKY]
    assert "held_message" not in coach.storage.settings(P)


# ----- the check-in -----


def test_safety_net_a_check_in_saves_the_answer_then_asks_before_going_on(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    response = say(coach, WORRYING)
    assert answers(coach, "best_hopes") == [WORRYING]  # saved as normal ...
    assert response.ack == "Saved"
    assert texts(response) == "I want to be sure I understood you. Are you safe right now?"  # ... asked first
    assert [[b.label for b in row] for row in response.messages[-1].buttons] == [
        ["I'm OK, carry on"], ["Not really", "Show me where to get help"]]
    ok = tap(coach, button(response, "I'm OK, carry on"))
    assert ok.edit is not None and ok.edit.endswith("✓ I'm OK, carry on")
    assert "Thank you for letting me know." in texts(ok) and f"So your best hope is: {WORRYING}" in texts(ok)
    assert answers(coach, "best_hopes") == [WORRYING]


@pytest.mark.parametrize("label", ["Not really", "Show me where to get help"])
def test_safety_net_not_really_and_help_lead_to_the_help_for_the_category(coach: Coach, checked: list,
                                                                          label: str) -> None:
    at_best_hopes(coach)
    response = tap(coach, button(say(coach, WORRYING), label))
    shown = texts(response)
    assert shown.startswith("Thank you for telling me. I am sorry things feel so hard")  # the category's card
    assert "116 123" in shown and "999" in shown
    assert "safeguarding" in shown.lower()  # and the general help too
    assert labels(response) == ["Pause for now", "Carry on"]
    assert answers(coach, "best_hopes") == [WORRYING]  # the answer stays as typed
    assert f"So your best hope is: {WORRYING}" in texts(tap(coach, button(response, "Carry on")))


def test_safety_net_help_after_a_check_in_with_no_category_is_the_general_help(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    response = tap(coach, button(say(coach, UNSURE_WHO), "Not really"))
    assert texts(response).startswith("Thank you for telling me. You don't have to deal with this on your own.")
    assert "If you need help now:" in texts(response) and "116 123" in texts(response)


@pytest.mark.parametrize(("reply", "help_shown"), [
    ("yes", False),
    ("I'm OK thanks", False),
    ("no I'm fine", False),
    ("thanks for asking", False),
    ("no", True),
    ("not really", True),
    ("I'm not sure", True),
    ("I don't know", True),
])
def test_safety_net_a_typed_reply_to_a_check_in(coach: Coach, checked: list, reply: str, help_shown: bool) -> None:
    at_best_hopes(coach)
    say(coach, WORRYING)
    response = say(coach, reply)
    assert ("116 123" in texts(response)) is help_shown
    assert ("So your best hope is" in texts(response)) is not help_shown
    assert "Are you safe right now?" not in texts(response)
    assert reply not in [a.answer.display for a in coach.storage.answers(P)]  # a reply, never an answer


def test_safety_net_a_check_in_waits_through_commands_that_only_look(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    say(coach, WORRYING)
    cmd(coach, "help")
    cmd(coach, "review")
    assert "116 123" in texts(say(coach, "no"))  # still the reply to "Are you safe right now?"
    assert "no" not in [a.answer.display for a in coach.storage.answers(P)]


def test_safety_net_a_risky_reply_to_a_check_in_gets_the_help_and_is_not_held(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    say(coach, WORRYING)
    response = say(coach, "I want to end my life")
    assert "Samaritans" in texts(response) and labels(response) == ["Pause for now", "Carry on"]
    assert coach.storage.settings(P)["held"] is None


def test_safety_net_a_check_in_never_loops(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    say(coach, WORRYING)
    again = say(coach, UNSURE_WHO)  # the reply is middle-band too: help, not a second check-in
    assert "Are you safe right now?" not in texts(again) and "116 123" in texts(again)
    after = say(coach, "yes")  # and the check-in is over: "yes" is an answer again
    assert "Are you safe" not in texts(after) and "Thank you for letting me know" not in texts(after)


def test_safety_net_old_check_in_buttons_are_stale_safe(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    check_in = say(coach, WORRYING)
    tap(coach, button(check_in, "I'm OK, carry on"))
    late_ok = tap(coach, button(check_in, "I'm OK, carry on"))
    assert late_ok.messages == [] and late_ok.edit is None
    late_help = tap(coach, button(check_in, "Show me where to get help"))  # help is never refused
    assert "116 123" in texts(late_help)
    assert answers(coach, "best_hopes") == [WORRYING]


def test_safety_net_a_check_in_on_the_last_answer_shows_the_draft_after(coach: Coach, clock: Clock,
                                                                       checked: list) -> None:
    at_best_hopes(coach)
    for words in ("To stay at home", "yes", "7", "My cat", "Walking more", "Rarely", "My neighbour", "that's all"):
        say(coach, words)
    response = say(coach, LATE_DATE)
    assert "Are you safe right now?" in texts(response) and "Here is what I've written" not in texts(response)
    ok = tap(coach, button(response, "I'm OK, carry on"))
    assert "Here is what I've written" in texts(ok)


def test_safety_net_a_check_in_outside_a_conversation_carries_on_kindly(coach: Coach, checked: list) -> None:
    cmd(coach, "start")
    response = say(coach, WORRYING)
    assert "Are you safe right now?" in texts(response)
    ok = tap(coach, button(response, "I'm OK, carry on"))
    assert "Thank you for letting me know." in texts(ok) and "/menu" in texts(ok)


# ----- practice mode, and the real checker -----


def test_safety_net_practice_mode_is_checked_as_practice(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    say(coach, "To stay at home")
    cmd(coach, "practice")
    cmd(coach, "check")
    say(coach, "How would you ask someone about self-harm?")
    assert checked == [{"practice": False}, {"practice": False}, {"practice": False}, {"practice": True}]


def test_safety_net_a_practitioners_question_about_risk_gets_no_crisis_card(coach: Coach, shipped: None) -> None:
    cmd(coach, "practice")
    cmd(coach, "check")
    question = say(coach, "What should I say if someone tells me they want to kill themselves?")
    assert question.messages and "116 123" not in texts(question) and "Are you safe" not in texts(question)
    disclosure = say(coach, "Honestly I want to kill myself after shifts like today")
    assert "116 123" in texts(disclosure)
    assert coach.storage.settings(P)["practice"] is not None  # still practising


@pytest.mark.parametrize("words", ["one where I don't wake up", "there's a rope in the shed",
                                   "I want to end my life", "A quiet garden"])
def test_safety_net_the_shipped_checkers_band_decides_what_happens(coach: Coach, shipped: None, words: str) -> None:
    at_best_hopes(coach)
    band = check_safety(words).band
    response = say(coach, words)
    assert ("Are you safe right now?" in texts(response)) is (band == "check_in")
    assert ("116 123" in texts(response)) is (band == "signpost")
    assert (answers(coach, "best_hopes") == [words]) is (band in ("check_in", "none"))


# ----- the record, and what the person can see -----


def test_safety_net_each_signpost_and_check_in_is_recorded_without_words(coach: Coach, checked: list) -> None:
    at_best_hopes(coach)
    assert cmd(coach, "help").messages[0].text.startswith("What you can type")
    tap(coach, button(say(coach, WORRYING), "Not really"))
    events = coach.storage.settings(P)["safety_events"]
    assert [(e["band"], e["category"]) for e in events] == [("check_in", "suicide_self_harm"),
                                                            ("signpost", "suicide_self_harm")]
    assert all(e["at"] == "2026-11-23T10:00:00+00:00" for e in events)
    assert [e.band for e in read_person(coach.storage, P).safety_events] == ["check_in", "signpost"]
    assert WORRYING not in json.dumps(events)
    help_ = cmd(coach, "help")
    assert help_.messages[0].text.startswith("If you need help now:")  # the help comes first from now on
    assert exported(coach)["kept_between_messages"]["safety_events"] == events


def test_safety_net_the_words_never_reach_the_logs(coach: Coach, checked: list,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    at_best_hopes(coach)
    say(coach, WORRYING)
    say(coach, "not sure")
    say(coach, RISKY)
    assert "check-in shown" in caplog.text and "signpost shown" in caplog.text
    for words in ("stop", "ending it all", "not sure"):
        assert words not in caplog.text


# ----- coming back after a break: the same rule -----


def test_welcome_back_holds_an_answer_until_the_next_message(coach: Coach, clock: Clock) -> None:
    cmd(coach, "start", "example")
    say(coach, "Me")
    clock.advance(days=3)
    back = say(coach, "Sam")
    assert "I haven't saved what you just wrote as an answer" in texts(back)
    assert exported(coach)["kept_between_messages"]["held"]["text"] == "Sam"
    response = say(coach, "Samuel")
    assert texts(response).startswith("I haven't kept what you wrote earlier.")
    assert answers(coach, "name") == ["Samuel"]
    assert "Sam\"" not in settings_text(coach)


def test_welcome_back_after_chit_chat_holds_nothing(coach: Coach, clock: Clock) -> None:
    cmd(coach, "start", "example")
    say(coach, "Me")
    clock.advance(days=3)
    back = say(coach, "Hello!")
    assert "Use what I just wrote as my answer" not in labels(back)
    assert coach.storage.settings(P)["held"] is None


# ----- erasing -----


def test_delete_says_the_chat_on_the_phone_still_shows_the_conversation(coach: Coach) -> None:
    at_best_hopes(coach)
    response = tap(coach, buttons.erase(True))
    assert "Everything about you has been erased" in texts(response)
    assert "Clear history" in texts(response) and "Delete chat" in texts(response)
    assert coach.storage.answers(P) == []


def test_delete_says_so_when_erasing_finishes_at_the_next_start(coach: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    erase = Context.erase
    monkeypatch.setattr(Context, "erase", lambda self: erase(self) and False)  # the files still hold the words
    at_best_hopes(coach)
    response = tap(coach, buttons.erase(True))
    assert "the next time the coach starts" in texts(response) and "Clear history" in texts(response)
    assert coach.storage.answers(P) == []
