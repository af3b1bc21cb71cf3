"""The one code path both channels share: what the person sent -> context -> handler -> saved -> replies.

`Coach.handle` slows a flood, clips an over-long message, opens the message's `Context`
(two reads), lets the safety net look first, routes through the tables below, and saves
everything the message changed in one transaction before the replies go back to the channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import bot.conversation.buttons as buttons
import bot.conversation.commands as commands
import bot.conversation.flows as flows
import bot.conversation.menus as menus
import bot.conversation.practice_mode as practice_mode
import bot.conversation.review as review
import bot.conversation.safety_net as safety_net
import bot.conversation.wording as wording
from bot.content.model import Content
from bot.conversation.chat import Incoming, Outgoing, Response
from bot.conversation.context import Context, Setup
from bot.conversation.flood import MAX_MESSAGE_CHARS, FloodGate, clip
from bot.errors import StorageError
from bot.safety import Resources, load_resources
from bot.store.storage import Storage, now_utc

log = logging.getLogger(__name__)

TAPS: dict[str, Callable[[Context, tuple[str, ...]], None]] = {
    buttons.ANSWER: flows.answer_tap,
    buttons.FLOW: menus.flow_tap,
    buttons.MENU: menus.menu_tap,
    buttons.ERASE: menus.erase_tap,
    buttons.REVIEW: review.tap,
    buttons.SAFETY: safety_net.tap,
    buttons.PRACTICE: practice_mode.tap,
}


def _tap(ctx: Context) -> None:
    tap = buttons.decode(ctx.incoming.data)
    if ctx.state.practice is not None and tap.kind != buttons.PRACTICE:
        practice_mode.leave(ctx)
    handler = TAPS.get(tap.kind)
    if handler is None:
        flows.old_button(ctx)
    else:
        handler(ctx, tap.parts)


def _text(ctx: Context) -> None:
    if ctx.current is None or ctx.current.finished:
        menus.not_in_a_conversation(ctx)
    else:
        flows.typed(ctx)


def _other(ctx: Context) -> None:
    ctx.say(wording.NOT_TEXT)
    flows.repeat_question(ctx)


KINDS: dict[str, Callable[[Context], None]] = {
    "command": commands.run,
    "tap": _tap,
    "text": _text,
    "edit": flows.edited,
    "other": _other,
}


def route(ctx: Context) -> None:
    """The safety net first, then practice mode while it is open, then by what arrived."""
    if safety_net.intercept(ctx):
        return
    if ctx.state.practice is not None and ctx.incoming.kind not in ("command", "tap"):
        practice_mode.typed(ctx)
        return
    KINDS.get(ctx.incoming.kind, _text)(ctx)


class Coach:
    """Holds what every message shares; `handle` is the whole conversation."""

    def __init__(self, content: Content, storage: Storage, *, clock: Callable[[], datetime] = now_utc,
                 retention_days: int = 180, resources: Resources | None = None) -> None:
        self.content, self.storage, self.clock = content, storage, clock
        self.retention_days = retention_days
        self.setup = Setup(content, resources or load_resources(), retention_days)
        self.commands = commands.menu_commands()
        self.flood: FloodGate | None = None  # the Telegram channel turns flood control on
        self._slowed: set[str] = set()

    def handle(self, person: str, incoming: Incoming) -> Response:
        response = Response()
        if self.flood is not None and not self.flood.allow(person, self.clock().timestamp()):
            response.ack = "Slow down a little"
            if person not in self._slowed:  # say it once per burst, not to every message
                self._slowed.add(person)
                response.say(wording.SLOW_DOWN)
            return response
        self._slowed.discard(person)
        if incoming.kind in ("text", "edit"):
            text, cut = clip(incoming.text)
            if cut:
                response.say(wording.TOO_LONG.format(limit=f"{MAX_MESSAGE_CHARS:,}"))
                incoming = Incoming(incoming.kind, text=text, key=incoming.key, ref=incoming.ref)
        try:
            ctx = Context.open(self.storage, self.setup, person, incoming, self.clock(), response)
            if ctx is None:
                log.info("skipped a repeated delivery")
                response.ack = "Already saved"
                return response
            route(ctx)
            ctx.flush()
        except StorageError:
            log.exception("storage failed")
            return Response([Outgoing(text=wording.SAVE_FAILED)], ack="Not saved, please try again")
        return response
