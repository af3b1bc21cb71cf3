"""Full stack: N simulated people answering through the real PTB Application and a fake Bot API
server on loopback, beside a minimal PTB echo bot (benchmarks/echo_bot.py) on the same server with
the same N.

Our bot is `build_application` over a real Coach (shipped content, a temporary SQLite database,
answers encrypted with a key file as in production). The fake server and its people run in a child
process (`python -m benchmarks.full_stack_bench serve`), as Telegram runs on other machines, so the
bot's process and its CPU time are the bot's alone. Each person acts (types an answer, or taps a
button of the newest question), waits until the bot has handled that update (a handler in group 1
writes the person's id to the child's stdin), and acts again: as fast as the bot replies, or paced
so that all of them together offer a set rate. Latency runs from the update being queued on the
server for getUpdates to the bot's first message for it arriving at the server (for a tap, after
answering the callback query and editing the tapped question), and to the whole reply sent.
Cost per reply is the bot process's CPU time divided by the replies it gave.

The "as shipped" rows run the bot exactly as built, its per-chat rate limiter included
(bot/channels/telegram/pacing.py: a private chat gets a burst of 4 calls, then one a second): 300
people answering at a human pace (each every 5 s, 60 replies/s offered in all), counting button
taps the fake expired ("query is too old" after 15 s, as Telegram does); and 50 people answering
flat out beside one quiet person answering every few seconds, recording when each paced call
(send*, edit*) reaches the server, so the busiest chat's calls in any 1 s and 10 s window show the
pacing holding, and the quiet person's latency (against the same person alone, in the same run)
shows no one waiting on another's burst. A person answering flat out is held to their own chat's
pace, so the capacity rows lift the pacing (burst and rate unbounded) to see the bot's own limits.
`python -m benchmarks.full_stack_bench profile [people answers [coach|echo]]` prints cProfile stats.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import json
import os
import pstats
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler

ROOT = Path(__file__).resolve().parent.parent
CONTROLS = {"Back", "Skip", "Why ask this?"}
# Buttons a benchmark person leaves alone: they end the session or make files (timed in profile_bench).
AVOID = re.compile(r"delete|erase|pdf|download|export|chart|summary|practi|privacy|stop", re.IGNORECASE)
TYPED = ["Getting out to the park with my daughter on Sundays", "My neighbour, who calls in most days",
         "Cooking a proper meal on a Friday", "seven", "yes", "next Tuesday", "that's all"]
# (people, answers each): about 200 replies for one person, 1,000 for 50, 3,000 for 500.
SIZES = [(1, 200), (50, 20), (500, 6)]
# (replies a second offered in all, answers each) for 50 paced people: Telegram's broadcast rate, the aim and between.
PACED = [(30, 10), (100, 10), (300, 10)]
WARMUP = (20, 3)
HUMAN = (300, 60.0, 6)  # as shipped: people, replies a second offered in all (each every 5 s), answers each
FLOOD = (50, 15)  # as shipped: people answering flat out, answers each
QUIET = (4.0, 8)  # as shipped: a quiet person answers every 4 s, this many times
UNPACED = {"private_burst": 10**6, "private_per_second": 10**6, "group_burst": 10**6, "group_per_minute": 10**8}


# ----- the server side (child process) -----


def _server_main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))  # tests/fake_telegram is imported as `fake_telegram` there
    asyncio.run(_serve())


async def _serve() -> None:
    from fake_telegram import FakeTelegram

    from bot.channels.telegram.pacing import is_paced

    class TimedTelegram(FakeTelegram):
        """The fake server, telling a waiting person the moment the bot's next message arrives, and
        noting when each call that Telegram paces per chat arrives."""

        def __init__(self) -> None:
            super().__init__()
            self.waiters: dict[int, asyncio.Future[float]] = {}  # person: their next bot message
            self.done: dict[int, asyncio.Future[float]] = {}  # person: the bot has handled their update
            self.bot_messages = 0
            self.paced: dict[int, list[float]] = {}  # chat: arrival times of its send* and edit* calls
            for name, method in list(self._methods.items()):
                if is_paced(name):
                    self._methods[name] = partial(self._noted, method)

        async def _noted(self, method: Any, params: dict, files: dict) -> Any:
            with contextlib.suppress(KeyError, ValueError):
                self.paced.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
            return await method(params, files)

        def add_message(self, chat_id: int, *, from_bot: bool, kind: str, raw: dict, text: str = "",
                        **extra: Any) -> Any:
            message = super().add_message(chat_id, from_bot=from_bot, kind=kind, raw=raw, text=text, **extra)
            if from_bot:
                self.bot_messages += 1
                waiter = self.waiters.pop(chat_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(time.perf_counter())
            return message

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    orders: asyncio.Queue[dict] = asyncio.Queue()

    async def listen() -> None:
        """Orders from the benchmark (JSON), and the bot's word that it has handled a person's update."""
        while line := await reader.readline():
            if line.startswith(b"{"):
                await orders.put(json.loads(line))
                continue
            waiter = server.done.pop(int(line), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(time.perf_counter())
        await orders.put({"quit": True})

    async with TimedTelegram() as server:
        listener = asyncio.create_task(listen())
        print(server.url, flush=True)
        next_id = 10_000
        while not (order := await orders.get()).get("quit"):
            result = await _load(server, order["kind"], order["people"], order["answers"], next_id, order.get("rate"),
                                 order.get("quiet"), order.get("flows", []))
            next_id += order["people"] + 1
            print(json.dumps(result), flush=True)
        listener.cancel()


async def _load(server: Any, kind: str, people: int, answers: int, first_id: int, rate: float | None,
                quiet: tuple[float, int] | None = None, flows: list[str] | None = None) -> dict:
    """`people` answering `answers` times each (flat out, or `rate` a second in all), and with `quiet`
    (seconds apart, answers) one more person at that pace, whose latencies are kept apart. People
    start `flows` (the bot's, sent with the order) in turn."""
    flows = flows or []
    latencies: list[float] = []  # to the first message of the reply
    whole: list[float] = []  # to the bot having handled the update (every message of the reply sent)
    quiet_latencies: list[float] = []  # the quiet person's, to the first message
    quiet_whole: list[float] = []
    paced_per_reply: list[int] = []  # send* and edit* calls the bot made for one reply
    calls_before = len(server.calls)
    messages_before = server.bot_messages
    loop = asyncio.get_running_loop()

    period = people / rate if rate else 0.0  # seconds between one person's actions, when paced
    begin = time.perf_counter() + 0.05
    due: dict[int, float] = {}
    quiet_id = first_id + people

    async def act(user: Any, send: Any) -> None:
        every, first_at = 0.0, begin
        if user.id == quiet_id and quiet:  # the quiet person: every quiet[0] s, from a second in
            every, first_at = quiet[0], begin + 1.0
        elif period:  # paced: people's actions spread evenly, `rate` a second in all
            every, first_at = period, begin + period * (user.id - first_id) / people
        if every:
            at = due.setdefault(user.id, first_at)
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            due[user.id] = at + every
        waiter: asyncio.Future[float] = loop.create_future()
        done: asyncio.Future[float] = loop.create_future()
        server.waiters[user.chat_id], server.done[user.id] = waiter, done
        paced_before = len(server.paced.get(user.chat_id, ()))
        start = time.perf_counter()
        send()
        finished = await asyncio.wait_for(done, 60)
        paced_per_reply.append(len(server.paced.get(user.chat_id, ())) - paced_before)
        first = waiter.result() - start if waiter.done() else None
        if first is None:
            server.waiters.pop(user.chat_id, None)
        if user.id == quiet_id:
            quiet_whole.append(finished - start)
            quiet_latencies.extend([first] if first is not None else [])
        else:
            whole.append(finished - start)
            latencies.extend([first] if first is not None else [])

    async def echo_person(number: int, answers: int = answers) -> None:
        user = server.user(first_id + number, f"P{number}")
        for turn in range(answers):
            await act(user, partial(user.send_text, f"{TYPED[turn % len(TYPED)]} ({turn})"))

    async def coach_person(number: int, answers: int = answers) -> None:
        user = server.user(first_id + number, f"P{number}")
        flow = number % len(flows)
        await act(user, lambda: user.send_text(f"/start {flows[flow]}"))
        for turn in range(answers - 1):
            last = user.bot_messages()[-1]
            buttons = [b for row in last.keyboard for b in row
                       if "callback_data" in b and b["text"] not in CONTROLS and not AVOID.search(b["text"])]
            if buttons:
                label = buttons[(turn * 7 + number) % len(buttons)]["text"]
                await act(user, partial(user.tap, last, label))
            elif last.keyboard or last.text.startswith("Question"):
                await act(user, partial(user.send_text, TYPED[turn % 3]))
            else:  # the flow has ended (or something unexpected): the next flow
                flow = (flow + 1) % len(flows)
                await act(user, partial(user.send_text, f"/start {flows[flow]}"))

    person = echo_person if kind == "echo" else coach_person
    start, cpu, clock = time.perf_counter(), time.process_time(), time.monotonic()
    everyone = [person(n) for n in range(people)] + ([person(people, quiet[1])] if quiet else [])
    await asyncio.gather(*everyone)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    taps = [q for q in server.callbacks.values() if q.created >= clock]
    chats = [server.paced.get(first_id + n, []) for n in range(people + (1 if quiet else 0))]
    if os.environ.get("FULL_STACK_DUMP"):  # a debugging aid: the first person's chat (synthetic text only)
        print(server.user(first_id, "P0").render(), file=sys.stderr)
    calls = server.calls[calls_before:]
    methods: dict[str, int] = {}
    for call in calls:
        methods[call.method] = methods.get(call.method, 0) + 1
    refused = [f"{c.method} {c.status} {c.description}" for c in calls if not c.ok and c.method != "getUpdates"]
    replies = len(whole) + len(quiet_whole)
    return {"replies": replies, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "whole_p50": percentile(whole, 0.5), "whole_p99": percentile(whole, 0.99), "elapsed": elapsed,
            "server_cpu": cpu,
            "bot_messages": server.bot_messages - messages_before, "methods": methods, "refused": refused[:5],
            "refused_count": len(refused), "quiet_p50": percentile(quiet_latencies, 0.5),
            "quiet_p99": percentile(quiet_latencies, 0.99), "taps": len(taps),
            "expired": sum(1 for q in taps if not q.answered),  # answered too late ("query is too old") or never
            "slowest_tap": max((q.answered_after or 0.0 for q in taps), default=0.0),
            "max_1s": max((most_within(t, 1.0) for t in chats), default=0),
            "max_10s": max((most_within(t, 10.0) for t in chats), default=0),
            "paced_per_reply": max(paced_per_reply, default=0),
            "paced_per_reply_p99": percentile([float(n) for n in paced_per_reply], 0.99)}


def most_within(times: list[float], window: float) -> int:
    """The most of these (sorted) times that fall in any `window` seconds."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] > window:
            first += 1
        most = max(most, last - first + 1)
    return most


# ----- the bot side (this process) -----


@dataclass
class Result:
    kind: str
    people: int
    replies: int
    elapsed: float
    cpu: float
    p50: float  # to the first message of the reply
    p99: float
    whole_p50: float  # to the whole reply sent
    whole_p99: float
    calls_per_reply: float
    messages_per_reply: float
    refused: int
    offered: float = 0.0  # replies a second the people asked for, when paced
    coach_wall: float = 0.0  # per reply, in Coach.handle (engine, encryption, SQLite with its fsync)
    coach_cpu: float = 0.0
    server_busy: float = 0.0  # share of one core the fake server and its people used
    quiet_p50: float = 0.0  # the quiet person's latency to the first message, when there is one
    quiet_p99: float = 0.0
    taps: int = 0  # button taps, and how many of them the fake expired or that were never answered
    expired: int = 0
    slowest_tap: float = 0.0  # seconds from a tap to its answer, at worst
    max_1s: int = 0  # the most send*/edit* calls one chat made in any 1 s, and in any 10 s
    max_10s: int = 0
    paced_per_reply: int = 0  # the most send*/edit* calls in one reply, and the 99th percentile
    paced_per_reply_p99: float = 0.0

    @property
    def rate(self) -> float:
        return self.replies / self.elapsed

    @property
    def busy(self) -> float:
        return self.cpu / self.elapsed

    @property
    def cpu_per_reply(self) -> float:
        return self.cpu / self.replies


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Harness:
    """One server child process and one bot (ours or the echo bot) polling it."""

    def __init__(self, kind: str, *, paced: bool = False) -> None:
        self.kind, self.paced = kind, paced
        self.tmp = tempfile.TemporaryDirectory(prefix="fullstack-")
        self.proc: asyncio.subprocess.Process | None = None
        self.app: Any = None
        self.coach_wall = self.coach_cpu = 0.0

    async def __aenter__(self) -> Harness:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.full_stack_bench", "serve", cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert self.proc.stdout is not None
        url = (await asyncio.wait_for(self.proc.stdout.readline(), 30)).decode().strip()
        self.app = self._build(url)
        # After the bot's own handlers (group 0) have finished with an update, tell the person's side.
        self.app.add_handler(TypeHandler(Update, self._handled), group=1)
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(timeout=1, drop_pending_updates=False)
        return self

    async def _handled(self, update: Update, context: Any) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        if update.effective_user is not None:
            self.proc.stdin.write(f"{update.effective_user.id}\n".encode())

    def _build(self, url: str) -> Any:
        sys.path.insert(0, str(ROOT / "tests"))
        from fake_telegram import TOKEN

        if self.kind == "echo":
            from benchmarks.echo_bot import build_echo_application

            return build_echo_application(TOKEN, url)
        from bot.channels.telegram import build_application
        from bot.channels.telegram.limits import CONTENT
        from bot.channels.telegram.pacing import PerChatRateLimiter
        from bot.content.loader import load_content
        from bot.conversation.coach import Coach
        from bot.settings import Settings
        from bot.store.encryption import load_cipher
        from bot.store.storage import Storage

        tmp = Path(self.tmp.name)
        content = load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)
        storage = Storage(tmp / "coach.db", cipher=load_cipher(None, tmp / "coach.key"))
        self.coach = Coach(content, storage)
        handle = self.coach.handle

        def timed(person: str, incoming: Any) -> Any:  # the coach's share of each reply, wall and CPU
            # thread_time: the worker thread's own CPU (process_time would add the event loop's, running meanwhile)
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return handle(person, incoming)
            finally:
                self.coach_wall += time.perf_counter() - wall
                self.coach_cpu += time.thread_time() - cpu

        self.coach.handle = timed  # type: ignore[method-assign]
        app = build_application(self.coach, Settings(telegram_bot_token=TOKEN, telegram_base_url=url))
        if not self.paced:
            # Per-chat pacing holds a person answering flat out to about one call a second, so the bot's
            # capacity can only be seen with it lifted; the limiter itself (and its retries) stays.
            app.bot._rate_limiter = PerChatRateLimiter(**UNPACED)
        return app

    async def run(self, people: int, answers: int, profile: cProfile.Profile | None = None,
                  rate: float | None = None, quiet: tuple[float, int] | None = None) -> Result:
        """`people` answering `answers` times each: as fast as the bot replies, or `rate` a second in all;
        with `quiet` (seconds apart, answers), one more person answering at that pace."""
        assert self.proc is not None and self.proc.stdin is not None and self.proc.stdout is not None
        flows = [] if self.kind == "echo" else [f.id for f in self.coach.content.listed_flows()
                                                 if not f.id.startswith("practice")]
        order = {"kind": self.kind, "people": people, "answers": answers, "rate": rate, "quiet": quiet,
                 "flows": flows}
        self.proc.stdin.write((json.dumps(order) + "\n").encode())
        await self.proc.stdin.drain()
        cpu, coach_wall, coach_cpu = time.process_time(), self.coach_wall, self.coach_cpu
        if profile is not None:
            profile.enable()
        line = await asyncio.wait_for(self.proc.stdout.readline(), 600)
        if not line.startswith(b"{"):
            raise RuntimeError("the fake server stopped (a person waited 60 s for the bot to handle an update?)")
        if profile is not None:
            profile.disable()
        cpu = time.process_time() - cpu
        data = json.loads(line)
        replies = data["replies"]
        calls = sum(n for method, n in data["methods"].items() if method != "getUpdates")
        return Result(self.kind, people, replies, data["elapsed"], cpu, data["p50"], data["p99"], data["whole_p50"],
                      data["whole_p99"], calls / replies, data["bot_messages"] / replies, data["refused_count"],
                      rate or 0.0, (self.coach_wall - coach_wall) / replies, (self.coach_cpu - coach_cpu) / replies,
                      data["server_cpu"] / data["elapsed"], data["quiet_p50"], data["quiet_p99"], data["taps"],
                      data["expired"], data["slowest_tap"], data["max_1s"], data["max_10s"], data["paced_per_reply"],
                      data["paced_per_reply_p99"])

    async def __aexit__(self, *exc: object) -> None:
        if self.app is not None:
            if self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
            if self.kind != "echo":
                self.coach.storage.close()
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b'{"quit": true}\n')
            await self.proc.stdin.drain()
            self.proc.stdin.close()
            await asyncio.wait_for(self.proc.wait(), 30)
        self.tmp.cleanup()


async def measure(kind: str) -> tuple[list[Result], list[Result]]:
    """As fast as the bot replies for each of SIZES, then 50 people paced at each of PACED."""
    async with Harness(kind) as harness:
        await harness.run(*WARMUP)
        flat_out = [await harness.run(people, answers) for people, answers in SIZES]
        paced = [await harness.run(50, answers, rate=rate) for rate, answers in PACED]
    return flat_out, paced


@dataclass
class Shipped:
    human: Result  # HUMAN: 300 people at a human pace
    human_echo: Result  # the same load on the echo bot
    flood: Result  # FLOOD people flat out, beside the QUIET person
    alone: Result  # the QUIET person alone, in the same run


async def measure_shipped() -> Shipped:
    """The bot as built (per-chat pacing on): HUMAN on it and on the echo bot, then FLOOD beside QUIET."""
    people, rate, answers = HUMAN
    async with Harness("echo") as harness:
        await harness.run(*WARMUP)
        human_echo = await harness.run(people, answers, rate=rate)
    async with Harness("coach", paced=True) as harness:
        await harness.run(*WARMUP)
        human = await harness.run(people, answers, rate=rate)
        alone = await harness.run(0, 0, quiet=QUIET)
        flood = await harness.run(*FLOOD, quiet=QUIET)
    return Shipped(human, human_echo, flood, alone)


NO_WAIT = ": no one waits on another's burst"
SLOTS = (": the quiet person waits, though not on pacing (their own chat is never held): on the coach's one "
         "turn at a time, behind the handling (not the replies) of the messages already in hand")
BOTH_AIMS = ": from one bot process the 300/s aim and the 2x aim cannot both be met here"
QUEUEING = " (mostly queueing: everyone is always waiting)"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def run() -> list[tuple[str, str]]:
    ours, ours_paced = asyncio.run(measure("coach"))
    echo, echo_paced = asyncio.run(measure("echo"))
    shipped = asyncio.run(measure_shipped())
    rows = _shipped_rows(shipped)
    for mine, floor in zip(ours, echo, strict=True):
        rows.append((
            f"Full stack (pacing lifted), {_people(mine.people)} answering as fast as the bot replies "
            f"({mine.replies:,} replies)",
            f"{mine.rate:,.0f} replies/s, {_ms(mine.cpu_per_reply)} bot CPU per reply "
            f"({mine.calls_per_reply:.1f} API calls each; Coach.handle {_ms(mine.coach_cpu)} of it), "
            f"p50 {_ms(mine.p50)}, p99 {_ms(mine.p99)}{QUEUEING if mine.people > 1 else ''}; "
            f"echo bot {floor.rate:,.0f} replies/s, {_ms(floor.cpu_per_reply)} CPU per reply, "
            f"p50 {_ms(floor.p50)}, p99 {_ms(floor.p99)}; **our cost per reply "
            f"{mine.cpu_per_reply / floor.cpu_per_reply:.1f}x the echo bot's** (aim: at most 2x); "
            f"{mine.refused} calls refused; bot process {mine.busy:.0%} busy, fake server {mine.server_busy:.0%}"))
    for mine, floor in zip(ours_paced, echo_paced, strict=True):
        rows.append((
            f"Full stack (pacing lifted), 50 people paced at {mine.offered:,.0f} replies/s in all",
            f"ours: {mine.rate:,.0f} replies/s achieved, p50 {_ms(mine.p50)}, p99 {_ms(mine.p99)} "
            f"(whole reply sent: p99 {_ms(mine.whole_p99)}); echo bot: {floor.rate:,.0f}/s, p50 {_ms(floor.p50)}, "
            f"p99 {_ms(floor.p99)} (aim: p99 under 50 ms)"))
    rows.append(_verdict(ours, echo, ours_paced))
    return rows


def _shipped_rows(shipped: Shipped) -> list[tuple[str, str]]:
    """The rows for the bot as built, per-chat pacing on, with the aims of issue 12."""
    human, echo, flood, alone = shipped.human, shipped.human_echo, shipped.flood, shipped.alone
    from bot.channels.telegram.pacing import PRIVATE_BURST, PRIVATE_PER_SECOND

    allowed_1s, allowed_10s = PRIVATE_BURST + PRIVATE_PER_SECOND, PRIVATE_BURST + 10 * PRIVATE_PER_SECOND
    # One call more than allowed is network jitter (two calls paced 1 s apart can arrive 0.99 s apart).
    held = flood.max_1s <= allowed_1s + 1 and flood.max_10s <= allowed_10s + 1
    unhurt = flood.quiet_p99 < 0.25
    aims = [f"{human.rate:,.0f} replies/s {'met' if human.rate >= 55 else 'missed'} (aim ≥ 55)",
            f"p99 {_ms(human.p99)} {'met' if human.p99 < 0.25 else 'missed'} (aim < 250 ms)",
            f"{human.expired} expired taps {'met' if human.expired == 0 else 'missed'} (aim 0)",
            f"pacing {'held' if held else 'broken'} ({flood.max_1s} calls in 1 s at most, {flood.max_10s} in 10 s)",
            f"no one waiting on another's burst {'met' if unhurt else 'missed'} (the quiet person's p99 "
            f"{_ms(flood.quiet_p99)} beside the flood, {_ms(alone.quiet_p99)} alone; aim < 250 ms)"]
    return [
        (f"Full stack as shipped (per-chat pacing), {human.people} people answering at a human pace, "
         f"{human.offered:,.0f} replies/s offered in all ({human.replies:,} replies)",
         f"ours: **{human.rate:,.0f} replies/s** achieved, p50 {_ms(human.p50)}, **p99 {_ms(human.p99)}** (whole reply "
         f"sent: p99 {_ms(human.whole_p99)}); **{human.expired} of {human.taps:,} taps expired** (slowest answered "
         f"after {_ms(human.slowest_tap)}; the fake expires them at 15 s, as Telegram does); up to "
         f"{human.paced_per_reply} paced calls in one reply (p99 {human.paced_per_reply_p99:.0f}), so a burst of "
         f"{PRIVATE_BURST} holds no reply back at this pace; {human.refused} calls refused; bot process "
         f"{human.busy:.0%} busy; echo bot at the same load: {echo.rate:,.0f}/s, p50 {_ms(echo.p50)}, "
         f"p99 {_ms(echo.p99)}"),
        (f"Full stack as shipped, {flood.people} people answering as fast as the bot replies "
         f"({flood.replies:,} replies), beside one quiet person answering every {QUIET[0]:.0f} s",
         f"{flood.rate:,.0f} replies/s in all: each chat held to its own pace (the busiest chat: "
         f"**{flood.max_1s} calls in any 1 s, {flood.max_10s} in any 10 s**; the limiter allows {allowed_1s:.0f} "
         f"and {allowed_10s:.0f}), so a flooding person waits on their own chat: p50 {_ms(flood.p50)}, p99 "
         f"{_ms(flood.p99)}; **the quiet person: p50 {_ms(flood.quiet_p50)}, p99 {_ms(flood.quiet_p99)}** "
         f"(alone, same run: p50 {_ms(alone.quiet_p50)}, p99 {_ms(alone.quiet_p99)}){NO_WAIT if unhurt else SLOTS}; "
         f"{flood.refused} calls refused; bot process {flood.busy:.0%} busy"),
        ("Full stack as shipped, aims (issue 12): " + "; ".join(aims),
         "Before (AIORateLimiter, 30 calls/s for the whole bot): 50 people at once got about 13 replies/s, p99 "
         "4.9 s; 300 people at a human pace 15 replies/s, p99 27 s, and about 330 taps expired."),
    ]


def _verdict(ours: list[Result], echo: list[Result], paced: list[Result]) -> tuple[str, str]:
    best, floor_best = max(r.rate for r in ours), max(r.rate for r in echo)
    cost = max(m.cpu_per_reply / f.cpu_per_reply for m, f in zip(ours, echo, strict=True))
    at_aim = paced[-1]
    mine, floor = ours[1], echo[1]
    framework = mine.cpu_per_reply - mine.coach_cpu
    cap = paced[0]
    met = [f"rate {'met' if best >= 300 else 'missed'} ({best:,.0f}/s at best)",
           f"p99 at {cap.offered:,.0f}/s (Telegram's broadcast rate) {'met' if cap.p99 < 0.05 else 'missed'} "
           f"({_ms(cap.p99)})",
           f"p99 at {at_aim.offered:,.0f}/s offered {'met' if at_aim.p99 < 0.05 else 'missed'} ({_ms(at_aim.p99)})",
           f"cost {'met' if cost <= 2 else 'missed'} ({cost:.1f}x at worst)"]
    why = (f"Where the bot's time goes (50 people): of {_ms(mine.cpu_per_reply)} CPU per reply, Coach.handle "
           f"(engine, Fernet encryption, SQLite) takes {_ms(mine.coach_cpu)} of CPU and {_ms(mine.coach_wall)} of "
           f"wall time with the commit's fsync (in a worker thread: the event loop goes on meanwhile); the other "
           f"{_ms(framework)} is PTB, "
           f"httpx and the channel making {mine.calls_per_reply:.1f} Bot API calls per reply (a tap: "
           "answerCallbackQuery, editMessageText, sendMessage; typed text: editMessageReplyMarkup to clear the "
           f"old keyboard, then sendMessage) where the echo bot makes 1 for {_ms(floor.cpu_per_reply)}. "
           f"So the framework's per-call cost alone puts us near {framework / floor.cpu_per_reply:.1f}x the echo "
           f"bot. The echo bot itself peaks at {floor_best:,.0f}/s on this machine, so 2x its cost is about "
           f"{floor_best / 2:,.0f}/s{BOTH_AIMS if floor_best < 600 else ''}. "
           f"What would close it: fewer Bot API calls per reply, since each costs PTB and httpx about "
           f"{_ms(framework / mine.calls_per_reply)} of CPU and, in production, a share of the chat's pace of one "
           "a second (the "
           "keyboard clear after a typed answer is the one that could go, as the coach already answers a stale "
           "tap; the tap's answerCallbackQuery and edit are part of the design); for 300/s, more than one bot "
           "process (webhooks behind a load "
           "balancer, people sharded by id). Telegram's own limits are per chat (about one message a second, "
           "paced by bot/channels/telegram/pacing.py), so they hold back a person, never the bot; at 30 "
           f"replies/s offered the bot's own p99 is {_ms(cap.p99)}.")
    return ("Full stack aims: " + "; ".join(met), why)


def _profile_main() -> None:
    """`python -m benchmarks.full_stack_bench profile [people answers]`: where our bot's time goes."""
    people, answers = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (50, 20)
    kind = sys.argv[4] if len(sys.argv) > 4 else "coach"

    async def go() -> Result:
        profile = cProfile.Profile()
        async with Harness(kind) as harness:
            await harness.run(*WARMUP)
            result = await harness.run(people, answers, profile)
        stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return result

    print(asyncio.run(go()))


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _server_main()
    elif sys.argv[1:2] == ["profile"]:
        _profile_main()
    else:
        for what, result in run():
            print(f"{what}: {result}")
