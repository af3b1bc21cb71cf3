"""Table-driven tests of the pure engine: what the person types or taps, in order, and what comes back.

The flows and the bank live in tests/data/engine/. Each `only_<question>` flow asks one bank
question and then `eng.note`, so a row can check both the answer and that the flow moved on.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import engine
from bot.content.loader import load_content
from bot.content.model import Content, Flow
from bot.engine.state import FINISHED, PAUSED, Prompt, Reply, SessionState, Turn

DATA = Path(__file__).resolve().parents[1] / "data" / "engine"
TODAY = date(2026, 11, 23)  # a Monday
COMMANDS = ("back", "skip", "pause", "resume", "why", "repeat")
SCALE_HELP = "Pick a number from 0 to 10. 0 is really bad, 10 is really good."
PLAIN_HELP = "Pick a number from 1 to 5. 1 is the lowest, 5 is the highest."


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DATA / "banks", DATA / "flows")


def event(said: str, state: SessionState) -> engine.Event:
    """'/back' is a command, 'tap:X' a button on the current question, 'edit:ID' a change; else typed text."""
    if said.startswith("/") and said[1:] in COMMANDS:
        return engine.command(said[1:])
    if said.startswith("tap:"):
        return engine.pick(state.node or "", said[4:])
    if said.startswith("edit:"):
        return engine.edit(said[5:])
    return engine.text(said)


def play(flow: Flow, said: list[str], *, today: date = TODAY) -> list[Turn]:
    """Begin `flow`, then apply each input in turn; return every turn (the first is from begin)."""
    turns = [engine.begin(flow)]
    for item in said:
        turns.append(engine.handle(flow, turns[-1].state, event(item, turns[-1].state), today=today))
    return turns


def prompt(turn: Turn) -> Prompt:
    """The question the turn ends on."""
    last = turn.replies[-1].prompt
    assert last is not None, f"expected a question, got {turn.replies}"
    return last


def words(replies: tuple[Reply, ...]) -> list[str]:
    return [r.prompt.text if r.prompt else r.text for r in replies]


def all_words(turns: list[Turn]) -> list[str]:
    return [w for t in turns for w in words(t.replies)]


# ---------------------------------------------------------------- answers understood


@pytest.mark.parametrize(
    ("flow_id", "said", "node", "value", "display"),
    [
        # scale: the ways people give a number
        ("only_mood", ["7"], "mood", 7, "7"),
        ("only_mood", ["7/10"], "mood", 7, "7"),
        ("only_mood", ["7 / 10"], "mood", 7, "7"),
        ("only_mood", ["7 out of 10"], "mood", 7, "7"),
        ("only_mood", ["seven"], "mood", 7, "7"),
        ("only_mood", ["Seven."], "mood", 7, "7"),
        ("only_mood", ["about 6"], "mood", 6, "6"),
        ("only_mood", ["a 4"], "mood", 4, "4"),
        ("only_mood", ["6 or 7"], "mood", 6, "6"),
        ("only_mood", ["0"], "mood", 0, "0"),
        ("only_mood", ["6.5"], "mood", 7, "7"),
        ("only_mood", ["ten"], "mood", 10, "10"),
        ("only_mood", ["tap:3"], "mood", 3, "3"),
        ("only_plain_scale", ["five"], "plain_scale", 5, "5"),
        ("only_plain_scale", ["1"], "plain_scale", 1, "1"),
        # choice: by number, by text, by fuzzy text, by id, by tapping
        ("only_often", ["2"], "often", "weekly", "A few times a week"),
        ("only_often", ["Rarely"], "often", "rarely", "Rarely"),
        ("only_often", ["rarley"], "often", "rarely", "Rarely"),
        ("only_often", ["a few times a weak"], "often", "weekly", "A few times a week"),
        ("only_often", ["most"], "often", "most_days", "Most days"),
        ("only_often", ["most_days"], "often", "most_days", "Most days"),
        ("only_often", ["tap:rarely"], "often", "rarely", "Rarely"),
        # multi: taps toggle, Done stores them in the bank's order; or typed at once
        ("only_areas", ["tap:evenings", "tap:mornings", "tap:done"], "areas", ["mornings", "evenings"],
         "Mornings, Evenings"),
        ("only_areas", ["tap:mornings", "tap:meals", "tap:mornings", "tap:done"], "areas", ["meals"], "Meals"),
        ("only_areas", ["1, 3"], "areas", ["mornings", "evenings"], "Mornings, Evenings"),
        ("only_areas", ["meals and evenings"], "areas", ["meals", "evenings"], "Meals, Evenings"),
        # list: one item per message until "that's all"
        ("only_helps", ["my sister", "the dog", "that's all"], "helps", ["my sister", "the dog"],
         "my sister; the dog"),
        ("only_helps", ["my sister", "No that's all."], "helps", ["my sister"], "my sister"),
        ("only_helps", ["my sister", "Nothing else"], "helps", ["my sister"], "my sister"),
        ("only_helps", ["my sister", "tap:done"], "helps", ["my sister"], "my sister"),
        ("only_helps", ["a", "b", "c"], "helps", ["a", "b", "c"], "a; b; c"),  # max_items: 3
        # date (today is Monday 23 November 2026)
        ("only_meeting", ["next Tuesday"], "meeting", "2026-11-24", "Tuesday 24 November 2026"),
        ("only_meeting", ["12 March"], "meeting", "2027-03-12", "Friday 12 March 2027"),
        ("only_meeting", ["tomorrow"], "meeting", "2026-11-24", "Tuesday 24 November 2026"),
        ("only_meeting", ["12/03/2027"], "meeting", "2027-03-12", "Friday 12 March 2027"),
        ("only_meeting", ["in two weeks"], "meeting", "2026-12-07", "Monday 7 December 2026"),
        ("only_any_date", ["yesterday"], "any_date", "2026-11-22", "Sunday 22 November 2026"),
        # yes/no
        ("only_pets", ["yeah"], "pets", True, "Yes"),
        ("only_pets", ["Nope!"], "pets", False, "No"),
        ("only_pets", ["yes, a cat"], "pets", True, "Yes"),
        ("only_pets", ["tap:no"], "pets", False, "No"),
        # text is kept exactly, even when it looks like a template
        ("only_must", ["Sam"], "must", "Sam", "Sam"),
        ("only_must", ["{{ 7*7 }}"], "must", "{{ 7*7 }}", "{{ 7*7 }}"),
    ],
)
def test_answers_are_understood_the_way_people_give_them(
    content: Content, flow_id: str, said: list[str], node: str, value: Any, display: str
) -> None:
    turns = play(content.flows[flow_id], said)
    answer = turns[-1].state.answers[node]
    assert (answer.value, answer.display, answer.skipped) == (value, display, False)
    assert turns[-1].state.node != node  # accepted and moved on
    recorded = [r.answer.value for t in turns for r in t.records if r.node_id == node]
    assert recorded[-1] == value


# ---------------------------------------------------------------- skipping


@pytest.mark.parametrize("phrase", ["skip", "pass", "not now", "don't know", "Don\u2019t know.", "dont know", "/skip"])
@pytest.mark.parametrize(
    ("flow_id", "node"),
    [
        ("only_mood", "mood"),
        ("only_often", "often"),
        ("only_areas", "areas"),
        ("only_helps", "helps"),
        ("only_meeting", "meeting"),
        ("only_pets", "pets"),
        ("branch", "mood"),
    ],
)
def test_skip_words_store_a_skipped_answer_never_blank_text(
    content: Content, flow_id: str, node: str, phrase: str
) -> None:
    turns = play(content.flows[flow_id], [phrase])
    answer = turns[-1].state.answers[node]
    assert answer.value is None and answer.skipped is True
    assert answer.display == "skipped"
    assert [(r.node_id, r.answer.skipped) for r in turns[-1].records] == [(node, True)]
    assert turns[-1].state.node != node


def test_skip_on_a_text_question_is_not_stored_as_the_word(content: Content) -> None:
    turns = play(content.flows["only_pets"], ["yes", "pass"])
    note = turns[-1].state.answers["note"]
    assert note.value is None and note.skipped
    assert turns[-1].state.status == FINISHED


def test_a_skipped_scale_asks_no_follow_ups(content: Content) -> None:
    turns = play(content.flows["only_mood"], ["not now"])
    assert prompt(turns[-1]).node_id == "note"
    assert "mood.not_lower" not in turns[-1].state.answers


# ---------------------------------------------------------------- re-asks


@pytest.mark.parametrize(
    ("flow_id", "said", "reask"),
    [
        ("only_mood", "12", f"12 is outside the scale. {SCALE_HELP}"),
        ("only_mood", "-1", f"-1 is outside the scale. {SCALE_HELP}"),
        ("only_mood", "lots", SCALE_HELP),
        ("only_mood", "3 and 8", SCALE_HELP),
        ("only_plain_scale", "9", f"9 is outside the scale. {PLAIN_HELP}"),
        ("only_plain_scale", "0", f"0 is outside the scale. {PLAIN_HELP}"),
        ("only_plain_scale", "nine", f"9 is outside the scale. {PLAIN_HELP}"),
        ("only_counted", "lots", "Just a number from 0 to 7, please."),
        (
            "only_often",
            "sometimes",
            "I'm not sure which one you mean. Choose a button, or type its number: "
            "1. Most days; 2. A few times a week; 3. Rarely",
        ),
        (
            "only_often",
            "4",
            "I'm not sure which one you mean. Choose a button, or type its number: "
            "1. Most days; 2. A few times a week; 3. Rarely",
        ),
        (
            "only_areas",
            "breakfast",
            "I'm not sure which ones you mean. Choose from the buttons and then Done, or type their numbers, "
            "like 1, 3: 1. Mornings; 2. Meals; 3. Evenings",
        ),
        ("only_pets", "maybe", "Is that a yes or a no? You can tap a button, or type yes or no."),
        (
            "only_meeting",
            "soonish",
            "I couldn't read that as a date. You could type something like "
            '"next Tuesday", "12 March" or "12/03/2027".',
        ),
        ("only_meeting", "yesterday", "Sunday 22 November 2026 has already passed. Which date is coming up?"),
        ("only_must", "skip", "This one I need an answer to, so I can word things right."),
        ("only_must", "/skip", "This one I need an answer to, so I can word things right."),
        ("only_must", "don't know", "This one I need an answer to, so I can word things right."),
        ("only_must", "   ", "I didn't catch anything there. Could you type your answer?"),
        (
            "only_must",
            "/pause now",
            "That looks like a command I don't know. Type /help to see them, or just type your answer.",
        ),
        ("only_helps", "tap:done", None),  # nothing listed yet: Done skips (checked below)
    ],
)
def test_unclear_answers_get_one_kind_specific_reask(content: Content, flow_id: str, said: str, reask: str) -> None:
    flow = content.flows[flow_id]
    first = play(flow, [])[0]
    turns = play(flow, [said])
    node = first.state.node
    if reask is None:
        assert turns[-1].state.answers[node].skipped
        return
    assert len(turns[-1].replies) == 1
    shown = prompt(turns[-1])
    assert shown.node_id == node
    question = prompt(first).text
    assert shown.text == f"{reask}\n\n{question}"
    assert turns[-1].records == ()
    assert node not in turns[-1].state.answers


def test_a_second_unclear_answer_is_reasked_the_same_way(content: Content) -> None:
    turns = play(content.flows["only_mood"], ["lots", "12"])
    assert prompt(turns[1]).text.startswith(SCALE_HELP)
    assert prompt(turns[2]).text.startswith(f"12 is outside the scale. {SCALE_HELP}")
    assert turns[-1].state.attempts == 2


@pytest.mark.parametrize(
    ("flow_id", "said", "node", "asked_times", "stored", "note"),
    [
        # default max_reasks 2: two re-asks, then the third unclear answer is left as skipped
        ("only_mood", ["lots", "loads", "heaps"], "mood", 3, (None, True), "Let's leave that one for now."),
        ("only_counted", ["lots", "loads"], "counted", 2, (None, True), "Let's leave that one for now."),
        ("only_kept", ["lots", "a big part"], "kept", 2, ("a big part", False), "I've kept what you wrote"),
    ],
)
def test_reask_limit_then_on_max_reasks(
    content: Content,
    flow_id: str,
    said: list[str],
    node: str,
    asked_times: int,
    stored: tuple[Any, bool],
    note: str,
) -> None:
    turns = play(content.flows[flow_id], said)
    asked = [t for t in turns if prompt(t).node_id == node]
    assert len(asked) == asked_times
    answer = turns[-1].state.answers[node]
    assert (answer.value, answer.skipped) == stored
    assert any(w.startswith(note) for w in words(turns[-1].replies))
    assert prompt(turns[-1]).node_id == "note"


def test_a_question_that_cannot_be_skipped_is_reasked_without_limit(content: Content) -> None:
    turns = play(content.flows["only_must"], ["skip"] * 5)
    assert turns[-1].state.node == "must" and "must" not in turns[-1].state.answers


# ---------------------------------------------------------------- scale follow-ups


@pytest.mark.parametrize(
    ("said", "first", "one_up", "kind"),
    [
        ("7", "What makes it a 7 and not lower?", "What would 8 look like?", "not_lower"),
        ("about 6", "What makes it a 6 and not lower?", "What would 7 look like?", "not_lower"),
        ("seven/10", "What makes it a 7 and not lower?", "What would 8 look like?", "not_lower"),
        ("3", "What makes it a 3 and not lower?", "What would 4 look like?", "not_lower"),
        ("9", "What makes it a 9 and not lower?", "What would 10 look like?", "not_lower"),
        ("10", "What makes it a 10 and not lower?", "What helps keep it at 10?", "not_lower"),
        # near the bottom (0 to 2) the coping question comes first, then one step up
        ("2", "How are you managing to keep going?", "What would 3 look like?", "coping"),
        ("1", "How are you managing to keep going?", "What would 2 look like?", "coping"),
        ("0", "How are you managing to keep going?", "What would 1 look like?", "coping"),
    ],
)
def test_scale_follow_ups_use_the_number_given(
    content: Content, said: str, first: str, one_up: str, kind: str
) -> None:
    turns = play(content.flows["only_mood"], [said, "my friends", "more walks"])
    asked = [prompt(t).text for t in turns[1:]]
    assert asked == [first, one_up, "Anything else you want to say?"]
    assert [prompt(t).node_id for t in turns[1:3]] == [f"mood.{kind}", "mood.one_up"]
    state = turns[-1].state
    assert state.answers[f"mood.{kind}"].value == "my friends"
    assert state.answers["mood.one_up"].value == "more walks"
    records = {r.node_id: (r.question_id, r.asked) for t in turns for r in t.records}
    assert records[f"mood.{kind}"] == (f"eng.mood.{kind}", first)
    assert records["mood.one_up"] == ("eng.mood.one_up", one_up)
    for text in all_words(turns):
        assert "not 10" not in text.lower() and "why not" not in text.lower()


def test_followups_off_asks_none(content: Content) -> None:
    turns = play(content.flows["only_plain_scale"], ["3"])
    assert prompt(turns[-1]).node_id == "note"


def test_scale_prompt_offers_range_and_labels(content: Content) -> None:
    shown = prompt(play(content.flows["only_mood"], [])[0])
    assert (shown.kind, shown.scale) == ("scale", (0, 10))
    assert (shown.min_label, shown.max_label) == ("really bad", "really good")


# ---------------------------------------------------------------- commands


@pytest.mark.parametrize("name", ["back", "pause", "why", "resume", "repeat"])
@pytest.mark.parametrize("flow_id", ["only_mood", "only_often", "only_helps", "linear"])
def test_commands_are_never_stored_as_answers(content: Content, flow_id: str, name: str) -> None:
    flow = content.flows[flow_id]
    start = play(flow, [])[0]
    turn = engine.handle(flow, start.state, engine.command(name), today=TODAY)
    assert turn.records == ()
    assert turn.state.answers == {}
    assert turn.state.node == start.state.node


def test_why_says_the_questions_reason(content: Content) -> None:
    turns = play(content.flows["only_mood"], ["/why"])
    assert words(turns[-1].replies) == ["A number helps you notice what already works."]
    assert turns[-1].state.node == "mood" and turns[-1].records == ()


def test_commands_in_the_middle_of_a_list_are_not_items(content: Content) -> None:
    turns = play(content.flows["only_helps"], ["my sister", "/why", "/pause", "/resume", "the dog", "that's all"])
    assert turns[-1].state.answers["helps"].value == ["my sister", "the dog"]


def test_pause_then_an_answer_resumes(content: Content) -> None:
    flow = content.flows["only_mood"]
    turns = play(flow, ["/pause"])
    assert turns[-1].state.status == PAUSED
    assert words(turns[-1].replies) == ["Paused. Your answers are saved. Type /resume whenever you are ready."]
    again = engine.ask_again(flow, turns[-1].state)
    assert prompt(again).node_id == "mood" and again.state.status == "active"
    turn = engine.handle(flow, turns[-1].state, engine.text("7"), today=TODAY)
    assert turn.state.status == "active"
    assert turn.state.answers["mood"].value == 7
    assert prompt(turn).text == "What makes it a 7 and not lower?"


def test_resume_asks_the_same_question_again(content: Content) -> None:
    turns = play(content.flows["linear"], ["Sam", "/pause", "/resume"])
    assert prompt(turns[-1]).node_id == "pets" and turns[-1].state.status == "active"


# ---------------------------------------------------------------- back, by the path taken


@pytest.mark.parametrize(
    ("said", "node", "path", "note"),
    [
        (["2", "it hurts", "/back"], "low_one", ["mood"], "Going back. You said: it hurts"),
        (["2", "it hurts", "tea", "/back"], "low_two", ["mood", "low_one"], "Going back. You said: tea"),
        (["2", "it hurts", "tea", "/back", "/back", "/back"], "mood", [], "Going back. You said: 2"),
        # at `note` after the high branch, back goes to high_one (the path), not low_two (the file order)
        (["8", "the garden", "/back"], "high_one", ["mood"], "Going back. You said: the garden"),
        (["8", "the garden", "/back", "/back"], "mood", [], "Going back. You said: 8"),
        (["/back"], "mood", [], "This is the first question, so there is nothing to go back to."),
        # a skipped scale goes to the else branch; back from there returns to it
        (["skip", "/back"], "mood", [], "Going back. You said: skipped"),
    ],
)
def test_back_follows_the_path_actually_taken(
    content: Content, said: list[str], node: str, path: list[str], note: str
) -> None:
    turns = play(content.flows["branch"], said)
    state = turns[-1].state
    assert (state.node, state.path) == (node, path)
    assert prompt(turns[-1]).text.startswith(note + "\n\n")
    assert turns[-1].records == ()


def test_back_skips_the_branch_not_taken(content: Content) -> None:
    turns = play(content.flows["branch"], ["8", "the garden", "/back", "/back"])
    seen = [prompt(t).node_id for t in turns]
    assert "low_one" not in seen and "low_two" not in seen


def test_back_from_a_skipped_scale_note(content: Content) -> None:
    turns = play(content.flows["only_mood"], ["skip", "/back"])
    assert prompt(turns[-1]).text.startswith("Going back. You said: skipped")


def test_back_then_a_different_answer_takes_the_other_branch(content: Content) -> None:
    turns = play(content.flows["branch"], ["2", "/back", "9", "sunshine", "done now"])
    state = turns[-1].state
    assert state.status == FINISHED
    assert state.answers["mood"].value == 9
    assert state.on_path() == {"mood", "high_one", "note"}


@pytest.mark.parametrize(
    "said",
    [
        ["6", "my friends", "more walks", "/back", "/back", "/back", "3"],
        ["6", "my friends", "more walks", "nothing", "edit:mood", "3"],
    ],
)
def test_bug_a_new_scale_number_asks_its_follow_ups_again(content: Content, said: list[str]) -> None:
    """The follow-ups were answered about 6; once the number is 3 they must be asked about 3.

    Today the old answers (to "What makes it a 6 and not lower?") are silently kept for the 3.
    """
    turns = play(content.flows["only_mood"], said)
    assert turns[-1].state.answers["mood"].value == 3
    assert prompt(turns[-1]).text == "What makes it a 3 and not lower?"


# ---------------------------------------------------------------- changing an earlier answer


def test_changing_an_answer_that_alters_the_branch(content: Content) -> None:
    flow = content.flows["branch"]
    turns = play(flow, ["2", "it hurts", "tea", "that's it", "edit:mood"])
    assert prompt(turns[-1]).node_id == "mood"
    assert prompt(turns[-1]).text.startswith("Let's change this one.\n\n")
    assert prompt(turns[-1]).current == "2"
    turn = engine.handle(flow, turns[-1].state, engine.text("8"), today=TODAY)
    assert prompt(turn).node_id == "high_one"  # the new branch's question is asked
    turn = engine.handle(flow, turn.state, engine.text("the garden"), today=TODAY)
    state = turn.state
    assert state.status == FINISHED  # `note` was answered already
    assert state.answers["low_one"].value == "it hurts"  # the old branch's answers are kept ...
    assert state.answers["low_two"].value == "tea"
    assert "low_one" not in state.on_path() and "low_two" not in state.on_path()  # ... but left out
    assert state.on_path() == {"mood", "high_one", "note"}


def test_changing_an_answer_that_keeps_the_branch(content: Content) -> None:
    flow = content.flows["branch"]
    turns = play(flow, ["2", "it hurts", "tea", "that's it", "edit:mood", "3"])
    state = turns[-1].state
    assert state.status == FINISHED
    assert state.answers["mood"].value == 3
    assert state.on_path() == {"mood", "low_one", "low_two", "note"}
    assert [r.node_id for r in turns[-1].records] == ["mood"]


def test_changing_an_answer_that_does_not_exist(content: Content) -> None:
    turns = play(content.flows["branch"], ["2", "edit:high_one"])
    assert words(turns[-1].replies)[0] == "I couldn't find that answer to change."
    assert prompt(turns[-1]).node_id == "low_one"


def test_revise_the_latest_answer_in_place(content: Content) -> None:
    flow = content.flows["linear"]
    turns = play(flow, ["Sam"])
    turn = engine.revise(flow, turns[-1].state, "must", "Samuel", today=TODAY)
    assert turn is not None
    assert turn.state.answers["must"].value == "Samuel"
    assert words(turn.replies) == ["I've updated your answer to: Samuel"]
    assert [r.node_id for r in turn.records] == ["must"]
    assert turn.state.node == "pets"


@pytest.mark.parametrize(
    ("flow_id", "said", "node", "new"),
    [
        ("branch", ["2"], "mood", "8"),  # would change the branch
        ("linear", ["Sam", "yes"], "must", "Samuel"),  # not the latest answer
        ("only_pets", ["yes"], "pets", "perhaps"),  # not an answer
        ("only_helps", ["a"], "helps", "b"),  # list questions are not revised this way
    ],
)
def test_revise_refuses_when_not_safe(content: Content, flow_id: str, said: list[str], node: str, new: str) -> None:
    flow = content.flows[flow_id]
    turns = play(flow, said)
    assert engine.revise(flow, turns[-1].state, node, new, today=TODAY) is None


# ---------------------------------------------------------------- reflect


@pytest.mark.parametrize(
    ("said", "note", "reflect", "prompts"),
    [
        (["family", "yes"], "family", True, ["So what matters is: family. Is that right?", "Do you have pets?"]),
        (["family", "tap:yes"], "family", True, ["So what matters is: family. Is that right?", "Do you have pets?"]),
        (["family", "/skip"], "family", None, ["So what matters is: family. Is that right?", "Do you have pets?"]),
        (
            ["family", "not quite", "my grandchildren"],
            "my grandchildren",
            True,
            [
                "So what matters is: family. Is that right?",
                "How would you put it, in your own words?",
                "Do you have pets?",
            ],
        ),
        (
            ["family", "tap:no", "my grandchildren"],
            "my grandchildren",
            True,
            [
                "So what matters is: family. Is that right?",
                "How would you put it, in your own words?",
                "Do you have pets?",
            ],
        ),
        (
            ["family", "my grandchildren, really"],
            "my grandchildren, really",
            True,
            ["So what matters is: family. Is that right?", "Do you have pets?"],
        ),
    ],
)
def test_reflect_and_confirm(
    content: Content, said: list[str], note: str, reflect: bool | None, prompts: list[str]
) -> None:
    turns = play(content.flows["reflect"], said)
    assert [prompt(t).text for t in turns[1:]] == prompts
    state = turns[-1].state
    assert state.answers["note"].value == note
    assert state.answers["reflect_note"].value is reflect
    assert state.node == "pets"


def test_reflect_in_own_words_records_a_new_version(content: Content) -> None:
    turns = play(content.flows["reflect"], ["family", "not quite", "my grandchildren"])
    assert [(r.node_id, r.answer.value) for r in turns[-1].records] == [
        ("note", "my grandchildren"),
        ("reflect_note", True),
    ]


def test_a_skipped_answer_is_not_reflected(content: Content) -> None:
    turns = play(content.flows["reflect"], ["skip"])
    assert prompt(turns[-1]).node_id == "pets"


# ---------------------------------------------------------------- lists and multi choice


def test_list_asks_for_more_until_thats_all(content: Content) -> None:
    turns = play(content.flows["only_helps"], ["my sister", "the dog", "that's all"])
    assert [prompt(t).text for t in turns] == [
        "Who or what helps? One at a time.",
        "Anything else?",
        "Anything else?",
        "Anything else you want to say?",
    ]
    assert prompt(turns[1]).hint == 'Or say "that\'s all".'
    assert turns[-1].state.answers["helps"].value == ["my sister", "the dog"]


@pytest.mark.parametrize("end", ["No, that's all.", "Nope, that's it", "No, nothing else"])
def test_bug_list_end_phrases_with_a_comma_end_the_list(content: Content, end: str) -> None:
    """A natural "No, that's all." must end the list, not become an item of it."""
    turns = play(content.flows["only_helps"], ["my sister", end])
    assert turns[-1].state.answers["helps"].value == ["my sister"]
    assert prompt(turns[-1]).node_id == "note"


def test_skip_after_some_list_items_keeps_them(content: Content) -> None:
    turns = play(content.flows["only_helps"], ["my sister", "skip"])
    assert turns[-1].state.answers["helps"].value == ["my sister"]
    assert not turns[-1].state.answers["helps"].skipped


def test_multi_taps_toggle_and_show_what_is_picked(content: Content) -> None:
    turns = play(content.flows["only_areas"], ["tap:meals", "tap:evenings", "tap:meals"])
    assert [prompt(t).picked for t in turns[1:]] == [("meals",), ("meals", "evenings"), ("evenings",)]
    assert turns[-1].records == () and "areas" not in turns[-1].state.answers


def test_multi_done_with_nothing_picked(content: Content) -> None:
    turns = play(content.flows["only_areas"], ["tap:done"])
    assert prompt(turns[-1]).text.startswith("Pick at least one, or tap Skip.")
    assert "areas" not in turns[-1].state.answers


def test_a_button_from_an_earlier_question_is_not_used(content: Content) -> None:
    flow = content.flows["linear"]
    turns = play(flow, ["Sam"])
    turn = engine.handle(flow, turns[-1].state, engine.pick("must", "x"), today=TODAY)
    assert prompt(turn).text.startswith("That button was for an earlier question, so I haven't used it.")
    assert turn.records == ()


# ---------------------------------------------------------------- progress, intro, closing


def test_progress_says_question_n_of_about_m(content: Content) -> None:
    turns = play(content.flows["linear"], ["Sam", "yes", "2", "nothing"])
    assert [prompt(t).progress for t in turns[:-1]] == [
        "Question 1 of about 4",
        "Question 2 of about 4",
        "Question 3 of about 4",
        "Question 4 of about 4",
    ]
    assert words(turns[0].replies)[0] == "Hello. Four quick questions."
    assert words(turns[3].replies)[0] == "Thanks, Sam. One more."
    assert words(turns[-1].replies) == ["Thank you, Sam."]
    assert turns[-1].state.status == FINISHED


@pytest.mark.parametrize(
    ("said", "progress"),
    [
        ([], "Question 1 of about 3"),  # before the number, the path a missing answer takes
        (["2"], "Question 2 of about 4"),
        (["8"], "Question 2 of about 3"),
        (["2", "x"], "Question 3 of about 4"),
        (["8", "x"], "Question 3 of about 3"),
    ],
)
def test_progress_follows_the_branch(content: Content, said: list[str], progress: str) -> None:
    assert prompt(play(content.flows["branch"], said)[-1]).progress == progress


def test_typed_template_text_is_never_run(content: Content) -> None:
    turns = play(content.flows["linear"], ["{{ 7*7 }}", "yes", "2"])
    assert "Thanks, {{ 7*7 }}. One more." in words(turns[-1].replies)


def test_finished_conversation_says_so(content: Content) -> None:
    turns = play(content.flows["only_pets"], ["yes", "nothing", "hello?"])
    assert words(turns[-1].replies) == [
        "This conversation is finished. Type /menu to start another, or /summary to see what you have written."
    ]
    assert turns[-1].records == ()


def test_handle_does_not_change_the_state_it_was_given(content: Content) -> None:
    flow = content.flows["branch"]
    start = play(flow, [])[0].state
    before = copy.deepcopy(start)
    engine.handle(flow, start, engine.text("7"), today=TODAY)
    assert start == before


# ---------------------------------------------------------------- carer wording


@pytest.mark.parametrize(
    ("choice", "asked", "note"),
    [
        ("tap:someone", "How are things for them, from 0 to 10?", "Anything else you want to say about them?"),
        ("2", "How are things for them, from 0 to 10?", "Anything else you want to say about them?"),
        ("tap:me", "How are things, from 0 to 10?", "Anything else you want to say?"),
        ("me", "How are things, from 0 to 10?", "Anything else you want to say?"),
    ],
)
def test_carer_wording(content: Content, choice: str, asked: str, note: str) -> None:
    turns = play(content.flows["carer"], [choice, "5"])
    assert prompt(turns[0]).text == "Who are we thinking about today?"
    assert prompt(turns[1]).text == asked
    assert prompt(turns[2]).text == note


def test_who_we_are_thinking_about_cannot_be_skipped(content: Content) -> None:
    turns = play(content.flows["carer"], ["skip"])
    assert turns[-1].state.node == "for_someone"


# ---------------------------------------------------------------- content hash and changed flows


FLOW_V1 = """
title: Changing
audience: person
description: A flow that changes under a session.
minutes: 1
steps:
  - ask: eng.must
  - ask: eng.pets
  - ask: eng.note
"""


def _load_changing(tmp_path: Path, text: str) -> Flow:
    flows = tmp_path / "flows"
    flows.mkdir(exist_ok=True)
    (flows / "changing.yaml").write_text(text)
    return load_content(DATA / "banks", flows).flows["changing"]


def test_the_session_records_the_content_hash(tmp_path: Path) -> None:
    v1 = _load_changing(tmp_path, FLOW_V1)
    state = engine.begin(v1).state
    assert state.flow_hash == v1.content_hash and len(state.flow_hash) == 16
    v2 = _load_changing(tmp_path, FLOW_V1.replace("minutes: 1", "minutes: 2"))
    assert v2.content_hash != v1.content_hash
    assert _load_changing(tmp_path, FLOW_V1).content_hash == v1.content_hash


def test_adopt_unchanged_flow_does_nothing(tmp_path: Path) -> None:
    v1 = _load_changing(tmp_path, FLOW_V1)
    state = play(v1, ["Sam"])[-1].state
    assert engine.adopt(v1, state) == (state, None)


def test_adopt_keeps_the_same_step_when_it_still_exists(tmp_path: Path) -> None:
    v1 = _load_changing(tmp_path, FLOW_V1)
    state = play(v1, ["Sam"])[-1].state
    assert state.node == "pets"
    v2 = _load_changing(tmp_path, FLOW_V1.replace("  - ask: eng.must\n", "  - ask: eng.often\n  - ask: eng.must\n"))
    adopted, note = engine.adopt(v2, state)
    assert note is None
    assert adopted.node == "pets" and adopted.flow_hash == v2.content_hash
    assert adopted.answers["must"].value == "Sam"
    turn = engine.handle(v2, adopted, engine.text("yes"), today=TODAY)
    assert prompt(turn).node_id == "note"


def test_adopt_when_the_step_is_gone_says_so_kindly(tmp_path: Path) -> None:
    v1 = _load_changing(tmp_path, FLOW_V1)
    state = play(v1, ["Sam"])[-1].state
    v2 = _load_changing(tmp_path, FLOW_V1.replace("  - ask: eng.pets\n", ""))
    adopted, note = engine.adopt(v2, state)
    assert note == (
        "This conversation has been updated since you were last here. "
        "I have kept your answers and moved you to the next question."
    )
    assert adopted.node == "note" and adopted.flow_hash == v2.content_hash
    assert adopted.answers["must"].value == "Sam"
    assert state.node == "pets"  # the state given was not changed
    assert prompt(engine.ask_again(v2, adopted)).node_id == "note"


def test_a_stored_state_with_the_old_name_key_still_loads(content: Content) -> None:
    """States saved when SessionState had a `name` field hold a "name" key: it is ignored."""
    state = play(content.flows["linear"], ["Sam", "yes"])[-1].state
    stored = {**state.to_dict(), "name": "Sam"}
    loaded = SessionState.from_dict(stored)
    assert loaded == state and "name" not in loaded.to_dict()


@pytest.mark.parametrize(("said", "thanks"), [("Sam", "Thank you, Sam."), ("skip", "Thank you.")])
def test_name_in_text_is_the_answer_to_the_step_called_name(tmp_path: Path, said: str, thanks: str) -> None:
    flow = _load_changing(
        tmp_path,
        "title: Name\naudience: person\nsteps:\n  - ask: eng.note\n    id: name\n"
        "  - say: \"Thank you{% if name %}, {{ name }}{% endif %}.\"\n",
    )
    assert words(play(flow, [said])[-1].replies)[0] == thanks


# ---------------------------------------------------------------- "something else" in own words


@pytest.mark.parametrize(
    ("said", "value", "display"),
    [
        (["tap:other", "by the sea"], "other", "by the sea"),
        (["the beach"], "other", "the beach"),  # no option fits: kept as own words
        (["2"], "in_the_garden", "In the garden"),
        (["garden"], "in_the_garden", "In the garden"),
    ],
)
def test_choice_with_something_else(content: Content, said: list[str], value: str, display: str) -> None:
    turns = play(content.flows["only_where"], said)
    answer = turns[-1].state.answers["where"]
    assert (answer.value, answer.display, answer.skipped) == (value, display, False)
    assert prompt(turns[-1]).node_id == "note"


def test_something_else_asks_for_own_words(content: Content) -> None:
    turns = play(content.flows["only_where"], ["tap:other"])
    assert prompt(turns[-1]).text == "Tell me in your own words."
    assert turns[-1].records == ()


# ---------------------------------------------------------------- bugs: skip words and commands taken as own words


@pytest.mark.parametrize("said", ["skip", "pass", "don't know", "not now"])
@pytest.mark.parametrize("before", [["family"], ["family", "not quite"]])
def test_bug_skip_words_at_a_reflection_do_not_replace_the_answer(
    content: Content, before: list[str], said: str
) -> None:
    """At "So what matters is: family. Is that right?" (or its "in your own words?"), typing "skip"
    must not overwrite `note` with the word "skip"; it should act like /skip (reflection skipped).
    """
    turns = play(content.flows["reflect"], [*before, said])
    state = turns[-1].state
    assert state.answers["note"].value == "family"
    assert state.answers["reflect_note"].skipped and state.answers["reflect_note"].value is None
    assert prompt(turns[-1]).node_id == "pets"


@pytest.mark.parametrize("before", [["family"], ["family", "not quite"]])
def test_bug_command_like_text_at_a_reflection_is_not_stored(content: Content, before: list[str]) -> None:
    """Typed '/pause now' is re-asked on a question; at a reflection it becomes the person's answer."""
    turns = play(content.flows["reflect"], [*before, "/pause now"])
    assert turns[-1].state.answers["note"].value == "family"
    assert turns[-1].records == ()


@pytest.mark.parametrize("said", ["skip", "don't know"])
def test_bug_skip_words_in_something_else_are_not_stored_as_words(content: Content, said: str) -> None:
    """After tapping "Something else", typing "skip" is stored as the person's own words "skip"."""
    turns = play(content.flows["only_where"], ["tap:other", said])
    answer = turns[-1].state.answers["where"]
    assert answer.value is None and answer.skipped


def test_bug_command_like_text_in_something_else_is_not_stored(content: Content) -> None:
    turns = play(content.flows["only_where"], ["tap:other", "/pause now"])
    assert "where" not in turns[-1].state.answers
    assert turns[-1].records == ()
