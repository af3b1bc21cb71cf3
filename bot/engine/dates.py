"""Read dates the way people type them: "next Tuesday", "12 March", "tomorrow", "12/03/2027".

Pure: `today` is always passed in. Day-first, as in the UK.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for index, name in enumerate(MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _weekday(word: str) -> int | None:
    word = word.lower()
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(day: int, month: int, year: int | None, today: date) -> date | None:
    if year is not None:
        if year < 100:
            year += 2000
        return _safe_date(year, month, day)
    found = _safe_date(today.year, month, day)
    if found is not None and found < today - timedelta(days=31):
        found = _safe_date(today.year + 1, month, day)
    return found


def parse_date(text: str, today: date) -> date | None:
    """The date meant by `text`, or None when it is not clearly a date."""
    words = re.sub(r"[,]", " ", text.lower()).replace("the ", "").split()
    words = [w for w in words if w not in ("on", "it's", "its", "is", "at")]
    cleaned = " ".join(words)
    if not cleaned:
        return None
    simple = {"today": 0, "tomorrow": 1, "yesterday": -1, "tonight": 0}
    if cleaned in simple:
        return today + timedelta(days=simple[cleaned])
    match = re.fullmatch(r"in (\w+) (day|days|week|weeks|month|months)", cleaned)
    if match:
        word = match.group(1)
        count = _NUMBER_WORDS.get(word) or (int(word) if word.isascii() and word.isdigit() else 0)
        unit = match.group(2)
        if count:
            days = count * (1 if unit.startswith("day") else 7 if unit.startswith("week") else 30)
            return today + timedelta(days=days)
    match = re.fullmatch(r"(next|this|coming)? ?([a-z]+)( week)?", cleaned)
    if match and _weekday(match.group(2)) is not None:
        ahead = (_weekday(match.group(2)) - today.weekday()) % 7  # type: ignore[operator]
        ahead = ahead or 7
        if match.group(3) and not match.group(1):
            ahead += 7  # "Tuesday week": a week after the coming Tuesday
        return today + timedelta(days=ahead)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if match:
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", cleaned)
    if match:
        year = int(match.group(3)) if match.group(3) else None
        return _with_year(int(match.group(1)), int(match.group(2)), year, today)
    match = re.fullmatch(r"(?:[a-z]+ )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z.]+)(?: (\d{2,4}))?", cleaned)
    if match and _month(match.group(2)):
        year = int(match.group(3)) if match.group(3) else None
        return _with_year(int(match.group(1)), _month(match.group(2)) or 0, year, today)
    match = re.fullmatch(r"(?:[a-z]+ )?([a-z.]+) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{2,4}))?", cleaned)
    if match and _month(match.group(1)):
        year = int(match.group(3)) if match.group(3) else None
        return _with_year(int(match.group(2)), _month(match.group(1)) or 0, year, today)
    return None


def describe_date(value: date) -> str:
    """'Tuesday 12 March 2027'."""
    return f"{WEEKDAYS[value.weekday()].title()} {value.day} {MONTHS[value.month - 1].title()} {value.year}"
