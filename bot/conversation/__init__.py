"""What both channels share: a message in (`Incoming`), replies out (`Response`), and everything
in between, the same on Telegram and in the terminal.

    coach          Coach.handle: flood control, the message's context, routing tables, one save
    context        Context: the person, their state, their conversation; loaded once, saved once
    person         PersonState (and PracticeState): what is remembered between messages
    commands       every /command in one registry: routing, /help and the Telegram menu
    flows          a conversation in progress: begin, answer, back, resume, come back, the end
    menus          the welcome, the menu, help, privacy, erasing
    review         review, change, hide, delete; the draft, the card, files
    drafts         which answers count, and the draft built from them
    safety_net     the safety net reads every message first
    practice_mode  practice mode for practitioners
    chat, buttons, keyboards, wording, flood: messages, button data, question keyboards, fixed
                   words, flood control

Imports point down the list's dependencies only (coach -> commands -> handlers -> context).
"""

from __future__ import annotations

from bot.conversation.chat import Attachment, Button, Incoming, Outgoing, Response
from bot.conversation.coach import Coach
from bot.conversation.commands import COMMANDS, Command, help_text, menu_commands

__all__ = ["COMMANDS", "Attachment", "Button", "Coach", "Command", "Incoming", "Outgoing", "Response", "help_text",
           "menu_commands"]
