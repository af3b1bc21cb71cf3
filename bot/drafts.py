"""The person's answers as their draft: which answers count, and the draft in chat and as files.

An answer counts when it lies on the path the person actually took (answers left behind on an
old branch are kept but left out), is not hidden, and is not a skip.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.chat import Attachment
from bot.flow_compiler import FOR_SOMEONE
from bot.storage import StoredAnswer

if TYPE_CHECKING:
    from bot.conversation import Coach

FOOTER = "This is a draft in your own words, not an assessment. You decide who sees it."
EMPTY = "There's nothing in your draft yet. Answer a few questions first: type /menu to start."


def answers_in_use(coach: Coach, person: str, session_id: str | None = None) -> list[StoredAnswer]:
    """The person's answers on the paths they took (hidden and skipped ones included)."""
    paths: dict[str, set[str] | None] = {}
    kept = []
    for stored in coach.storage.answers(person):
        if stored.node_id == FOR_SOMEONE or (session_id and stored.session_id != session_id):
            continue
        if stored.session_id not in paths:
            found = coach.storage.session(stored.session_id)
            paths[stored.session_id] = found[1].on_path() if found else None
        on_path = paths[stored.session_id]
        if on_path is None or stored.node_id in on_path:
            kept.append(stored)
    return kept


def draft_messages(coach: Coach, person: str, session_id: str | None = None) -> list[str]:
    """The draft as plain-text chat messages, one per conversation."""
    groups = _grouped(coach, person, session_id)
    if not groups:
        return [EMPTY]
    texts = []
    for title, answers in groups:
        lines = [title]
        for stored in answers:
            lines.append(f"\n• {stored.asked}\n  {stored.answer.display}")
        texts.append("\n".join(lines))
    texts.append(FOOTER)
    return texts


def draft_files(coach: Coach, person: str, fmt: str) -> list[Attachment]:
    if fmt == "json":
        data = json.dumps(all_data(coach, person), ensure_ascii=False, indent=2)
        return [Attachment("my-answers.json", data.encode(), "All your data")]
    groups = _grouped(coach, person, None)
    if not groups:
        return []
    lines = ["# What matters to me", ""]
    for title, answers in groups:
        lines += [f"## {title}", ""]
        for stored in answers:
            lines += [f"**{stored.asked}**", "", stored.answer.display, ""]
    lines += ["---", "", FOOTER, ""]
    return [Attachment("what-matters-to-me.md", "\n".join(lines).encode(), "Your draft")]


def all_data(coach: Coach, person: str) -> dict[str, Any]:
    """Everything stored about the person: sessions, and answers with their history."""
    return {
        "sessions": coach.storage.sessions(person),
        "answers": [
            {
                "session_id": a.session_id, "step": a.node_id, "question_id": a.question_id, "asked": a.asked,
                "answer": a.answer.display, "value": a.answer.value, "skipped": a.answer.skipped,
                "hidden": a.hidden, "answered_at": a.answered_at.isoformat(),
                "history": [{"answer": old.display, "answered_at": when.isoformat()} for old, when in a.history],
            }
            for a in coach.storage.answers(person)
        ],
    }


def _grouped(coach: Coach, person: str, session_id: str | None) -> list[tuple[str, list[StoredAnswer]]]:
    titles = {row["id"]: row["flow_id"] for row in coach.storage.sessions(person)}
    groups: dict[str, list[StoredAnswer]] = {}
    for stored in answers_in_use(coach, person, session_id):
        if stored.hidden or stored.answer.skipped or stored.question_id.startswith("reflect."):
            continue
        groups.setdefault(stored.session_id, []).append(stored)
    result = []
    for sid, answers in groups.items():
        flow = coach.content.flows.get(titles.get(sid, ""))
        result.append((flow.title if flow else "Earlier answers", answers))
    return result
