"""One message's world, loaded once and saved once: who sent it, what the coach knows of them
(`PersonState`), the conversation they are in (`Current`) and what to say back.

Handlers change the context; `flush` writes every change in one transaction. A read of what
this message has already changed (answers, sessions) writes those changes first, so it sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.content.model import Content, Flow
from bot.conversation.chat import Button, Incoming, Response
from bot.conversation.drafts import PersonData, read_person
from bot.conversation.person import PersonState
from bot.engine.state import FINISHED, SessionState, Turn
from bot.safety import Resources
from bot.store.reminders import Reminders
from bot.store.storage import Changes, Storage, StoredAnswer, new_session_id


@dataclass(frozen=True)
class Current:
    """The conversation the person is in: its session id, flow and state."""

    id: str
    flow: Flow
    state: SessionState
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.state.status == FINISHED

    @property
    def asking(self) -> bool:
        """A question is waiting for an answer."""
        return not self.finished and bool(self.state.node)


@dataclass(frozen=True)
class Setup:
    """What every message shares: the content, where to get help, how long answers are kept."""

    content: Content
    resources: Resources
    retention_days: int


class Context:
    """See the module docstring. Built by `Context.open`."""

    def __init__(self, storage: Storage, setup: Setup, person: str, incoming: Incoming, now: datetime,
                 state: PersonState, response: Response) -> None:
        self.person, self.incoming, self.now, self.response = person, incoming, now, response
        self.content, self.resources, self.retention_days = setup.content, setup.resources, setup.retention_days
        self.state = state
        self.current: Current | None = None
        self.repeated = False  # this very message was handled before (delivered again after a crash)
        self._storage = storage
        self._changes = Changes()
        self._saved = state.to_dict()

    @classmethod
    def open(cls, storage: Storage, setup: Setup, person: str, incoming: Incoming, now: datetime,
             response: Response) -> Context:
        """The context for a message: two reads. `repeated` if this delivery was handled already."""
        found = storage.person(person, incoming.key)
        context = cls(storage, setup, person, incoming, now, PersonState.from_dict(found.settings), response)
        context.repeated = found.seen
        if context.state.session:
            context.current = context._load(context.state.session)
        return context

    def say(self, text: str, *rows: Sequence[Button]) -> None:
        self.response.say(text, *(tuple(row) for row in rows))

    # ----- the conversations -----

    def start(self, flow: Flow, turn: Turn) -> None:
        """A new conversation becomes the current one."""
        session_id = new_session_id()
        self.current = Current(session_id, flow, turn.state, self.now)
        self.state.session = session_id
        self._changes.sessions[session_id] = (turn.state, True)
        self._changes.records += [(session_id, record) for record in turn.records]

    def record(self, turn: Turn, *, handled: bool) -> None:
        """The current conversation's new state and answers; `handled` marks this message done."""
        assert self.current is not None
        self.current = replace(self.current, state=turn.state, updated_at=self.now)
        self._put(self.current.id, turn.state)
        self._changes.records += [(self.current.id, record) for record in turn.records]
        if handled:
            self.mark_handled()

    def session(self, session_id: str) -> Current | None:
        """One of the person's conversations (None if gone, or its flow is no longer there)."""
        if self.current is not None and self.current.id == session_id:
            return self.current
        return self._load(session_id)

    def session_state(self, session_id: str) -> SessionState | None:
        """A conversation's state, even if its flow is no longer there."""
        if self.current is not None and self.current.id == session_id:
            return self.current.state
        self._settle()
        found = self._storage.stored_session(session_id)
        return found.state if found else None

    def switch(self, current: Current) -> None:
        self.current = current
        self.state.session = current.id

    def update_session(self, session_id: str, state: SessionState) -> None:
        """A new state for any of the person's conversations (no answers recorded)."""
        if self.current is not None and self.current.id == session_id:
            self.current = replace(self.current, state=state, updated_at=self.now)
        self._put(session_id, state)

    def mark_handled(self) -> None:
        """Remember this message, so a repeated delivery of it is not handled twice."""
        self._changes.key = self.incoming.key

    # ----- answers -----

    def answers(self) -> list[StoredAnswer]:
        self._settle()
        return self._storage.answers(self.person)

    def person_data(self) -> PersonData:
        """Everything the drafts are built from, read once."""
        self._settle()
        return read_person(self._storage, self.person, self.state)

    def reminders(self) -> Reminders:
        """The person's reminders (bot.store.reminders), kept at once on the coach's connection."""
        return Reminders(self._storage)

    def hide(self, answer_id: int, hidden: bool) -> None:
        self._changes.hidden[answer_id] = hidden

    def delete_answer(self, answer_id: int) -> None:
        self._changes.deleted.append(answer_id)

    def erase(self) -> bool:
        """Erase everything about the person, at once and for good; True once the words are gone
        from the files too (else the next start finishes it)."""
        self._changes = Changes(erase=True)
        wiped = self.flush()
        self.state, self.current = PersonState(), None
        self._saved = self.state.to_dict()
        return wiped

    # ----- saving -----

    def flush(self) -> bool:
        """Write what changed, in one transaction (nothing if nothing changed). A session changed
        elsewhere since it was read is refused (StaleState), never overwritten. For an erase:
        whether the words are gone from the files."""
        if self.state.to_dict() != self._saved and not self._changes.erase:
            self._changes.settings = self.state.to_dict()
        changes, self._changes = self._changes, Changes()
        saved = self._storage.save(self.person, changes, self.now)
        if changes.settings is not None:
            self._saved = changes.settings
        return saved.wiped

    def _put(self, session_id: str, state: SessionState) -> None:
        new = self._changes.sessions.get(session_id, (state, False))[1]
        self._changes.sessions[session_id] = (state, new)

    def _settle(self) -> None:
        """Write what this message changed in sessions and answers, so a read of them sees it."""
        changes = self._changes
        if changes.sessions or changes.records or changes.hidden or changes.deleted:
            self.flush()

    def _load(self, session_id: str) -> Current | None:
        self._settle()
        found = self._storage.stored_session(session_id)
        flow = self.content.flows.get(found.flow_id) if found else None
        if found is None or flow is None:
            return None
        return Current(found.id, flow, found.state, found.updated_at)
