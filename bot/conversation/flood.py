"""Flood control that slows a person down and never drops what they sent. Pure: the caller passes
the time and does the waiting.

Each person has a token bucket of `burst` messages that refills at `rate` a minute. A message
that finds the bucket empty is not refused: `Pace.delay` books the next free moment and says how
long to wait, so a hurried person's messages are all handled, in order, a little more slowly.
Only a truly abusive number waiting at once (`MAX_WAITING`) is refused, and the person is told
exactly which message was not kept. People whose bucket has refilled are forgotten.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_MESSAGE_CHARS = 4096  # Telegram's own limit for one message: nothing it delivers is cut
MAX_WAITING = 100  # one person's messages queued at once beyond which new ones are refused

SLOWED = ("You're sending messages faster than I can read them properly. I'll go through every one, "
          "in order, so give me a few seconds.")
REFUSED = ("That's more messages at once than I can keep up with, so I didn't keep this one{start}. "
           "Please send it again in a minute or two.")


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether anything was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def refused(text: str) -> str:
    """What to say about a message that was not kept, naming it by its first words."""
    words = " ".join(text.split())
    start = f' (it began "{words[:40]}…")' if len(words) > 40 else f' ("{words}")' if words else ""
    return REFUSED.format(start=start)


class Pace:
    """Token buckets keyed by person id (any string; pass a pseudonym if you like)."""

    def __init__(self, rate: float = 60, burst: int = 20, max_people: int = 10_000) -> None:
        if rate <= 0 or burst <= 0 or max_people <= 0:
            raise ValueError("rate, burst and max_people must all be positive")
        self.burst, self.max_people = burst, max_people
        self._gap = 60.0 / rate  # seconds a token takes to come back
        self._due: OrderedDict[str, float] = OrderedDict()  # person -> when their bucket is full again
        self._calls = 0

    def __len__(self) -> int:
        """How many people are remembered now."""
        return len(self._due)

    def delay(self, person: str, now: float) -> float:
        """Book this person's next message at `now` (seconds): how long it must wait (0 = go now).

        A generic cell-rate algorithm: each message pushes the time the bucket is full again one
        gap further; a message may go once that time is no more than `burst` gaps ahead."""
        self._calls += 1
        if self._calls % 256 == 0 or len(self._due) >= self.max_people:
            self._forget_idle(now)
        due = max(self._due.get(person, now), now) + self._gap
        self._due[person] = due
        self._due.move_to_end(person)
        return max(0.0, due - self.burst * self._gap - now)

    def _forget_idle(self, now: float) -> None:
        """Drop everyone whose bucket is full again; then, if still too many, the least recent."""
        for person in [p for p, due in self._due.items() if due <= now]:
            del self._due[person]
        while len(self._due) >= self.max_people:
            self._due.popitem(last=False)
