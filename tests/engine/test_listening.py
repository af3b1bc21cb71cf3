"""A conversation that listens (issue 15): acknowledgements, "what would you like instead?",
coping before a step up at the bottom of a scale, reflections without doubled punctuation, and
summaries at the end of a part that can be confirmed or put right.

The flows and bank are in tests/data/engine/ (listen, hopes, only_spirits, only_mood).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import engine
from bot.content.builtin import ACKNOWLEDGEMENTS
from bot.content.loader import load_content
from bot.content.model import Content, Flow
from bot.engine import parsing, speech
from bot.engine.state import FINISHED, Prompt, SessionState, Turn

DATA = Path(__file__).resolve().parents[1] / "data" / "engine"
TODAY = date(2026, 11, 23)
WORRY_LINES = [line.source for line in ACKNOWLEDGEMENTS["worries"]]
LOW_LINES = [line.source for line in ACKNOWLEDGEMENTS["low_score"]]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DATA / "banks", DATA / "flows")


def play(flow: Flow, said: list[str], *, earlier: dict[str, Any] | None = None) -> list[Turn]:
    """Begin, then each input: 'tap:X' taps X on the current question, anything else is typed."""
    turns = [engine.begin(flow, earlier=earlier)]
    for item in said:
        state = turns[-1].state
        event = engine.pick(state.node or "", item[4:]) if item.startswith("tap:") else engine.text(item)
        turns.append(engine.handle(flow, state, event, today=TODAY))
    return turns


def prompt(turn: Turn) -> Prompt:
    last = turn.replies[-1].prompt
    assert last is not None, f"expected a question, got {turn.replies}"
    return last


def said_before(turn: Turn) -> list[str]:
    """What the coach says in a turn before the question it ends on."""
    return [r.text for r in turn.replies if r.prompt is None]


# ---------------------------------------------------------------- acknowledgements


def test_a_worry_is_acknowledged_once_before_the_next_question(content: Content) -> None:
    turns = play(content.flows["listen"], ["Falling at night."])
    assert said_before(turns[1]) == [WORRY_LINES[0]]
    assert prompt(turns[1]).node_id == "fear"
    assert [r.prompt is not None for r in turns[1].replies] == [False, True]  # the line, then the question


def test_acknowledgements_vary_and_are_never_the_persons_words(content: Content) -> None:
    turns = play(content.flows["listen"], ["Falling at night.", "Money."])
    first, second = said_before(turns[1]), said_before(turns[2])
    assert first != second and first[0] in WORRY_LINES and second[0] in WORRY_LINES
    assert turns[2].state.acks == [first[0], second[0]]
    assert "Falling" not in " ".join(turns[2].state.acks)


@pytest.mark.parametrize("answer", ["skip", "nothing", "Not really.", "none"])
def test_no_acknowledgement_after_a_skip_or_nothing(content: Content, answer: str) -> None:
    turns = play(content.flows["listen"], [answer])
    assert said_before(turns[1]) == []
    assert prompt(turns[1]).node_id == "fear"


def test_a_question_or_step_can_turn_acknowledgement_off_or_give_its_own(content: Content) -> None:
    turns = play(content.flows["listen"], ["Money.", "Bills.", "Music.", "tap:the_stairs", "I slipped.", "Ice."])
    assert said_before(turns[3]) == []  # calm: `acknowledge: false` in the bank
    assert said_before(turns[4]) == []  # a choice is not acknowledged unless it says so
    assert said_before(turns[5]) == ["Thank you for telling me about The stairs."]  # its own words, woven in
    assert said_before(turns[6]) == []  # worry_again: the step says `acknowledge: false`
    assert prompt(turns[6]).node_id == "note"


def test_pick_takes_lines_in_turn_and_skips_those_said_recently() -> None:
    lines = ACKNOWLEDGEMENTS["hard"]
    said: list[str] = []
    picked = [speech.pick(lines, said) for _ in range(len(lines))]
    assert len({p.source for p in picked if p}) == len(lines)  # every line once before any again
    said = [lines[1].source]
    assert speech.pick(lines, said) == lines[2]  # the turn comes to line 1, said just now: the next one
    assert speech.pick((), said) is None
    assert len(said) <= speech.KEPT


def test_acknowledgements_said_survive_a_save_and_load(content: Content) -> None:
    turns = play(content.flows["listen"], ["Falling at night."])
    again = SessionState.from_dict(turns[1].state.to_dict())
    assert again.acks == turns[1].state.acks == [WORRY_LINES[0]]
    assert SessionState.from_dict({k: v for k, v in turns[1].state.to_dict().items() if k != "acks"}).acks == []


# ---------------------------------------------------------------- coping first, at the bottom of a scale


@pytest.mark.parametrize("number", ["0", "1", "2"])
def test_at_the_bottom_of_a_scale_it_acknowledges_then_asks_coping_then_one_step_up(
    content: Content, number: str
) -> None:
    turns = play(content.flows["only_mood"], [number, "My dog.", "Getting up."])
    assert said_before(turns[1]) == [LOW_LINES[0]]
    assert prompt(turns[1]).text == "How are you managing to keep going?"
    assert prompt(turns[2]).text == f"What would {int(number) + 1} look like?"
    assert prompt(turns[3]).node_id == "note"
    asked = [prompt(t).text for t in turns[1:]]
    assert not any("not lower" in text or "keeping you going, even at" in text for text in asked)


def test_above_the_bottom_no_coping_question_and_no_acknowledgement(content: Content) -> None:
    turns = play(content.flows["only_mood"], ["3"])
    assert said_before(turns[1]) == []
    assert prompt(turns[1]).text == "What makes it a 3 and not lower?"


def test_coping_is_worded_for_the_person_cared_for_in_carer_wording(content: Content) -> None:
    flow = content.flows["carer_mood"]
    for_them = play(flow, ["tap:someone", "1"])
    assert prompt(for_them[-1]).text == "How are they managing to keep going?"
    for_me = play(flow, ["tap:me", "1"])
    assert prompt(for_me[-1]).text == "How are you managing to keep going?"


@pytest.mark.parametrize(
    ("last", "now", "asked"),
    [
        # the same low number: one question (the coping one), not "what stopped it slipping" as well
        (1, "1", ["How are you managing to keep going?", "What would 2 look like?"]),
        # lower than last time and at the bottom: what made it harder, then coping, then one up
        (
            5,
            "2",
            [
                "Last time you said 5. Now it's 2. What has made the difference?",
                "How are you managing to keep going?",
                "What would 3 look like?",
            ],
        ),
        # the same, above the bottom: "what made the difference" takes the place of "and not lower"
        (4, "4", ["Last time you said 4. Now it's 4. What has made the difference?", "What would 5 look like?"]),
        (3, "6", ["Last time you said 3. Now it's 6. What has made the difference?", "What would 7 look like?"]),
        # lower, above the bottom: both, since they ask different things
        (
            8,
            "5",
            [
                "Last time you said 8. Now it's 5. What has made the difference?",
                "What makes it a 5 and not lower?",
                "What would 6 look like?",
            ],
        ),
        # no last time
        (None, "1", ["How are you managing to keep going?", "What would 2 look like?"]),
    ],
)
def test_compared_with_last_time_it_asks_one_question_about_the_number(
    content: Content, last: int | None, now: str, asked: list[str]
) -> None:
    earlier = {} if last is None else {"eng.spirits": last}
    turns = play(content.flows["only_spirits"], [now, "a", "b", "c"], earlier=earlier)
    questions = [prompt(t).text for t in turns[1:] if t.replies and t.replies[-1].prompt is not None]
    assert questions[: len(asked)] == asked
    assert questions[len(asked)] == "Anything else you want to say?"


# ---------------------------------------------------------------- a hope said as an absence


@pytest.mark.parametrize(
    ("hope", "absence"),
    [
        ("Stop feeling like this.", True),
        ("not to be so tired", True),
        ("No more falls", True),
        ("Less pain", True),
        ("I want the pain to go away", True),
        ("I don't want to be lonely any more", True),
        ("To stay in my own home", False),
        ("to get out more", False),
        ("Feel safe at night", False),
        ("To keep my garden going", False),
        ("I don't know really", False),
        ("I can't think of anything", False),
        ("Not sure", False),
        ("nothing", False),
    ],
)
def test_a_hope_is_an_absence_when_it_says_what_should_stop(hope: str, absence: bool) -> None:
    assert parsing.is_absence(hope) is absence


def test_an_absence_asks_what_instead_and_reflects_that(content: Content) -> None:
    turns = play(content.flows["hopes"], ["Stop feeling like this..", "To feel like me again."])
    assert prompt(turns[1]).node_id == "hope_instead"
    assert prompt(turns[1]).text == "What would you like there instead?"
    assert prompt(turns[2]).text == "So what you'd like instead is: To feel like me again. Is that right?"


def test_a_hope_said_as_what_will_be_there_is_reflected_straight_away(content: Content) -> None:
    turns = play(content.flows["hopes"], ["To walk my dog again."])
    assert prompt(turns[1]).text == "So your best hope is: To walk my dog again. Is that right?"
    assert "hope_instead" not in turns[1].state.answers


def test_changing_the_hope_forgets_what_instead(content: Content) -> None:
    flow = content.flows["hopes"]
    turns = play(flow, ["Stop feeling like this.", "To feel like me.", "tap:yes"])
    turn = engine.handle(flow, turns[-1].state, engine.edit("hope"), today=TODAY)
    turn = engine.handle(flow, turn.state, engine.text("To walk my dog again."), today=TODAY)
    assert "hope_instead" not in turn.state.answers
    assert prompt(turn).text == "So your best hope is: To walk my dog again. Is that right?"


# ---------------------------------------------------------------- reflections read cleanly


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("To walk my dog again.", "So your best hope is: To walk my dog again. Is that right?"),
        ("To walk my dog again..", "So your best hope is: To walk my dog again. Is that right?"),
        ("To walk again...", "So your best hope is: To walk again. Is that right?"),
        ("Will I ever walk again?", "So your best hope is: Will I ever walk again? Is that right?"),
        ("To walk again!", "So your best hope is: To walk again! Is that right?"),
        ("To walk again  ", "So your best hope is: To walk again. Is that right?"),
    ],
)
def test_reflections_never_double_punctuation(content: Content, typed: str, shown: str) -> None:
    turns = play(content.flows["hopes"], [typed])
    assert prompt(turns[1]).text == shown


def test_the_answer_itself_keeps_its_own_words(content: Content) -> None:
    turns = play(content.flows["hopes"], ["To walk again..."])
    assert turns[1].state.answers["hope"].display == "To walk again..."


# ---------------------------------------------------------------- summaries at the end of a part


def at_summary(content: Content, *said: str) -> list[Turn]:
    return play(content.flows["hopes"], ["To walk my dog again.", "tap:yes", *said])


def test_a_summary_hands_back_what_was_said_and_leaves_out_what_was_not(content: Content) -> None:
    turns = at_summary(content, "Falling.", "skip")
    shown = prompt(turns[-1])
    assert shown.node_id == "part_one" and shown.kind == "reflect"
    assert shown.text == (
        "So far you've told me:\n• your best hope: To walk my dog again\n• your worry: Falling\n\n"
        "Have I got that right?"
    )
    assert shown.choices == (("yes", "Yes, that's right"), ("no", "Change something"))


def test_confirming_a_summary_moves_on_and_is_kept_as_a_check_not_an_answer(content: Content) -> None:
    turns = at_summary(content, "Falling.", "yes", "tap:yes")
    assert prompt(turns[-1]).node_id == "note"
    [record] = turns[-1].records
    assert record.node_id == "part_one" and engine.is_reflection(record.question_id)


def test_change_something_asks_that_question_again_then_the_summary_comes_back(content: Content) -> None:
    turns = at_summary(content, "Falling.", "yes", "tap:no")
    which = prompt(turns[-1])
    assert which.kind == "choice" and which.text == "Which part would you like to change? I'll ask it again."
    assert which.choices == (
        ("hope", "Your best hope"),
        ("worry", "Your worry"),
        ("pets", "Pets"),
        ("yes", "It's right as it is"),
    )
    flow = content.flows["hopes"]
    turn = engine.handle(flow, turns[-1].state, engine.pick("part_one", "worry"), today=TODAY)
    assert prompt(turn).node_id == "worry" and prompt(turn).text.startswith("Let's change this one.")
    turn = engine.handle(flow, turn.state, engine.text("Falling on the stairs."), today=TODAY)
    assert prompt(turn).node_id == "part_one"
    assert "• your worry: Falling on the stairs" in prompt(turn).text
    turn = engine.handle(flow, turn.state, engine.pick("part_one", "yes"), today=TODAY)
    assert prompt(turn).node_id == "note"


@pytest.mark.parametrize(("typed", "then"), [("2", "worry"), ("your worry", "worry"), ("yes", "note")])
def test_typing_at_a_summary_works_like_its_buttons(content: Content, typed: str, then: str) -> None:
    turns = at_summary(content, "Falling.", "yes", "no", typed)
    assert turns[-2].state.phase == "summary_fix"
    assert prompt(turns[-1]).node_id == then


def test_other_words_at_a_summary_ask_which_part_to_change(content: Content) -> None:
    turns = at_summary(content, "Falling.", "yes", "Actually it's the stairs")
    assert prompt(turns[-1]).text == "Which part would you like to change? I'll ask it again."
    assert turns[-1].records == ()


def test_a_long_answer_is_cut_in_a_summary_but_kept_whole(content: Content) -> None:
    long = "Falling on the stairs at night " * 20
    turns = at_summary(content, long, "yes")
    item = next(line for line in prompt(turns[-1]).text.splitlines() if line.startswith("• your worry: "))
    assert item.endswith("…") and len(item) < len("• your worry: ") + speech.SUMMARY_CHARS + 2
    assert turns[-1].state.answers["worry"].display == long.strip()


def test_a_summary_with_nothing_to_hand_back_is_not_shown(content: Content) -> None:
    turns = play(content.flows["hopes"], ["skip", "skip", "skip"])
    assert prompt(turns[-1]).node_id == "note"
    assert "part_one" not in turns[-1].state.path
    finished = play(content.flows["hopes"], ["skip", "skip", "skip", "skip"])
    assert finished[-1].state.status == FINISHED
