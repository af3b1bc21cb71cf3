"""Reminders, only if asked for: a note before a meeting, and one nudge to carry on after a pause.

    offers     when the meeting date is recorded (the day before: morning, afternoon or evening;
               and/or that morning), and when a person pauses or leaves a conversation part-way
               (tomorrow, in three days, in a week); flows.py calls `after_step` and `left_part_way`
    /reminders what is set, in plain words, with buttons to change or cancel each
    the note   what the sender shows (`note`): a neutral first line, never an answer (it may show
               on a lock screen); the meeting card follows only when they tap for it in the chat
    timing     times are the person's wall clock in their zone (default Europe/London, so they
               follow the clocks changing), kept in UTC; nothing is sent in quiet hours
               (21:00 to 08:00); a nudge more than a day late is dropped, a late meeting note
               says sorry (`plan`)

Reminders are kept by bot.store.reminders; setting one twice (a repeated delivery) moves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import bot.conversation.buttons as buttons
from bot.conversation.chat import Button, Outgoing
from bot.conversation.context import Context, Current
from bot.conversation.drafts import card_messages, person_profile
from bot.conversation.reminder_notes import (  # noqa: F401 - callers import these from here
    GOOD_LUCK,
    NOTE,
    as_date,
    day_words,
    note,
    previews,
    when_words,
)
from bot.conversation.reminder_times import (  # noqa: F401 - the timing rules, used here and by callers
    BEFORE,
    DAY,
    DROP,
    LATE,
    MEETING_DATE,
    MORNING_OF,
    NUDGE_DAYS,
    NUDGE_FALLBACK,
    PARTS,
    QUIET_FROM,
    QUIET_UNTIL,
    SEND,
    SNOOZE,
    WAIT,
    ZONE,
    at,
    meeting_due,
    nudge_due,
    plan,
    quiet,
    sends_at,
    wall,
)
from bot.engine.state import ACTIVE, PAUSED, Event, Turn
from bot.store.reminders import DECLINED, MEETING, NUDGE, PENDING, Reminder, Reminders

Action = Callable[[Context], None]  # one of flows.py's, handed in

MEETING_OFFER = ("Would you like a reminder before the meeting? I can send you a short note the day before, "
                 "or on the morning itself, or both. It won't show any of your answers.")
NUDGE_OFFER = "Would you like a nudge to carry on later? Just one, never a string of them."
LEFT_OFFER = "You left \"{title}\" part-way. Would you like a nudge to go back to it later? Just one."
CHOSEN_MEETING, CHOSEN_NUDGE = "A reminder before the meeting", "A nudge to carry on later"  # an offer, once answered


# ----- offers (flows.py calls these) -----


def after_step(ctx: Context, event: Event, turn: Turn) -> None:
    """After a step's replies: a meeting date just recorded gets an offer (or moves the reminders
    already set); a pause gets the offer of a nudge (not a pause from the safety net's help card)."""
    current = ctx.current
    if current is None:
        return
    for record in turn.records:
        meeting = as_date(record.answer.value) if record.question_id == MEETING_DATE else None
        if meeting is not None and not record.answer.skipped:
            _meeting_date_recorded(ctx, current, meeting)
    paused = event.kind == "command" and event.value == "pause" and turn.state.status == PAUSED
    if paused and buttons.decode(ctx.incoming.data).kind != buttons.SAFETY:
        _offer_nudge(ctx, current, NUDGE_OFFER)


def left_part_way(ctx: Context, left: Current | None) -> None:
    """After a new conversation began: offer a nudge back to the one left unfinished, if any."""
    if left is not None and not left.finished and ctx.current is not None and left.flow.id != ctx.current.flow.id:
        _offer_nudge(ctx, left, LEFT_OFFER.format(title=left.flow.title))


def _meeting_date_recorded(ctx: Context, current: Current, meeting: date) -> None:
    book = _book(ctx)
    set_ = [r for r in book.of(ctx.person) if r.session_id == current.id and r.kind == MEETING]
    if not set_:
        _offer_meeting(ctx, current.id, meeting)
        return
    lines = []
    for reminder in set_:
        due = meeting_due(meeting, reminder.slot, reminder.details.get("part", "ev"), reminder.zone)
        if due > ctx.now:
            book.set(ctx.person, session_id=current.id, kind=MEETING, slot=reminder.slot, due_at=due,
                     zone=reminder.zone, details={**reminder.details, "meeting": meeting.isoformat()}, now=ctx.now)
            lines.append(f"I've moved your reminder to {when_words(sends_at(due, reminder.zone), reminder.zone)}.")
        else:
            book.cancel(ctx.person, reminder.id)
            lines.append("One of your reminders would now be in the past, so I've cancelled it.")
    _before_question(ctx, Outgoing(text=" ".join(lines) + " Type /reminders to see or change them."))


def _offer_meeting(ctx: Context, session_id: str, meeting: date, *, exclude: str = "") -> None:
    rows = _meeting_choices(ctx, session_id, meeting, exclude)
    if rows:
        _before_question(ctx, Outgoing(text=MEETING_OFFER, buttons=(*rows, (_no_meeting(session_id),))))


def _meeting_choices(ctx: Context, session_id: str, meeting: date, exclude: str = "") -> tuple[tuple[Button, ...],
                                                                                                ...]:
    """Buttons for the times still ahead: the day before (morning, afternoon, evening), that morning."""
    choices = [Button(f"Day before: {name}", buttons.reminder("m", session_id, code))
               for code, (name, _) in PARTS.items() if exclude != BEFORE and
               meeting_due(meeting, BEFORE, code, ZONE) > ctx.now]
    if exclude != DAY and meeting_due(meeting, DAY, "", ZONE) > ctx.now:
        choices.append(Button("Morning of the meeting", buttons.reminder("m", session_id, DAY)))
    return tuple(tuple(choices[i:i + 2]) for i in range(0, len(choices), 2))


def _no_meeting(session_id: str) -> Button:
    return Button("No thanks", buttons.reminder("m", session_id, "no"))


def _offer_nudge(ctx: Context, session: Current, words: str) -> None:
    found = _book(ctx).find(ctx.person, session.id, NUDGE)
    if found is not None and found.state == DECLINED:
        return
    if found is not None and found.state == PENDING:
        _before_question(ctx, Outgoing(text="I'll still send you the nudge you asked for, "
                                            f"on {when_words(sends_at(found.due_at, found.zone), found.zone)}."))
        return
    no = Button("No thanks", buttons.reminder("c", session.id, "0"))
    _before_question(ctx, Outgoing(text=words, buttons=(*_nudge_choices(session.id), (no,))))


def _nudge_choices(session_id: str) -> tuple[tuple[Button, ...], ...]:
    return (tuple(Button(label, buttons.reminder("c", session_id, days)) for days, label in NUDGE_DAYS.items()),)


def _before_question(ctx: Context, message: Outgoing) -> None:
    """Put a message before the question this reply ends with (so the question stays last), or at the end."""
    messages = ctx.response.messages
    last = max((i for i, m in enumerate(messages) if m.is_question), default=len(messages))
    messages.insert(last, message)


# ----- /reminders -----


def show(ctx: Context, arg: str = "") -> None:
    """/reminders: what is set, soonest first, each with buttons to change or cancel it."""
    set_ = _book(ctx).of(ctx.person)
    if not set_:
        ctx.say("You have no reminders set.")
        meeting = _latest_meeting(ctx)
        if meeting is not None and meeting[1] > _today(ctx):
            _offer_meeting(ctx, *meeting)
        return
    lines, rows = ["Your reminders:"], []
    for number, reminder in enumerate(set_, start=1):
        lines.append(f"{number}. {when_words(sends_at(reminder.due_at, reminder.zone), reminder.zone)}: "
                     f"{_about(ctx, reminder)}")
        row = [Button(f"Cancel {number}", buttons.reminder("x", reminder.id))]
        if reminder.kind == NUDGE or reminder.slot == BEFORE:
            row.insert(0, Button(f"Change {number}", buttons.reminder("e", reminder.id)))
        rows.append(tuple(row))
    ctx.say("\n".join(lines) + "\n\nThe notes never show your answers.", *rows)


def _about(ctx: Context, reminder: Reminder) -> str:
    if reminder.kind == NUDGE:
        flow = ctx.content.flows.get(reminder.details.get("flow", ""))
        return f"one nudge to carry on \"{flow.title}\"" if flow else "one nudge to carry on"
    meeting = as_date(reminder.details.get("meeting"))
    on = f" on {day_words(meeting)}" if meeting else ""
    return f"a note {'the day before' if reminder.slot == BEFORE else 'on the morning of'} your meeting{on}"


# ----- taps -----


def tap(ctx: Context, parts: tuple[str, ...], *, resume: Action, repeat_question: Action) -> None:
    """A reminder's button: m/c (a choice in an offer), or k, z, o, g, n, x, e on one reminder.

    `resume` and `repeat_question` are flows.py's (coach.py passes them in: flows imports this
    module for its offers, so this one cannot import flows)."""
    action = parts[0] if parts else ""
    if action == "m" and len(parts) == 3:
        _choose_meeting(ctx, parts[1], parts[2])
    elif action == "c" and len(parts) == 3:
        _choose_nudge(ctx, parts[1], parts[2])
    elif action in (*_ON_ONE, "g") and len(parts) == 2 and parts[1].isascii() and parts[1].isdigit() \
            and (found := _book(ctx).get(ctx.person, int(parts[1]))) is not None:
        if action == "g":
            _carry_on(ctx, found, resume)
        else:
            _ON_ONE[action](ctx, found)
    else:
        ctx.response.ack = "That reminder has gone"
        ctx.say("That reminder isn't there any more. Type /reminders to see what is set.")
    going = ctx.current is not None and ctx.current.state.status == ACTIVE
    if ctx.response.edit is not None and going and not any(m.is_question for m in ctx.response.messages):
        repeat_question(ctx)  # the channel takes the buttons off the question on screen when it edits


def _choose_meeting(ctx: Context, session_id: str, choice: str) -> None:
    if choice == "no":
        ctx.response.ack = "No reminder"
        ctx.response.edit = f"{CHOSEN_MEETING}\n\n✓ No thanks"
        ctx.say("That's fine. If you change your mind, type /reminders.")
        return
    meeting = _meeting_of(ctx, session_id)
    if meeting is None or (choice not in PARTS and choice != DAY):
        ctx.say("I can't find the meeting's date any more, so I can't set that reminder.")
        return
    slot = DAY if choice == DAY else BEFORE
    due = meeting_due(meeting, slot, choice, ZONE)
    if due <= ctx.now:
        ctx.say("That time has already passed. Type /reminders to choose another.")
        return
    details = {"meeting": meeting.isoformat(), **({"part": choice} if slot == BEFORE else {})}
    book = _book(ctx)
    if book.set(ctx.person, session_id=session_id, kind=MEETING, slot=slot, due_at=due, zone=ZONE, details=details,
                now=ctx.now) is None:
        ctx.say("I can't find that conversation any more, so I can't set that reminder.")
        return
    label = "Morning of the meeting" if slot == DAY else f"Day before: {PARTS[choice][0]}"
    ctx.response.ack = "Reminder set"
    ctx.response.edit = f"{CHOSEN_MEETING}\n\n✓ {label}"
    ctx.say(f"Done. I'll send you a short note on {when_words(sends_at(due, ZONE), ZONE)}. Your phone will show only "
            f"\"{NOTE}\"; the meeting card comes when you open the chat. Type /reminders to change it.")
    other = DAY if slot == BEFORE else BEFORE
    if book.find(ctx.person, session_id, other) is None:
        rows = _meeting_choices(ctx, session_id, meeting, exclude=slot)
        if rows:
            ctx.say("Would you like one " + ("on the morning itself too?" if other == DAY else "the day before too?"),
                    *rows, (_no_meeting(session_id),))


def _choose_nudge(ctx: Context, session_id: str, days: str) -> None:
    """A choice in a nudge offer; `set` refuses a session that is not the person's."""
    book = _book(ctx)
    if days == "0":
        book.set(ctx.person, session_id=session_id, kind=NUDGE, slot=NUDGE, due_at=ctx.now, zone=ZONE, details={},
                 now=ctx.now, state=DECLINED)
        ctx.response.ack = "No nudge"
        ctx.response.edit = f"{CHOSEN_NUDGE}\n\n✓ No thanks"
        ctx.say("That's fine. Your answers are saved: type /resume whenever you're ready.")
        return
    current = ctx.session(session_id) if days in NUDGE_DAYS else None
    due = nudge_due(ctx.now, int(days), ZONE) if current is not None else ctx.now
    if current is None or current.finished or book.set(ctx.person, session_id=session_id, kind=NUDGE, slot=NUDGE,
                                                       due_at=due, zone=ZONE, details={"flow": current.flow.id},
                                                       now=ctx.now) is None:
        ctx.say("That conversation is finished or gone, so there's nothing to nudge you about.")
        return
    ctx.response.ack = "Nudge set"
    ctx.response.edit = f"{CHOSEN_NUDGE}\n\n✓ {NUDGE_DAYS[days]}"
    ctx.say(f"I'll send you one nudge on {when_words(due, ZONE)}. If you carry on before then, I won't send it.")


def _show_card(ctx: Context, reminder: Reminder) -> None:
    ctx.response.ack = "Your meeting card"
    ctx.response.messages += card_messages(person_profile(ctx.person_data(), ctx.content, ctx.now))


def _snooze(ctx: Context, reminder: Reminder) -> None:
    due = sends_at(ctx.now + SNOOZE, reminder.zone)
    if not _book(ctx).move(ctx.person, reminder.id, due, ctx.now):
        ctx.say("That reminder is on its way already.")
        return
    ctx.response.ack = "I'll remind you later"
    ctx.response.edit = f"{NOTE}\n\n✓ Remind me later"
    ctx.say(f"All right. I'll remind you again on {when_words(due, reminder.zone)}.")


def _no_more(ctx: Context, reminder: Reminder) -> None:
    book = _book(ctx)
    for other in book.of(ctx.person):
        if other.session_id == reminder.session_id and other.kind == MEETING:
            book.cancel(ctx.person, other.id)
    ctx.response.ack = "No more reminders"
    ctx.response.edit = f"{NOTE}\n\n✓ No more reminders"
    ctx.say("All right: no more reminders about this meeting. Good luck with it.")


def _carry_on(ctx: Context, reminder: Reminder, resume: Action) -> None:
    found = ctx.session(reminder.session_id)
    ctx.response.edit = f"{NOTE}\n\n✓ Carry on now"
    if found is None or found.finished:
        ctx.say("That conversation is finished or gone. Type /menu to choose another.")
        return
    ctx.response.ack = "Carrying on"
    ctx.switch(found)
    resume(ctx)


def _not_now(ctx: Context, reminder: Reminder) -> None:
    ctx.response.ack = "That's fine"
    ctx.response.edit = f"{NOTE}\n\n✓ Not now"
    ctx.say("That's fine. Your answers are saved: type /resume whenever you're ready.")


def _cancel(ctx: Context, reminder: Reminder) -> None:
    if _book(ctx).cancel(ctx.person, reminder.id):
        ctx.response.ack = "Cancelled"
        goes = sends_at(reminder.due_at, reminder.zone)
        ctx.say(f"Cancelled: I won't send the note on {when_words(goes, reminder.zone)}.")
    else:
        ctx.say("That reminder has already been sent or cancelled. Type /reminders to see what is set.")


def _change(ctx: Context, reminder: Reminder) -> None:
    if reminder.state != PENDING:
        ctx.say("That reminder has already been sent or cancelled. Type /reminders to see what is set.")
    elif reminder.kind == NUDGE:
        ctx.say("When would you like the nudge? (Counting from today.)", *_nudge_choices(reminder.session_id))
    else:
        meeting = as_date(reminder.details.get("meeting"))
        rows = _meeting_choices(ctx, reminder.session_id, meeting, exclude=DAY) if meeting else ()
        if not rows:
            ctx.say("There's no other time left before the meeting. You can cancel it from /reminders.")
            return
        ctx.say("When the day before would you like it?", *rows)


_ON_ONE = {"k": _show_card, "z": _snooze, "o": _no_more, "n": _not_now, "x": _cancel, "e": _change}


# ----- helpers -----


def _book(ctx: Context) -> Reminders:
    return ctx.reminders()


def _meeting_of(ctx: Context, session_id: str) -> date | None:
    found = [a for a in ctx.answers() if a.session_id == session_id and a.question_id == MEETING_DATE
             and not a.answer.skipped]
    return as_date(found[-1].answer.value) if found else None


def _latest_meeting(ctx: Context) -> tuple[str, date] | None:
    """The session and date of the meeting date answered last, if any."""
    found = [(a.answered_at, a.session_id, as_date(a.answer.value)) for a in ctx.answers()
             if a.question_id == MEETING_DATE and not a.answer.skipped]
    latest = max(((at_, session, day) for at_, session, day in found if day is not None), default=None)
    return (latest[1], latest[2]) if latest else None


def _today(ctx: Context) -> date:
    return wall(ctx.now, ZONE).date()
