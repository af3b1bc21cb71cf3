"""Run the real Telegram channel (PTB Application) against the fake server inside a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.channels.telegram import build_application
from bot.channels.telegram.pacing import PerChatRateLimiter
from bot.conversation.coach import Coach
from bot.settings import Settings

from .server import FakeTelegram


def settings_for(server: FakeTelegram, **changes: object) -> Settings:
    return Settings(telegram_bot_token=server.token, telegram_base_url=server.url, **changes)  # type: ignore[arg-type]


# Telegram's own pace (about one message a second per chat) makes a test of a whole flow take minutes;
# tests that are not about pacing run with it lifted. Pacing itself: tests/channels/test_pacing.py,
# test_telegram_never_lose.py and make bench, all with the shipped limiter.
def unpaced() -> PerChatRateLimiter:
    return PerChatRateLimiter(private_burst=1000, private_per_second=1000, group_burst=1000, group_per_minute=60_000)


async def start_bot(server: FakeTelegram, coach: Coach, *, paced: bool = False) -> Application:
    """The Application as `coach telegram` builds it (with Telegram's pace lifted unless `paced`),
    polling the fake with a short timeout."""
    app = build_application(coach, settings_for(server), limiter=None if paced else unpaced())
    await app.initialize()
    if app.post_init is not None:  # run_polling calls it; a manual lifecycle must too
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, drop_pending_updates=False)
    server.busy_checks.append(lambda: busy(app))
    return app


def busy(app: Application) -> bool:
    """Still handling an update (being written to the inbox, queued, or in a handler)."""
    receiving = getattr(app.update_queue, "receiving", 0)
    return app.running and (receiving > 0 or not app.update_queue.empty()
                            or app.update_processor.current_concurrent_updates > 0)


async def stop_bot(app: Application) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


@asynccontextmanager
async def running_bot(server: FakeTelegram, coach: Coach, *, paced: bool = False) -> AsyncIterator[Application]:
    app = await start_bot(server, coach, paced=paced)
    try:
        yield app
    finally:
        await stop_bot(app)
        server.busy_checks.clear()
