"""Day-to-day life, area by area: every outcome area, with the tests that apply, how often, and
the person's own words; an area nobody talked about says so, so silence never reads as no need.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.profile.answers import ProfileAnswer
from bot.profile.entries import entry_of, short_id
from bot.profile.structure import Area, Entry
from bot.profile.wording import AREA_LABELS, AREAS, HOW_OFTEN, TESTS, TESTS_SHORT

TESTS_TECHNIQUE = "four_tests"  # the four tests, asked with the area's own wording or the general one
HOW_OFTEN_QUESTION = "area_how_often"
LABEL_ORDER = ("open", "area_hardest", "area_what_happens", "area_how_long", "area_stops", "area_helps")


def build_areas(answers: Sequence[ProfileAnswer], about_them: bool) -> tuple[tuple[Area, ...], set[str]]:
    """Every area in the regulations' order (talked about or not), and the keys of the answers used."""
    side = 1 if about_them else 0
    by_area: dict[str, list[ProfileAnswer]] = {}
    for answer in answers:
        if answer.section == "daily_life" and answer.item_id in AREAS:
            by_area.setdefault(answer.item_id, []).append(answer)
    used: set[str] = set()
    areas = []
    for area_id, titles in AREAS.items():
        said = by_area.get(area_id, [])
        used.update(a.key for a in said)
        areas.append(_area(area_id, titles[side], said, side))
    return tuple(areas), used


def _area(area_id: str, title: str, said: list[ProfileAnswer], side: int) -> Area:
    if not said:
        return Area(area_id, title, False)
    tests: list[str] = []
    short: list[str] = []
    how_often = None
    entries: list[tuple[int, Entry]] = []
    for answer in said:
        kind = short_id(answer)
        if answer.technique == TESTS_TECHNIQUE and answer.type == "multi" and isinstance(answer.value, list | tuple):
            tests = [TESTS[v][side] for v in TESTS if v in answer.value]
            short = [TESTS_SHORT[v] for v in TESTS_SHORT if v in answer.value]
            if "other" in answer.value:
                tests.append(answer.display)
        elif kind == HOW_OFTEN_QUESTION:
            how_often = answer.display
        else:
            label_id = "open" if kind.endswith("_open") else kind
            label = AREA_LABELS[label_id][side] if label_id in AREA_LABELS else None
            place = LABEL_ORDER.index(label_id) if label_id in LABEL_ORDER else len(LABEL_ORDER)
            entries.append((place, entry_of(answer, label)))
    entries.sort(key=lambda pair: pair[0])
    words = "; ".join(short)
    shown = tuple(e for _, e in entries)
    return Area(area_id, title, True, tuple(tests), how_often, shown, words[:1].upper() + words[1:])


def how_often_label(about_them: bool) -> str:
    return HOW_OFTEN[1 if about_them else 0]
