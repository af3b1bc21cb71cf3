"""Engine alone, and engine + durable SQLite storage, each against its floor measured in the same run."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.machine import best_rate
from benchmarks.scripted import TODAY, answer_for
from bot import engine
from bot.channels.telegram.limits import CONTENT
from bot.content.loader import load_content
from bot.content.model import Content, Flow
from bot.engine.state import FINISHED
from bot.store.storage import Storage

ROOT = Path(__file__).resolve().parent.parent


def longest_flow(content: Content) -> Flow:
    return max(content.listed_flows(), key=lambda f: len(f.nodes))


def engine_turns(flow: Flow, rounds: int, storage: Storage | None = None) -> int:
    """Run the flow `rounds` times with the scripted person; return how many turns that took."""
    turns = 0
    for n in range(rounds):
        turn = engine.begin(flow)
        session = storage.create_session(f"p{n}", turn.state) if storage else ""
        while turn.state.status != FINISHED:
            prompt = [r.prompt for r in turn.replies if r.prompt is not None][-1]
            turn = engine.handle(flow, turn.state, answer_for(prompt, turns), today=TODAY)
            if storage:
                storage.save_turn(f"p{n}", session, turn.state, turn.records)
            turns += 1
    return turns


def state_copy_floor(flow: Flow, turns: int) -> int:
    """The least a turn can cost: the working copy of the session state the engine takes each turn."""
    turn = engine.begin(flow)
    state = turn.state
    for _ in range(turns):
        state.copy()
    return turns


def sqlite_floor(path: Path, turns: int) -> int:
    """A bare insert-and-commit per turn with the same durability settings as our storage."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("create table if not exists t (id integer primary key, v text)")
    payload = json.dumps({"answer": "Getting out to the park with my daughter on Sundays"})
    for _ in range(turns):
        with conn:
            conn.execute("insert into t (v) values (?)", [payload])
    conn.close()
    return turns


def run() -> list[tuple[str, str]]:
    content = load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)
    flow = longest_flow(content)
    rows = []
    engine_rate = best_rate(lambda: engine_turns(flow, 20))
    floor_rate = best_rate(lambda: state_copy_floor(flow, 2000))
    rows.append((f"Engine alone ({flow.id}, {len(flow.nodes)} steps)",
                 f"{engine_rate:,.0f} turns/s; state-copy floor {floor_rate:,.0f}/s; "
                 f"engine costs {floor_rate / engine_rate:.1f}x the floor"))
    with tempfile.TemporaryDirectory() as tmp:
        storage = Storage(Path(tmp) / "bench.db")
        stored_rate = best_rate(lambda: engine_turns(flow, 3, storage), repeats=3)
        storage.close()
        bare_rate = best_rate(lambda: sqlite_floor(Path(tmp) / "floor.db", 200), repeats=3)
    rows.append(("Engine + SQLite, each answer committed durably (WAL, synchronous=FULL)",
                 f"{stored_rate:,.0f} turns/s; bare sqlite3 insert+commit floor {bare_rate:,.0f}/s; "
                 f"ratio {bare_rate / stored_rate:.2f}x (aim: within 3x)"))
    return rows
