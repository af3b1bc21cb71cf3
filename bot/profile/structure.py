"""What a built profile holds: sections of entries and scales, a meeting card, a footer.

Every string that came from the person is carried exactly as they wrote it (`ProfileAnswer.display`);
everything else here (titles, notes, the footer) is our fixed wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.profile.answers import ProfileAnswer


@dataclass(frozen=True)
class Entry:
    """One answer as shown: the question as asked and the person's words."""

    key: str
    question: str
    answer: str
    items: tuple[str, ...]  # a list answer's items, each as written; () for other types
    answered_at: datetime
    history: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Group:
    """Entries about one repeat item (a daily-life area), or the section's general entries."""

    item: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Score:
    score: int
    answered_at: datetime
    when: str  # "in March", or "in March 2025" in another year


@dataclass(frozen=True)
class Scale:
    """One scale area: the score now, earlier scores from earlier conversations, and its follow-ups."""

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

    @property
    def one_up(self) -> int | None:
        return self.score + 1 if self.score < self.maximum else None

    @property
    def change(self) -> str | None:
        """ "4 in March, 6 now", or None when there is no earlier score."""
        if not self.earlier:
            return None
        return ", ".join([f"{s.score} {s.when}" for s in self.earlier] + [f"{self.score} now"])


@dataclass(frozen=True)
class Section:
    id: str  # one of bot.content.model.SECTIONS
    title: str
    about_them: bool  # a carer's answers about the person they care for
    groups: tuple[Group, ...] = ()
    scales: tuple[Scale, ...] = ()
    notes: tuple[str, ...] = ()  # our reminders, never the person's words


@dataclass(frozen=True)
class Card:
    """The one-screen meeting card."""

    matters: tuple[str, ...]
    hardest: tuple[str, ...]
    questions: tuple[str, ...]
    meeting_date: str | None


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
    answers: tuple[ProfileAnswer, ...]  # everything given, hidden ones included (for the JSON export)

    @property
    def empty(self) -> bool:
        return not self.sections

    @property
    def scales(self) -> tuple[Scale, ...]:
        return tuple(scale for section in self.sections for scale in section.scales)
