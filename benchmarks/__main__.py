"""`make bench`: run every benchmark and write docs/performance.md (and each report's own doc)."""

from __future__ import annotations

import datetime
import importlib
import time
from pathlib import Path

from benchmarks import machine

ROOT = Path(__file__).resolve().parent.parent
TABLES = ["engine_bench", "startup_bench", "full_stack_bench", "profile_bench"]
REPORTS = ["safety_report", "question_coach_report"]
KEPT = "<!-- Below this line is kept by make bench. -->"


def main() -> None:
    started = time.perf_counter()
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine.describe()}.",
        "Times are best-of-several runs; each is shown beside a floor measured in the same run,",
        "because these machines are shared and noisy: the ratio is the figure to compare.",
        "",
        "| What | Result |",
        "| --- | --- |",
    ]
    for name in TABLES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError:
            continue
        print(f"running {name} ...", flush=True)
        for what, result in module.run():
            lines.append(f"| {what} | {result} |")
    for name in REPORTS:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError:
            continue
        print(f"running {name} ...", flush=True)
        module.main()
    lines += ["", f"All benchmarks took {time.perf_counter() - started:.0f} s.", ""]
    doc = ROOT / "docs" / "performance.md"
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    kept = old[old.index(KEPT):] if KEPT in old else ""  # notes written by hand stay below the marker
    doc.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
