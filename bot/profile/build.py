"""Answers -> Profile: the front page first, then needs and evidence (area by area, help that
someone is meeting), then the rest by section; private preparation apart in "my notes".

One answer per question (the latest, bot/profile/current.py). Nothing is reworded: entries carry
the question as asked (without its instructions) or our own label, and the person's words exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.profile.answers import ProfileAnswer
from bot.profile.areas import build_areas
from bot.profile.card import pick_card
from bot.profile.current import current_answers, first_answered, name_of
from bot.profile.entries import entry_of, short_id
from bot.profile.front import build_front
from bot.profile.scales import build_scales
from bot.profile.structure import Area, Group, Profile, Section
from bot.profile.wording import (
    CARER_FIRST,
    CARER_PARTS,
    CARER_SUBTITLE,
    EMPTY,
    FOOTER,
    HELP_LABELS,
    MONTHS,
    NOTES,
    NOTES_TITLE,
    SUPPORT,
    TITLE,
    TITLES,
)


def build_profile(
    answers: Sequence[ProfileAnswer], *, name: str | None = None, now: datetime, support: bool = False
) -> Profile:
    """The person's profile from all their answers. `name` overrides the name they gave; `support`
    adds a pointer to help (when the safety net has stepped in) to the chat and text versions."""
    shown = current_answers(answers)
    carer = any(a.audience == "carer" for a in shown)
    shared = [a for a in shown if not a.private]
    mine_areas, _ = build_areas([a for a in shared if not a.for_someone], False)
    their_areas, _ = build_areas([a for a in shared if a.for_someone], True)
    front, used = build_front(shared, their_areas if carer else mine_areas, carer=carer)
    sections: list[Section] = []
    for about_them in (False, True):
        side = [a for a in shared if a.for_someone == about_them]
        if side or (not about_them and not carer and shown):
            sections += _side(side, [a for a in shown if a.for_someone == about_them], answers, used, about_them,
                              carer=carer and not about_them, now=now)
    given = name.strip() if name and name.strip() else name_of(answers)
    return Profile(
        title=TITLE,
        subtitle=CARER_SUBTITLE if carer else None,
        name=given,
        carer=carer,
        drafted=f"{now.day} {MONTHS[now.month - 1]} {now.year}",
        generated_at=now,
        sections=tuple(s for s in sections if s.groups or s.scales or s.areas),
        card=pick_card(shown),
        footer=FOOTER,
        empty_message=EMPTY,
        answers=tuple(answers),
        front=front,
        notes=_notes([a for a in shown if a.private], answers, now),
        support=SUPPORT if support else None,
    )


def _side(
    here: list[ProfileAnswer],
    shown: list[ProfileAnswer],
    every: Sequence[ProfileAnswer],
    used: set[str],
    about_them: bool,
    *,
    carer: bool,
    now: datetime,
) -> list[Section]:
    """The sections about me (or, for a carer, about the person I care for), in the document's order."""
    at = 1 if about_them else 0
    areas, in_areas = build_areas(here, about_them)
    rest = [a for a in here if a.key not in used and a.key not in in_areas]
    by_part: dict[str, list[ProfileAnswer]] = {}
    for answer in rest:
        by_part.setdefault(_part_of(answer), []).append(answer)
    order = [*CARER_FIRST, *(s for s in TITLES if s not in CARER_FIRST)] if carer else list(TITLES)
    sections = []
    for part in order:
        found = by_part.get(part, [])
        title = TITLES[part][at]
        if part == "areas":
            if _talked_about(areas) or not carer:
                sections.append(Section(part, title, about_them, areas=areas))
            continue
        scales = build_scales([a for a in found if a.type == "scale"], shown, every, now)
        words = [a for a in found if a.type != "scale" and not a.followup_of]
        if part == "help_met":
            labels = {k: v[at] for k, v in HELP_LABELS.items()}
            groups: tuple[Group, ...] = (Group(None, tuple(entry_of(a, labels.get(short_id(a))) for a in words)),)
        else:
            groups = _groups(words)
        if words or scales:
            sections.append(Section(part, title, about_them, groups=groups if words else (), scales=scales,
                                    notes=NOTES.get(part, ())))
    return sections


def _part_of(answer: ProfileAnswer) -> str:
    """Which part of the document an answer (not quoted on the front page) belongs to."""
    question = short_id(answer).rsplit(".", 1)[0] if answer.followup_of else short_id(answer)
    if answer.section == "caring_role":
        return CARER_PARTS.get(question, "caring_role")
    if answer.type == "scale" or answer.followup_of:
        return "scales"
    if answer.section == "people_support" and question in HELP_LABELS:
        return "help_met"
    if answer.section == "daily_life":
        # the areas chosen are shown as the areas themselves; the rest is about daily life as a whole
        return "none" if question == "areas" else "good_and_hard_days"
    return answer.section or "none"


def _talked_about(areas: tuple[Area, ...]) -> bool:
    return any(area.talked_about for area in areas)


def _groups(answers: list[ProfileAnswer]) -> tuple[Group, ...]:
    by_item: dict[str | None, list[ProfileAnswer]] = {None: []}
    for answer in sorted(answers, key=first_answered):
        by_item.setdefault(answer.item, []).append(answer)
    return tuple(Group(item, tuple(entry_of(a) for a in found)) for item, found in by_item.items() if found)


def _notes(private: list[ProfileAnswer], every: Sequence[ProfileAnswer], now: datetime) -> Section | None:
    """My notes: private preparation, the choice about the meeting card left out (the card shows it)."""
    notes = [a for a in private if not (a.card == "hard_to_say" and a.type == "yes_no")]
    scales = [a for a in notes if a.type == "scale"]
    words = [a for a in notes if a.type != "scale" and not a.followup_of]
    if not notes:
        return None
    return Section(
        "notes",
        NOTES_TITLE,
        False,
        groups=_groups(words) if words else (),
        scales=build_scales(scales, notes, every, now),
    )
