"""What a reminder says: the note the sender shows (a neutral first line, never an answer, since it
may show on a lock screen; the meeting card only on a tap) and the terminal's preview of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import bot.conversation.buttons as buttons
from bot.conversation.chat import Button, Outgoing
from bot.conversation.reminder_times import LATE, ZONE, sends_at, wall
from bot.engine.dates import MONTHS, WEEKDAYS
from bot.errors import StorageError
from bot.store.reminders import NUDGE, Reminder, Reminders
from bot.store.storage import Storage

GOOD_LUCK = "Good luck. You've prepared for it, and that counts."
NOTE = "A note from your coach"


def note(reminder: Reminder, now: datetime) -> Outgoing:
    """The message a reminder sends: the neutral first line (all a lock screen shows), a line
    that names no answer, and its buttons. A note over a day late says sorry."""
    sorry = "Sorry this is late: I couldn't send it when I meant to. " if now - reminder.due_at > LATE else ""
    if reminder.kind == NUDGE:
        words = "You asked me for a nudge: you can carry on where you left off whenever you're ready. " \
                "Your answers are saved, and there's no rush."
        rows: tuple[tuple[Button, ...], ...] = (
            (Button("Carry on now", buttons.reminder("g", reminder.id)),
             Button("Not now", buttons.reminder("n", reminder.id))),)
        return Outgoing(text=f"{NOTE}\n\n{sorry}{words}", buttons=rows)
    today = wall(now, reminder.zone).date()
    meeting = as_date(reminder.details.get("meeting")) or today
    if meeting < today:
        words = "I hope your meeting went well. Your meeting card is here if you want it."
    else:
        when = {today: "today", today + timedelta(days=1): "tomorrow"}.get(meeting, "coming up soon")
        words = f"Your meeting is {when}. {GOOD_LUCK}"
    rows = ((Button("Show my meeting card", buttons.reminder("k", reminder.id)),),)
    if meeting >= today:
        rows += ((Button("Remind me later", buttons.reminder("z", reminder.id)),
                  Button("No more reminders", buttons.reminder("o", reminder.id))),)
    return Outgoing(text=f"{NOTE}\n\n{sorry}{words}", buttons=rows)


def previews(storage: Storage, person: str) -> list[tuple[tuple[int, datetime], str]]:
    """Each pending reminder as the terminal shows it (it cannot message anyone later): when it
    would be sent on Telegram and what it would say. Keyed by (id, due time)."""
    try:
        pending = Reminders(storage).of(person)
    except StorageError:
        return []  # the coach has said already that it could not save
    shown = []
    for reminder in pending:
        goes = sends_at(reminder.due_at, reminder.zone)
        message = note(reminder, goes)
        labels = " | ".join(b.label for row in message.buttons for b in row)
        when = when_words(goes, reminder.zone)
        shown.append(((reminder.id, reminder.due_at),
                      f"(The terminal can't send you anything later. On Telegram, on {when}, "
                      f"you would get this note:)\n{message.text}\n[{labels}]"))
    return shown




def as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def day_words(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()].title()} {day.day} {MONTHS[day.month - 1].title()}"


def when_words(moment: datetime, zone: str) -> str:
    """'Monday 30 November at 7pm' in the zone's wall-clock time (other zones than the UK's named)."""
    local = wall(moment, zone)
    hour = local.hour % 12 or 12
    clock = f"{hour}{f':{local.minute:02d}' if local.minute else ''}{'am' if local.hour < 12 else 'pm'}"
    where = "" if zone == ZONE else f" ({zone} time)"
    return f"{day_words(local.date())} at {clock}{where}"
