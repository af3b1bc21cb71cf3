"""A conversation in progress: begin, answer, go back, resume, come back later, and the end.

Every engine step's new state and answers are recorded in the context (saved durably before
anything is sent); the replies become messages, a question with its buttons.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import bot.conversation.buttons as buttons
import bot.conversation.reminders as reminders
import bot.conversation.wording as wording
from bot import engine
from bot.content.builtin import SUMMARY_WHICH
from bot.content.model import Flow, SummaryNode
from bot.conversation.chat import Button
from bot.conversation.context import Context
from bot.conversation.drafts import card_messages, draft_messages, person_profile
from bot.conversation.keyboards import question_message
from bot.conversation.person import HeldMessage, new_token
from bot.conversation.practice_mode import flow_note
from bot.engine.state import FINISHED, Turn

COME_BACK_AFTER = timedelta(hours=6)
PRACTICE_REHEARSAL = "practice_rehearsal"
# the button that opened a way to put an answer right, shown under the question it answered
FIX_LABELS = {"reflect_fix": "Not quite", "other_text": "Something else", "summary_fix": "Change something"}
ECHO_WINDOW = timedelta(seconds=15)  # a typed copy of the answer just tapped, this soon after, is a repeat
ECHO = ("You tapped “{answer}” for the last question a moment ago, so I haven't used it for this one. "
        "If it is your answer here too, just send it again.")


def begin(ctx: Context, flow: Flow) -> None:
    left = ctx.current
    turn = engine.begin(flow, earlier=earlier_scores(ctx, flow))
    ctx.start(flow, turn)
    emit(ctx, turn, was_finished=False)
    reminders.left_part_way(ctx, left)


def earlier_scores(ctx: Context, flow: Flow) -> dict[str, Any]:
    """The last score given to each of this flow's scale questions in earlier sessions."""
    wanted = {n.question.id for n in flow.asks() if n.question.type == "scale"}
    latest: dict[str, Any] = {}
    for stored in ctx.answers():
        if stored.question_id in wanted and not stored.answer.skipped:
            latest[stored.question_id] = stored.answer.value
    return latest


def resume(ctx: Context) -> None:
    current = ctx.current
    if current is None or current.finished:
        ctx.say(wording.NOTHING_TO_RESUME)
        return
    state, note = engine.adopt(current.flow, current.state)
    if note:
        ctx.say(note)
    turn = engine.ask_again(current.flow, state)
    ctx.record(turn, handled=False)
    emit(ctx, turn, was_finished=False)


def repeat_question(ctx: Context) -> None:
    current = ctx.current
    if current is not None and current.asking:
        emit(ctx, engine.ask_again(current.flow, current.state), was_finished=False)


def typed(ctx: Context) -> None:
    """Words typed in a conversation: an answer, unless they come back after a long break."""
    assert ctx.current is not None
    if ctx.now - ctx.current.updated_at > COME_BACK_AFTER:
        welcome_back(ctx)
        return
    echoed = _echo_of_tap(ctx)
    if echoed:
        ctx.say(ECHO.format(answer=echoed))
        ctx.record(Turn(ctx.current.state, ()), handled=True)
        repeat_question(ctx)
        return
    step(ctx, engine.text(ctx.incoming.text), handled=True, ref=ctx.incoming.ref)


def _echo_of_tap(ctx: Context) -> str | None:
    """The answer just tapped, if these typed words repeat it moments later (people often tap and
    type the same thing; it must not become the answer to the next question). Said once: the
    same words sent again are taken as this question's answer."""
    current = ctx.current
    assert current is not None
    state = current.state
    if not state.path or state.last_ref is not None or ctx.now - current.updated_at > ECHO_WINDOW:
        return None
    last = state.answers.get(state.path[-1])
    typed = ctx.incoming.text.strip().casefold()
    if last is None or last.skipped or typed not in (last.display.strip().casefold(), str(last.value).casefold()):
        return None
    state.last_ref = "echo"  # told once; the next copy is an answer
    return last.display


def welcome_back(ctx: Context) -> None:
    """Back after hours or days: say where they were. Their message is not assumed an answer:
    if it would be one, it is held until their next message, which decides (safety_net)."""
    current = ctx.current
    assert current is not None
    words = wording.WELCOME_BACK.format(title=current.flow.title)
    rows: list[tuple[Button, ...]] = []
    if is_answer(ctx, ctx.incoming.text):
        token = new_token()
        ctx.state.held = HeldMessage(ctx.incoming.text, "welcome_back", token, current.id)
        words += " " + wording.NOT_SAVED_YET
        rows.append((Button("Use what I just wrote as my answer", buttons.safety("keep", token)),))
    rows.append((Button("Start it again", buttons.start_again(current.flow.id, current.id)),
                 Button("Choose something else", buttons.menu())))
    ctx.say(words + " " + wording.WHERE_YOU_WERE, *rows)
    ctx.record(Turn(current.state, ()), handled=True)
    repeat_question(ctx)


def is_answer(ctx: Context, text: str) -> bool:
    """Whether these words would be saved as an answer to the question being asked (a dry run:
    nothing changes). Chit-chat, or words that don't fit a choice or a number, would not."""
    current = ctx.current
    if current is None or not current.asking or not text.strip():
        return False
    state, _ = engine.adopt(current.flow, current.state)
    return bool(engine.handle(current.flow, state, engine.text(text), today=ctx.now.date()).records)


def edited(ctx: Context) -> None:
    """An edited message: update the latest answer if it came from that message."""
    current, incoming = ctx.current, ctx.incoming
    if current is not None and incoming.ref and current.state.last_ref == incoming.ref and current.state.path:
        turn = engine.revise(current.flow, current.state, current.state.path[-1], incoming.text,
                             today=ctx.now.date())
        if turn is not None:
            ctx.record(turn, handled=True)
            emit(ctx, turn, was_finished=True)
            return
    ctx.say(wording.EDIT_LEFT_ALONE)


def step(ctx: Context, event: engine.Event, *, handled: bool, ref: str | None = None, quiet: bool = False) -> None:
    """Apply what the person did to the conversation they are in. `quiet` saves it without
    saying what comes next (the safety net's check-in asks first; `repeat_question` follows)."""
    current = ctx.current
    if current is None:
        ctx.say(wording.NOTHING_TO_RESUME)
        return
    state, note = engine.adopt(current.flow, current.state)
    if note:
        ctx.say(note)
    turn = engine.handle(current.flow, state, event, today=ctx.now.date())
    if turn.records:
        turn.state.last_ref = ref if event.kind == "text" else None  # None: the latest answer was tapped
    ctx.record(turn, handled=handled)
    if current.flow.id == PRACTICE_REHEARSAL and event.kind == "text":
        for record in turn.records:  # practice mode's rehearsal flow: a note on what the practitioner wrote
            if note := flow_note(record.question_id, record.answer.text):
                ctx.say(f"Note on what you wrote: {note}")
    if turn.records:
        last = turn.records[-1]
        ctx.response.ack = "Saved"
        ctx.response.edit = f"{last.asked}\n\n✓ {last.answer.display}"
    elif event.kind == "pick" and turn.state.phase in FIX_LABELS and state.node:
        chosen = FIX_LABELS[turn.state.phase]
        ctx.response.edit = f"{engine.words_of(current.flow, state, state.node)}\n\n✓ {chosen}"
    elif event.kind == "pick" and state.phase == "summary_fix" and state.node:
        summary = current.flow.nodes.get(state.node)
        part = dict(summary.items).get(event.value or "") if isinstance(summary, SummaryNode) else None
        if part:  # the part of a summary picked to change: the list of parts shows which
            ctx.response.edit = f"{SUMMARY_WHICH}\n\n✓ {part[:1].upper()}{part[1:]}"
    if not quiet:
        emit(ctx, turn, was_finished=state.status == FINISHED)
        reminders.after_step(ctx, event, turn)


def emit(ctx: Context, turn: Turn, *, was_finished: bool) -> None:
    assert ctx.current is not None
    for reply in turn.replies:
        if reply.prompt is not None:
            ctx.response.messages.append(question_message(reply.prompt, ctx.current.id))
        elif reply.text.strip():
            ctx.say(reply.text)
    if turn.state.status == FINISHED and not was_finished:
        end_of_flow(ctx)


def end_of_flow(ctx: Context) -> None:
    """'Here is what I've written — is it right?' with ways to change it."""
    assert ctx.current is not None
    data = ctx.person_data()
    ctx.say("Here is what I've written, in your words. Is it right?")
    ctx.response.messages += draft_messages(person_profile(data, ctx.content, ctx.now, session_id=ctx.current.id))
    if ctx.current.flow.end_with_card:
        ctx.response.messages += card_messages(person_profile(data, ctx.content, ctx.now))
    ctx.say("You can change anything.",
            (Button("Yes, that's right", buttons.review("ok")), Button("Change something", buttons.review("p", 0))))


# ----- taps on a question's buttons -----


def answer_tap(ctx: Context, parts: tuple[str, ...]) -> None:
    session_id, tag, value = parts
    current = ctx.current
    if current is not None and current.id == session_id and current.state.node \
            and buttons.node_tag(current.state.node) == tag:
        if value.startswith("~"):
            step(ctx, engine.command(value[1:]), handled=True)
        else:
            step(ctx, engine.pick(current.state.node, value), handled=True)
        return
    stale_tap(ctx, session_id, tag, value)


def stale_tap(ctx: Context, session_id: str, tag: str, value: str) -> None:
    """A button from an earlier question: never record it; offer to change that answer."""
    for stored in ctx.answers():
        if stored.session_id == session_id and buttons.node_tag(stored.node_id) == tag:
            if str(stored.answer.value) == value or value.startswith("~"):
                ctx.response.ack = "Already saved"
                return
            ctx.response.ack = "That was an earlier question"
            ctx.say(wording.STALE_TAP.format(question=_short(stored.asked)),
                    (Button("Change that answer", buttons.review("c", stored.id)),
                     Button("Carry on", buttons.carry_on())))
            return
    ctx.response.ack = "That button is from an earlier conversation"
    ctx.say(wording.OLD_BUTTON)


def old_button(ctx: Context) -> None:
    ctx.response.ack = "That button no longer works"
    ctx.say(wording.OLD_BUTTON)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
