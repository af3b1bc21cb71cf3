"""Building and running the PTB Application: handlers, rate limits, the durable inbox, polling or webhook."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.intake import DurableQueue, PerPersonProcessor
from bot.channels.telegram.pacing import PerChatRateLimiter
from bot.channels.telegram.reminders import start_reminders
from bot.conversation.coach import Coach
from bot.errors import ConfigError
from bot.settings import Settings
from bot.store.inbox import Inbox

log = logging.getLogger(__name__)

PURGE_EVERY = 24 * 60 * 60  # seconds: the retention job runs daily
# People handled at once. Each holds a slot until their reply is sent, and Telegram paces a chat at
# about one message a second, so a slot is mostly waiting, not working (the coach's own work is one at
# a time); with 32, fifty people answering flat out kept a quiet person waiting 0.7 s (make bench).
UPDATES_AT_ONCE = 256
WEBHOOK_MAX_BYTES = 1 << 20  # an update is a few kilobytes; anything near a megabyte is not Telegram
UPDATES = ["message", "edited_message", "callback_query", "channel_post"]
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# ----- building and running -----


def build_application(coach: Coach, settings: Settings, *, limiter: PerChatRateLimiter | None = None) -> Application:
    """The PTB Application with every handler registered; raises ConfigError for a bad token.
    `limiter` replaces the shipped per-chat pacing (tests that are not about pacing go faster)."""
    token = check_token(settings.telegram_bot_token)
    quieten_libraries()
    channel = TelegramChannel(coach, token)
    queue = DurableQueue(Inbox(coach.storage.path, coach.storage.cipher))
    processor = PerPersonProcessor(UPDATES_AT_ONCE, queue, refuse=channel.refuse, slowed=channel.slowed,
                                   help_now=channel.help_now, urgent=channel.urgent)
    channel.backlog = processor.waiting
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(limiter or PerChatRateLimiter())
        .update_queue(queue)
        .concurrent_updates(processor)
        .post_init(start_up)
        .post_shutdown(close_inbox)
    )
    if settings.telegram_base_url:
        base, files = _base_urls(settings.telegram_base_url)
        builder = builder.base_url(base).base_file_url(files)
    app = builder.build()
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
    start_reminders(app, coach)
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
            limit_webhook_bodies()
            app.run_webhook(**options, allowed_updates=UPDATES, drop_pending_updates=False)
        else:
            log.info("starting the Telegram bot with long polling")
            app.run_polling(allowed_updates=UPDATES, drop_pending_updates=False)
    finally:
        if not loop.is_closed():
            loop.close()


def check_telegram(settings: Settings) -> None:
    """Check the token and the connection before anything is opened or made (the database, a new
    key file): ConfigError with one clear line if Telegram cannot be used."""
    token = check_token(settings.telegram_bot_token)
    builder = ApplicationBuilder().token(token).updater(None)
    if settings.telegram_base_url:
        base, files = _base_urls(settings.telegram_base_url)
        builder = builder.base_url(base).base_file_url(files)
    asyncio.run(_preflight(builder.build()))


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
    """PTB's DEBUG lines hold whole messages and httpx's INFO lines the token: never below these levels.
    PTB's updater logs an update it could not read whole: those lines lose their data."""
    for name, floor in (("telegram", logging.INFO), ("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logging.getLogger(name).setLevel(max(floor, logging.getLogger().getEffectiveLevel()))
    updater = logging.getLogger("telegram.ext.Updater")
    if _without_update_contents not in updater.filters:
        updater.addFilter(_without_update_contents)


def _without_update_contents(record: logging.LogRecord) -> bool:
    """Keep the line that an update could not be read, drop what was in it (and the error's text)."""
    if record.levelno >= logging.ERROR and "data" in str(record.msg):
        record.msg, record.args, record.exc_info, record.exc_text = (
            "an update from Telegram could not be read; its contents are not logged", None, None, None)
    return True


def limit_webhook_bodies(limit: int = WEBHOOK_MAX_BYTES) -> None:
    """Make PTB's webhook server refuse a body over `limit` bytes before reading it (tornado's default
    is 100 MB, read whole before the secret is checked). PTB builds its HTTPServer in a private module
    with no option for this, so its reference is swapped for one with `max_body_size` set."""
    import telegram.ext._utils.webhookhandler as webhookhandler
    from tornado.httpserver import HTTPServer

    webhookhandler.HTTPServer = functools.partial(HTTPServer, max_body_size=limit)  # type: ignore[misc,assignment]


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


async def start_up(app: Application) -> None:
    """Before any new update: queue what the last run left unhandled, then set the command menu."""
    if isinstance(app.update_queue, DurableQueue):
        await app.update_queue.replay(app.bot)
    await set_commands(app)


async def close_inbox(app: Application) -> None:
    if isinstance(app.update_queue, DurableQueue):
        await app.update_queue.close()


async def set_commands(app: Application) -> None:
    """Register the command menu; a failure here is logged, not fatal."""
    channel: TelegramChannel = app.bot_data["channel"]
    try:
        await app.bot.set_my_commands([BotCommand(name, description) for name, description in channel.coach.commands])
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)
