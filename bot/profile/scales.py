"""Scales by kind: how things are (with why not lower and one step up), an importance or confidence
ruler, a good-enough target; each with its earlier scores from earlier conversations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.profile.answers import ProfileAnswer
from bot.profile.entries import entry_of, question_label, short_id
from bot.profile.structure import Entry, Scale, Score
from bot.profile.wording import FOLLOWUP_LABELS, MONTHS

RULERS = ("importance_ruler", "confidence_ruler")
TARGETS = ("good_enough",)


def scale_kind(answer: ProfileAnswer) -> str:
    if answer.technique in RULERS:
        return "ruler"
    if short_id(answer) in TARGETS:
        return "target"
    return "now"


def build_scales(
    scales: Sequence[ProfileAnswer], shown: Sequence[ProfileAnswer], every: Sequence[ProfileAnswer], now: datetime
) -> tuple[Scale, ...]:
    """`scales` to show (the latest of each), their follow-ups from `shown`, earlier scores from `every`."""
    result = []
    for latest in scales:
        if not _is_number(latest.value):
            continue
        followups = tuple(
            _followup(a, latest.value)
            for a in shown
            if a.session_id == latest.session_id and a.followup_of == latest.step_id
        )
        earlier = tuple(
            Score(a.value, a.answered_at, _when(a.answered_at, now))
            for a in sorted(every, key=lambda a: a.answered_at)
            if a.type == "scale" and a.step_id == latest.step_id and a.item == latest.item
            and a.for_someone == latest.for_someone and a.session_id != latest.session_id
            and not (a.hidden or a.abandoned) and _is_number(a.value) and a.answered_at < latest.answered_at
        )
        label = latest.item or _short_question(latest.question_text)
        result.append(
            Scale(
                key=latest.key,
                label=label,
                question=question_label(latest.question_text) if latest.item else label,  # shown once
                score=latest.value,
                minimum=latest.scale_min if latest.scale_min is not None else 0,
                maximum=latest.scale_max if latest.scale_max is not None else 10,
                min_label=latest.min_label,
                max_label=latest.max_label,
                answered_at=latest.answered_at,
                earlier=earlier,
                followups=followups,
                kind=scale_kind(latest),
            )
        )
    return tuple(result)


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _followup(answer: ProfileAnswer, score: int) -> Entry:
    label = FOLLOWUP_LABELS.get(answer.followup or "")
    return entry_of(answer, label.format(score=score, one_up=score + 1) if label else None)


def _short_question(asked: str) -> str:
    """ "On a scale of 0 to 10, how well are you managing at the moment?" -> "How well are you managing
    at the moment?": the scale's own words without the numbers, which the score shows."""
    text = question_label(asked)
    lead = "On a scale of 0 to 10, "
    if text.startswith(lead):
        text = text[len(lead):]
    for tail in (", from 0 to 10?", " from 0 to 10?"):
        if text.endswith(tail):
            text = text[: -len(tail)] + "?"
    return text[:1].upper() + text[1:]


def _when(at: datetime, now: datetime) -> str:
    """ "on 23 November", with the year when it was another year."""
    day = f"on {at.day} {MONTHS[at.month - 1]}"
    return day if at.year == now.year else f"{day} {at.year}"
