"""The one-screen meeting card: three things that matter most, three hardest things, my questions,
and the things I find hard to say out loud when I chose to hand them over.

Picked from the person's answers by the part the question is tagged for (its `card:` in the
bank) and by its section and technique, in a fixed order of preference, and quoted exactly.
Nothing is summarised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.profile.answers import ProfileAnswer
from bot.profile.structure import Card, Profile
from bot.profile.templates import render

THREE = 3
LONGEST = 280  # the card fits one screen: longer answers are cut at a word, marked with "…" (in full in the profile)


def pick_card(answers: Iterable[ProfileAnswer]) -> Card:
    """`answers` are the shown ones (one per question, not hidden), oldest first. Private notes are
    never picked, except a note to hand over (`card: hard_to_say`) when the person said yes to it."""
    given = list(answers)
    dates = [a.display for a in given if a.section == "meeting" and a.type == "date"]
    chosen = [a.value for a in given if a.card == "hard_to_say" and a.type == "yes_no"]
    hand_over = tuple(
        _short(a.display) for a in given if a.card == "hard_to_say" and a.type in ("text", "list")
    ) if chosen and chosen[-1] is True else ()
    # The latest conversation first (the latest words count most), each in the order it was asked.
    newest = {a.session_id: a.answered_at for a in given}
    answers = sorted(
        (a for a in given if a.type in ("text", "list") and not a.followup_of and not a.private),
        key=lambda a: (-newest[a.session_id].timestamp(), a.answered_at),
    )
    matters = _pick(
        answers,
        (
            lambda a: a.card == "matters",
            lambda a: a.section == "what_matters" and a.type == "list",
            lambda a: a.section == "what_matters" and a.technique == "best_hopes",
            lambda a: a.section == "what_matters",
        ),
    )
    hardest = _pick(
        answers,
        (
            lambda a: a.card == "hardest" and a.section == "daily_life",  # the hardest part of daily life first
            lambda a: a.card == "hardest",
            lambda a: a.section == "worries",
            lambda a: a.technique == "impact",
        ),
    )
    questions = _pick(answers, (lambda a: a.card == "questions",))
    return Card(matters, hardest, questions, dates[-1] if dates else None, hand_over)


def _pick(answers: list[ProfileAnswer], rules: tuple[Callable[[ProfileAnswer], bool], ...]) -> tuple[str, ...]:
    picked: list[str] = []
    for rule in rules:
        for answer in answers:
            for words in _words(answer) if rule(answer) else ():
                if words not in picked and len(picked) < THREE:
                    picked.append(words)
    return tuple(picked)


def _words(answer: ProfileAnswer) -> list[str]:
    if answer.type == "list" and isinstance(answer.value, list | tuple):
        items = [str(v) for v in answer.value if str(v).strip()]
    else:
        items = [answer.display]
    return [_short(f"{answer.item}: {words}" if answer.item else words) for words in items]


def _short(words: str) -> str:
    words = words.strip()
    if len(words) <= LONGEST:
        return words
    cut = words[:LONGEST].rsplit(None, 1)[0] if " " in words[:LONGEST] else words[:LONGEST]
    return cut.rstrip() + "…"


def meeting_card(profile: Profile) -> str:
    """The meeting card as plain text."""
    return render("card.txt", profile=profile)


def meeting_card_html(profile: Profile) -> str:
    """The meeting card as Telegram HTML (one message: each part holds at most three answers)."""
    return render("card.html", profile=profile)
