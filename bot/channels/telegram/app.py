"""Building and running the PTB Application: handlers, rate limits, per-person order, polling or webhook."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import weakref
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.channels.telegram.channel import TelegramChannel
from bot.conversation.coach import Coach
from bot.errors import ConfigError
from bot.settings import Settings

log = logging.getLogger(__name__)

PURGE_EVERY = 24 * 60 * 60  # seconds: the retention job runs daily
UPDATES = ["message", "edited_message", "callback_query", "channel_post"]
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# ----- building and running -----


def build_application(coach: Coach, settings: Settings) -> Application:
    """The PTB Application with every handler registered; raises ConfigError for a bad token."""
    token = check_token(settings.telegram_bot_token)
    quieten_libraries()
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerPersonProcessor(32))
        .post_init(set_commands)
    )
    if settings.telegram_base_url:
        base, files = _base_urls(settings.telegram_base_url)
        builder = builder.base_url(base).base_file_url(files)
    app = builder.build()
    channel = TelegramChannel(coach, token)
    app.bot_data["channel"] = channel
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(~private & ~filters.StatusUpdate.ALL, channel.not_private))
    app.add_handler(CallbackQueryHandler(channel.tap))
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, channel.edited))
    app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & filters.COMMAND, channel.command))
    app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & filters.TEXT, channel.text))
    app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                   channel.other))
    app.add_error_handler(channel.on_error)
    if app.job_queue is not None:
        app.job_queue.run_repeating(purge_daily, interval=PURGE_EVERY, first=60, data=channel, name="retention")
    return app


async def purge_daily(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase everyone untouched for the retention period (COACH_RETENTION_DAYS)."""
    channel = context.job.data if context.job else None
    if isinstance(channel, TelegramChannel):
        erased = await asyncio.to_thread(channel.purge)
        log.info("retention: erased %d people untouched for %d days", erased, channel.coach.retention_days)


def run_telegram(coach: Coach, settings: Settings) -> None:
    """Run until stopped: long polling, or a webhook when `settings.webhook_url` is set."""
    app = build_application(coach, settings)
    options = webhook_options(settings) if settings.webhook_url else None
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling/run_webhook take this loop and close it
    try:
        loop.run_until_complete(_preflight(app))
        if options is not None:
            log.info("starting the Telegram bot with a webhook on %s:%s", settings.webhook_listen,
                     settings.webhook_port)
            app.run_webhook(**options, allowed_updates=UPDATES, drop_pending_updates=False)
        else:
            log.info("starting the Telegram bot with long polling")
            app.run_polling(allowed_updates=UPDATES, drop_pending_updates=False)
    finally:
        if not loop.is_closed():
            loop.close()


async def _preflight(app: Application) -> None:
    """Check the token and the connection once (getMe), turning failures into one clear line."""
    try:
        await app.bot.initialize()
    except InvalidToken:
        raise ConfigError("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather") from None
    except (TimedOut, NetworkError) as exc:
        raise ConfigError(f"could not reach Telegram ({type(exc).__name__}): check the network or "
                          "TELEGRAM_BASE_URL") from None
    finally:
        await app.bot.shutdown()  # closes the connections; run_* initialises again
        await app.bot.request.shutdown()


def quieten_libraries() -> None:
    """PTB's DEBUG lines hold whole messages and httpx's INFO lines the token: never below these levels."""
    for name, floor in (("telegram", logging.INFO), ("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logging.getLogger(name).setLevel(max(floor, logging.getLogger().getEffectiveLevel()))


def check_token(token: str | None) -> str:
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env")
    token = token.strip()
    if not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)")
    return token


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for `run_webhook`/`start_webhook`; the secret is derived from the token if unset."""
    url = settings.webhook_url or ""
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ConfigError(f"COACH_WEBHOOK_URL must be an https:// address, not '{url}'")
    secret = settings.webhook_secret or hashlib.sha256(f"webhook:{settings.telegram_bot_token}".encode()).hexdigest()
    if not _SECRET.match(secret):
        raise ConfigError("COACH_WEBHOOK_SECRET may only hold letters, digits, _ and - (at most 256)")
    return {"listen": settings.webhook_listen, "port": settings.webhook_port, "url_path": parts.path.strip("/"),
            "webhook_url": url, "secret_token": secret}


def _base_urls(url: str) -> tuple[str, str]:
    """`base_url` and `base_file_url` for PTB, which appends the token to each."""
    url = url.rstrip("/")
    if "{token}" in url:
        return url, url.replace("/bot{token}", "/file/bot{token}")
    url = url.removesuffix("/bot")
    return f"{url}/bot", f"{url}/file/bot"


async def set_commands(app: Application) -> None:
    """Register the command menu; a failure here is logged, not fatal."""
    channel: TelegramChannel = app.bot_data["channel"]
    try:
        await app.bot.set_my_commands([BotCommand(name, description) for name, description in channel.coach.commands])
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)


class PerPersonProcessor(BaseUpdateProcessor):
    """Each person's updates in order; different people concurrently."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = 0
        if isinstance(update, Update):
            key = update.effective_user.id if update.effective_user else update.effective_chat.id \
                if update.effective_chat else 0
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
