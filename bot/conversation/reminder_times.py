"""When reminders go, pure: the person's wall clock in their zone (default Europe/London, so times
follow the clocks changing), kept in UTC; nothing in quiet hours (21:00 to 08:00); a nudge more than
a day late is dropped, and a long gap sends one meeting note, not two (`plan`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.engine.state import FINISHED
from bot.store.reminders import MEETING, NUDGE, Due

ZONE = "Europe/London"  # everyone's, until a person can choose their own
QUIET_FROM, QUIET_UNTIL = time(21), time(8)
PARTS = {"am": ("morning", time(9)), "pm": ("afternoon", time(14)), "ev": ("evening", time(19))}
MORNING_OF = time(8)
NUDGE_DAYS = {"1": "Tomorrow", "3": "In 3 days", "7": "In a week"}
NUDGE_FALLBACK = time(10)  # a nudge asked for in quiet hours goes at this time of day instead
SNOOZE = timedelta(hours=2)
LATE = timedelta(days=1)
MEETING_DATE = "meeting.meeting_date"
BEFORE, DAY = "before", "day"  # a meeting reminder's slot: the day before, or the morning itself
SEND, WAIT, DROP = "send", "wait", "drop"

def wall(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def at(day: date, clock: time, zone: str) -> datetime:
    """That wall-clock time on that day in the zone, in UTC (the zone's clocks changing included)."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def quiet(moment: datetime, zone: str) -> bool:
    clock = wall(moment, zone).time()
    return clock >= QUIET_FROM or clock < QUIET_UNTIL


def sends_at(due_at: datetime, zone: str) -> datetime:
    """When a reminder due at `due_at` goes: then, or when quiet hours end."""
    if not quiet(due_at, zone):
        return due_at
    local = wall(due_at, zone)
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return at(day, QUIET_UNTIL, zone)


def meeting_due(meeting: date, slot: str, part: str, zone: str) -> datetime:
    if slot == DAY:
        return at(meeting, MORNING_OF, zone)
    return at(meeting - timedelta(days=1), PARTS[part][1], zone)


def nudge_due(now: datetime, days: int, zone: str) -> datetime:
    """`days` later at the same time of day (or NUDGE_FALLBACK if that is in quiet hours)."""
    clock = wall(now, zone).time().replace(second=0, microsecond=0)
    if quiet(now, zone):
        clock = NUDGE_FALLBACK
    return at(wall(now, zone).date() + timedelta(days=days), clock, zone)


def plan(due: Sequence[Due], now: datetime) -> list[tuple[Due, str]]:
    """What to do with each reminder whose time has come: send it, wait (quiet hours), or drop it
    (a nudge over a day late, or no longer needed because they came back; a meeting note when a
    later one about the same meeting is due too, so a long gap sends one note, not two)."""
    latest: dict[tuple[str, str], int] = {}
    for item in due:
        if item.reminder.kind == MEETING:
            latest[(item.channel_id, item.reminder.session_id)] = item.reminder.id
    decided = []
    for item in due:
        reminder = item.reminder
        came_back = item.session_updated_at is not None and item.session_updated_at > reminder.set_at
        if reminder.kind == NUDGE and (now - reminder.due_at > LATE or item.session_status in (None, FINISHED)
                                       or came_back):
            decided.append((item, DROP))
        elif reminder.kind == MEETING and latest[(item.channel_id, reminder.session_id)] != reminder.id:
            decided.append((item, DROP))
        else:
            decided.append((item, WAIT if quiet(now, reminder.zone) else SEND))
    return decided
