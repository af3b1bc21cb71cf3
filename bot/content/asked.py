"""The question an `ask` step puts: the bank's question with the step's own overrides, and the
follow-up questions a scale adds after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.content.banks import parse_acknowledge, parse_followups
from bot.content.builtin import (
    COPING_NOTE,
    COPING_WHY,
    FOLLOWUP_NOTE,
    FOLLOWUP_WHY,
    UNKNOWN_QUESTION,
    acknowledgements,
    default_acknowledgement,
)
from bot.content.model import SECTIONS, Question, Text
from bot.content.report import Report, did_you_mean
from bot.content.steps import RawStep
from bot.content.text import compile_text


def step_question(step: RawStep, questions: Mapping[str, Question], report: Report) -> Question:
    """The bank question `step` asks (a placeholder, reported, if unknown), with the step's own
    fields and an acknowledgement (the section's default unless it has its own)."""
    question = questions.get(step.value)
    if question is None:
        report.add(step.entry.line_of("ask"), f"{step.where}.ask",
                   f"unknown question '{step.value}'{did_you_mean(step.value, questions)}")
        question = UNKNOWN_QUESTION
    if own := overrides(step, question, report):
        question = replace(question, **own)
    if question.acknowledge is None:
        question = replace(question, acknowledge=default_acknowledgement(question))
    return question


def overrides(step: RawStep, question: Question, report: Report) -> dict[str, Any]:
    """A step's own why, hint, section, skippable and acknowledgement, checked like the bank's fields."""
    entry, where = step.entry, step.where
    checked: dict[str, Any] = {
        "why": report.text(entry, "why", where, required=True),
        "hint": report.text(entry, "hint", where),
        "section": report.one_of(entry, "section", where, SECTIONS, None),
        "skippable": report.flag(entry, "skippable", where, question.skippable) if "skippable" in entry else None,
    }
    own = {k: v for k, v in checked.items() if k in entry and v is not None}
    if "followups" in entry and question.type == "scale":
        own["followups"] = parse_followups(entry, where, report, None)
    if "acknowledge" in entry:
        defaults = acknowledgements(question.type, own.get("section", question.section))
        own["acknowledge"] = parse_acknowledge(entry, where, report, defaults)
    return own


def followup_question(question: Question, kind: str, wording: Text | None) -> Question:
    """The text question a scale asks after its number (`kind`: one of model.FOLLOWUPS)."""
    coping = kind == "coping"
    return Question(
        id=f"{question.id}.{kind}",
        text=wording or compile_text(kind),
        type="text",
        why=COPING_WHY if coping else FOLLOWUP_WHY,
        practice_note=COPING_NOTE if coping else FOLLOWUP_NOTE,
        technique="coping" if coping else "scaling",
        section=question.section,
        acknowledge=(),
    )
