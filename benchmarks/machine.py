"""What machine a figure came from, and a steady way to time things on a shared, noisy one."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable


def describe() -> str:
    cpu = platform.processor() or platform.machine()
    return (f"{platform.platform()}, {os.cpu_count()} CPU cores ({cpu}), "
            f"Python {platform.python_version()}")


def best_rate(work: Callable[[], int], repeats: int = 5) -> float:
    """Operations per second: the best of several runs, since noise only ever slows things down."""
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        done = work()
        elapsed = time.perf_counter() - start
        best = max(best, done / elapsed)
    return best
