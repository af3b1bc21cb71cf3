"""The Telegram channel under stress: restarts, kill -9, Bot API faults, bad tokens, webhooks."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_telegram import FakeTelegram, FakeUser
from fake_telegram.harness import running_bot, settings_for
from telegram.ext import Application

from bot.channels.telegram import build_application, check_token, run_telegram, webhook_options
from bot.content.model import Content
from bot.conversation.coach import Coach
from bot.errors import ConfigError
from bot.settings import Settings
from bot.store.storage import Storage

pytestmark = pytest.mark.slow  # end to end, restarts and kill -9

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def say(user: FakeUser, text: str) -> list:
    user.send_text(text)
    return await user.wait_for_replies()


# ----- restarts -----


async def test_restart_keeps_the_pending_question_typed_or_tapped(server: FakeTelegram, content: Content,
                                                                  tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    first_storage = Storage(db)
    async with running_bot(server, Coach(content, first_storage)):
        alex = server.user(1001)
        await say(alex, "/start example")
        alex.tap(alex.last_keyboard(), "Me")
        name_question = await alex.wait_for_text("call you")
        await server.settle()
    first_storage.close()

    storage = Storage(db)
    try:
        async with running_bot(server, Coach(content, storage)):
            alex.tap(name_question, "Skip")  # a keyboard sent before the restart still works
            hopes = await alex.wait_for_text("best hopes")
            replies = await say(alex, "Time with friends")
            assert "So your best hope is: Time with friends" in replies[-1].text
            assert hopes.message_id > name_question.message_id
            await server.settle()
        answers = {a.question_id: a.answer.value for a in storage.answers("tg:1001")}
        assert answers["example.best_hopes"] == "Time with friends"
    finally:
        storage.close()
    assert server.errors() == []
    assert server.unanswered_callbacks() == []


def _bot_process_env(server: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "COACH_"))}
    env.update(TELEGRAM_BOT_TOKEN=server.token, TELEGRAM_BASE_URL=server.url, COACH_DB=str(tmp_path / "coach.db"),
               COACH_KEY_FILE=str(tmp_path / "coach.key"), COACH_LOG_LEVEL="INFO", NO_PROXY="127.0.0.1,localhost")
    return env


async def _spawn_bot(server: FakeTelegram, tmp_path: Path, log: Path, **env: str) -> asyncio.subprocess.Process:
    code = "import sys; from bot.cli import main; sys.exit(main(['telegram']))"
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(sys.executable, "-c", code, cwd=ROOT, stdout=out, stderr=out,
                                                    env={**_bot_process_env(server, tmp_path), **env})


async def test_coach_telegram_in_webhook_mode(server: FakeTelegram, tmp_path: Path, unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram/hook"
    process = await _spawn_bot(server, tmp_path, tmp_path / "bot.log", COACH_WEBHOOK_URL=url,
                               COACH_WEBHOOK_PORT=str(unused_tcp_port), COACH_WEBHOOK_SECRET="the-secret")
    try:
        await server.wait_for(lambda: server.webhook, timeout=30, what="setWebhook")
        assert server.webhook == {"url": url, "secret_token": "the-secret"}
        alex = server.user(1001)
        alex.send_text("/start")
        await alex.wait_for_text("Which would you like", timeout=15)
    finally:
        process.terminate()  # SIGTERM: a graceful stop
        assert await process.wait() == 0
    assert 200 in server.webhook_deliveries and server.errors() == []


async def test_kill_9_mid_flow_and_the_pending_question_still_takes_its_answer(server: FakeTelegram,
                                                                              tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    process = await _spawn_bot(server, tmp_path, log)
    try:
        alex = server.user(1001)
        alex.send_text("/start example")
        first = await alex.wait_for_text("Who are we thinking about", timeout=30)
        alex.tap(first, "Me")
        name_question = await alex.wait_for_text("call you", timeout=10)
        process.send_signal(signal.SIGKILL)
        assert await process.wait() == -signal.SIGKILL

        process = await _spawn_bot(server, tmp_path, log)
        alex.send_text("Sam")  # typed to the question asked before the kill
        hopes = await alex.wait_for_text("best hopes", timeout=30)
        process.send_signal(signal.SIGKILL)
        await process.wait()

        process = await _spawn_bot(server, tmp_path, log)
        alex.tap(hopes, "Skip")  # tapped on the old message after another kill
        await alex.wait_for_text("0 to 10", timeout=30)
        assert name_question.keyboard  # the new process can't know which message held those buttons: harmless
        assert server.errors() == []
        assert server.unanswered_callbacks() == []
        words = log.read_text(errors="replace")
        assert "Sam" not in words and "1001" not in words  # no answer text, no raw Telegram id in logs
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


# ----- Bot API faults -----


@pytest.fixture
async def bot(server: FakeTelegram, coach: Coach) -> AsyncIterator[Application]:
    async with running_bot(server, coach) as app:
        yield app


async def test_429_is_retried_after_retry_after(server: FakeTelegram, bot: Application) -> None:
    server.fail("sendMessage", 429, retry_after=1)
    alex = server.user(1001)
    alex.send_text("/start")
    menu = await alex.wait_for_text("Which would you like", timeout=10)
    statuses = [c.status for c in server.calls_to("sendMessage")]
    assert statuses[0] == 429 and statuses.count(200) >= 2
    assert menu.labels
    assert server.errors() == []


@pytest.mark.parametrize("fault", ["500", "502", "drop", "slow"])
async def test_server_errors_and_dropped_connections_are_retried(server: FakeTelegram, bot: Application,
                                                                 fault: str) -> None:
    if fault == "drop":
        server.drop("sendMessage")
    elif fault == "slow":
        server.slow("sendMessage", 1.0)
    else:
        server.fail("sendMessage", int(fault))
    alex = server.user(1001)
    alex.send_text("/start")
    await alex.wait_for_text("Which would you like", timeout=10)
    assert "What Matters Coach" in alex.bot_messages()[0].text
    assert server.errors() == []


@pytest.mark.parametrize("fault", ["500", "409", "drop"])
async def test_polling_survives_get_updates_failures(server: FakeTelegram, bot: Application, fault: str) -> None:
    if fault == "drop":
        server.drop("getUpdates")
    else:
        server.fail("getUpdates", int(fault), "Conflict: terminated by other getUpdates request" if fault == "409"
                    else "", times=1)
    alex = server.user(1001)
    alex.send_text("/start")
    await alex.wait_for_text("Which would you like", timeout=15)


async def test_a_blocked_person_does_not_stop_the_bot(server: FakeTelegram, bot: Application) -> None:
    blocker, other = server.user(1001), server.user(1002)
    blocker.send_text("/start")
    await server.settle()
    server.block(1001)
    blocker.send_text("/help")
    other.send_text("/start")
    await other.wait_for_text("Which would you like")
    assert [c.status for c in server.calls_to("sendMessage") if c.status == 403]


async def test_a_late_callback_answer_still_gets_the_reply(server: FakeTelegram, bot: Application,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    alex = server.user(1001)
    await say(alex, "/start example")
    server.callback_timeout = 0.0  # every answer now arrives "too late"
    alex.tap(alex.last_keyboard(), "Me")
    await alex.wait_for_text("call you")
    assert [c.description for c in server.errors()] == [
        "Bad Request: query is too old and response timeout expired or query ID is invalid"]


async def test_logs_carry_no_words_and_no_raw_ids(server: FakeTelegram, coach: Coach,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # as with COACH_LOG_LEVEL=DEBUG: PTB's own DEBUG lines hold whole messages
    async with running_bot(server, coach):
        alex = server.user(987654321)
        await say(alex, "/start example")
        server.fail("sendMessage", 500, times=3)  # exhaust the retries: the failure is logged
        await say(alex, "Secret words about my life")
        await server.wait_for(lambda: "could not send" in caplog.text, what="the failed send to be logged")
    text = caplog.text
    assert "Secret words" not in text and "987654321" not in text


# ----- configuration -----


def test_missing_or_malformed_token_is_one_clear_line(coach: Coach) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        build_application(coach, Settings())
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        check_token("hello")
    assert "\n" not in str(ConfigError("x"))


@pytest.fixture
def threaded_server() -> Iterator[FakeTelegram]:
    """The fake on its own loop in a thread, for code that owns the main loop (run_polling)."""
    loop = asyncio.new_event_loop()
    fake = FakeTelegram()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(fake.start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(fake.close())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(5)
    yield fake
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_rejected_token_is_a_config_error(threaded_server: FakeTelegram, coach: Coach) -> None:
    settings = Settings(telegram_bot_token="999999:wrong-token-the-server-does-not-know",
                        telegram_base_url=threaded_server.url)
    with pytest.raises(ConfigError, match="Telegram rejected TELEGRAM_BOT_TOKEN"):
        run_telegram(coach, settings)


@pytest.mark.parametrize(("token", "expected"), [
    ("999999:wrong-token-the-server-does-not-know", "coach: Telegram rejected TELEGRAM_BOT_TOKEN"),
    ("not-a-token", "coach: TELEGRAM_BOT_TOKEN does not look like a bot token"),
])
async def test_coach_telegram_with_a_bad_token_prints_one_line(server: FakeTelegram, tmp_path: Path, token: str,
                                                               expected: str) -> None:
    log = tmp_path / "bot.log"
    process = await _spawn_bot(server, tmp_path, log, TELEGRAM_BOT_TOKEN=token, COACH_LOG_LEVEL="WARNING")
    assert await asyncio.wait_for(process.wait(), 30) == 2
    lines = log.read_text().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_webhook_settings_need_https_and_derive_a_secret() -> None:
    with pytest.raises(ConfigError, match="https"):
        webhook_options(Settings(telegram_bot_token="1:x", webhook_url="http://example.org/hook"))
    options = webhook_options(Settings(telegram_bot_token="1:x", webhook_url="https://example.org/tg/hook"))
    assert options["url_path"] == "tg/hook" and len(options["secret_token"]) == 64
    with pytest.raises(ConfigError, match="COACH_WEBHOOK_SECRET"):
        webhook_options(Settings(telegram_bot_token="1:x", webhook_url="https://a.org/", webhook_secret="no spaces"))


async def test_webhook_mode_checks_the_secret_and_answers(server: FakeTelegram, coach: Coach,
                                                          unused_tcp_port: int) -> None:
    settings = settings_for(server, webhook_url=f"http://127.0.0.1:{unused_tcp_port}/telegram",
                            webhook_secret="s3cret-token", webhook_port=unused_tcp_port)
    app = build_application(coach, settings)
    options = webhook_options(settings)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(**options)
    try:
        assert server.webhook == {"url": settings.webhook_url, "secret_token": "s3cret-token"}
        alex = server.user(1001)
        alex.send_text("/start")
        await alex.wait_for_text("Which would you like", timeout=10)
        from aiohttp import ClientSession

        async with ClientSession() as client:
            async with client.post(settings.webhook_url or "", json={"update_id": 99},
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as reply:
                assert reply.status == 403
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert set(server.webhook_deliveries) == {200}
