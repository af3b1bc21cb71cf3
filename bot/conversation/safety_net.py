"""The safety net's glue: every typed message is checked first, in any state, before anything else.

A risky message gets calm signposting at once. It is held back, not saved as an answer, unless
the person chooses to use it; then they can pause or carry on. Flow content cannot turn this
off, and nothing here logs what the person wrote.
"""

from __future__ import annotations

import logging

import bot.conversation.buttons as buttons
import bot.conversation.flows as flows
from bot import engine
from bot.conversation.chat import Button
from bot.conversation.context import Context
from bot.safety import check_safety, safety_message

log = logging.getLogger(__name__)


def intercept(ctx: Context) -> bool:
    """Signpost and return True if the message shows a risk; otherwise False and carry on."""
    incoming = ctx.incoming
    if incoming.kind not in ("text", "edit") or not incoming.text.strip():
        return False
    check = check_safety(incoming.text)
    if not check.risk:
        return False
    log.warning("safety signposting shown (category %s)", check.category)
    rows: list[tuple[Button, ...]] = [(Button("Pause for now", buttons.safety("pause")),
                                       Button("Carry on", buttons.safety("go")))]
    if ctx.current is not None and ctx.current.asking and incoming.kind == "text":
        rows.append((Button("Save what I wrote as my answer", buttons.safety("keep")),))
        ctx.state.held_message = incoming.text
    ctx.say(safety_message(check, ctx.resources), *rows)
    if incoming.key:
        ctx.mark_handled()
    return True


def tap(ctx: Context, parts: tuple[str, ...]) -> None:
    """The buttons under a safety message: pause, carry on, or keep the words as the answer."""
    if not parts:
        flows.old_button(ctx)
        return
    held, ctx.state.held_message = ctx.state.held_message, None
    if parts[0] == "pause":
        flows.step(ctx, engine.command("pause"), handled=False)
    elif parts[0] == "keep" and held:
        flows.step(ctx, engine.text(held), handled=False)
    else:
        ctx.say("Thank you. We'll carry on when you're ready. You can type /help at any time.")
        flows.repeat_question(ctx)
