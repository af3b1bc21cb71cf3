"""What a built profile holds: a front page, sections of entries, areas and scales, my notes, a card.

Every string that came from the person is carried exactly as they wrote it (`ProfileAnswer.display`);
labels, titles, test sentences and notes are our fixed wording (bot/profile/wording.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.profile.answers import ProfileAnswer


@dataclass(frozen=True)
class Entry:
    """One answer as shown: a label (the question as asked, without instructions, or our own
    label) and the person's words."""

    key: str
    question: str
    answer: str
    items: tuple[str, ...]  # a list answer's items, each as written; () for other types
    answered_at: datetime
    history: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Group:
    """Entries about one repeat item (e.g. a task), or the section's general entries."""

    item: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Area:
    """One area of day-to-day life: the tests that apply (our sentences, from the person's choices),
    how often it is hard, and what they said about it. `talked_about` is False when nothing was said."""

    id: str
    title: str
    talked_about: bool
    tests: tuple[str, ...] = ()
    how_often: str | None = None
    entries: tuple[Entry, ...] = ()
    short: str = ""  # the tests that apply, in a few words, for the front page ("" when none does)


@dataclass(frozen=True)
class Score:
    score: int
    answered_at: datetime
    when: str  # "on 3 March", or "on 3 March 2025" in another year


@dataclass(frozen=True)
class Scale:
    """One scale: the score now, earlier scores from earlier conversations, and its follow-ups.
    `kind` says how to show it: "now" (how things are, with one step up), "ruler" (importance or
    confidence) or "target" (a good-enough number)."""

    key: str
    label: str  # the area (repeat item) or the question
    question: str
    score: int
    minimum: int
    maximum: int
    min_label: str | None
    max_label: str | None
    answered_at: datetime
    earlier: tuple[Score, ...]
    followups: tuple[Entry, ...]
    kind: str = "now"

    @property
    def one_up(self) -> int | None:
        return self.score + 1 if self.kind == "now" and self.score < self.maximum else None

    @property
    def change(self) -> str | None:
        """ "4 on 3 March, 6 now", or None when there is no earlier score."""
        if not self.earlier:
            return None
        return ", ".join([f"{s.score} {s.when}" for s in self.earlier] + [f"{self.score} now"])


@dataclass(frozen=True)
class Section:
    id: str  # a key of bot.profile.wording.TITLES
    title: str
    about_them: bool  # a carer's answers about the person they care for
    groups: tuple[Group, ...] = ()
    scales: tuple[Scale, ...] = ()
    areas: tuple[Area, ...] = ()
    notes: tuple[str, ...] = ()  # our reminders, never the person's words


@dataclass(frozen=True)
class Line:
    """A front-page line: our short label (or None) and the person's words."""

    label: str | None
    words: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A part of the front page: our title and the person's words."""

    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Card:
    """The one-screen meeting card; `hard_to_say` only when the person chose to hand it over."""

    matters: tuple[str, ...]
    hardest: tuple[str, ...]
    questions: tuple[str, ...]
    meeting_date: str | None
    hard_to_say: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    title: str
    subtitle: str | None
    name: str | None
    carer: bool
    drafted: str  # "23 November 2026"
    generated_at: datetime
    sections: tuple[Section, ...]
    card: Card
    footer: tuple[str, ...]
    empty_message: str
    answers: tuple[ProfileAnswer, ...]  # everything given, hidden and abandoned ones too (for the JSON export)
    front: tuple[Part, ...] = ()
    notes: Section | None = None  # private preparation: shown to the person, in a shared PDF only if chosen
    support: str | None = None  # a pointer to help, when the safety net has stepped in (never in the PDF)

    @property
    def empty(self) -> bool:
        return not self.sections and self.notes is None

    @property
    def scales(self) -> tuple[Scale, ...]:
        return tuple(scale for section in self.sections for scale in section.scales)
