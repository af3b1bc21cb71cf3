"""The Telegram intake: the durable queue keeps each update before accepting it, and the processor
keeps each person's order without holding up anyone else, never dropping below the abuse limit."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from telegram import Bot, Update

from bot.channels.telegram.intake import DurableQueue, PerPersonProcessor
from bot.store.encryption import PlainCipher
from bot.store.inbox import Inbox

BOT = Bot("123:" + "a" * 35)


def update(update_id: int, user: int, text: str = "hello") -> Update:
    chat = {"id": user, "type": "private", "first_name": "A"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": {"id": user, "is_bot": False,
                                                                          "first_name": "A"}, "text": text}
    return Update.de_json({"update_id": update_id, "message": message}, BOT)


class Replies:
    def __init__(self) -> None:
        self.refused: list[int] = []
        self.slowed: list[int] = []
        self.helped: list[int] = []

    async def refuse(self, u: Update) -> None:
        self.refused.append(u.update_id)

    async def slow(self, u: Update) -> None:
        await asyncio.sleep(0.05)  # sending takes a while: the person's order must not depend on it
        self.slowed.append(u.update_id)

    async def help_now(self, u: Update) -> None:
        await asyncio.sleep(0.01)
        self.helped.append(u.update_id)


def processor(queue: DurableQueue, replies: Replies, max_waiting: int = 100) -> PerPersonProcessor:
    return PerPersonProcessor(4, queue, refuse=replies.refuse, slowed=replies.slow, help_now=replies.help_now,
                              urgent=lambda u: "kill myself" in (u.message.text if u.message else ""),
                              max_waiting=max_waiting)


async def test_the_queue_keeps_an_update_in_the_inbox_before_accepting_it(tmp_path: Path) -> None:
    inbox = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    queue = DurableQueue(inbox)
    await queue.put(update(1, 10, "my words"))
    assert [(i, json.loads(body)["message"]["text"]) for i, body in inbox.pending()] == [(1, "my words")]
    await queue.put(update(1, 10, "my words"))  # Telegram sent it again: not queued twice
    assert queue.qsize() == 1
    queue.handled(1)
    await asyncio.gather(*queue._marking)
    assert inbox.pending() == []
    await queue.put(update(1, 10, "my words"))  # even after it was handled
    assert queue.qsize() == 1
    inbox.close()


async def test_what_a_crash_left_is_queued_first_in_order(tmp_path: Path) -> None:
    inbox = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    first = DurableQueue(inbox)
    for n in (5, 3, 4):
        await first.put(update(n, 10, f"message {n}"))
    second = DurableQueue(inbox)  # a restart: the first queue's contents are gone
    assert await second.replay(BOT) == 3
    got = [second.get_nowait() for _ in range(3)]
    assert [u.update_id for u in got if isinstance(u, Update)] == [3, 4, 5]
    inbox.close()


async def test_each_persons_updates_run_in_order_and_others_are_not_held_up(tmp_path: Path) -> None:
    inbox = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    replies = Replies()
    proc = processor(DurableQueue(inbox), replies)
    ran: list[tuple[int, int]] = []
    gate = asyncio.Event()

    async def handle(person: int, n: int) -> None:
        if person == 1 and n == 0:
            await gate.wait()  # Ann's first update is slow
        ran.append((person, n))

    tasks = [asyncio.create_task(proc.process_update(update(100 + n, 1), handle(1, n))) for n in range(10)]
    await asyncio.sleep(0.05)
    bea = asyncio.create_task(proc.process_update(update(200, 2), handle(2, 0)))
    await asyncio.wait_for(bea, 1)  # Bea goes ahead although Ann has more waiting than there are slots
    assert ran == [(2, 0)] and proc.waiting(1) == 10
    gate.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(0.1)
    assert [n for person, n in ran if person == 1] == list(range(10))
    assert replies.slowed == [104] and replies.refused == []  # told once, when the fifth was waiting
    await proc.queue.close()
    reopened = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    assert reopened.pending() == []
    reopened.close()


async def test_only_an_abusive_flood_is_refused_and_risky_words_get_help_at_once(tmp_path: Path) -> None:
    inbox = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    replies = Replies()
    proc = processor(DurableQueue(inbox), replies, max_waiting=5)
    gate = asyncio.Event()
    done: list[int] = []

    async def handle(n: int) -> None:
        await gate.wait()
        done.append(n)

    texts = ["answer"] * 3 + ["I want to kill myself"] + ["answer"] * 4
    tasks = [asyncio.create_task(proc.process_update(update(n, 1, text), handle(n)))
             for n, text in enumerate(texts)]
    await asyncio.sleep(0.1)
    assert replies.helped == [3]  # the risky one, before its turn
    assert replies.refused == [5, 6, 7]  # beyond five waiting: refused, the person told which
    gate.set()
    await asyncio.gather(*tasks)
    assert done == [0, 1, 2, 3, 4]
    await proc.queue.close()
    reopened = Inbox(str(tmp_path / "coach.db"), PlainCipher())
    assert reopened.pending() == []  # every one marked done, refused ones too (the person was told)
    reopened.close()
