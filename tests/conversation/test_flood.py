"""Flood control's words: a refused message is named; over-long messages are clipped at Telegram's limit.
(The queueing itself is tested end to end in tests/channels/test_telegram_never_lose.py.)"""

from __future__ import annotations

from bot.conversation.flood import MAX_MESSAGE_CHARS, clip, refused


def test_refused_names_the_message_it_did_not_keep() -> None:
    assert '("help me please")' in refused("help   me\nplease")
    long = refused("word " * 40)
    assert "it began" in long and "…" in long
    assert "didn't keep" in refused("")


def test_clip_keeps_short_text_and_cuts_at_telegrams_limit() -> None:
    assert clip("hello") == ("hello", False)
    text, cut = clip("x" * (MAX_MESSAGE_CHARS + 5))
    assert cut and len(text) == MAX_MESSAGE_CHARS == 4096
