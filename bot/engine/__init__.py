"""The pure flow engine: (flow, state, what the person did) -> (new state, what to say, answers to store).

    state      SessionState, Answer, Prompt, Reply, Record, Turn, Event: plain data that round-trips JSON
    walk       where the person is: the values conditions and text see, what comes next, progress
    step       what the person did: answers, taps, back, skip, change
    interpret  what a message means as an answer to one question (with parsing and dates)
    prompts    the prompt for the current question

No I/O, no clock (`today` is passed in), no telegram, no sqlite. The functions below are all a
caller needs; answers go out as `Record`s for the caller to store durably before replying.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.content.model import AskNode, Flow
from bot.engine.interpret import interpret
from bot.engine.state import ACTIVE, PAUSED, Event, SessionState, Turn, is_reflection
from bot.engine.step import Step

__all__ = ["Event", "adopt", "ask_again", "begin", "command", "edit", "handle", "is_reflection", "pick", "revise",
           "text", "words_of"]


def text(said: str) -> Event:
    return Event("text", text=said)


def pick(node_id: str, value: str) -> Event:
    return Event("pick", node_id=node_id, value=value)


def command(name: str) -> Event:
    return Event("command", value=name)


def edit(node_id: str) -> Event:
    return Event("edit", node_id=node_id)


def begin(flow: Flow, *, earlier: dict[str, Any] | None = None) -> Turn:
    """Start a flow: its intro, then the first question."""
    state = SessionState(flow.id, flow.content_hash, None, earlier=dict(earlier or {}))
    run = Step(flow, state, date.min)
    if flow.intro is not None:
        run.say(flow.intro.render(run.text_values(None)))
    run.walk(flow.start)
    return run.turn()


def handle(flow: Flow, state: SessionState, event: Event, *, today: date) -> Turn:
    """Apply one event; never raises for anything a person can send."""
    run = Step(flow, state.copy(), today)
    run.apply(event)
    return run.turn()


def ask_again(flow: Flow, state: SessionState) -> Turn:
    """The current question again (after a pause, a restart of the bot, or coming back)."""
    run = Step(flow, state.copy(), date.min)
    if run.state.status == PAUSED:
        run.state.status = ACTIVE
    run.ask_current()
    return run.turn()


def adopt(flow: Flow, state: SessionState) -> tuple[SessionState, str | None]:
    """Carry an unfinished session over to a changed flow file; say so if its step is gone."""
    if state.flow_hash == flow.content_hash:
        return state, None
    state = state.copy()
    state.flow_hash = flow.content_hash
    state.path = [n for n in state.path if n in flow.nodes]
    if state.node is None or state.node in flow.nodes:
        return state, None
    state.phase, state.picked, state.attempts = "", [], 0
    run = Step(flow, state, date.min)
    run.walk(flow.start)
    note = (
        "This conversation has been updated since you were last here. "
        "I have kept your answers and moved you to the next question."
    )
    return run.state, note


def words_of(flow: Flow, state: SessionState, node_id: str) -> str:
    """The words a question was asked in, as the person saw them."""
    node = flow.nodes.get(node_id)
    return Step(flow, state.copy(), date.min).node_words(node) if node is not None else ""


def revise(flow: Flow, state: SessionState, node_id: str, said: str, *, today: date) -> Turn | None:
    """Take an edited message as the new answer to the latest question, when that is safe.

    Only the most recent answer can be revised this way, and only if the new answer keeps
    the conversation on the same path; otherwise None (the person can use /back or /review).
    """
    node = flow.nodes.get(node_id)
    if not state.path or state.path[-1] != node_id or not isinstance(node, AskNode):
        return None
    if node.question.type in ("list", "multi") or node.followup is not None:
        return None
    run = Step(flow, state.copy(), today)
    outcome = interpret(node.question, said, today=today)
    if outcome.answer is None:
        return None
    before = run.next_of(node)
    run.state.answers[node_id] = outcome.answer
    if run.next_of(node) != before:
        return None
    run.store(outcome.answer, node_id)
    run.say(f"I've updated your answer to: {outcome.answer.display}")
    return run.turn()
