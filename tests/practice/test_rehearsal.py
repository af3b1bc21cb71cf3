"""Rehearsal with invented people who answer what the practitioner did, and the end feedback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import textstat
from textstat.backend.counts import _count_syllables

from bot.conversation import practice_mode
from bot.practice.checker import load_rules
from bot.practice.debrief import rehearsal_summary
from bot.practice.moves import read_move, technique_of
from bot.practice.rehearsal import (
    LINE_KEPT,
    MOMENTS_KEPT,
    NEED_KINDS,
    SCALE_KINDS,
    RehearsalState,
    Scenario,
    load_scenarios,
    rehearsal_turn,
)

SCENARIOS = load_scenarios()
OPEN_QUESTIONS = [
    "What matters most to you?",
    "What else?",
    "Tell me about a time recently when things went a bit better.",
    "Who would be first to notice if things got better?",
    "How do you keep going?",
    "What are you good at?",
    "What would you like to be different after we've talked?",
]


def ask(scenario: Scenario, *lines: str, state: RehearsalState | None = None
        ) -> tuple[RehearsalState, list[tuple[str, str]]]:
    state = state or RehearsalState(scenario.id)
    said = []
    for line in lines:
        state, reply, note = rehearsal_turn(scenario, state, line)
        said.append((reply, note))
    return state, said


def kind_of(scenario: Scenario, fact_id: str) -> str:
    fact = scenario.fact(fact_id)
    assert fact is not None
    return fact.kind


def test_there_are_the_four_scenarios() -> None:
    titles = " ".join(s.title.lower() for s in SCENARIOS.values())
    for word in ("allotment", "autistic", "ms", "breaking point"):
        assert word in titles


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_each_scenario_can_answer_every_kind_of_move(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    kinds = {f.kind for f in scenario.facts}
    assert {"strength", "exception", "people", "worry", "what_matters", *SCALE_KINDS} <= kinds
    assert len({f.id for f in scenario.facts}) == len(scenario.facts)
    assert all(scenario.replies[key] for key in scenario.replies), scenario_id
    assert scenario.willing_reply and scenario.safety_reply
    assert sum(bool(f.deeper) for f in scenario.facts) >= 4 and sum(bool(f.often) for f in scenario.facts) >= 3
    assert any(f.deeper for f in scenario.facts if f.kind in NEED_KINDS)


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_open_questions_draw_out_new_facts_without_repeating(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    state, said = ask(scenario, *OPEN_QUESTIONS)
    replies = [reply for reply, _ in said]
    assert len(set(replies)) == len(replies)
    assert len(state.revealed) == len(OPEN_QUESTIONS) == len(set(state.revealed))
    assert (state.open_count, state.closed_count) == (len(OPEN_QUESTIONS), 0)


# ----- the person answers the topic actually asked about -----


@pytest.mark.parametrize(("scenario_id", "line", "fact_id"), [
    ("dawn_ms", "Talk me through what a bad week looks like.", "relapse_worry"),  # not the online MS group
    ("dawn_ms", "What does your job mean to you?", "work"),
    ("dawn_ms", "What helps when the heat gets to you?", "cool_room"),
    ("jean_breaking_point", "How are the nights at the moment?", "nights"),
    ("jean_breaking_point", "What is it like when the records are on?", "singing"),
    ("frank_allotment", "Tell me about the allotment.", "plot"),
    ("frank_allotment", "How do you get on with the stairs?", "stairs_trick"),
    ("frank_allotment", "How have the nights been?", "fall_worry"),  # not the stairs taken first thing
    ("frank_allotment", "What's a bad week like?", "fall_worry"),  # not the good Tuesday, for all "week"
    ("priya_sam", "What is Sam good at?", "sam_trains"),
    ("priya_sam", "What are the days like since school ended?", "long_days"),
    ("priya_sam", "Who is around to support you?", "husband"),
])
def test_an_open_question_gets_the_topic_it_asked_about(scenario_id: str, line: str, fact_id: str) -> None:
    state, _ = ask(SCENARIOS[scenario_id], line)
    assert state.revealed == [fact_id]


# ----- reflections and summaries -----


def test_a_reflection_is_answered_as_a_reflection_and_draws_out_more() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "It sounds like you're exhausted.")
    reply, note = said[0]
    assert reply.startswith("Yes. ") and "I want him home" not in reply
    assert kind_of(jean, state.revealed[0]) == "worry"
    assert note.startswith("A reflection. Jean felt heard")
    assert (state.asked, state.reflections, state.closed_count) == (0, 1, 0)


def test_a_second_reflection_on_the_same_thing_brings_out_what_lies_under_it() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    nights = jean.fact("nights")
    assert nights is not None
    state, said = ask(jean, "How are the nights?", "It sounds like the nights are wearing you down.")
    assert said[1][0] == f"Yes. {nights.deeper}"
    assert state.deepened == ["nights"]


def test_a_good_summary_is_confirmed_and_the_person_adds_something_new() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "How are the nights?", "What helps on the better days?", "Who helps you?",
                      "So, he's up most nights, Pauline gives you Thursdays, and the old records bring Ray back for "
                      "a while. Have I got that right?")
    reply, note = said[-1]
    assert any(reply.startswith(confirm + " And ") for confirm in jean.replies["confirm"])
    assert len(state.revealed) == 4 and state.summaries == 1 and state.closed_count == 0
    assert note.startswith("A summary. Jean checked it, agreed, and added something new")


# ----- closed questions, and closed on purpose -----


def test_a_closed_question_gets_a_short_answer_and_reveals_nothing() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "Do you have family nearby?")
    reply, note = said[0]
    assert reply == "My daughter, Karen. She comes on Sundays."
    assert state.revealed == [] and state.closed_count == 1
    assert note.startswith("Closed. ") and "You could try:" in note


def test_the_same_closed_topic_twice_gets_a_different_short_answer() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    _, said = ask(jean, "Do you have any family?", "Does your son visit?")
    assert said[0][0] != said[1][0] and "Spain" in said[1][0]


@pytest.mark.parametrize(("line", "expected"), [
    ("Are you willing and able to carry on caring like this?", "willing_reply"),
    ("Do you feel safe at home with Ray?", "safety_reply"),
])
def test_questions_closed_on_purpose_get_a_straight_honest_answer(line: str, expected: str) -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, line)
    assert said[0][0] == getattr(jean, expected)
    assert (state.on_purpose, state.closed_count) == (1, 0)
    assert said[0][1].startswith("Closed on purpose")


def test_how_often_is_answered_with_how_often() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    _, said = ask(jean, "How often is he up in the night?")
    assert said[0][0] == "Four or five times a night."


def test_asking_consent_is_good_practice_and_the_person_agrees() -> None:
    priya = SCENARIOS["priya_sam"]
    state, said = ask(priya, "Is it OK if I ask about money?")
    assert said[0][0] in priya.replies["consent"] and said[0][1].startswith("Asking consent first: good practice")
    assert state.closed_count == 0 and state.issues == {}


# ----- minimising and substitution -----


def test_after_minimising_the_person_holds_back_their_needs_until_heard() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "You're managing really well, so it's mostly the nights, isn't it?",
                      "What worries you most?")
    assert said[0][0] in jean.replies["minimising"]
    assert "stopped telling you what is hard" in said[0][1] and "Care Act" in said[0][1]
    assert said[1][0] in jean.replies["holding_back"] and "held back what is hard" in said[1][1]
    assert not any(kind_of(jean, i) == "worry" for i in state.revealed)
    held = list(state.held_back)
    state, said = ask(jean, "It sounds like you're exhausted.", state=state)
    assert said[0][0].startswith("Yes. Honestly? ") and state.revealed[-1] in held


def test_a_strength_told_while_needs_are_held_back_is_noted_as_such() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "So the Thursdays are covered then.", "What would make things easier?")
    assert state.held_back and said[1][0] not in jean.replies["holding_back"]
    assert "still keeps back what is hard" in said[1][1]
    state, said = ask(jean, "It sounds like you're exhausted.", "What would make things easier?", state=state)
    assert not state.held_back and "still keeps back" not in said[1][1]


def test_the_same_open_question_without_minimising_is_answered() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "What matters most to you at the moment?", "What worries you most?")
    assert kind_of(jean, state.revealed[-1]) == "worry" and said[1][0] not in jean.replies["holding_back"]


@pytest.mark.parametrize(("line", "named"), [
    ("Could your son help out more?", "Daniel"),
    ("Pauline could sit with him a bit more, couldn't she?", "Pauline"),
])
def test_substitution_gets_an_answer_about_the_person_named(line: str, named: str) -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, line)
    assert named in said[0][0] and said[0][0] in jean.replies["substitution"]
    assert state.guard > 0 and state.held_back


# ----- the end feedback quotes the practitioner -----


def test_the_end_feedback_quotes_the_practitioners_own_lines() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, _ = ask(jean, "What matters most to you at the moment?", "Could your son help out more?",
                   "Do you sleep?", "It sounds like you're exhausted.")
    summary = rehearsal_summary(jean, state)
    assert "\u201cIt sounds like you're exhausted.\u201d Jean felt heard" in summary
    assert ("\u201cCould your son help out more?\u201d hands the need to unpaid help: Jean stopped telling you"
            in summary)
    assert "You could try: \u201cWhat help would work best for you?\u201d" in summary
    assert "\u201cDo you sleep?\u201d closed: a short answer." in summary
    assert "You asked 3 questions: 1 open and 2 closed. You also offered 1 reflection." in summary
    assert summary.rstrip().splitlines()[-1].startswith("One thing to try next time: Ask what help would work")


def test_needs_never_heard_are_named_at_the_end() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, _ = ask(jean, "So the Thursdays are covered by Pauline then?", "What worries you most?")
    held = jean.fact(state.held_back[0])
    assert held is not None
    assert "held back what they need" in rehearsal_summary(jean, state)
    assert held.reply.split(".")[0] in rehearsal_summary(jean, state)


def test_a_rehearsal_with_only_good_moves_suggests_what_is_missing() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, "What matters most to you?", "It sounds like the allotment is where you feel like yourself.")
    tip = rehearsal_summary(frank, state).split("One thing to try next time:")[1]
    assert "pull together what you heard" in tip


# ----- state -----


def test_state_round_trips_through_json_and_keeps_only_practitioner_lines() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, "What matters most to you about the allotment?", "Do you drive?")
    data = json.loads(json.dumps(state.to_dict()))
    assert RehearsalState.from_dict(data) == state
    assert [m["line"] for m in data["moments"]] == ["What matters most to you about the allotment?", "Do you drive?"]
    assert all(fact.reply not in json.dumps(data) for fact in frank.facts)


def test_an_old_state_without_the_new_fields_still_loads() -> None:
    state = RehearsalState.from_dict({"scenario": "frank_allotment", "asked": 2, "revealed": ["plot"]})
    assert (state.asked, state.revealed, state.moments, state.guard) == (2, ["plot"], [], 0)


def test_moments_and_lines_are_bounded() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, *(["What else? " + "and " * 100] * (MOMENTS_KEPT + 5)))
    assert len(state.moments) == MOMENTS_KEPT
    assert all(len(m["line"]) <= LINE_KEPT for m in state.moments)


def test_rehearsal_turn_does_not_change_the_state_it_was_given() -> None:
    frank = SCENARIOS["frank_allotment"]
    state = RehearsalState(frank.id)
    rehearsal_turn(frank, state, "What matters most to you?")
    assert state == RehearsalState(frank.id)


def test_scaling_follows_the_person_up_from_the_bottom() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "On a scale of 0 to 10, where 0 is the worst it has been and 10 is how you'd want it, "
                             "where are things now?", "What puts you at 4 and not lower?", "What would 5 look like?")
    assert [kind_of(frank, i) for i in state.revealed] == list(SCALE_KINDS)
    assert "About a 4" in said[0][0] and said[0][1].startswith("Good: a scaling question.")


def test_a_scale_with_no_direction_still_gets_a_number_and_a_note_on_the_anchors() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "On a scale of 0 to 10, where are things now?")
    assert [kind_of(frank, i) for i in state.revealed] == ["scale_now"]
    assert "About a 4" in said[0][0]
    assert "gave a number" in said[0][1] and "what 0 and 10 stand for" in said[0][1]


@pytest.mark.parametrize(("text", "kind"), [
    ("It sounds like the garden means a lot.", "reflection"),
    ("So, the garden, the dahlias and your tea in the morning. Have I got that right?", "summary"),
    ("Is it OK if I ask about money?", "consent"),
    ("How often do you get down to the plot?", "deliberate"),
    ("Do you drive?", "closed"),
    ("Could your daughter do the shopping?", "substitution"),
    ("So that's covered by Karen then?", "minimising"),
    ("What's wrong with your legs?", "deficit"),
    ("What helps on a good day?", "open"),
])
def test_read_move(text: str, kind: str) -> None:
    assert read_move(text).kind == kind


@pytest.mark.parametrize(("text", "technique"), [
    ("What puts you at 4 and not lower?", "scaling"),
    ("When does it go a bit better?", "exception"),
    ("What are your best hopes from today?", "best_hopes"),
    ("How do you keep going?", "coping"),
    ("What's the hardest part of the week?", "difficulty"),  # what is hard, not how they cope with it
    ("What would make things easier?", "help"),
    ("Where do you live?", None),
])
def test_technique_of(text: str, technique: str | None) -> None:
    assert technique_of(text) == technique


@pytest.fixture
def pyphen_syllables() -> Iterator[None]:
    """Count syllables with Pyphen only, as tests/test_content.py does (no download at run time)."""
    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: None
    _count_syllables.count_syllables.cache_clear()
    yield
    _count_syllables.get_cmudict = original
    _count_syllables.count_syllables.cache_clear()


def test_what_practitioners_read_is_plain_english(pyphen_syllables: None) -> None:
    rules = load_rules().raw
    texts = [*rules["tips"].values(), practice_mode.MENU_TEXT, practice_mode.CHECK_ASK, practice_mode.STOPPED]
    for scenario in SCENARIOS.values():
        texts += [scenario.brief, scenario.opening, scenario.willing_reply, scenario.safety_reply]
        texts += [f.reply for f in scenario.facts] + [f.deeper for f in scenario.facts if f.deeper]
    for text in texts:
        assert textstat.flesch_reading_ease(text) >= 65, text


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_asking_what_is_hardest_draws_out_a_need(scenario_id: str) -> None:
    """"What's the hardest part?" asks about what is hard: the person answers with a need, not a strength."""
    scenario = SCENARIOS[scenario_id]
    state, said = ask(scenario, "What's the hardest part of the week for you?")
    assert [kind_of(scenario, fact) for fact in state.revealed] == ["worry"], said
