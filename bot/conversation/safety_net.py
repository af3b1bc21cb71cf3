"""The safety net: every typed message is checked first, in any state, before anything else.

A risky message gets calm signposting at once. It is held back, not saved as an answer,
unless the person chooses to use it; then they can pause or carry on. Flow content cannot
turn this off, and nothing here logs what the person wrote.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot import engine
from bot.conversation.chat import Button, Incoming, Response
from bot.safety.help import Resources, safety_message
from bot.safety.risk import check_safety

if TYPE_CHECKING:
    from bot.conversation.coach import Coach

log = logging.getLogger(__name__)
HELD = "held_message"


def intercept(coach: Coach, person: str, incoming: Incoming, response: Response, resources: Resources) -> bool:
    """Signpost and return True if the message shows a risk; otherwise False and carry on."""
    if incoming.kind not in ("text", "edit") or not incoming.text.strip():
        return False
    check = check_safety(incoming.text)
    if not check.risk:
        return False
    log.warning("safety signposting shown (category %s)", check.category)
    found = coach.current(person)
    asking = bool(found and found[2].status != "finished" and found[2].node)
    rows: list[tuple[Button, ...]] = [(Button("Pause for now", "s:pause"), Button("Carry on", "s:go"))]
    if asking and incoming.kind == "text":
        rows.append((Button("Save what I wrote as my answer", "s:keep"),))
        coach.update_settings(person, **{HELD: incoming.text})
    response.say(safety_message(check, resources), *rows)
    if incoming.key:
        coach.storage.mark_processed(person, incoming.key)
    return True


def tap(coach: Coach, person: str, action: str, response: Response) -> None:
    """The buttons under a safety message: pause, carry on, or keep the words as the answer."""
    held = coach.settings(person).get(HELD)
    if held is not None:
        coach.update_settings(person, **{HELD: None})
    if action == "pause":
        coach.step(person, engine.command("pause"), response, None)
    elif action == "keep" and held:
        coach.step(person, engine.text(str(held)), response, None)
    else:
        response.say("Thank you. We'll carry on when you're ready. You can type /help at any time.")
        coach.repeat_question(person, response)
