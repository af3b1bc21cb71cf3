"""The per-chat rate limiter: each chat paced on its own, 429s pause one chat, retries bounded.

The unit tests run on an event loop whose clock only moves when every task is waiting (a virtual
clock), so "one a second" and "20 a minute" are asserted exactly and take no real time.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import AsyncIterator, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from fake_telegram import ApiError, FakeTelegram
from fake_telegram.harness import running_bot
from telegram.error import RetryAfter

from bot.channels.telegram.pacing import PerChatRateLimiter
from bot.conversation.coach import Coach

T = TypeVar("T")


class _VirtualSelector(selectors.DefaultSelector):
    """Never sleeps: a wait for the next timer moves the clock to it instead. Each turn of the loop
    also moves it a nanosecond, as a real clock would (aiolimiter re-arms a timer for the rounding
    error of its own arithmetic, and would spin on a clock that stood still)."""

    now = 0.0

    def select(self, timeout: float | None = None) -> list:
        ready = super().select(0)
        if timeout is None and not ready:
            raise AssertionError("deadlock: every task waits and no timer is set")
        self.now += 1e-9 if ready or not timeout else timeout
        return ready


class _VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._virtual = _VirtualSelector()
        super().__init__(self._virtual)

    def time(self) -> float:
        return self._virtual.now


def ms(times: list[float]) -> list[float]:
    """Virtual times to the millisecond (the clock moves a nanosecond each turn of the loop)."""
    return [round(t, 3) for t in times]


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    loop = _VirtualLoop()
    try:
        return loop.run_until_complete(main)
    finally:
        loop.close()


class Api:
    """A stand-in for Telegram: records (loop time, endpoint, chat) of every call; 429s on request."""

    def __init__(self, limiter: PerChatRateLimiter) -> None:
        self.limiter = limiter
        self.calls: list[tuple[float, str, object]] = []
        self.flood: dict[object, list[float]] = {}  # chat: retry_after of its next 429s, in order

    async def call(self, endpoint: str, chat_id: object = None, retries: int | None = None) -> float:
        data = {} if chat_id is None else {"chat_id": chat_id}

        async def send() -> bool:
            self.calls.append((asyncio.get_running_loop().time(), endpoint, chat_id))
            waits = self.flood.get(chat_id)
            if waits:
                raise RetryAfter(timedelta(seconds=waits.pop(0)))
            return True

        await self.limiter.process_request(send, (), {}, endpoint, data, retries)
        return asyncio.get_running_loop().time()

    def times(self, chat_id: object) -> list[float]:
        return [at for at, _, chat in self.calls if chat == chat_id]


def test_pacing_a_private_chat_allows_a_burst_of_four_then_one_a_second() -> None:
    async def main() -> list[float]:
        api = Api(PerChatRateLimiter())
        await asyncio.gather(*(api.call("sendMessage", 1001) for _ in range(8)))
        return api.times(1001)

    assert ms(run_virtual(main())) == [0, 0, 0, 0, 1, 2, 3, 4]


def test_pacing_a_reply_at_a_human_pace_is_never_held_back() -> None:
    async def main() -> list[float]:
        api = Api(PerChatRateLimiter())
        waited = []
        for _ in range(20):  # a reply of three paced calls every four seconds
            start = asyncio.get_running_loop().time()
            for endpoint in ("editMessageText", "sendMessage", "sendMessage"):
                waited.append(await api.call(endpoint, 1001) - start)
            await asyncio.sleep(4)
        return waited

    assert ms(run_virtual(main())) == [0.0] * 60


def test_pacing_a_group_never_gets_more_than_20_in_any_minute() -> None:
    async def main() -> list[float]:
        api = Api(PerChatRateLimiter())
        await asyncio.gather(*(api.call("sendMessage", -1001) for _ in range(60)))
        return api.times(-1001)

    times = ms(run_virtual(main()))
    assert len(times) == 60
    assert max(sum(1 for t in times if start <= t <= start + 60) for start in times) == 20
    assert times[:3] == [0.0, 0.0, 3.333]  # a burst of two, then one every 3.3 s
    assert times[-1] == 193.333  # 58 more at 18 a minute


def test_pacing_chats_are_paced_apart_with_no_overall_cap() -> None:
    async def main() -> Api:
        api = Api(PerChatRateLimiter())
        await asyncio.gather(*(api.call("sendMessage", chat) for chat in range(1, 301) for _ in range(4)))
        return api

    api = run_virtual(main())
    assert len(api.calls) == 1200
    assert set(ms([at for at, _, _ in api.calls])) == {0.0}  # 300 people's bursts all at once


def test_pacing_callback_answers_and_unpaced_calls_go_at_once_even_when_a_chat_is_held() -> None:
    async def main() -> tuple[list[float], float, float, float]:
        api = Api(PerChatRateLimiter())
        sends = [asyncio.ensure_future(api.call("sendMessage", 1001)) for _ in range(10)]
        await asyncio.sleep(0)
        answered = await api.call("answerCallbackQuery")
        typing = await api.call("sendChatAction", 1001)
        commands = await api.call("setMyCommands")
        return list(await asyncio.gather(*sends)), answered, typing, commands

    sends, answered, typing, commands = run_virtual(main())
    assert ms([answered, typing, commands]) == [0.0, 0.0, 0.0]
    assert ms(sends) == [0, 0, 0, 0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("endpoint", ["sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument",
                                      "sendPhoto", "copyMessage", "forwardMessage"])
def test_pacing_every_call_that_posts_or_changes_a_message_is_paced(endpoint: str) -> None:
    async def main() -> list[float]:
        api = Api(PerChatRateLimiter(private_burst=1))
        await asyncio.gather(*(api.call(endpoint, 7) for _ in range(3)))
        return api.times(7)

    assert ms(run_virtual(main())) == [0.0, 1.0, 2.0]


def test_pacing_a_429_pauses_only_its_chat_then_retries() -> None:
    async def main() -> tuple[Api, float, list[float]]:
        api = Api(PerChatRateLimiter())
        api.flood[1001] = [5.0]
        held = asyncio.ensure_future(api.call("sendMessage", 1001))
        await asyncio.sleep(0.5)
        queued = asyncio.ensure_future(api.call("sendMessage", 1001))  # the same chat: waits out the pause
        others = await asyncio.gather(*(api.call("sendMessage", chat) for chat in (1002, 1003, -1001)))
        return api, await held, [await queued, *others]

    api, held, rest = run_virtual(main())
    assert ms(api.times(1001)) == [0.0, 5.0, 5.0]  # the 429, the retry, the queued one
    assert ms([held, *rest]) == [5.0, 5.0, 0.5, 0.5, 0.5]  # other chats, groups too, not held at all


def test_pacing_retries_are_bounded_and_the_last_429_reaches_the_caller() -> None:
    async def main(retries: int | None) -> tuple[Api, BaseException | None]:
        api = Api(PerChatRateLimiter(max_retries=2))
        api.flood[1001] = [1.0] * 10
        api.flood[None] = [1.0] * 10
        errors = []
        for chat in (1001, None):
            try:
                await api.call("sendMessage" if chat else "setMyCommands", chat, retries)
            except RetryAfter as exc:
                errors.append(exc)
        return api, errors[0] if len(errors) == 2 else None

    api, error = run_virtual(main(None))
    assert isinstance(error, RetryAfter)
    assert [endpoint for _, endpoint, _ in api.calls] == ["sendMessage"] * 3 + ["setMyCommands"] * 3
    api, error = run_virtual(main(0))  # rate_limit_args: this call's own limit
    assert [endpoint for _, endpoint, _ in api.calls] == ["sendMessage", "setMyCommands"]


def test_pacing_a_flood_wait_longer_than_max_wait_is_not_waited_out() -> None:
    async def main() -> tuple[Api, list[str], float]:
        api = Api(PerChatRateLimiter(max_wait=60))
        api.flood[1001] = [3600.0]
        outcomes = []
        for _ in range(2):  # the 429 itself, then a later call to the paused chat: neither waits an hour
            try:
                await api.call("sendMessage", 1001)
                outcomes.append("sent")
            except RetryAfter as exc:
                outcomes.append(f"retry after {exc.retry_after}")
        return api, outcomes, asyncio.get_running_loop().time()

    api, outcomes, now = run_virtual(main())
    assert outcomes == ["retry after 1:00:00", "retry after 1:00:00"]
    assert len(api.calls) == 1 and round(now, 3) == 0.0


def test_pacing_idle_chats_are_forgotten_and_a_pause_is_remembered() -> None:
    async def main() -> tuple[int, float]:
        limiter = PerChatRateLimiter(keep_chats=100)
        api = Api(limiter)
        api.flood[5] = [50.0]
        with pytest.raises(RetryAfter):
            await api.call("sendMessage", 5, retries=0)  # chat 5 is paused for 50 s, nothing waiting on it
        most = 0
        for wave in range(20):  # 2,000 people, 100 at a time, 2 s apart
            await asyncio.gather(*(api.call("sendMessage", 1000 + wave * 100 + n) for n in range(100)))
            most = max(most, limiter.chats_held)
            await asyncio.sleep(2)
        return most, await api.call("sendMessage", 5)

    most, resumed = run_virtual(main())
    assert most <= 201  # the keep_chats floor doubled at most, not 2,001
    assert round(resumed, 3) == 50.0  # the pause outlived every sweep


# ----- end to end: the real Application against the fake Bot API -----


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.mark.slow
async def test_pacing_a_429_for_one_chat_does_not_hold_another_chats_replies(server: FakeTelegram,
                                                                               coach: Coach) -> None:
    send = server._methods["sendMessage"]
    flooded: list[int] = []

    async def flood_once_for_alex(params: dict, files: dict) -> Any:
        if params.get("chat_id") == "1001" and not flooded:
            flooded.append(1)
            raise ApiError(429, "Too Many Requests: retry after 4", {"retry_after": 4})
        return await send(params, files)

    server._methods["sendMessage"] = flood_once_for_alex
    async with running_bot(server, coach, paced=True):
        alex, sam = server.user(1001, "Alex"), server.user(1002, "Sam")
        alex.send_text("/start")
        await server.wait_for(lambda: flooded, what="Alex's 429")
        sam.send_text("/start")
        await sam.wait_for_text("Which would you like", timeout=3.5)
        assert alex.bot_messages() == []  # Alex's chat is still paused
        menu = await alex.wait_for_text("Which would you like", timeout=10)
        assert menu.labels
        await server.settle()
    statuses = [(c.params["chat_id"], c.status) for c in server.calls_to("sendMessage")]
    assert statuses[0] == ("1001", 429)
    assert statuses.count(("1001", 429)) == 1
    assert [c for c in server.errors() if c.status != 429] == []
