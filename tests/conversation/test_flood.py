"""Flood control: a fast sender is slowed, others are not, idle people are forgotten."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.flood import MAX_MESSAGE_CHARS, FloodGate, clip


def test_flood_allows_a_burst_then_slows_the_sender() -> None:
    gate = FloodGate(rate=20, per_seconds=60, burst=10)
    results = [gate.allow("ann", now=0.0) for _ in range(12)]
    assert results == [True] * 10 + [False, False]


def test_flood_refills_at_the_rate() -> None:
    gate = FloodGate(rate=20, per_seconds=60, burst=10)  # one message every 3 seconds
    for _ in range(10):
        assert gate.allow("ann", now=0.0)
    assert not gate.allow("ann", now=2.9)
    assert gate.allow("ann", now=3.0)
    assert not gate.allow("ann", now=3.1)
    assert gate.retry_after("ann", now=3.1) == pytest.approx(2.9)


def test_flood_one_person_over_the_limit_does_not_affect_others() -> None:
    gate = FloodGate(rate=5, per_seconds=60, burst=2)
    for _ in range(50):
        gate.allow("spammer", now=1.0)
    assert not gate.allow("spammer", now=1.0)
    assert gate.allow("bea", now=1.0)
    assert gate.allow("bea", now=1.0)


def test_flood_retry_after_is_zero_for_strangers_and_people_with_tokens() -> None:
    gate = FloodGate()
    assert gate.retry_after("nobody", now=5.0) == 0.0
    gate.allow("ann", now=5.0)
    assert gate.retry_after("ann", now=5.0) == 0.0


def test_flood_forgets_idle_people() -> None:
    gate = FloodGate(rate=60, per_seconds=60, burst=5)
    for n in range(300):
        gate.allow(f"person{n}", now=0.0)
    assert len(gate) == 300  # all still partly drained, so all remembered
    # long after, everyone has refilled; the next sweep drops them all
    for n in range(256):
        gate.allow("late", now=10_000.0 + n)
    assert len(gate) <= 2


def test_flood_memory_has_a_hard_ceiling() -> None:
    gate = FloodGate(rate=1, per_seconds=3600, burst=1, max_people=50)
    for n in range(1000):
        gate.allow(f"p{n}", now=0.0)
    assert len(gate) <= 50


def test_flood_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        FloodGate(rate=0)


@given(st.lists(st.floats(min_value=0, max_value=10), min_size=1, max_size=200))
def test_flood_never_allows_more_than_burst_plus_refill(gaps: list[float]) -> None:
    gate = FloodGate(rate=20, per_seconds=60, burst=10)
    now = 0.0
    allowed = 0
    for gap in gaps:
        now += gap
        allowed += gate.allow("ann", now=now)
    assert allowed <= 10 + now / 3.0 + 1e-9


def test_clip_leaves_short_text_alone() -> None:
    assert clip("hello") == ("hello", False)
    assert clip("x" * MAX_MESSAGE_CHARS) == ("x" * MAX_MESSAGE_CHARS, False)


def test_clip_cuts_long_text_and_says_so() -> None:
    text, clipped = clip("y" * (MAX_MESSAGE_CHARS + 5))
    assert clipped
    assert len(text) == MAX_MESSAGE_CHARS == 4000
