"""The Telegram channel: updates become `Incoming`, each `Outgoing` becomes a Telegram message.

The only package that imports `telegram`: app.py builds and runs the PTB Application,
channel.py turns updates into the coach's terms and back. It keeps no conversation state
(SQLite, behind the coach, is the truth), so a restart or a `kill -9` loses nothing. A few
generic handlers:

    private /command         -> Incoming("command")       any command, deep links (/start carer)
    private text             -> Incoming("text")          ref = message id, so an edit can find it
    private edited text      -> Incoming("edit")
    private sticker, photo.. -> Incoming("other", text=<kind>)
    button tap               -> Incoming("tap")           answered at once, the tapped question edited
    group or channel         -> the private-chat message (nothing stored)

Every text is escaped for HTML parse mode and split under Telegram's 4096 limit; a message
Telegram still refuses for its formatting is re-sent as plain text. 429s are retried by
AIORateLimiter, network errors and 5xx here; the error handler logs without message text and
with people's ids pseudonymised.
"""

import os

# PTB 22 warns on every 429 unless durations are opted in to `timedelta` (its next major default).
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.channels.telegram.app import (  # noqa: E402  (the setting above must come first)
    PURGE_EVERY,
    build_application,
    check_token,
    purge_daily,
    run_telegram,
    webhook_options,
)
from bot.channels.telegram.channel import TelegramChannel  # noqa: E402

__all__ = ["PURGE_EVERY", "TelegramChannel", "build_application", "check_token", "purge_daily", "run_telegram",
           "webhook_options"]
