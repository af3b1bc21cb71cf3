"""The profile and all the answers behind it (hidden, private and abandoned ones too, marked) as JSON.

JSON is built with `json.dumps` rather than a template: a template would have to re-implement
JSON string escaping, which `json` already does correctly.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.profile.answers import ProfileAnswer
from bot.profile.structure import Area, Entry, Line, Profile, Scale, Section

FORMAT = "what-matters-profile"
VERSION = 2  # 2: front page, areas, scale kinds, my notes, the hard-to-say part of the card


def render_json(profile: Profile, extra: dict[str, Any] | None = None) -> str:
    """The profile as shown, every answer with its history, and any `extra` top-level keys (e.g. sessions)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "title": profile.title,
        "name": profile.name,
        "carer_version": profile.carer,
        "generated_at": _iso(profile.generated_at),
        "front_page": [
            {"title": part.title, "lines": [_line(line) for line in part.lines]} for part in profile.front
        ],
        "sections": [_section(s) for s in profile.sections],
        "my_notes": _section(profile.notes) if profile.notes else None,
        "meeting_card": {
            "matters_most": list(profile.card.matters),
            "hardest": list(profile.card.hardest),
            "questions": list(profile.card.questions),
            "hard_to_say": list(profile.card.hard_to_say),
            "meeting_date": profile.card.meeting_date,
        },
        "footer": list(profile.footer),
        "answers": [_answer(a) for a in profile.answers],
    }
    for key, value in (extra or {}).items():
        if key in data:
            raise ValueError(f"extra key {key!r} would replace the profile's own")
        data[key] = value
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def _iso(when: datetime) -> str:
    return when.isoformat()


def _history(history: tuple[tuple[str, datetime], ...]) -> list[dict[str, str]]:
    return [{"answer": words, "answered_at": _iso(at)} for words, at in history]


def _entry(entry: Entry) -> dict[str, Any]:
    found: dict[str, Any] = {"question": entry.question, "answer": entry.answer}
    if entry.items:
        found["items"] = list(entry.items)
    found["answered_at"] = _iso(entry.answered_at)
    if entry.history:
        found["earlier_versions"] = _history(entry.history)
    return found


def _line(line: Line) -> dict[str, Any]:
    found: dict[str, Any] = {"label": line.label, "words": line.words}
    if line.items:
        found["items"] = list(line.items)
    return found


def _area(area: Area) -> dict[str, Any]:
    return {
        "id": area.id,
        "title": area.title,
        "talked_about": area.talked_about,
        "tests": list(area.tests),
        "how_often": area.how_often,
        "entries": [_entry(e) for e in area.entries],
    }


def _scale(scale: Scale) -> dict[str, Any]:
    return {
        "kind": scale.kind,
        "area": scale.label,
        "question": scale.question,
        "score": scale.score,
        "min": scale.minimum,
        "max": scale.maximum,
        "min_label": scale.min_label,
        "max_label": scale.max_label,
        "one_step_up": scale.one_up,
        "answered_at": _iso(scale.answered_at),
        "earlier_scores": [{"score": s.score, "answered_at": _iso(s.answered_at)} for s in scale.earlier],
        "change": scale.change,
        "followups": [_entry(e) for e in scale.followups],
    }


def _section(section: Section) -> dict[str, Any]:
    found: dict[str, Any] = {"id": section.id, "title": section.title, "about_them": section.about_them}
    if section.groups:
        found["groups"] = [
            {"item": group.item, "entries": [_entry(e) for e in group.entries]} for group in section.groups
        ]
    if section.scales:
        found["scales"] = [_scale(s) for s in section.scales]
    if section.areas:
        found["areas"] = [_area(a) for a in section.areas]
    return found


def _answer(answer: ProfileAnswer) -> dict[str, Any]:
    return {
        "key": answer.key,
        "session_id": answer.session_id,
        "flow_id": answer.flow_id,
        "flow_title": answer.flow_title,
        "audience": answer.audience,
        "for_someone": answer.for_someone,
        "step_id": answer.step_id,
        "question_id": answer.question_id,
        "question": answer.question_text,
        "type": answer.type,
        "section": answer.section,
        "technique": answer.technique,
        "item": answer.item,
        "item_id": answer.item_id,
        "followup": answer.followup,
        "followup_of": answer.followup_of,
        "value": list(answer.value) if isinstance(answer.value, tuple) else answer.value,
        "answer": answer.display,
        "answered_at": _iso(answer.answered_at),
        "hidden": answer.hidden,
        "private": answer.private,
        "abandoned": answer.abandoned,
        "earlier_versions": _history(answer.history),
    }
