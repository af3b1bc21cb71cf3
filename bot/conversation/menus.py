"""The coach's own screens: the welcome, the menu of conversations, help, privacy, erasing."""

from __future__ import annotations

import bot.conversation.buttons as buttons
import bot.conversation.flows as flows
import bot.conversation.wording as wording
from bot.content.model import AUDIENCE_LABELS, AUDIENCES
from bot.conversation.chat import Button
from bot.conversation.context import Context, Current
from bot.safety import help_text


def start(ctx: Context, arg: str) -> None:
    first_time = not ctx.state.welcomed
    flow = ctx.content.flows.get(arg)
    if first_time:  # the notice, then a first question or the menu: answering is the choice to go on
        ctx.state.welcomed = True
        ctx.say(wording.WELCOME.format(days=ctx.retention_days))
    unfinished = ctx.current if ctx.current is not None and not ctx.current.finished else None
    if flow is not None and flow.listed:
        if unfinished is not None and unfinished.flow.id == flow.id:
            ctx.say(wording.WELCOME_BACK.format(title=flow.title) + " Let's carry on from there.")
            flows.resume(ctx)
        else:
            flows.begin(ctx, flow)
        return
    if not first_time:
        ctx.say(wording.HELLO_AGAIN)
    if unfinished is not None:
        offer_resume(ctx, unfinished)
        return
    menu(ctx)


def menu(ctx: Context, arg: str = "") -> None:
    rows: list[tuple[Button, ...]] = []
    lines = [wording.MENU_INTRO]
    for audience in AUDIENCES:
        listed = [f for f in ctx.content.listed_flows() if f.audience == audience]
        if not listed:
            continue
        lines.append(f"\n{AUDIENCE_LABELS[audience]}")
        for flow in listed:
            lines.append(f"• {flow.title} (about {flow.minutes} minutes): {flow.description}")
            rows.append((Button(flow.title, buttons.start_flow(flow.id)),))
    ctx.say("\n".join(lines), *rows)


def offer_resume(ctx: Context, current: Current) -> None:
    ctx.say(wording.WELCOME_BACK.format(title=current.flow.title),
            (Button("Carry on", buttons.carry_on()),
             Button("Start it again", buttons.start_again(current.flow.id, current.id))),
            (Button("Choose something else", buttons.menu()),))


def restart(ctx: Context, arg: str = "") -> None:
    if ctx.current is None:
        menu(ctx)
        return
    ctx.say(wording.RESTARTED)
    flows.begin(ctx, ctx.current.flow)


def not_in_a_conversation(ctx: Context) -> None:
    """Words typed with no conversation going: the welcome for a newcomer, else the menu."""
    if not ctx.state.welcomed:
        start(ctx, "")
        return
    ctx.say(wording.NOT_IN_A_CONVERSATION)
    menu(ctx)


def show_help(ctx: Context, text: str) -> None:
    """What they can type, and where to get help: that first once the safety net has stepped in."""
    if ctx.state.safety_events:
        ctx.say(help_text(ctx.resources))
        ctx.say(text)
    else:
        ctx.say(text)
        ctx.say(help_text(ctx.resources))


def privacy(ctx: Context, arg: str = "") -> None:
    ctx.say(wording.PRIVACY.format(days=ctx.retention_days))


def ask_to_erase(ctx: Context, arg: str = "") -> None:
    ctx.say(wording.DELETE_ASK, (Button("Yes, erase everything", buttons.erase(True)),
                                 Button("No, keep my answers", buttons.erase(False))))


# ----- taps -----


def flow_tap(ctx: Context, parts: tuple[str, ...]) -> None:
    flow = ctx.content.flows.get(parts[0]) if parts else None
    if flow is None:
        flows.old_button(ctx)
        return
    flows.begin(ctx, flow)


def menu_tap(ctx: Context, parts: tuple[str, ...]) -> None:
    if parts[:1] == ("go",):
        flows.resume(ctx)
    elif parts[:1] == ("new",) and len(parts) > 1 and parts[1] in ctx.content.flows:
        replaced = parts[2] if len(parts) > 2 else None
        if replaced is not None and (ctx.current is None or ctx.current.id != replaced):
            flows.resume(ctx)  # a second tap (or one delivered twice): that conversation was already started again
        else:
            flows.begin(ctx, ctx.content.flows[parts[1]])
    else:
        menu(ctx)


def erase_tap(ctx: Context, parts: tuple[str, ...]) -> None:
    if parts == ("yes",):
        gone = ctx.erase()  # whether the words are gone from the files too (else the next start finishes it)
        ctx.say(wording.DELETED if gone else wording.DELETED_LATER)
        ctx.say(wording.CHAT_STILL_SHOWS)
    else:
        ctx.say(wording.KEPT)

