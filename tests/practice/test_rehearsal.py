"""Rehearsal with invented people: how they answer, the feedback, the summary and three columns."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import textstat
from textstat.backend.counts import _count_syllables

from bot.conversation import practice_mode
from bot.practice.checker import check_question, load_rules
from bot.practice.rehearsal import (
    SCALE_KINDS,
    RehearsalState,
    Scenario,
    load_scenarios,
    rehearsal_summary,
    rehearsal_turn,
    technique_of,
    three_columns_feedback,
)

SCENARIOS = load_scenarios()
OPEN_QUESTIONS = [
    "What matters most to you?",
    "What else?",
    "Tell me about a time recently when things went a bit better.",
    "Who would be first to notice if things got better?",
    "How do you keep going?",
    "What are you good at?",
    "What worries you most at the moment?",
    "What would you like to be different after we've talked?",
]


def ask(scenario: Scenario, *questions: str) -> tuple[RehearsalState, list[tuple[str, str]]]:
    state = RehearsalState(scenario.id)
    said = []
    for question in questions:
        state, reply, feedback = rehearsal_turn(scenario, state, question)
        said.append((reply, feedback))
    return state, said


def test_there_are_the_four_scenarios_the_issue_asks_for() -> None:
    assert len(SCENARIOS) >= 4
    titles = " ".join(s.title.lower() for s in SCENARIOS.values())
    for word in ("allotment", "autistic", "ms", "breaking point"):
        assert word in titles


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_each_scenario_holds_every_kind_of_fact(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    kinds = {f.kind for f in scenario.facts}
    assert {"strength", "exception", "people", "worry", "what_matters", *SCALE_KINDS} <= kinds
    assert len({f.id for f in scenario.facts}) == len(scenario.facts)
    assert all(scenario.replies[key] for key in scenario.replies)


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_open_questions_draw_out_new_facts_without_repeating(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    state, said = ask(scenario, *OPEN_QUESTIONS)
    replies = [reply for reply, _ in said]
    assert len(set(replies)) == len(replies)
    assert len(state.revealed) == len(OPEN_QUESTIONS) == len(set(state.revealed))
    assert state.open_count == len(OPEN_QUESTIONS) and state.closed_count == 0


def test_a_closed_question_gets_a_short_answer_and_reveals_nothing() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "Do you have family nearby?")
    reply, feedback = said[0]
    assert reply == "My daughter, Karen. She comes on Sundays."
    assert state.revealed == [] and state.closed_count == 1
    assert feedback.startswith("Closed. ") and "Who are the people who matter most to you?" in feedback


def test_a_closed_question_with_nothing_to_match_gets_a_plain_yes_or_no() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    _, said = ask(jean, "Is it raining?")
    assert said[0][0] in jean.replies["closed"]


def test_an_exception_question_brings_out_an_exception() -> None:
    dawn = SCENARIOS["dawn_ms"]
    state, said = ask(dawn, "Tell me about a time recently when things went a bit better.")
    assert dawn.fact(state.revealed[0]).kind == "exception"  # type: ignore[union-attr]
    assert said[0][1] == "Good: an exception question. It drew out times things go better."


def test_a_relationship_question_brings_out_someone_who_helps() -> None:
    priya = SCENARIOS["priya_sam"]
    state, _ = ask(priya, "Who would be first to notice if things got a bit better for you?")
    assert priya.fact(state.revealed[0]).kind == "people"  # type: ignore[union-attr]


def test_deficit_and_jargon_questions_get_guarded_replies() -> None:
    jean = SCENARIOS["jean_breaking_point"]
    state, said = ask(jean, "What are the main problems with Ray?", "What are his care needs?")
    assert said[0][0] in jean.replies["guarded"]
    assert said[1][0] in jean.replies["jargon"]
    assert state.revealed == []
    assert state.issues == {"deficit": 1, "jargon": 1}


def test_scaling_follows_the_person_up_from_the_bottom() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "On a scale of 0 to 10, where are things now?", "What puts you at 4 and not lower?",
                      "What would one point higher look like?")
    assert [frank.fact(i).kind for i in state.revealed] == list(SCALE_KINDS)  # type: ignore[union-attr]
    assert "About a 4" in said[0][0]
    assert state.techniques == ["scaling"]


def test_asking_why_not_ten_gets_the_deficit_list() -> None:
    frank = SCENARIOS["frank_allotment"]
    _, said = ask(frank, "Why aren't you a 10?")
    reply, feedback = said[0]
    assert reply in frank.replies["scaling_direction"]
    assert feedback.startswith("Scale from the bottom. ") and "not lower" in feedback


def test_a_double_question_gets_half_an_answer() -> None:
    priya = SCENARIOS["priya_sam"]
    _, said = ask(priya, "What is Sam good at, and what does he enjoy?")
    assert said[0][0].endswith(priya.double_tail)


def test_a_reflection_is_confirmed_and_draws_out_a_little_more() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, said = ask(frank, "What matters most to you?",
                      "It sounds like the allotment is where you feel like yourself.")
    reply, feedback = said[1]
    assert reply.startswith("Yes. ") and len(state.revealed) == 2
    assert frank.fact(state.revealed[1]).kind == "what_matters"  # type: ignore[union-attr]
    assert feedback.startswith("Good: a reflection.")
    assert (state.asked, state.reflections) == (1, 1)
    assert "You also offered 1 reflection." in rehearsal_summary(frank, state)


def test_when_everything_is_told_the_person_says_so_then_repeats() -> None:
    frank = SCENARIOS["frank_allotment"]
    others = [f for f in frank.facts if f.kind not in SCALE_KINDS]
    state, said = ask(frank, *["What else?"] * (len(others) + 1))
    assert len(state.revealed) == len(others)
    assert said[-1][0].startswith("Like I said,")
    state, said = ask(frank, *["What else?"] * (2 * len(others) + 1))
    assert said[-1][0] in frank.replies["exhausted"]


def test_state_round_trips_through_json_and_holds_no_question_text() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, "What matters most to you about the allotment?", "Do you drive?")
    data = json.loads(json.dumps(state.to_dict()))
    assert RehearsalState.from_dict(data) == state
    assert "allotment?" not in json.dumps(data)


def test_rehearsal_turn_does_not_change_the_state_it_was_given() -> None:
    frank = SCENARIOS["frank_allotment"]
    state = RehearsalState(frank.id)
    rehearsal_turn(frank, state, "What matters most to you?")
    assert state == RehearsalState(frank.id)


def test_summary_counts_names_techniques_lists_what_was_told_and_gives_a_tip() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, "Do you have family nearby?", "Are you sleeping well?", "What matters most to you?",
                   "Tell me about a time recently when things went a bit better.")
    summary = rehearsal_summary(frank, state)
    assert "You asked 4 questions: 2 open and 2 closed." in summary
    assert "a strengths question, an exception question" in summary
    assert "• What matters to them: The allotment." in summary
    assert "• Times things go better: Tuesday was good." in summary
    assert "One thing to try next time: Turn a yes/no question into an invitation" in summary


def test_summary_suggests_a_missing_technique_when_every_question_was_clean() -> None:
    frank = SCENARIOS["frank_allotment"]
    state, _ = ask(frank, "What matters most to you?")
    assert "exception question" in rehearsal_summary(frank, state).split("One thing to try next time:")[1]


@pytest.mark.parametrize(("text", "technique"), [
    ("What puts you at 4 and not lower?", "scaling"),
    ("When does it go a bit better?", "exception"),
    ("What are your best hopes from today?", "best_hopes"),
    ("How do you keep going?", "coping"),
    ("It sounds like the garden means a lot. Have I got that right?", "reflection"),
    ("Where do you live?", None),
])
def test_technique_of(text: str, technique: str | None) -> None:
    assert technique_of(text) == technique


def test_every_scenario_reply_reads_as_plain_text() -> None:
    for scenario in SCENARIOS.values():
        for fact in scenario.facts:
            assert "<" not in fact.reply and len(fact.reply.split()) <= 60
        assert check_question(scenario.opening)  # the opening is text, not a question to check


def test_three_columns_praises_a_present_tense_goal_and_a_specific_worry() -> None:
    text = three_columns_feedback(
        "Jean is worried that if Ray keeps getting up at night she will fall asleep on the stairs.",
        "Jean will get a full night of sleep at least one night every week.")
    assert "Clear and specific" in text and "what will be present" in text


def test_three_columns_flags_labels_absence_goals_and_missing_time() -> None:
    text = three_columns_feedback("Jean is not coping.", "Ray will not wander at night.")
    assert '"not coping" is a label' in text
    assert "what you fear could happen" in text
    assert 'It says what will stop ("not")' in text
    assert "Say what will be there instead" in text


def test_three_columns_asks_for_how_long_when_the_goal_has_no_time() -> None:
    text = three_columns_feedback("Sam may lose his skills if he stays in his room.", "Sam will have a job he enjoys.")
    assert "how often or for how long" in text


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
    texts = [*rules["explanations"].values(), *rules["tips"].values(), practice_mode.MENU_TEXT,
             practice_mode.CHECK_ASK, practice_mode.STOPPED]
    for scenario in SCENARIOS.values():
        texts += [scenario.brief, scenario.opening, *(f.reply for f in scenario.facts)]
    for text in texts:
        assert textstat.flesch_reading_ease(text) >= 65, text
