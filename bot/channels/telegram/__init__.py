"""The Telegram channel: updates become `Incoming`, each `Outgoing` becomes a Telegram message.

The only package that imports `telegram`: app.py builds and runs the PTB Application,
channel.py turns updates into the coach's terms and back, text.py splits messages (no PTB) and
limits.py holds Telegram's limits (no PTB). It keeps no conversation state (SQLite, behind the
coach, is the truth), so a restart or a `kill -9` loses nothing. A few generic handlers:

    private /command         -> Incoming("command")       any command, deep links (/start carer)
    private text             -> Incoming("text")          ref = message id, so an edit can find it
    private edited text      -> Incoming("edit")
    private sticker, photo.. -> Incoming("other", text=<kind>)
    button tap               -> Incoming("tap")           answered at once, the tapped question edited
    group or channel         -> the private-chat message (nothing stored)

Every text is escaped for HTML parse mode and split under Telegram's 4096 limit, ready HTML with
its tags balanced in each message; a message Telegram still refuses for its formatting is re-sent
as plain text. 429s are retried by PerChatRateLimiter (pacing.py), network errors and 5xx here; the error handler
logs without message text and with people's ids pseudonymised.

The exports below are loaded on first use (PEP 562), so `import bot.channels.telegram.limits`
or `.text` does not import PTB.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# PTB 22 warns on every 429 unless durations are opted in to `timedelta` (its next major default).
# Set here, before any submodule can import `telegram`.
os.environ.setdefault("PTB_TIMEDELTA", "true")

if TYPE_CHECKING:
    from bot.channels.telegram.app import (
        PURGE_EVERY,
        build_application,
        check_telegram,
        check_token,
        purge_daily,
        run_telegram,
        webhook_options,
    )
    from bot.channels.telegram.channel import TelegramChannel

_EXPORTS = {
    "PURGE_EVERY": "app",
    "build_application": "app",
    "check_telegram": "app",
    "check_token": "app",
    "purge_daily": "app",
    "run_telegram": "app",
    "webhook_options": "app",
    "TelegramChannel": "channel",
}

__all__ = ["PURGE_EVERY", "TelegramChannel", "build_application", "check_telegram", "check_token", "purge_daily",
           "run_telegram", "webhook_options"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
