"""What the coach remembers about a person between messages, typed. Stored as JSON (encrypted)
in the people table's `settings`; unknown keys from older versions are ignored."""

from __future__ import annotations

import secrets
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


@dataclass(frozen=True)
class HeldMessage:
    """Words held back for the person to decide about: typed in answer to a question, but not
    saved as an answer (`reason` "safety": they got the safety net's help card; "welcome_back":
    they came back after a long break). Kept, encrypted, only until the person's next message
    (see `bot.conversation.safety_net`); `token` ties the buttons that decide to this hold."""

    text: str
    reason: str
    token: str = ""
    session: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason, "token": self.token, "session": self.session}

    @classmethod
    def from_dict(cls, data: Any) -> HeldMessage | None:
        if isinstance(data, str) and data:  # older versions kept the bare words
            return cls(data, "safety")
        if not isinstance(data, dict) or not data.get("text"):
            return None
        return cls(str(data["text"]), str(data.get("reason") or "safety"), str(data.get("token") or ""),
                   data.get("session") or None)


@dataclass(frozen=True)
class CheckIn:
    """The safety net's check-in ("Are you safe right now?") waiting for the person's reply.
    What the check found, never the words; `ended` says the answer before it finished the flow."""

    token: str
    category: str | None = None
    categories: tuple[str, ...] = ()
    ended: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"token": self.token, "category": self.category, "categories": list(self.categories),
                "ended": self.ended}

    @classmethod
    def from_dict(cls, data: Any) -> CheckIn | None:
        if not isinstance(data, dict) or not data.get("token"):
            return None
        return cls(str(data["token"]), data.get("category") or None, tuple(data.get("categories") or ()),
                   bool(data.get("ended")))


@dataclass(frozen=True)
class SafetyEvent:
    """The safety net showed help (`band` "signpost") or checked in ("check_in"): when, and the
    kind of worry. Never the words. Lets /help (and the profile) point to support later."""

    at: str  # UTC ISO-8601
    band: str
    category: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "band": self.band, "category": self.category}

    @classmethod
    def from_dict(cls, data: Any) -> SafetyEvent | None:
        if not isinstance(data, dict) or not data.get("at") or not data.get("band"):
            return None
        return cls(str(data["at"]), str(data["band"]), data.get("category") or None)


MAX_SAFETY_EVENTS = 20  # the most recent are enough to point to support


def new_token() -> str:
    """A short random tag tying a message's buttons to what they decide (a hold, a check-in)."""
    return secrets.token_hex(3)


@dataclass
class PersonState:
    """Whether they have seen the welcome, the conversation they are in, words held back for
    them to decide about, a check-in waiting for a reply, when the safety net stepped in, and
    practice mode."""

    welcomed: bool = False
    session: str | None = None
    held: HeldMessage | None = None
    check_in: CheckIn | None = None
    safety_events: tuple[SafetyEvent, ...] = ()
    practice: PracticeState | None = None

    def note_safety(self, event: SafetyEvent) -> None:
        self.safety_events = (*self.safety_events, event)[-MAX_SAFETY_EVENTS:]

    def to_dict(self) -> dict[str, Any]:
        return {"welcomed": self.welcomed, "session": self.session,
                "held": self.held.to_dict() if self.held else None,
                "check_in": self.check_in.to_dict() if self.check_in else None,
                "safety_events": [e.to_dict() for e in self.safety_events],
                "practice": self.practice.to_dict() if self.practice else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PersonState:
        practice = data.get("practice")
        events = (SafetyEvent.from_dict(e) for e in data.get("safety_events") or ())
        return cls(bool(data.get("welcomed")), data.get("session") or None,
                   HeldMessage.from_dict(data.get("held") or data.get("held_message")),
                   CheckIn.from_dict(data.get("check_in")), tuple(e for e in events if e is not None),
                   PracticeState.from_dict(practice) if isinstance(practice, dict) and practice.get("mode") else None)
