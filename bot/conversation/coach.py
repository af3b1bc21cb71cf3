"""The one code path both channels share: what the person sent -> context -> handler -> saved -> replies.

`Coach.handle` opens the message's `Context` (two reads), lets the safety net read the whole
message first, clips an over-long one, routes through the tables below, and saves everything the
message changed in one transaction before the replies go back to the channel. If anything fails
(a locked or read-only database, a wrong key, a bug), a risky message still gets the help.
Pacing a flood is the channel's job (`bot.conversation.flood`): the coach never drops a message.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from functools import partial

import bot.conversation.buttons as buttons
import bot.conversation.commands as commands
import bot.conversation.flows as flows
import bot.conversation.menus as menus
import bot.conversation.practice_mode as practice_mode
import bot.conversation.reminders as reminders
import bot.conversation.review as review
import bot.conversation.safety_net as safety_net
import bot.conversation.wording as wording
from bot.content.model import Content
from bot.conversation.chat import Incoming, Response
from bot.conversation.context import Context, Setup
from bot.conversation.flood import MAX_MESSAGE_CHARS, clip
from bot.conversation.person import PersonState
from bot.errors import StorageError
from bot.safety import Resources, check_safety, help_text, load_resources, safety_message
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
    buttons.REMIND: partial(reminders.tap, resume=flows.resume, repeat_question=flows.repeat_question),
}


def _tap(ctx: Context) -> None:
    tap = buttons.decode(ctx.incoming.data)
    if ctx.state.practice is not None and tap.kind not in (buttons.PRACTICE, buttons.SAFETY):
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
    """The safety net first (on the whole message), then practice mode while it is open, then by what arrived."""
    if safety_net.intercept(ctx):
        return
    _clip(ctx)
    if ctx.state.practice is not None and ctx.incoming.kind not in ("command", "tap"):
        practice_mode.typed(ctx)
        return
    KINDS.get(ctx.incoming.kind, _text)(ctx)


def _clip(ctx: Context) -> None:
    """Keep at most MAX_MESSAGE_CHARS of typed words, and say so."""
    incoming = ctx.incoming
    if incoming.kind in ("text", "edit"):
        text, cut = clip(incoming.text)
        if cut:
            ctx.say(wording.TOO_LONG.format(limit=f"{MAX_MESSAGE_CHARS:,}"))
            ctx.incoming = Incoming(incoming.kind, text=text, key=incoming.key, ref=incoming.ref)


class Coach:
    """Holds what every message shares; `handle` is the whole conversation."""

    def __init__(self, content: Content, storage: Storage, *, clock: Callable[[], datetime] = now_utc,
                 retention_days: int = 180, resources: Resources | None = None) -> None:
        self.content, self.storage, self.clock = content, storage, clock
        self.retention_days = retention_days
        self.setup = Setup(content, resources or load_resources(), retention_days)
        self.commands = commands.menu_commands()

    def handle(self, person: str, incoming: Incoming) -> Response:
        response = Response()
        try:
            ctx = Context.open(self.storage, self.setup, person, incoming, self.clock(), response)
            if ctx.repeated:  # handled before a crash, maybe before its reply went: show where they are
                log.info("a repeated delivery: its effect is kept, the question shown again")
                response.ack, response.repeated = "Already saved", True
                flows.repeat_question(ctx)
                return response
            ctx.mark_handled()  # saved with the message's first write, so it is never handled twice
            route(ctx)
            ctx.flush()
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets a reply (and help)
            return self.failed(person, incoming, error)
        return response

    def failed(self, person: str, incoming: Incoming, error: BaseException) -> Response:
        """The reply when a message could not be handled: the safety net's help if it is risky,
        then an honest "not saved". Logs what failed, never the words."""
        if isinstance(error, StorageError):
            log.error("storage failed: %s", type(error).__name__)
        else:
            log.error("the coach failed on a %s: %s\n%s", incoming.kind, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)))
        response = Response(ack="Not saved, please try again")
        practising = partial(self.practising, person)
        if incoming.kind in ("text", "edit") and (help_ := self.safety_reply(incoming.text, practising)):
            response.say(help_)
        response.say(wording.SAVE_FAILED)
        return response

    def risky(self, text: str) -> bool:
        """Whether the safety net would signpost these words at once (pure: nothing is read or kept)."""
        return check_safety(text).band == "signpost"

    def practising(self, person: str) -> bool:
        """Whether the person is in practice mode, as stored; False when that cannot be read, so
        doubt always falls on the side of showing help."""
        try:
            return PersonState.from_dict(self.storage.settings(person)).practice is not None
        except Exception:  # noqa: BLE001 - storage failing is exactly when this is asked
            return False

    def safety_reply(self, text: str, practising: Callable[[], bool] = lambda: False) -> str | None:
        """The safety net's help for a message that cannot go through `handle` (storage failed, or
        the channel refused it in a flood), needing nothing stored: the help card for clear risk, the
        list of where to get help for the middle band (no check-in can be asked then), else None.
        `practising` is asked only for risky words: in practice mode a practitioner's question
        about risk gets no help card (a first-person disclosure still does)."""
        check = check_safety(text)
        if check.band != "none" and practising():
            check = check_safety(text, practice=True)
        if check.band == "none":
            return None
        log.warning("safety help shown outside the conversation (band %s, category %s)", check.band, check.category)
        if check.band == "signpost":
            return safety_message(check, self.setup.resources)
        return help_text(self.setup.resources)
