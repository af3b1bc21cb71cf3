"""Telegram's limits, defined once: everything else that needs one takes it from here."""

from __future__ import annotations

from bot.content.report import Limits
from bot.conversation.buttons import ANSWER_OVERHEAD_BYTES

TEXT_CHARS = 4096  # one message, counted in UTF-16 units after entity parsing
CAPTION_CHARS = 1024  # a file's caption
BUTTON_DATA_BYTES = 64  # an inline button's callback_data
CALLBACK_ANSWER_CHARS = 200  # the pop-up after a tap

# What content must fit, checked when it loads (`load_content(..., limits=CONTENT)`).
CONTENT = Limits("Telegram", TEXT_CHARS, BUTTON_DATA_BYTES, ANSWER_OVERHEAD_BYTES)
