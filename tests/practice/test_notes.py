"""Notes on what a practitioner typed in the practice_rehearsal flow: each answer is read by the
checker against what that step asks for, so the note changes with what was typed."""

from __future__ import annotations

import pytest

from bot.conversation.practice_mode import flow_note
from bot.practice.notes import ANSWER_CHECKS, answer_note


@pytest.mark.parametrize(("question_id", "typed", "wanted"), [
    ("practice.your_reflection", "So getting out matters most to you.", "That reads as a reflection"),
    ("practice.your_reflection", "What matters most to you?", "not a reflection"),
    ("practice.rewrite_closed", "Talk me through how washing goes on a usual morning.", "still about washing"),
    ("practice.rewrite_closed", "Can you have a bath on your own?", "can still be answered yes or no"),
    ("practice.rewrite_minimising", "How do meals go on a harder day?", "leaves room for the harder days"),
    ("practice.rewrite_minimising", "So meals are sorted then?", "Plays the need down"),
    ("practice.rewrite_scale", "Why aren't you higher than a 3?", "asks why the number is not higher"),
    ("practice.rewrite_scale", "What keeps you at 3 and not lower?", "builds up from the bottom"),
    ("practice.family_helps", "Could she do a bit more for you, then?", "Care Act"),
    ("practice.family_helps", "What would happen if your daughter could not do the shopping?", "need being met"),
    ("practice.your_opener", "What's the problem?", "Starts from problems"),
    ("practice.your_opener", "What are your best hopes from our talk?", "nothing I would change for an opener"),
])
def test_the_note_responds_to_what_was_typed(question_id: str, typed: str, wanted: str) -> None:
    assert wanted in answer_note(question_id, typed)


def test_two_different_answers_to_one_step_get_different_notes() -> None:
    notes = {answer_note("practice.your_reflection", typed) for typed in
             ("It sounds like the nights are hardest.", "Do you sleep?", "Why can't you sleep?")}
    assert len(notes) == 3


def test_other_steps_and_empty_answers_get_no_note() -> None:
    assert answer_note("practice.scenario", "jo") == ""
    assert answer_note("daily_life.hard_day_real", "It was awful") == ""
    assert answer_note("practice.your_opener", "   ") == ""


def test_every_checked_step_is_in_the_practice_bank() -> None:
    from pathlib import Path

    import yaml

    bank = yaml.safe_load((Path(__file__).resolve().parents[2] / "question_banks" / "practice.yaml").read_text())
    assert set(ANSWER_CHECKS) <= {q["id"] for q in bank["questions"]}


def test_the_conversation_glue_gives_the_same_note() -> None:
    typed = "Could your son help out more?"
    assert flow_note("practice.family_helps", typed) == answer_note("practice.family_helps", typed) != ""
