"""The person's answers as their draft profile: which answers count, and the draft in each form.

An answer counts when it lies on the path the person actually took (answers left on an old
branch are kept but left out) and is not a skip. Hidden answers, and answers from a run the
person started again (/restart, "Start it again"), are passed on marked, so the document leaves
them out while the full export still holds them. Everything is built from one `PersonData`,
read once per message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.content.builtin import FOR_SOMEONE
from bot.content.model import AskNode, Content, Flow
from bot.conversation.chat import Attachment, Outgoing
from bot.conversation.person import PersonState, SafetyEvent
from bot.engine.state import FINISHED, SessionState
from bot.profile import (
    Profile,
    ProfileAnswer,
    build_profile,
    meeting_card,
    meeting_card_html,
    render_chart_png,
    render_chat_html,
    render_json,
    render_markdown,
    render_pdf,
    render_text,
)
from bot.store.storage import Storage, StoredAnswer

FILES = {"pdf": "what-matters-to-me.pdf", "md": "what-matters-to-me.md", "json": "all-my-data.json",
         "png": "where-i-am-now.png"}


@dataclass(frozen=True)
class PersonData:
    """Everything stored about a person: their sessions (rows and states), every answer, and
    what the coach remembers between messages (`person`: held-back words, safety events...)."""

    sessions: list[dict[str, Any]]
    states: dict[str, SessionState]
    answers: list[StoredAnswer]
    person: PersonState = field(default_factory=PersonState)

    @property
    def safety_events(self) -> tuple[SafetyEvent, ...]:
        """Each time the safety net showed help or checked in (when, band, category; never
        words), oldest first: a draft's footer can point to support when there are any."""
        return self.person.safety_events


def read_person(storage: Storage, person: str, state: PersonState | None = None) -> PersonData:
    """One person's data; `state` is their `PersonState` if the caller has it (else it is read)."""
    sessions = storage.sessions_with_states(person)
    return PersonData([row for row, _ in sessions], {row["id"]: state for row, state in sessions},
                      storage.answers(person), state if state is not None else PersonState.from_dict(
                          storage.settings(person)))


def answers_in_use(data: PersonData, session_id: str | None = None) -> list[StoredAnswer]:
    """The person's answers on the paths they took (hidden and skipped ones included)."""
    kept = []
    for stored in data.answers:
        if stored.node_id == FOR_SOMEONE or (session_id and stored.session_id != session_id):
            continue
        state = data.states.get(stored.session_id)
        if state is None or stored.node_id in state.on_path():
            kept.append(stored)
    return kept


def abandoned_sessions(data: PersonData) -> set[str]:
    """Runs the person left unfinished and then started again (the same flow, started later;
    sessions come oldest first)."""
    rows = data.sessions
    return {
        row["id"] for at, row in enumerate(rows)
        if row["status"] != FINISHED and any(later["flow_id"] == row["flow_id"] for later in rows[at + 1:])
    }


def profile_answers(data: PersonData, content: Content, session_id: str | None = None) -> list[ProfileAnswer]:
    """Stored answers as the profile wants them: with their flow, question, section and scale."""
    flows = {row["id"]: content.flows.get(row["flow_id"]) for row in data.sessions}
    abandoned = abandoned_sessions(data)
    result = []
    for stored in answers_in_use(data, session_id):
        flow = flows.get(stored.session_id)
        node = flow.nodes.get(stored.node_id) if flow else None
        if flow is None or not isinstance(node, AskNode) or stored.answer.skipped:
            continue
        result.append(_profile_answer(stored, flow, node, data.states.get(stored.session_id),
                                      stored.session_id in abandoned))
    return result


def person_profile(data: PersonData, content: Content, now: datetime, session_id: str | None = None) -> Profile:
    """The draft: one answer per question (the latest), with a pointer to help in the person's own
    views when the safety net has stepped in."""
    return build_profile(profile_answers(data, content, session_id), now=now, support=bool(data.safety_events))


def draft_messages(profile: Profile) -> list[Outgoing]:
    """The draft in chat: plain text for the terminal, HTML for Telegram (which the channel splits)."""
    return [Outgoing(text=render_text(profile), html=render_chat_html(profile))]


def card_messages(profile: Profile) -> list[Outgoing]:
    return [Outgoing(text=meeting_card(profile), html=meeting_card_html(profile))]


def chart(profile: Profile) -> Attachment | None:
    png = render_chart_png(profile)
    return Attachment(FILES["png"], png, "Where you are now, and one step up", image=True) if png else None


def draft_files(data: PersonData, content: Content, now: datetime, fmt: str) -> list[Attachment]:
    """The draft as a file: pdf (default), notes (the PDF with my notes in), md, png, or json
    (everything stored about the person). My notes are only in the PDF the person asks for them in."""
    profile = person_profile(data, content, now)
    if fmt == "json":
        return [Attachment(FILES["json"], render_json(profile, extra=all_data(data, profile)).encode(),
                           "All your data")]
    if profile.empty:
        return []
    if fmt == "md":
        return [Attachment(FILES["md"], render_markdown(profile).encode(), "Your draft as text")]
    if fmt == "png":
        found = chart(profile)
        return [found] if found else []
    if fmt == "notes":
        return [Attachment(FILES["pdf"], render_pdf(profile, notes=True), "Your draft, with your notes in")]
    return [Attachment(FILES["pdf"], render_pdf(profile), "Your draft, in your own words")]


def all_data(data: PersonData, profile: Profile) -> dict[str, Any]:
    """What the export holds besides the profile's own answers: the sessions, every other stored
    answer (skipped, on an earlier branch, a check of a reflection) with its history, and what
    is kept between messages (words held back for the person to decide about, when the safety
    net stepped in, practice mode)."""
    in_profile = {answer.key for answer in profile.answers}
    return {
        "kept_between_messages": data.person.to_dict(),
        "sessions": data.sessions,
        "other_answers": [
            {
                "id": a.id, "session_id": a.session_id, "step": a.node_id, "question_id": a.question_id,
                "asked": a.asked,
                "answer": a.answer.display, "value": a.answer.value, "skipped": a.answer.skipped,
                "hidden": a.hidden, "answered_at": a.answered_at.isoformat(),
                "history": [{"answer": old.display, "answered_at": when.isoformat()} for old, when in a.history],
            }
            for a in data.answers if str(a.id) not in in_profile
        ],
    }


def _profile_answer(
    stored: StoredAnswer, flow: Flow, node: AskNode, state: SessionState | None, abandoned: bool
) -> ProfileAnswer:
    question = node.question
    scale = question
    if node.followup is not None:
        of = flow.nodes.get(node.followup.of)
        scale = of.question if isinstance(of, AskNode) else question
    chosen = state.answers.get(FOR_SOMEONE) if state else None
    return ProfileAnswer(
        key=str(stored.id),
        session_id=stored.session_id,
        flow_id=flow.id,
        flow_title=flow.title,
        audience=flow.audience,
        for_someone=bool(chosen and chosen.value == "someone"),
        step_id=stored.node_id,
        question_id=question.id,
        question_text=stored.asked,
        type=question.type,
        section=question.section,
        technique=question.technique,
        card=question.card,
        value=stored.answer.value,
        display=stored.answer.display,
        answered_at=stored.answered_at,
        item=node.item.text if node.item else None,
        item_id=node.item.id if node.item else None,
        private=question.private or scale.private,  # a scale's follow-ups are as private as the scale
        abandoned=abandoned,
        followup=node.followup.kind if node.followup else None,
        followup_of=node.followup.of if node.followup else None,
        scale_min=scale.min if scale.type == "scale" else None,
        scale_max=scale.max if scale.type == "scale" else None,
        min_label=scale.min_label if scale.type == "scale" else None,
        max_label=scale.max_label if scale.type == "scale" else None,
        hidden=stored.hidden,
        history=tuple((old.display, when) for old, when in stored.history),
    )
