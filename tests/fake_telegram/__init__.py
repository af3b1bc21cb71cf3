"""A fake Telegram Bot API for tests: an aiohttp server on 127.0.0.1 as strict as Telegram,
with people who type, tap and send stickers (see server.py and users.py)."""

from .html import EntityError, parse_html, utf16_len
from .records import ApiError, Call, CallbackQuery, ChatMessage, Upload
from .server import TOKEN, FakeTelegram
from .users import PNG, FakeUser

__all__ = ["PNG", "TOKEN", "ApiError", "Call", "CallbackQuery", "ChatMessage", "EntityError", "FakeTelegram",
           "FakeUser", "Upload", "parse_html", "utf16_len"]
