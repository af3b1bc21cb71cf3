"""What the coach remembers about a person between messages, typed. Stored as JSON (encrypted)
in the people table's `settings`; unknown keys from older versions are ignored."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.practice import RehearsalState


@dataclass(frozen=True)
class PracticeState:
    """Practice mode: which part is open, the open/closed tally of checked questions, and its data."""

    mode: str = "menu"  # menu | check | pick | rehearse | cards | columns_worry | columns_goal
    tally: tuple[bool, ...] = ()
    rehearsal: RehearsalState | None = None
    worry: str = ""
    card: str = ""

    def to(self, mode: str, **data: Any) -> PracticeState:
        """Another part of practice mode, keeping only the tally."""
        return replace(PracticeState(mode, self.tally), **data)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"mode": self.mode, "tally": list(self.tally)}
        if self.rehearsal is not None:
            data["rehearsal"] = self.rehearsal.to_dict()
        if self.worry:
            data["worry"] = self.worry
        if self.card:
            data["card"] = self.card
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PracticeState:
        rehearsal = data.get("rehearsal")
        return cls(str(data.get("mode") or "menu"), tuple(bool(t) for t in data.get("tally") or ()),
                   RehearsalState.from_dict(rehearsal) if isinstance(rehearsal, dict) else None,
                   str(data.get("worry") or ""), str(data.get("card") or ""))


@dataclass
class PersonState:
    """Whether they have seen the welcome, the conversation they are in, words held back for
    them to decide about (a risky message, or a first message after a long break), practice mode."""

    welcomed: bool = False
    session: str | None = None
    held_message: str | None = None
    practice: PracticeState | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"welcomed": self.welcomed, "session": self.session, "held_message": self.held_message,
                "practice": self.practice.to_dict() if self.practice else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PersonState:
        practice = data.get("practice")
        return cls(bool(data.get("welcomed")), data.get("session") or None, data.get("held_message"),
                   PracticeState.from_dict(practice) if isinstance(practice, dict) and practice.get("mode") else None)
