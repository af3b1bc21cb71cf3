"""Per-chat pacing of Bot API calls, the way Telegram limits bots (a `BaseRateLimiter` on aiolimiter).

Telegram's guidance: about one message a second in a private chat (short bursts are tolerated),
20 a minute in a group, and about 30 a second in all only for bulk broadcasts; answering a button
tap (`answerCallbackQuery`) is not limited. So, per chat:

- a private chat (positive id) gets a leaky bucket of `PRIVATE_BURST` (4) draining at
  `PRIVATE_PER_SECOND` (1): four calls go at once, then one a second. A reply is one to three
  paced calls (a tap: edit the tapped question, send the next; typed text: clear the old keyboard,
  send the next; a flow's end: a few messages more), so a person answering at a human pace (every
  few seconds) is never held back, while someone answering flat out settles at one call a second;
- a group or channel (negative id or `@name`) gets a bucket of `GROUP_BURST` (2) draining at
  `GROUP_PER_MINUTE` (18) a minute: never more than 2 + 18 = 20 in any minute;
- only calls that post or change a message are paced (`send*` but not `sendChatAction`, `edit*`,
  `copy*`, `forward*`, `stopPoll`); everything else, callback answers above all, goes at once;
- there is no overall cap: 300 people each at their own pace are 300 separate buckets.

A 429 (`RetryAfter`) pauses only the chat it names, for `retry_after`; the call is then tried
again, at most `MAX_RETRIES` (3) times. This is the one place a 429 is retried. A wait over
`MAX_WAIT` (60 s) is not waited out: the `RetryAfter` goes to the caller. Chats are forgotten once
idle (bucket empty, nothing waiting, no pause), so memory follows the people active right now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

PRIVATE_BURST = 4
PRIVATE_PER_SECOND = 1.0
GROUP_BURST = 2
GROUP_PER_MINUTE = 18
MAX_RETRIES = 3
MAX_WAIT = 60.0  # seconds: a longer flood wait goes back to the caller
KEEP_CHATS = 1000  # idle chats are swept once more than this (then twice as many as remain) are held

PACED_PREFIXES = ("send", "edit", "copy", "forward", "stopPoll")
UNPACED = frozenset({"sendChatAction"})

Result = bool | dict[str, Any] | list[dict[str, Any]]


class _Chat:
    """One chat's bucket, the end of its flood wait (loop time), and how many calls are using it."""

    __slots__ = ("limiter", "resume_at", "users")

    def __init__(self, limiter: AsyncLimiter) -> None:
        self.limiter, self.resume_at, self.users = limiter, 0.0, 0

    def idle(self, now: float) -> bool:
        return self.users == 0 and self.resume_at <= now and self.limiter.has_capacity(self.limiter.max_rate)


class PerChatRateLimiter(BaseRateLimiter[int]):
    """Paces each chat on its own (see the module docstring); `rate_limit_args` is a call's own retry limit."""

    def __init__(self, *, private_burst: float = PRIVATE_BURST, private_per_second: float = PRIVATE_PER_SECOND,
                 group_burst: float = GROUP_BURST, group_per_minute: float = GROUP_PER_MINUTE,
                 max_retries: int = MAX_RETRIES, max_wait: float = MAX_WAIT, keep_chats: int = KEEP_CHATS) -> None:
        self.private = (private_burst, private_burst / private_per_second)  # aiolimiter's (max_rate, period)
        self.group = (group_burst, group_burst * 60 / group_per_minute)
        self.max_retries, self.max_wait, self.keep_chats = max_retries, max_wait, keep_chats
        self._chats: dict[int | str, _Chat] = {}
        self._sweep_at = keep_chats

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        self._chats.clear()

    @property
    def chats_held(self) -> int:
        return len(self._chats)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for the chat's turn (paced calls) or the end of its flood wait (any call to it), then call."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        key = chat_key(data)
        paced = key is not None and is_paced(endpoint)
        loop = asyncio.get_running_loop()
        for attempt in range(retries + 1):
            chat = self._chat(key, loop.time()) if key is not None else None
            try:
                if chat is None:
                    return await callback(*args, **kwargs)
                chat.users += 1
                try:
                    await self._wait_for_turn(chat, paced, loop)
                    return await callback(*args, **kwargs)
                finally:
                    chat.users -= 1
            except RetryAfter as exc:
                wait = seconds(exc.retry_after)
                if chat is not None:
                    chat.resume_at = max(chat.resume_at, loop.time() + wait)  # this chat only
                if attempt == retries or wait > self.max_wait:
                    log.warning("%s: flood wait of %.0f s, not retried (%d tries made)", endpoint, wait, attempt + 1)
                    raise
                log.info("%s: flood wait of %.0f s, try %d of %d next", endpoint, wait, attempt + 2, retries + 1)
                if chat is None:
                    await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _wait_for_turn(self, chat: _Chat, paced: bool, loop: asyncio.AbstractEventLoop) -> None:
        await self._wait_out_pause(chat, loop)
        if paced:
            await chat.limiter.acquire()
            await self._wait_out_pause(chat, loop)  # a 429 may have come while this call waited its turn

    async def _wait_out_pause(self, chat: _Chat, loop: asyncio.AbstractEventLoop) -> None:
        while (left := chat.resume_at - loop.time()) > 0:
            if left > self.max_wait:
                raise RetryAfter(timedelta(seconds=math.ceil(left)))
            await asyncio.sleep(left)

    def _chat(self, key: int | str, now: float) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) >= self._sweep_at:
                self._chats = {k: c for k, c in self._chats.items() if not c.idle(now)}
                self._sweep_at = max(self.keep_chats, 2 * len(self._chats))
            burst, period = self.private if isinstance(key, int) and key > 0 else self.group
            chat = self._chats[key] = _Chat(AsyncLimiter(burst, period))
        return chat


def chat_key(data: dict[str, Any]) -> int | str | None:
    """The chat a call goes to: its numeric id, or `@name` for a public group or channel."""
    raw = data.get("chat_id")
    if raw is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(raw)
    return str(raw)


def seconds(period: int | timedelta) -> float:
    return period.total_seconds() if isinstance(period, timedelta) else float(period)


def is_paced(endpoint: str) -> bool:
    """Calls that post or change a message in a chat."""
    return endpoint.startswith(PACED_PREFIXES) and endpoint not in UNPACED
