"""Start-up time and memory with all content loaded, memory with 10,000 people, size per person."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = """
import resource, sys, time, json
start = time.perf_counter()
from pathlib import Path
from bot.conversation.coach import Coach
from bot.content.loader import load_content
from bot.store.storage import Storage
import bot.channels.console
from bot.channels.telegram.limits import CONTENT
content = load_content(Path('question_banks'), Path('flows'), limits=CONTENT)
coach = Coach(content, Storage(sys.argv[1]))
ready = time.perf_counter() - start
people = coach.storage.person_ids()
print(json.dumps({"ready": ready, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "people": len(people)}))
"""


def measure(db: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD, str(db)], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    result: dict[str, float] = json.loads(out.stdout)
    return result


def bare_python() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def fill(db: Path, people: int) -> None:
    """Store `people` people, each having answered the example flow."""
    from benchmarks.scripted import run_flow
    from bot.channels.telegram.limits import CONTENT
    from bot.content.loader import load_content
    from bot.engine.state import Record
    from bot.store.storage import Storage

    content = load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)
    flow = content.flows["example"]
    state, _ = run_flow(flow)
    records = [Record(node, answer, node, "A question?") for node, answer in state.answers.items()]
    storage = Storage(db)
    for n in range(people):
        session = storage.create_session(f"tg:{n}", state)
        storage.save_turn(f"tg:{n}", session, state, records)
    storage.checkpoint()
    storage.close()


def run() -> list[tuple[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.db"
        cold = min((time.perf_counter(), measure(empty), time.perf_counter()) for _ in range(3))
        whole = cold[2] - cold[0]
        floor = min(bare_python() for _ in range(3))
        rows.append(("Start-up, all shipped content loaded (whole process)",
                     f"{whole:.2f} s ({cold[1]['ready']:.2f} s of it importing and loading); bare `python -c pass` "
                     f"{floor:.2f} s, ratio {whole / floor:.1f}x (aim: under 2 s)"))
        rows.append(("Resident memory, content loaded, empty database", f"{cold[1]['rss_mb']:.0f} MB"))
        full = Path(tmp) / "full.db"
        fill(full, 10_000)
        loaded = measure(full)
        size = sum(p.stat().st_size for p in Path(tmp).glob("full.db*"))
        rows.append(("Resident memory with 10,000 people stored",
                     f"{loaded['rss_mb']:.0f} MB (aim: under 120 MB); {int(loaded['people']):,} people"))
        rows.append(("Database size per person (example flow answered)", f"{size / 10_000 / 1024:.1f} KB"))
    return rows
