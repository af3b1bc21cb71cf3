"""The answers a profile is built from: one `ProfileAnswer` per stored answer, as it stands now.

The conversation layer converts stored answers to these; the profile package never reads the
database. `display` holds the person's own words (or the label they chose) exactly as shown.
Every answer is passed on, hidden and abandoned ones too: the document shows one per question
(the latest), the JSON export holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ProfileAnswer:
    key: str
    session_id: str
    flow_id: str
    flow_title: str
    audience: str  # "person" | "carer" | "practitioner"
    for_someone: bool  # carer wording: the answer is about the person cared for
    step_id: str
    question_id: str
    question_text: str  # as asked
    type: str  # one of bot.content.model.QUESTION_TYPES
    section: str | None  # one of bot.content.model.SECTIONS
    technique: str | None
    value: Any
    display: str
    answered_at: datetime  # tz-aware UTC
    item: str | None = None  # the repeat item label, e.g. a daily-life area
    followup: str | None = None  # "not_lower" | "one_up" | "next_step" | "since_last"
    followup_of: str | None = None  # step id of the scale this follows
    scale_min: int | None = None
    scale_max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    hidden: bool = False
    card: str | None = None  # the meeting card part the question is tagged for: "matters" | "hardest" | "questions"
    history: tuple[tuple[str, datetime], ...] = ()  # earlier versions (display, answered_at), oldest first
    item_id: str | None = None  # the repeat item's id, e.g. "washing" (a daily-life area)
    private: bool = False  # private preparation: "my notes", out of the shared PDF unless chosen
    abandoned: bool = False  # from a run the person started again (/restart): JSON export only
