"""Flood control that never drops what a person sent: the limits and words the channel uses.

A channel handles each person's messages one at a time, in order, and Telegram lets a bot send
about one message a second to a chat, so a person who types faster than that builds a queue of
their own; nobody else waits on it. The channel tells them once that their messages are queued
(`SLOWED`, when `BACKLOG_NOTICE` are waiting), lets the safety net answer a risky message at once
rather than at its turn, and refuses only a truly abusive number waiting at once (`MAX_WAITING`),
naming the message it did not keep.
"""

from __future__ import annotations

MAX_MESSAGE_CHARS = 4096  # Telegram's own limit for one message: nothing it delivers is cut
BACKLOG_NOTICE = 5  # a person's messages waiting at once when they are told their queue is being worked through
MAX_WAITING = 100  # one person's messages waiting at once beyond which new ones are refused

SLOWED = ("You're sending messages faster than I can answer them. I'll go through every one, "
          "in order, so give me a little time.")
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
