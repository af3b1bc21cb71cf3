"""The framework floor: a minimal PTB echo bot, configured like ours where it matters for a fair
comparison (long polling, up to 32 updates at once), with none of our code behind it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


def build_echo_application(token: str, base_url: str) -> Application:
    """`base_url` as for our bot's TELEGRAM_BASE_URL: the server's root, e.g. http://127.0.0.1:8081."""
    root = base_url.rstrip("/")
    app = (ApplicationBuilder().token(token).base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
           .concurrent_updates(32).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app
