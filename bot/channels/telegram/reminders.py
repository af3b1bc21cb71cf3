"""Sending reminders on Telegram: every TICK seconds, a round sends what SQLite says is due.

Nothing lives in memory. Each round reads the schedule (bot.store.reminders) with the coach's
clock, so a restart re-arms everything and a reminder due while the bot was down goes when it
is back (quiet hours and lateness are the conversation's rules: `bot.conversation.reminders.plan`).
PTB's JobQueue only says "look now"; jobs themselves are never kept there (they would be lost on
a restart).

Exactly once, as far as Telegram allows. Each reminder is claimed in SQLite, committed, before
its request goes, and recorded as sent when Telegram answers:

    killed before the claim        still pending: sent after the restart (once)
    killed after Telegram answered still `sending`, but Telegram has it: not sent again (once)
    killed after the claim, before the request left: also not sent again, so lost (`unsure`)

Telegram's Bot API has no idempotency key and a bot cannot read its own chat, so a claim found at
restart cannot be checked. Sending it again would show a second note whenever the first got
through, which is the long part of the window (a network round trip against microseconds from
the commit to the request); so a claim found at restart is marked `unsure`, logged by id, and
never sent again: at most once. The same goes for a send whose answer never came (a timeout, a
dropped connection). An answer that says Telegram refused it, or a connection never made, is
certain: a 429 or 5xx, or no connection, goes back to pending for the next round; a 400 or 403
(blocked, chat gone) ends it as `failed`.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable
from datetime import datetime

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.channels.telegram.channel import html_pieces, keyboard
from bot.conversation.coach import Coach
from bot.conversation.reminders import DROP, SEND, note, plan
from bot.store.encryption import Cipher
from bot.store.reminders import DROPPED, FAILED, UNSURE, Due, Schedule

log = logging.getLogger(__name__)

TICK = 20.0  # seconds between rounds: a reminder goes at most this late
NEVER_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def start_reminders(app: Application, coach: Coach) -> ReminderSender | None:
    """Send reminders from `app.start()` on, every TICK seconds, on the coach's database and clock."""
    if app.job_queue is None:
        log.error("reminders cannot be sent: install python-telegram-bot[job-queue]")
        return None
    sender = ReminderSender(coach.storage.path, coach.storage.cipher, coach.clock)
    app.job_queue.run_repeating(sender.tick, interval=TICK, first=0, name="reminders")
    app.bot_data["reminders"] = sender
    return sender


class ReminderSender:
    """One round at a time; `rounds` counts the rounds finished (tests wait on it, not on time)."""

    def __init__(self, path: str, cipher: Cipher, clock: Callable[[], datetime]) -> None:
        self.path, self.cipher, self.clock = path, cipher, clock
        self.rounds = 0
        self._busy = False
        self._recovered = False

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The JobQueue's call: start a round unless one is going (a long round never piles up) or
        the bot is stopping."""
        if self._busy or not context.application.running:
            return
        self._busy = True
        context.application.create_task(self._round(context.application), name="reminders")

    async def _round(self, app: Application) -> None:
        try:
            await self.send_due(app.bot, lambda: app.running)
        except Exception as exc:  # noqa: BLE001 - the next round tries again; nothing is lost
            log.error("reminders: a round failed (%s); the next one tries again", type(exc).__name__)
        finally:
            self._busy = False
            self.rounds += 1

    async def send_due(self, bot: Bot, going: Callable[[], bool] = lambda: True) -> int:
        """Send what is due now (stopping early if the bot is stopping); return how many went."""
        schedule = await asyncio.to_thread(Schedule, self.path, self.cipher)
        try:
            if not self._recovered:
                unsure = await asyncio.to_thread(schedule.recover)
                self._recovered = True
                if unsure:
                    log.warning("reminders %s were being sent when the last run stopped; Telegram may or may not "
                                "have them, so they are not sent again", ", ".join(map(str, unsure)))
            now = self.clock()
            sent = 0
            for due, action in plan(await asyncio.to_thread(schedule.due, now), now):
                if not going():
                    break
                if action == DROP:
                    await asyncio.to_thread(schedule.settle, due.reminder.id, DROPPED, claimed=False)
                elif action == SEND:
                    sent += await self._send(bot, schedule, due, now)
            return sent
        finally:
            await asyncio.to_thread(schedule.close)

    async def _send(self, bot: Bot, schedule: Schedule, due: Due, now: datetime) -> bool:
        reminder = due.reminder
        kind, _, user = due.channel_id.partition(":")
        if kind != "tg" or not user.lstrip("-").isdigit():  # set in the terminal: nowhere to send it
            await asyncio.to_thread(schedule.settle, reminder.id, DROPPED, claimed=False)
            return False
        if not await asyncio.to_thread(schedule.claim, reminder.id, now):
            return False  # cancelled, moved or erased since it was read
        message = note(reminder, now)
        text = (html_pieces(message) or [html.escape(message.text)])[0]
        try:
            sent = await bot.send_message(int(user), text, reply_markup=keyboard(message.buttons))
        except (BadRequest, Forbidden) as exc:
            log.info("reminder %s refused by Telegram (%s); not sent", reminder.id, type(exc).__name__)
            await asyncio.to_thread(schedule.settle, reminder.id, FAILED)
            return False
        except TelegramError as exc:
            if isinstance(exc, RetryAfter) or _certainly_not_sent(exc):
                log.info("reminder %s not sent (%s); the next round tries again", reminder.id, type(exc).__name__)
                await asyncio.to_thread(schedule.release, reminder.id)
            else:
                log.warning("reminder %s may or may not have reached Telegram (%s); it is not sent again",
                            reminder.id, type(exc).__name__)
                await asyncio.to_thread(schedule.settle, reminder.id, UNSURE)
            return False
        await asyncio.to_thread(schedule.sent, reminder.id, self.clock(), sent.message_id)
        return True


def _certainly_not_sent(error: TelegramError) -> bool:
    """Telegram answered with an error (so it did not send), or no connection was ever made.
    A timeout or a dropped connection after the request went is not certain either way."""
    cause = error.__cause__
    return cause is None or isinstance(cause, TelegramError) or isinstance(cause, NEVER_CONNECTED)
