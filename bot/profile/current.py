"""Which answers the document shows: one per question, the latest, from runs the person kept.

Left out (all still in the JSON export): hidden answers and the follow-ups of a hidden scale,
answers from a run the person started again, empty words, answers for no section or for
practice, earlier answers to a question answered again, and the name (it heads the document).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.profile.answers import ProfileAnswer
from bot.profile.entries import short_id
from bot.profile.wording import LEFT_OUT


def current_answers(answers: Sequence[ProfileAnswer]) -> list[ProfileAnswer]:
    """The answers the document shows, in the order they were first given."""
    kept = [a for a in answers if _shown(a)]
    hidden_scales = {(a.session_id, a.step_id) for a in answers if a.type == "scale" and (a.hidden or a.abandoned)}
    kept = [a for a in kept if not (a.followup_of and (a.session_id, a.followup_of) in hidden_scales)]
    latest: dict[tuple[str, ...], ProfileAnswer] = {}
    for answer in sorted(kept, key=lambda a: a.answered_at):
        latest[_question_key(answer)] = answer
    scale_sessions = {_scale_key(a): a.session_id for a in latest.values() if a.type == "scale"}
    chosen = [a for a in latest.values() if not a.followup_of or scale_sessions.get(_scale_key(a)) == a.session_id]
    return sorted(chosen, key=first_answered)


def name_of(answers: Iterable[ProfileAnswer]) -> str | None:
    """The name the person gave (the latest), if any."""
    names = [a for a in answers if is_name(a) and not a.hidden and not a.abandoned and a.display.strip()]
    return max(names, key=lambda a: a.answered_at).display.strip() if names else None


def is_name(answer: ProfileAnswer) -> bool:
    return short_id(answer) == "name" and answer.section == "about_me"


def first_answered(answer: ProfileAnswer) -> datetime:
    return answer.history[0][1] if answer.history else answer.answered_at


def _shown(answer: ProfileAnswer) -> bool:
    if answer.hidden or answer.abandoned or not answer.display.strip() or is_name(answer):
        return False
    return answer.private or answer.section not in LEFT_OUT


def _question_key(answer: ProfileAnswer) -> tuple[str, ...]:
    """Asked again in a later run (or another flow), the same question keeps only its latest answer."""
    return (answer.question_id, answer.step_id, answer.item_id or answer.item or "", str(answer.for_someone))


def _scale_key(answer: ProfileAnswer) -> tuple[str, ...]:
    """A scale and its follow-ups share this key, so follow-ups come from the scale's latest run."""
    step = answer.followup_of or answer.step_id
    return (step, answer.item_id or answer.item or "", str(answer.for_someone))
