"""The front page: what matters most, best hopes, a good day, what is hard now, what I want from the
meeting (a carer's version: my caring role, what is hard, what would help), in the person's own
words and never as questions. What it shows in full is not repeated further on.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.profile.answers import ProfileAnswer
from bot.profile.entries import list_items, short_id
from bot.profile.structure import Area, Line, Part
from bot.profile.wording import FRONT, FRONT_LABELS

# Part -> the questions it quotes, in order: (question id within its bank, our label or None). The
# same id in two banks (the taster's best_hopes and the opener's) is one question: the latest counts.
PERSON: dict[str, tuple[tuple[str, str | None], ...]] = {
    "matters": (("top_three", None), ("important_now", None)),
    "hopes": (("best_hopes", None),),
    "good_day": (("good_day_real", None), ("good_day", None),
                 ("tomorrow", None), ("miracle", None)),
    "hard": (("hardest_now", None), ("hard_day_real", FRONT_LABELS["hard_day"]),
             ("hard_day", FRONT_LABELS["hard_day"]), ("hard_days_often", FRONT_LABELS["hard_days_often"]),
             ("hard_days", FRONT_LABELS["hard_days_often"])),
    "meeting": (("want_from_it", None), ("must_say", FRONT_LABELS["must_say"])),
}
CARER: dict[str, tuple[tuple[str, str | None], ...]] = {
    "hopes": (("best_hopes", None),),
    "caring": (("who_you_care_for", None),),
    "carer_hard": (("hardest_part", None), ("able", FRONT_LABELS["able"]),
                   ("willing", FRONT_LABELS["willing"])),
    "carer_help": (("what_would_help", None),),
    "meeting": (("want_from_it", None), ("must_say", FRONT_LABELS["must_say"])),
}
ONE_OF = {"good_day"}  # parts that quote only the first question answered


def build_front(
    answers: Sequence[ProfileAnswer], areas: Sequence[Area], *, carer: bool
) -> tuple[tuple[Part, ...], set[str]]:
    """The front page's parts (only those with words) and the keys of the answers quoted in full.
    `areas` are the person's own, or for a carer those of the person they care for."""
    by_time = sorted(answers, key=lambda a: a.answered_at)
    mine = {short_id(a): a for a in by_time if not a.for_someone}
    theirs = {short_id(a): a for a in by_time if a.for_someone}
    parts: list[Part] = []
    used: set[str] = set()
    plans = [(CARER, mine, 0)] if carer else []
    plans.append((PERSON, theirs, 1) if carer else (PERSON, mine, 0))
    for plan, found, side in plans:
        for part_id, questions in plan.items():
            if carer and plan is PERSON and part_id == "meeting":
                continue
            lines: list[Line] = []
            for question_id, label in questions:
                answer = found.get(question_id)
                if answer is None or (part_id in ONE_OF and lines):
                    continue
                lines.append(Line(label, answer.display, list_items(answer)))
                used.add(answer.key)
            if part_id == "hard":
                lines += _area_lines(areas)
            if lines:
                parts.append(Part(FRONT[part_id][side], tuple(lines)))
    return tuple(parts), used


def _area_lines(areas: Sequence[Area]) -> list[Line]:
    """One line per area where any of the four tests applies: the area and the tests, in our words."""
    return [Line(area.title, area.short) for area in areas if area.short]
