"""Every /command in one table: it feeds routing, `/help` and the Telegram menu (`set_my_commands`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import bot.conversation.flows as flows
import bot.conversation.menus as menus
import bot.conversation.practice_mode as practice_mode
import bot.conversation.reminders as reminders
import bot.conversation.review as review
import bot.conversation.wording as wording
from bot import engine
from bot.conversation.context import Context


@dataclass(frozen=True)
class Command:
    """`menu` is its line in Telegram's command menu, `help` its line in /help ("" leaves it out)."""

    name: str
    run: Callable[[Context, str], None]
    menu: str = ""
    help: str = ""
    practice: bool = False  # belongs to practice mode: using it does not leave practice mode
    keeps_practice: bool = False  # help and privacy: practice mode stays open
    practising_only: bool = False  # only while practice mode is open (elsewhere an unknown command)


def _step(name: str, ctx: Context, arg: str) -> None:
    flows.step(ctx, engine.command(name), handled=True)


def _help(ctx: Context, arg: str) -> None:
    menus.show_help(ctx, help_text())


COMMANDS: tuple[Command, ...] = (
    Command("start", menus.start, menu="Begin, or see the conversations"),
    Command("menu", menus.menu, menu="Choose a conversation", help="choose a conversation"),
    Command("resume", lambda ctx, arg: flows.resume(ctx), menu="Carry on where you left off",
            help="carry on where you left off"),
    Command("back", partial(_step, "back"), menu="Go back one question", help="go back one question"),
    Command("skip", partial(_step, "skip"), menu="Skip this question", help="skip this question"),
    Command("why", partial(_step, "why"), menu="Why am I asked this?", help="why I'm asking this question"),
    Command("pause", partial(_step, "pause"), menu="Stop for now; your answers are saved",
            help="stop for now (your answers are saved)"),
    Command("restart", menus.restart, menu="Start this conversation again",
            help="start this conversation again from the beginning"),
    Command("review", review.review, menu="See and change your answers", help="see and change your answers"),
    Command("summary", review.summary, menu="See your draft in your own words",
            help="see your draft in your own words"),
    Command("card", review.card, menu="A one-screen card for your meeting",
            help="a one-screen card to take to your meeting"),
    Command("export", review.export, menu="Get your draft as a file",
            help="get your draft as a file (/export md for text, /export json for all your data)"),
    Command("reminders", reminders.show, menu="See, change or cancel your reminders",
            help="see, change or cancel your reminders"),
    Command("delete", menus.ask_to_erase, menu="Erase everything about you", help="erase everything"),
    Command("privacy", menus.privacy, menu="How your answers are kept", help="how your answers are kept",
            keeps_practice=True),
    Command("practice", practice_mode.practice, menu="Practise asking questions (for practitioners)",
            help="practise asking good questions (for practitioners)", practice=True),
    Command("check", practice_mode.check, practice=True),
    Command("rehearse", practice_mode.rehearse, practice=True),
    Command("cards", practice_mode.cards, practice=True),
    Command("columns", practice_mode.columns, practice=True),
    Command("done", practice_mode.done, practice=True, practising_only=True),
    Command("stop", practice_mode.stop, practice=True, practising_only=True),
    Command("help", _help, menu="What you can do, and where to get help", keeps_practice=True),
)
BY_NAME = {command.name: command for command in COMMANDS}


def find(name: str, *, practising: bool) -> Command | None:
    command = BY_NAME.get(name)
    return None if command is None or (command.practising_only and not practising) else command


def menu_commands() -> tuple[tuple[str, str], ...]:
    """(name, description) pairs for Telegram's command menu, in order."""
    return tuple((c.name, c.menu) for c in COMMANDS if c.menu)


def help_text() -> str:
    return "\n".join([wording.HELP_INTRO, *(f"/{c.name} – {c.help}" for c in COMMANDS if c.help)])


def run(ctx: Context) -> None:
    """A /command: practice mode closes unless the command belongs to it or keeps it."""
    name, practising = ctx.incoming.command, ctx.state.practice is not None
    command = find(name, practising=practising)
    if practising and not (command is not None and (command.practice or command.keeps_practice)):
        practice_mode.leave(ctx)
    if command is None:
        ctx.say(wording.UNKNOWN_COMMAND.format(name=name))
        return
    command.run(ctx, ctx.incoming.arg)
