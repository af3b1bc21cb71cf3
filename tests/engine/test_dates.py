"""Unit tables for dates the way people type them. `today` is always given: Monday 23 November 2026."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine.dates import describe_date, parse_date

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("today", "2026-11-23"),
        ("Tomorrow", "2026-11-24"),
        ("yesterday", "2026-11-22"),
        ("tonight", "2026-11-23"),
        # weekdays: the next one after today (today's own weekday means a week on)
        ("next Tuesday", "2026-11-24"),
        ("Tuesday", "2026-11-24"),
        ("tues", "2026-11-24"),
        ("this friday", "2026-11-27"),
        ("on Friday", "2026-11-27"),
        ("coming monday", "2026-11-30"),
        ("monday", "2026-11-30"),
        # in N days / weeks / months
        ("in 3 days", "2026-11-26"),
        ("in a week", "2026-11-30"),
        ("in two weeks", "2026-12-07"),
        ("in a month", "2026-12-23"),
        # day and month, with or without a year; a date well past this year means next year
        ("12 March", "2027-03-12"),
        ("12th March", "2027-03-12"),
        ("the 12th of March", "2027-03-12"),
        ("12 Mar", "2027-03-12"),
        ("March 12", "2027-03-12"),
        ("March 12th 2027", "2027-03-12"),
        ("Friday 12 March", "2027-03-12"),
        ("12 March 2027", "2027-03-12"),
        ("1st of may 2027", "2027-05-01"),
        ("It's on 5 Jan", "2027-01-05"),
        ("1 December", "2026-12-01"),
        ("22 November", "2026-11-22"),  # recent past stays this year
        ("20 October", "2027-10-20"),  # more than a month ago: next year
        # numbers, day first as in the UK
        ("12/03/2027", "2027-03-12"),
        ("12/03", "2027-03-12"),
        ("12.03.27", "2027-03-12"),
        ("2027-03-12", "2027-03-12"),
        ("05/01/2027", "2027-01-05"),
        # not clearly a date
        ("31/02/2027", None),
        ("13/13/2027", None),
        ("sometime", None),
        ("next week", None),
        ("next month", None),
        ("march", None),
        ("12", None),
        ("in 0 days", None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_date(said: str, expected: str | None) -> None:
    found = parse_date(said, TODAY)
    assert (found.isoformat() if found else None) == expected


def test_parse_date_depends_only_on_today() -> None:
    assert parse_date("tomorrow", date(2027, 12, 31)) == date(2028, 1, 1)
    assert parse_date("next Tuesday", date(2027, 12, 31)) == date(2028, 1, 4)
    assert parse_date("29/02", date(2027, 6, 1)) is None  # 2027 is not a leap year
    assert parse_date("29/02", date(2028, 1, 10)) == date(2028, 2, 29)


def test_bug_tuesday_week_means_a_week_after_next_tuesday() -> None:
    """In UK English, 'Tuesday week' is the Tuesday after next; today it is read as plain 'Tuesday'."""
    assert parse_date("Tuesday week", TODAY) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (date(2027, 3, 12), "Friday 12 March 2027"),
        (date(2026, 11, 23), "Monday 23 November 2026"),
        (date(2028, 2, 29), "Tuesday 29 February 2028"),
    ],
)
def test_describe_date(value: date, words: str) -> None:
    assert describe_date(value) == words
