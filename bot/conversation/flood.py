"""Per-person flood control and a cap on message size. Pure: the caller passes the time.

Each person has a token bucket: it holds up to `burst` messages and refills at `rate` messages
per `per_seconds`. A person who sends faster than that is slowed; nobody else is affected.
People whose bucket has refilled to full are forgotten, so memory stays bounded by how many
people are active at once (and by `max_people` as a hard ceiling).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 4000


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether anything was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


@dataclass
class _Bucket:
    tokens: float
    updated: float


class FloodGate:
    """Token buckets keyed by person id (any string; pass a pseudonym if you like)."""

    def __init__(self, rate: int = 20, per_seconds: float = 60, burst: int = 10, max_people: int = 10_000) -> None:
        if rate <= 0 or per_seconds <= 0 or burst <= 0 or max_people <= 0:
            raise ValueError("rate, per_seconds, burst and max_people must all be positive")
        self.rate = rate
        self.per_seconds = float(per_seconds)
        self.burst = burst
        self.max_people = max_people
        self._per_token = self.per_seconds / rate
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._calls = 0

    def __len__(self) -> int:
        """How many people are remembered now."""
        return len(self._buckets)

    def allow(self, person: str, now: float) -> bool:
        """True if this person may send a message at `now` (seconds, any monotonic origin)."""
        self._calls += 1
        if self._calls % 256 == 0 or len(self._buckets) >= self.max_people:
            self._forget_idle(now)
        bucket = self._refilled(person, now)
        self._buckets[person] = bucket
        self._buckets.move_to_end(person)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False

    def retry_after(self, person: str, now: float) -> float:
        """Seconds until this person may send again (0 if they may send now)."""
        bucket = self._buckets.get(person)
        if bucket is None:
            return 0.0
        tokens = self._level(bucket, now)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) * self._per_token

    def _level(self, bucket: _Bucket, now: float) -> float:
        elapsed = max(0.0, now - bucket.updated)
        return min(float(self.burst), bucket.tokens + elapsed / self._per_token)

    def _refilled(self, person: str, now: float) -> _Bucket:
        bucket = self._buckets.get(person)
        if bucket is None:
            return _Bucket(tokens=float(self.burst), updated=now)
        return _Bucket(tokens=self._level(bucket, now), updated=max(now, bucket.updated))

    def _forget_idle(self, now: float) -> None:
        """Drop everyone whose bucket is full again; then, if still too many, the least recent."""
        for person in [p for p, b in self._buckets.items() if self._level(b, now) >= self.burst]:
            del self._buckets[person]
        while len(self._buckets) >= self.max_people:
            self._buckets.popitem(last=False)
