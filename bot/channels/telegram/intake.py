"""Receiving updates without losing one, and handling each person's in order without blocking others.

`DurableQueue` is the Application's update queue. PTB puts every update on it before it tells
Telegram the update was received (long polling confirms by asking for the next offset only after
`put` returns; the webhook replies only after `put` returns), so `put` writes the update to the
inbox first. At start, `replay` queues whatever a crash left in the inbox before any new update.

`PerPersonProcessor` runs each person's updates one at a time, in the order they arrived, and
different people at once. It takes the person's lock before one of the shared slots, so a person's
burst waits on itself, not on everyone. A burst is queued, never dropped (`bot.conversation.flood`):
the person is told once that it is being worked through, a risky message gets the safety net's
help at once rather than at its turn, and only an abusive number waiting at once is refused, with
a reply naming what was not kept (the safety net reads those too). Each update is marked done in
the inbox once handled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseUpdateProcessor

from bot.conversation.flood import BACKLOG_NOTICE, MAX_WAITING
from bot.errors import StorageError
from bot.store.inbox import Inbox
from bot.store.storage import now_utc

log = logging.getLogger(__name__)
UNBOUNDED = 1_000_000  # PTB's own count of updates in hand; the real cap is PerPersonProcessor's slots


class DurableQueue(asyncio.Queue[object]):
    """An update queue that keeps each update in the inbox before accepting it."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox
        self._receiving = 0
        self._marking: set[asyncio.Task[None]] = set()

    @property
    def receiving(self) -> int:
        """Updates being written to the inbox on their way to the queue."""
        return self._receiving

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            self._receiving += 1
            try:
                fresh = await asyncio.to_thread(self.inbox.add, item.update_id, json.dumps(item.to_dict()), now_utc())
            except StorageError as exc:  # still handle it: the safety net must read it, storage or not
                log.error("could not keep update %s in the inbox: %s", item.update_id, type(exc).__name__)
                fresh = True
            finally:
                self._receiving -= 1
            if not fresh:
                log.info("update %s was received before; not handled again", item.update_id)
                return
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """Queue the updates a crash left unhandled, oldest first; returns how many."""
        count = 0
        for update_id, body in await asyncio.to_thread(self.inbox.pending):
            try:
                update = Update.de_json(json.loads(body), bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.error("could not read kept update %s (%s); skipped", update_id, type(exc).__name__)
                self.handled(update_id)
                continue
            await super().put(update)
            count += 1
        if count:
            log.warning("handling %d messages received before the last stop", count)
        return count

    async def close(self) -> None:
        """Finish marking what was handled, then close the inbox."""
        if self._marking:
            await asyncio.gather(*self._marking, return_exceptions=True)
        self.inbox.close()

    def handled(self, update_id: int) -> None:
        """Mark the update done, in the background: the person's next update need not wait for it."""
        task = asyncio.create_task(self._mark_done(update_id))
        self._marking.add(task)
        task.add_done_callback(self._marking.discard)

    async def _mark_done(self, update_id: int) -> None:
        try:
            await asyncio.to_thread(self.inbox.done, update_id, now_utc())
        except StorageError as exc:  # it stays pending: after a restart it is recognised as already handled
            log.error("could not mark update %s done: %s", update_id, type(exc).__name__)


def person_of(update: object) -> int:
    """Whose update it is: the user, else the chat (0 for anything else)."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return 0


Reply = Callable[[Update], Awaitable[None]]


class PerPersonProcessor(BaseUpdateProcessor):
    """See the module docstring. `refuse`, `slowed` and `help_now` are the channel's replies in a
    flood; `urgent` says whether an update is risky."""

    def __init__(self, max_concurrent_updates: int, queue: DurableQueue, *, refuse: Reply, slowed: Reply,
                 help_now: Reply, urgent: Callable[[Update], bool], max_waiting: int = MAX_WAITING) -> None:
        # PTB's own slot is taken before `do_process_update` and cannot be reordered, so it is left
        # unbounded and the real slots (`_slots`) are taken inside, after the person's lock.
        super().__init__(UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self.queue, self.refuse, self.slowed, self.help_now, self.urgent = queue, refuse, slowed, help_now, urgent
        self.max_waiting = max_waiting
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._waiting: Counter[int] = Counter()
        self._told: set[int] = set()
        self._replies: set[asyncio.Future[None]] = set()

    def _alongside(self, reply: Awaitable[None]) -> None:
        task = asyncio.ensure_future(reply)
        self._replies.add(task)
        task.add_done_callback(self._replies.discard)

    def waiting(self, person: int) -> int:
        """How many of this person's updates are in hand (waiting their turn, paced or running)."""
        return self._waiting.get(person, 0)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        person = person_of(update)
        self._waiting[person] += 1
        try:
            waiting = self._waiting[person]
            if person and isinstance(update, Update) and waiting > self.max_waiting:
                _close(coroutine)
                await self.refuse(update)
                return
            if person and isinstance(update, Update) and waiting > 1:
                # Said alongside, never awaited here: this update must take its place in the queue
                # before any later one does, or the person's order would be lost.
                if waiting >= BACKLOG_NOTICE and person not in self._told:
                    self._told.add(person)
                    self._alongside(self.slowed(update))
                if self.urgent(update):  # help now; the message itself is still handled at its turn
                    self._alongside(self.help_now(update))
            await self._in_turn(person, coroutine)
        finally:
            self._waiting[person] -= 1
            if self._waiting[person] <= 0:
                del self._waiting[person]
                self._told.discard(person)
            if isinstance(update, Update):
                self.queue.handled(update.update_id)

    async def _in_turn(self, person: int, coroutine: Awaitable[Any]) -> None:
        lock = self._locks.get(person)
        if lock is None:
            lock = self._locks[person] = asyncio.Lock()
        async with lock, self._slots:
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _close(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
