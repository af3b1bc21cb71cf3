"""Answers -> Profile: which answers show, in which section, and scales with their change over time.

Nothing is reworded: entries carry the question as it was asked and the person's words exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.profile.answers import ProfileAnswer
from bot.profile.card import pick_card
from bot.profile.structure import Entry, Group, Profile, Scale, Score, Section
from bot.profile.wording import CARER_SUBTITLE, EMPTY, FOOTER, LEFT_OUT, MONTHS, NOTES, TITLE, TITLES


def build_profile(answers: Sequence[ProfileAnswer], *, name: str | None = None, now: datetime) -> Profile:
    """The person's profile from their answers: sections in order, only where there are answers."""
    shown = sorted((a for a in answers if _shown(a)), key=_first_answered)
    hidden_scales = {(a.session_id, a.step_id) for a in answers if a.type == "scale" and a.hidden}
    shown = [a for a in shown if not (a.followup_of and (a.session_id, a.followup_of) in hidden_scales)]
    carer = any(a.audience == "carer" for a in shown)
    sections = []
    for section_id, (mine, theirs) in TITLES.items():
        for about_them in (False, True):
            here = [a for a in shown if _section_of(a) == section_id and a.for_someone == about_them]
            title = theirs if about_them else mine
            notes = NOTES.get(section_id, ()) if not about_them or section_id == "meeting" else ()
            if section_id == "scales":
                scales = _scales(here, shown, now)
                if scales:
                    sections.append(Section(section_id, title, about_them, scales=scales, notes=notes))
            elif here:
                sections.append(Section(section_id, title, about_them, groups=_groups(here), notes=notes))
    name = name.strip() if name and name.strip() else None
    return Profile(
        title=TITLE,
        subtitle=CARER_SUBTITLE if carer else None,
        name=name,
        carer=carer,
        drafted=f"{now.day} {MONTHS[now.month - 1]} {now.year}",
        generated_at=now,
        sections=tuple(sections),
        card=pick_card(shown),
        footer=FOOTER,
        empty_message=EMPTY,
        answers=tuple(answers),
    )


def entry_of(answer: ProfileAnswer) -> Entry:
    items: tuple[str, ...] = ()
    if answer.type == "list" and isinstance(answer.value, list | tuple):
        items = tuple(str(v) for v in answer.value if str(v).strip())
    return Entry(answer.key, answer.question_text, answer.display, items, answer.answered_at, answer.history)


def _shown(answer: ProfileAnswer) -> bool:
    return not answer.hidden and bool(answer.display.strip()) and _section_of(answer) in TITLES


def _section_of(answer: ProfileAnswer) -> str | None:
    """Scales and their follow-ups all go to 'where I am now', unless their question is kept out of profiles."""
    if answer.section in LEFT_OUT:
        return answer.section
    if answer.type == "scale" or answer.followup_of:
        return "scales"
    return answer.section


def _first_answered(answer: ProfileAnswer) -> datetime:
    return answer.history[0][1] if answer.history else answer.answered_at


def _groups(answers: list[ProfileAnswer]) -> tuple[Group, ...]:
    by_item: dict[str | None, list[Entry]] = {None: []}
    seen: set[tuple[str, str | None, str]] = set()
    for answer in answers:
        same = (answer.question_id, answer.item, answer.display)
        if same in seen:  # the same words given again in a later conversation
            continue
        seen.add(same)
        by_item.setdefault(answer.item, []).append(entry_of(answer))
    return tuple(Group(item, tuple(entries)) for item, entries in by_item.items() if entries)


def _scales(here: list[ProfileAnswer], shown: list[ProfileAnswer], now: datetime) -> tuple[Scale, ...]:
    runs: dict[tuple[str, str | None], list[ProfileAnswer]] = {}
    for answer in here:
        if answer.type == "scale" and isinstance(answer.value, int) and not isinstance(answer.value, bool):
            runs.setdefault((answer.question_id, answer.item), []).append(answer)
    scales = []
    for (_question, item), run in runs.items():
        run.sort(key=lambda a: a.answered_at)
        latest = run[-1]
        followups = tuple(
            entry_of(a) for a in shown if a.session_id == latest.session_id and a.followup_of == latest.step_id
        )
        earlier = tuple(
            Score(a.value, a.answered_at, _when(a.answered_at, now))
            for a in run[:-1]
            if a.session_id != latest.session_id
        )
        scales.append(
            Scale(
                key=latest.key,
                label=item or latest.question_text,
                question=latest.question_text,
                score=latest.value,
                minimum=latest.scale_min if latest.scale_min is not None else 0,
                maximum=latest.scale_max if latest.scale_max is not None else 10,
                min_label=latest.min_label,
                max_label=latest.max_label,
                answered_at=latest.answered_at,
                earlier=earlier,
                followups=followups,
            )
        )
    return tuple(scales)


def _when(at: datetime, now: datetime) -> str:
    month = MONTHS[at.month - 1]
    return f"in {month}" if at.year == now.year else f"in {month} {at.year}"
