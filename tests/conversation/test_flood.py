"""Flood control: a fast sender is slowed (never refused until abusive), others are not, idle people
are forgotten; over-long messages are clipped at Telegram's own limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.flood import MAX_MESSAGE_CHARS, Pace, clip, refused


def test_pace_lets_a_burst_through_then_spaces_the_rest() -> None:
    pace = Pace(rate=60, burst=5)  # one a second after five at once
    waits = [pace.delay("ann", now=0.0) for _ in range(8)]
    assert waits == [0.0] * 5 + [pytest.approx(1.0), pytest.approx(2.0), pytest.approx(3.0)]


def test_pace_refills_at_the_rate() -> None:
    pace = Pace(rate=20, burst=2)  # a token every 3 seconds
    assert [pace.delay("ann", now=0.0) for _ in range(2)] == [0.0, 0.0]
    assert pace.delay("ann", now=2.0) == pytest.approx(1.0)  # booked at 3.0
    assert pace.delay("ann", now=100.0) == 0.0  # long after: a full bucket again
    assert pace.delay("ann", now=100.0) == 0.0


def test_pace_one_person_over_the_limit_does_not_affect_others() -> None:
    pace = Pace(rate=5, burst=2)
    for _ in range(50):
        pace.delay("spammer", now=1.0)
    assert pace.delay("spammer", now=1.0) > 500
    assert pace.delay("bea", now=1.0) == 0.0
    assert pace.delay("bea", now=1.0) == 0.0


def test_pace_forgets_idle_people_and_stays_bounded() -> None:
    pace = Pace(rate=60, burst=5, max_people=100)
    for n in range(300):
        pace.delay(f"person{n}", now=0.0)
    assert len(pace) <= 100
    for n in range(256):
        pace.delay("ann", now=1000.0 + n)
    assert len(pace) == 1  # everyone else had refilled and was forgotten


@pytest.mark.parametrize("bad", [{"rate": 0}, {"burst": 0}, {"max_people": -1}])
def test_pace_rejects_nonsense_settings(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Pace(**bad)  # type: ignore[arg-type]


@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=60))
def test_pace_never_lets_more_than_burst_plus_rate_through(times: list[float]) -> None:
    pace = Pace(rate=60, burst=5)
    starts = sorted(t + pace.delay("ann", t) for t in sorted(times))
    for i, first in enumerate(starts):  # in any 10 s window: at most burst + 10 messages begin
        assert sum(first <= s < first + 10 for s in starts[i:]) <= 5 + 10


def test_refused_names_the_message_it_did_not_keep() -> None:
    assert '("help me please")' in refused("help   me\nplease")
    long = refused("word " * 40)
    assert "it began" in long and "…" in long
    assert "didn't keep" in refused("")


def test_clip_keeps_short_text_and_cuts_at_telegrams_limit() -> None:
    assert clip("hello") == ("hello", False)
    text, cut = clip("x" * (MAX_MESSAGE_CHARS + 5))
    assert cut and len(text) == MAX_MESSAGE_CHARS == 4096
