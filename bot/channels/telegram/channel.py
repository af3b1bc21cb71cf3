"""The channel itself: updates become `Incoming`, each `Outgoing` becomes a Telegram message."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import threading
import traceback
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    ContextTypes,
)

import bot.conversation.wording as wording
from bot.channels.telegram.limits import BUTTON_DATA_BYTES, CALLBACK_ANSWER_CHARS, CAPTION_CHARS, TEXT_CHARS
from bot.channels.telegram.text import html_to_text, split_html, split_text, utf16_len
from bot.conversation.chat import Button, Incoming, Outgoing, Response
from bot.conversation.coach import Coach
from bot.conversation.flood import SLOWED, refused
from bot.store.retention import purge
from bot.store.storage import now_utc

log = logging.getLogger(__name__)

QUESTION = "question_message_id"  # chat_data: the message showing the current question's buttons
SLOW_COMMANDS = frozenset({"export", "summary", "review"})
PRACTISING_WAIT = 1.0  # seconds the safety net waits to learn if risky words are a practitioner's
_T = TypeVar("_T")


class TelegramChannel:
    """Turns updates into `Incoming`, calls the coach, shows its `Response`."""

    def __init__(self, coach: Coach, token: str) -> None:
        self.coach = coach
        self._salt = hashlib.sha256(token.encode()).digest()
        self._lock = threading.Lock()
        self.backlog: Callable[[int], int] = lambda chat_id: 0  # the person's updates in hand (set by app.py)

    def who(self, user_id: int | None) -> str:
        """A short pseudonym for logs (keyed, so it can't be reversed without the token)."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:10]

    # ----- handlers -----

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, /menu, ... (any command; the coach answers unknown ones)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        word, _, arg = message.text.partition(" ")
        name, _, addressed = word[1:].partition("@")
        if addressed and addressed.lower() != (context.bot.username or "").lower():
            return
        incoming = Incoming("command", command=name.lower(), arg=arg.strip(), key=str(update.update_id))
        if name.lower() in SLOW_COMMANDS:
            await self._action(context, message.chat_id, ChatAction.TYPING)
        await self.show(context, message.chat_id, await self.handle(user.id, incoming))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed words: an answer, or chit-chat the coach decides about."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        incoming = Incoming("text", text=message.text, key=str(update.update_id), ref=str(message.message_id))
        await self.show(context, message.chat_id, await self.handle(user.id, incoming))

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message: the coach updates the latest answer or leaves it alone."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        incoming = Incoming("edit", text=message.text, key=str(update.update_id), ref=str(message.message_id))
        await self.show(context, message.chat_id, await self.handle(user.id, incoming))

    async def other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice notes, files...: a kind word and the question again."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = Incoming("other", text=kind_of(message), key=str(update.update_id))
        await self.show(context, message.chat_id, await self.handle(user.id, incoming))

    async def tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button: answer the query at once, edit the tapped question, then reply."""
        query = update.callback_query
        if query is None:
            return
        tapped = query.message if isinstance(query.message, Message) else None
        chat_id = tapped.chat_id if tapped else query.from_user.id
        if tapped is not None and tapped.chat.type != ChatType.PRIVATE:
            await self._answer(query, wording.PRIVATE_ONLY[:CALLBACK_ANSWER_CHARS])
            return
        if not query.data:
            await self._answer(query, None)
            return
        response = await self.handle(query.from_user.id, Incoming("tap", data=query.data, key=query.id))
        if not response.repeated:  # a tap handled before a crash was answered then, or has long expired
            await self._answer(query, response.ack)
        if response.edit is not None and tapped is not None:
            await self._edit(context, tapped, response.edit)
        await self.show(context, chat_id, response, tapped.message_id if tapped else None)

    async def not_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Groups and channels: store nothing, point to a private chat."""
        message = update.effective_message
        if message is None or update.edited_message or update.edited_channel_post:
            return
        word = (message.text or "").split(maxsplit=1)[0] if (message.text or "").startswith("/") else ""
        addressed = word.partition("@")[2]
        if addressed and addressed.lower() != (context.bot.username or "").lower():
            return  # a command for another bot in the same group
        log.info("declined a message in a %s chat", message.chat.type)
        link = f"https://t.me/{context.bot.username}" if context.bot.username else None
        rows = ((Button("Start a private chat", link),),) if link else ()
        await self.send_message(context, message.chat_id, Outgoing(text=wording.PRIVATE_ONLY), url_rows=rows)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what failed, for whom (pseudonymised), never the words; the bot carries on."""
        error = context.error
        who, update_id = "-", "-"
        if isinstance(update, Update):
            update_id = str(update.update_id)
            who = self.who(update.effective_user.id) if update.effective_user else "-"
        if isinstance(error, (NetworkError, TimedOut)) and not isinstance(error, BadRequest):
            log.warning("network trouble (update %s, person %s): %s", update_id, who, type(error).__name__)
            return
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("update %s (person %s) failed with %s\n%s", update_id, who, type(error).__name__, frames)

    # ----- a flood (PerPersonProcessor calls these) -----

    def urgent(self, update: Update) -> bool:
        """Whether the update is words the safety net finds risky (so its help never waits its turn)."""
        text = typed_words(update)
        return bool(text) and self.coach.risky(text)

    async def slowed(self, update: Update) -> None:
        """Tell a person once per burst that their messages are queued, not lost."""
        if update.effective_chat is not None:
            await self._say(update, SLOWED)

    async def help_now(self, update: Update) -> None:
        """The safety net's help for a risky message still waiting its turn in a burst."""
        text = typed_words(update)
        help_ = await self._safety_reply(update, text) if text else None
        if help_:
            await self._say(update, help_)

    async def refuse(self, update: Update) -> None:
        """An update not kept in an abusive flood: the safety net's help if it needs it, then what was lost."""
        text = typed_words(update)
        if update.callback_query is not None:
            await self._answer(update.callback_query, "Too many at once: please tap again in a minute")
        help_ = await self._safety_reply(update, text) if text else None
        if help_:
            await self._say(update, help_)
        await self._say(update, refused(text))

    async def _safety_reply(self, update: Update, text: str) -> str | None:
        """The coach's `safety_reply` for words outside their turn. Whether the sender is in practice
        mode is read only for risky words, and only if it can be read within PRACTISING_WAIT seconds:
        in doubt the help is shown."""
        user = update.effective_user
        if self.coach.safety_reply(text) is None or user is None:
            return None

        def read() -> bool:
            with self._lock:
                return self.coach.practising(f"tg:{user.id}")

        try:
            practising = await asyncio.wait_for(asyncio.to_thread(read), PRACTISING_WAIT)
        except TimeoutError:
            practising = False
        return self.coach.safety_reply(text, lambda: practising)

    async def _say(self, update: Update, text: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        try:
            for piece in split_text(text):
                await _retry(partial(update.get_bot().send_message, chat.id, html.escape(piece)))
        except TelegramError as exc:
            log.warning("could not send a message to %s: %s", self.who(chat.id), type(exc).__name__)

    # ----- the coach -----

    async def handle(self, user_id: int, incoming: Incoming) -> Response:
        """Call the coach in a worker thread, so a commit's fsync never stalls other people.

        One at a time (the lock): the coach's SQLite connection is shared. Each person's own
        order is kept by PerPersonProcessor (bot.channels.telegram.intake).
        """
        return await asyncio.to_thread(self._handle_now, user_id, incoming)

    def purge(self) -> int:
        with self._lock:
            return purge(self.coach.storage, now_utc(), self.coach.retention_days)

    def _handle_now(self, user_id: int, incoming: Incoming) -> Response:
        try:
            with self._lock:
                return self.coach.handle(f"tg:{user_id}", incoming)
        except Exception as exc:
            log.error("the coach failed on a %s from %s: %s\n%s", incoming.kind, self.who(user_id),
                      type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
            return Response([Outgoing(text=wording.SAVE_FAILED)], ack="Not saved, please try again")

    # ----- showing -----

    async def show(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, response: Response,
                   tapped_id: int | None = None) -> None:
        if response.edit is not None:  # an answer was saved: the question's buttons have done their job
            asked = context.chat_data.pop(QUESTION, None) if context.chat_data is not None else None
            # In a burst, Telegram's one-call-a-second per chat goes to replies; a stale tap is handled anyway.
            if isinstance(asked, int) and asked != tapped_id and self.backlog(chat_id) <= 1:
                await self._clear_keyboard(context, chat_id, asked)
        for outgoing in response.messages:
            try:
                if outgoing.attachment is not None:
                    await self.send_file(context, chat_id, outgoing)
                else:
                    await self.send_message(context, chat_id, outgoing)
            except Forbidden:
                log.info("person %s has blocked the bot; not sending", self.who(chat_id))
                return
            except TelegramError as exc:
                log.warning("could not send a message to %s: %s", self.who(chat_id), type(exc).__name__)

    async def send_message(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, outgoing: Outgoing,
                           url_rows: tuple[tuple[Button, ...], ...] = ()) -> None:
        chunks = html_pieces(outgoing)
        markup = keyboard(outgoing.buttons, url_rows)
        if not chunks:
            if markup is None:
                return
            chunks = ["…"]
        for number, chunk in enumerate(chunks):
            reply_markup = markup if number == len(chunks) - 1 else None
            try:
                sent = await _retry(partial(context.bot.send_message, chat_id, chunk, reply_markup=reply_markup))
                if outgoing.is_question and reply_markup is not None and context.chat_data is not None:
                    context.chat_data[QUESTION] = sent.message_id
            except BadRequest as exc:
                if "parse entities" not in str(exc).lower():
                    raise
                log.warning("Telegram refused a message's formatting; sending it as plain text")
                pieces = split_text(html_to_text(chunk)) or ["…"]
                for index, piece in enumerate(pieces):
                    await _retry(partial(context.bot.send_message, chat_id, piece, parse_mode=None,
                                         reply_markup=reply_markup if index == len(pieces) - 1 else None))

    async def send_file(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, outgoing: Outgoing) -> None:
        attachment = outgoing.attachment
        assert attachment is not None
        caption = html.escape(attachment.caption) if utf16_len(attachment.caption) <= CAPTION_CHARS else ""
        markup = keyboard(outgoing.buttons)
        action = ChatAction.UPLOAD_PHOTO if attachment.image else ChatAction.UPLOAD_DOCUMENT
        await self._action(context, chat_id, action)
        if attachment.image:
            await _retry(partial(context.bot.send_photo, chat_id, attachment.content, caption=caption or None,
                                 filename=attachment.filename, reply_markup=markup))
        else:
            await _retry(partial(context.bot.send_document, chat_id, attachment.content, caption=caption or None,
                                 filename=attachment.filename, reply_markup=markup))
        if not caption and attachment.caption.strip():
            await self.send_message(context, chat_id, Outgoing(text=attachment.caption))
        if outgoing.text.strip() or outgoing.html.strip():
            await self.send_message(context, chat_id, Outgoing(text=outgoing.text, html=outgoing.html))

    async def _edit(self, context: ContextTypes.DEFAULT_TYPE, tapped: Message, text: str) -> None:
        """Show the tapped question with the answer and no keyboard."""
        pieces = split_text(text)
        if not pieces:
            return
        shown = pieces[0] if len(pieces) == 1 else split_text(text, TEXT_CHARS - 1)[0] + "…"
        try:
            await _retry(partial(context.bot.edit_message_text, html.escape(shown), chat_id=tapped.chat_id,
                                 message_id=tapped.message_id, reply_markup=None))
        except BadRequest as exc:
            reason = str(exc).lower()
            if "not modified" not in reason:
                log.info("could not edit the tapped message: %s", reason.split(":")[0])
        except TelegramError as exc:
            log.info("could not edit the tapped message: %s", type(exc).__name__)

    async def _clear_keyboard(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int) -> None:
        """Take the buttons off a question answered by typing (best effort: after a restart we
        no longer know which message it was, and a stale tap is handled by the coach anyway)."""
        try:
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        except TelegramError as exc:
            log.debug("could not clear a keyboard: %s", type(exc).__name__)

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await query.answer(text[:CALLBACK_ANSWER_CHARS] if text else None)
        except BadRequest as exc:  # "query is too old": the person has moved on; the reply still comes
            log.info("callback answer refused: %s", str(exc).split(" and ")[0])
        except TelegramError as exc:
            log.info("callback answer failed: %s", type(exc).__name__)

    async def _action(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, action: str) -> None:
        try:
            await context.bot.send_chat_action(chat_id, action)
        except TelegramError as exc:  # only a courtesy
            log.debug("chat action failed: %s", type(exc).__name__)


# ----- pure helpers -----


def typed_words(update: Update) -> str:
    """The words of a typed or edited message (empty for anything else)."""
    message = update.message or update.edited_message
    return (message.text or message.caption or "") if message is not None else ""


def kind_of(message: Message) -> str:
    """What a non-text message is: sticker, photo, voice, ..."""
    for kind in ("sticker", "photo", "voice", "video_note", "video", "animation", "audio", "document", "location",
                 "venue", "contact", "poll", "dice", "game", "story"):
        if getattr(message, kind, None):
            return "venue" if kind == "location" and message.venue else kind
    return "message"


def html_pieces(outgoing: Outgoing) -> list[str]:
    """The messages to send for `outgoing`, as HTML: its ready HTML split with tags balanced, else its
    text escaped and split."""
    if not outgoing.html.strip():
        return [html.escape(piece) for piece in split_text(outgoing.text)]
    try:
        return split_html(outgoing.html)
    except ValueError:  # tags too long to open again in the next message: send the words without them
        log.warning("could not split a message's HTML; sending it as plain text")
        return [html.escape(piece) for piece in split_text(html_to_text(outgoing.html))]


def keyboard(rows: Sequence[Sequence[Button]],
             url_rows: Sequence[Sequence[Button]] = ()) -> InlineKeyboardMarkup | None:
    """Rows of `Button` as an inline keyboard; buttons whose data Telegram would refuse are left out."""
    built: list[list[InlineKeyboardButton]] = []
    for row in rows:
        line = []
        for button in row:
            if button.label.strip() and 1 <= len(button.data.encode()) <= BUTTON_DATA_BYTES:
                line.append(InlineKeyboardButton(button.label, callback_data=button.data))
            else:
                log.error("left out a button with unusable data (%s bytes)", len(button.data.encode()))
        if line:
            built.append(line)
    built += [[InlineKeyboardButton(b.label, url=b.data) for b in row] for row in url_rows if row]
    return InlineKeyboardMarkup(built) if built else None


async def _retry(send: Callable[[], Awaitable[_T]], attempts: int = 3) -> _T:
    """Send, retrying network trouble and 5xx. A 429 is not retried here: PerChatRateLimiter
    (bot.channels.telegram.pacing) is the one place that waits and retries it."""
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except (BadRequest, Forbidden, InvalidToken, RetryAfter):
            raise
        except (TimedOut, NetworkError):
            if attempt == attempts:
                raise
            await asyncio.sleep(0.3 * attempt)
    raise AssertionError("unreachable")
