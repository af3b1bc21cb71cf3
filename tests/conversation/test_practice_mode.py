"""Practice mode through a real Coach: menus, checking questions, rehearsal, cards and leaving."""

from __future__ import annotations

import json

import pytest

from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.conversation.practice_mode import tally_line
from bot.practice import question_cards

P = "tg:7"


@pytest.fixture
def practice(coach: Coach) -> Coach:
    """The coach as shipped: practice mode is in its command registry, nothing is added."""
    return coach


def cmd(coach: Coach, name: str, arg: str = "") -> Response:
    return coach.handle(P, Incoming("command", command=name, arg=arg))


def say(coach: Coach, text: str) -> Response:
    return coach.handle(P, Incoming("text", text=text))


def tap(coach: Coach, data: str) -> Response:
    return coach.handle(P, Incoming("tap", data=data))


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def buttons(response: Response) -> dict[str, str]:
    return {b.label: b.data for m in response.messages for row in m.buttons for b in row}


def state(coach: Coach) -> dict:
    return coach.storage.settings(P).get("practice") or {}


def test_practice_shows_the_menu_with_the_three_activities(practice: Coach) -> None:
    response = cmd(practice, "practice")
    found = buttons(response)
    assert found["Check my question"] == "q:m:check"
    assert found["Rehearse with an invented person"] == "q:m:rehearse"
    assert found["Question cards"] == "q:m:cards"
    assert all(data.startswith("q:") and len(data.encode()) <= 64 for data in found.values())
    assert state(practice)["mode"] == "menu"


def test_check_then_typed_questions_get_verdicts_and_a_running_tally(practice: Coach) -> None:
    assert "Type the question" in texts(tap(practice, "q:m:check"))
    first = texts(say(practice, "Do you have family nearby?"))
    assert first.startswith("A closed question.")
    assert "Who are the people who matter most to you?" in first
    assert "That's your first question this session." in first
    for question in ("What helps on the hardest days?", "What matters most to you?",
                     "Tell me about a good day.", "What would one point higher look like?"):
        last = texts(say(practice, question))
    assert "4 of your 5 questions so far were open." in last
    last = texts(say(practice, "What else?"))
    assert "5 of your last 5 questions were open." in last
    assert state(practice)["mode"] == "check"


def test_a_single_word_in_check_mode_asks_for_the_whole_question(practice: Coach) -> None:
    cmd(practice, "check")
    assert "very short" in texts(say(practice, "3"))
    assert state(practice)["tally"] == []


def test_asking_the_coach_what_to_do_is_not_reviewed_as_a_question(practice: Coach) -> None:
    cmd(practice, "check")
    response = say(practice, "Someone says 'I want to kill myself tonight'. What do I do?")
    reply = texts(response)
    assert "question for me" in reply and "safeguarding" in reply and "999" in reply
    assert "nothing I would change" not in reply and "Question cards" in buttons(response)
    assert state(practice)["tally"] == [] and state(practice)["mode"] == "check"
    assert texts(say(practice, "What can I do to help?")).startswith("An open question")  # said to a person


def test_check_with_the_question_on_the_command_line(practice: Coach) -> None:
    response = cmd(practice, "check", "Why don't you use a shower seat?")
    assert "Leading" in texts(response) and "A \"why\" question" in texts(response)


def test_checked_lines_are_not_kept_and_rehearsal_lines_only_until_it_ends(practice: Coach) -> None:
    cmd(practice, "check")
    say(practice, "How is Mrs Jones getting on with the stairs?")
    assert "Jones" not in json.dumps(practice.storage.settings(P))
    cmd(practice, "rehearse", "frank_allotment")
    say(practice, "What does Mrs Jones enjoy?")
    assert "Jones" in json.dumps(practice.storage.settings(P))  # kept to quote back at the end
    assert "\u201cWhat does Mrs Jones enjoy?\u201d" in texts(cmd(practice, "done"))
    assert "Jones" not in json.dumps(practice.storage.settings(P))
    cmd(practice, "rehearse", "frank_allotment")
    say(practice, "What does Mrs Jones enjoy?")
    cmd(practice, "stop")
    assert "Jones" not in json.dumps(practice.storage.settings(P))


def test_rehearsal_picks_a_scenario_answers_gives_feedback_and_sums_up(practice: Coach) -> None:
    picker = cmd(practice, "rehearse")
    choices = buttons(picker)
    assert len([d for d in choices.values() if d.startswith("q:r:")]) >= 4
    frank = next(label for label in choices if "allotment" in label)
    opening = tap(practice, choices[frank])
    assert "Frank: Come in" in texts(opening)
    answer = say(practice, "Do you have family nearby?")
    assert texts(answer).startswith("Frank: My daughter, Karen.")
    assert "Note: Closed. This can be answered" in texts(answer)
    answer = say(practice, "Tell me about a time recently when things went a bit better.")
    assert "Tuesday was good" in texts(answer) and "Note: Good: an exception question." in texts(answer)
    assert buttons(answer)["Finish and see a summary"] == "q:done"
    summary = texts(cmd(practice, "done"))
    assert "You asked 2 questions: 1 open and 1 closed." in summary
    assert "Times things go better: Tuesday was good." in summary
    assert "One thing to try next time" in summary
    assert state(practice)["mode"] == "menu"


def test_a_rehearsal_survives_a_new_coach_on_the_same_storage(practice: Coach) -> None:
    cmd(practice, "rehearse", "jean_breaking_point")
    first = texts(say(practice, "How do you keep going?"))
    again = Coach(practice.content, practice.storage, clock=practice.clock)
    second = texts(again.handle(P, Incoming("text", text="How do you keep going?")))
    assert first.startswith("Jean: I don't know how I keep going")
    assert second.startswith("Jean: ") and "I don't know how I keep going" not in second  # remembered: no repeat
    revealed = state(again)["rehearsal"]["revealed"]
    assert revealed[0] == "keep_going" and len(revealed) == 2 == len(set(revealed))


def test_question_cards_browse_by_technique_with_why_and_notes(practice: Coach) -> None:
    cards = question_cards(practice.content.questions)
    assert len(cards) == len(practice.content.questions)
    techniques = [q.technique for q in cards]
    assert techniques == sorted(techniques, key=lambda t: [q.technique for q in cards].index(t))
    first = tap(practice, "q:m:cards")
    shown = texts(first)
    assert cards[0].text.source in shown and "Why we ask it:" in shown and "Practice note:" in shown
    assert "card 1 of" in shown
    following = tap(practice, buttons(first)["Next ›"])
    assert cards[1].text.source in texts(following)
    back = tap(practice, buttons(following)["‹ Previous"])
    assert cards[0].text.source in texts(back)
    jump = next(data for label, data in buttons(first).items() if label.startswith("Next technique"))
    other = tap(practice, jump)
    assert cards[0].technique.replace("_", " ").capitalize() not in texts(other).split(":")[0]
    assert all(len(d.encode()) <= 64 for d in buttons(other).values())


def test_three_columns_gives_feedback_on_the_worry_and_the_goal(practice: Coach) -> None:
    cmd(practice, "columns")
    assert "Now write one goal" in texts(say(practice, "Jean is not coping."))
    feedback = texts(say(practice, "Ray will not wander at night."))
    assert "is a label" in feedback and "Say what will be there instead" in feedback
    assert "worry" not in state(practice)


def test_menu_and_start_leave_practice_and_let_the_coach_answer(practice: Coach) -> None:
    cmd(practice, "check")
    response = cmd(practice, "menu")
    assert "f:example" in buttons(response).values()
    assert state(practice) == {}
    cmd(practice, "rehearse", "dawn_ms")
    response = cmd(practice, "start")
    assert "Dawn" not in texts(response) and state(practice) == {}


def test_stop_leaves_practice_and_typed_text_goes_back_to_the_coach(practice: Coach) -> None:
    cmd(practice, "check")
    assert "left practice mode" in texts(cmd(practice, "stop"))
    response = say(practice, "Do you have family nearby?")
    assert "closed question" not in texts(response).lower()


def test_outside_practice_mode_practice_stays_out_of_the_way(practice: Coach) -> None:
    assert "closed question" not in texts(say(practice, "Do you have family nearby?")).lower()
    assert "Who are we thinking about today?" in texts(tap(practice, "f:example"))
    assert "What you can type at any time" in texts(cmd(practice, "help"))
    assert texts(cmd(practice, "stop")) == "I don't know /stop. Type /help to see what you can do."
    assert texts(cmd(practice, "done")) == "I don't know /done. Type /help to see what you can do."
    assert state(practice) == {}


def test_next_walks_through_every_card_and_back_to_the_first(practice: Coach) -> None:
    cards = question_cards(practice.content.questions)
    response = tap(practice, "q:m:cards")
    seen = []
    for _ in cards:
        seen.append(state(practice)["card"])
        assert all(len(d.encode()) <= 64 for d in buttons(response).values())
        response = tap(practice, buttons(response)["Next ›"])
    assert seen == [q.id for q in cards]
    assert state(practice)["card"] == cards[0].id


def test_a_coach_button_tapped_in_practice_mode_leaves_it(practice: Coach) -> None:
    cmd(practice, "check")
    response = tap(practice, "f:example")
    assert state(practice) == {} and "Who are we thinking about today?" in texts(response)


def test_help_keeps_practice_mode(practice: Coach) -> None:
    cmd(practice, "check")
    cmd(practice, "help")
    assert state(practice)["mode"] == "check"


def test_a_voice_note_in_practice_mode_gets_a_kind_explanation(practice: Coach) -> None:
    cmd(practice, "check")
    response = practice.handle(P, Incoming("other", text="voice note"))
    assert "only read typed text" in texts(response)


def test_an_old_practice_button_is_handled(practice: Coach) -> None:
    response = tap(practice, "q:zzz")
    assert response.ack == "That button no longer works" and "Practice mode" in texts(response)


@pytest.mark.parametrize(("tally", "line"), [
    ([True], "That's your first question this session."),
    ([True, False, True], "2 of your 3 questions so far were open."),
    ([False, True, True, True, False, False], "3 of your last 5 questions were open."),
    ([False, False, False, False, True, False], "1 of your last 5 questions was open."),
])
def test_tally_line(tally: list[bool], line: str) -> None:
    assert tally_line(tally) == line


def test_the_rehearsal_flow_notes_what_the_practitioner_wrote(coach: Coach) -> None:
    """practice_rehearsal's note answers what was typed (issue 16): a reflection is named as one."""
    from bot.conversation.chat import Incoming

    person = "tg:77"
    response = coach.handle(person, Incoming("command", command="start", arg="practice_rehearsal"))
    for _ in range(60):  # skip ahead to the step that asks for a reflection
        shown = "\n".join(m.text for m in response.messages)
        if "Write a short reflection" in shown:
            break
        response = coach.handle(person, Incoming("command", command="skip"))
    else:
        raise AssertionError("the rehearsal flow never asked for a reflection")
    noted = coach.handle(person, Incoming("text", text="So getting out to the shops matters a lot to you."))
    assert "Note on what you wrote: That reads as a reflection" in "\n".join(m.text for m in noted.messages)
