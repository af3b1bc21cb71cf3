"""Reminders in the conversation: offered when the meeting date is recorded and on a pause, set by
a tap (once, however often it is delivered), listed and changed with /reminders; the note names
no answer; quiet hours, the clocks changing and lateness; the terminal shows what would be sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from conftest import Clock

import bot.conversation.safety_net as safety_net
from bot.channels.console import Console
from bot.conversation import reminders
from bot.conversation.chat import Incoming, Outgoing, Response
from bot.conversation.coach import Coach
from bot.safety import SafetyCheck, check_safety
from bot.safety.classifier import SafetyModel
from bot.store.reminders import DECLINED, MEETING, NUDGE, Due, Reminder, Reminders

P = "tg:5"
RISKY = "Honestly some days I feel like ending it all"


@pytest.fixture(autouse=True)
def steady_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns alone: which ordinary words get a check-in is the classifier's call, and moves."""
    def check(text: str, **kw: Any) -> SafetyCheck:
        return check_safety(text, model=SafetyModel(None), **kw)

    monkeypatch.setattr(safety_net, "check_safety", check)


def cmd(coach: Coach, name: str, arg: str = "") -> Response:
    return coach.handle(P, Incoming("command", command=name, arg=arg))


def say(coach: Coach, text: str) -> Response:
    return coach.handle(P, Incoming("text", text=text))


def tap(coach: Coach, data: str, key: str | None = None, person: str = P) -> Response:
    return coach.handle(person, Incoming("tap", data=data, key=key))


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def labels(message: Outgoing) -> list[str]:
    return [b.label for row in message.buttons for b in row]


def button(response: Response, label: str) -> str:
    found = [b.data for m in response.messages for row in m.buttons for b in row if b.label == label]
    assert found, f"no button {label!r} in {[labels(m) for m in response.messages]}"
    return found[-1]


def offer(response: Response) -> Outgoing:
    [found] = [m for m in response.messages if m.text == reminders.MEETING_OFFER]
    return found


def pending(coach: Coach, person: str = P) -> list[Reminder]:
    return Reminders(coach.storage).of(person)


def at_meeting_date(coach: Coach) -> None:
    first = cmd(coach, "start", "meeting")
    tap(coach, button(first, "Me"))


def meeting_on(coach: Coach, day: str = "1 December") -> Response:
    at_meeting_date(coach)
    return say(coach, day)


# ----- offers -----


def test_recording_the_meeting_date_offers_a_reminder_before_the_next_question(coach: Coach) -> None:
    response = meeting_on(coach)
    assert response.messages[-1].is_question and "What kind of meeting" in response.messages[-1].text
    assert labels(offer(response)) == ["Day before: morning", "Day before: afternoon", "Day before: evening",
                                       "Morning of the meeting", "No thanks"]
    assert pending(coach) == []  # opt-in: nothing is set until they choose


def test_choosing_sets_the_reminder_for_that_time_and_offers_the_other(coach: Coach) -> None:
    response = tap(coach, button(meeting_on(coach), "Day before: evening"))
    [set_] = pending(coach)
    assert (set_.kind, set_.slot, set_.due_at, set_.zone) == (
        MEETING, "before", datetime(2026, 11, 30, 19, 0, tzinfo=UTC), "Europe/London")
    assert response.ack == "Reminder set" and (response.edit or "").endswith("✓ Day before: evening")
    assert "Monday 30 November at 7pm" in texts(response) and "A note from your coach" in texts(response)
    assert "Morning of the meeting" in [b for m in response.messages for b in labels(m)]
    assert response.messages[-1].is_question  # back to where they were
    tap(coach, button(response, "Morning of the meeting"))
    assert [(r.slot, r.due_at) for r in pending(coach)] == [
        ("before", datetime(2026, 11, 30, 19, 0, tzinfo=UTC)), ("day", datetime(2026, 12, 1, 8, 0, tzinfo=UTC))]


def test_a_tap_delivered_twice_or_tapped_twice_sets_one_reminder(coach: Coach) -> None:
    data = button(meeting_on(coach), "Day before: morning")
    tap(coach, data, key="cb-1")
    again = tap(coach, data, key="cb-1")  # Telegram delivering the same tap again
    assert again.ack == "Already saved"
    tap(coach, data, key="cb-2")  # tapped a second time
    assert [r.slot for r in pending(coach)] == ["before"]


def test_times_follow_the_clocks_changing(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach, "12 June"), "Day before: evening"))  # 11 June 2027, British Summer Time
    assert pending(coach)[0].due_at == datetime(2027, 6, 11, 18, 0, tzinfo=UTC)
    assert reminders.at(date(2027, 3, 28), time(9), "Europe/London") == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert reminders.at(date(2027, 3, 27), time(9), "Europe/London") == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)


def test_only_times_still_ahead_are_offered(coach: Coach, clock: Clock) -> None:
    response = meeting_on(coach, "tomorrow")  # it is 10am on Monday 23 November
    assert labels(offer(response)) == ["Day before: afternoon", "Day before: evening", "Morning of the meeting",
                                       "No thanks"]
    clock.advance(hours=12)  # 10pm: the day before is over
    assert "already passed" in texts(tap(coach, button(response, "Day before: evening")))
    assert pending(coach) == []


def test_no_thanks_sets_nothing_and_a_skipped_date_offers_nothing(coach: Coach) -> None:
    response = tap(coach, button(meeting_on(coach), "No thanks"))
    assert "type /reminders" in texts(response) and pending(coach) == []
    cmd(coach, "restart")
    skipped = cmd(coach, "skip")
    assert reminders.MEETING_OFFER not in texts(skipped)


def test_changing_the_meeting_date_moves_the_reminders(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach), "Day before: afternoon"))
    [answer] = [a for a in coach.storage.answers(P) if a.question_id == reminders.MEETING_DATE]
    tap(coach, f"r:c:{answer.id}")
    moved = say(coach, "8 December")
    assert "moved your reminder to Monday 7 December at 2pm" in texts(moved)
    assert reminders.MEETING_OFFER not in texts(moved)
    assert [r.due_at for r in pending(coach)] == [datetime(2026, 12, 7, 14, 0, tzinfo=UTC)]


# ----- a nudge to carry on -----


def test_a_pause_offers_one_nudge_and_tomorrow_means_tomorrow_at_the_same_time(coach: Coach) -> None:
    meeting_on(coach)
    paused = cmd(coach, "pause")
    assert "Paused" in paused.messages[0].text and reminders.NUDGE_OFFER == paused.messages[-1].text
    assert labels(paused.messages[-1]) == ["Tomorrow", "In 3 days", "In a week", "No thanks"]
    chosen = tap(coach, button(paused, "Tomorrow"))
    assert "Tuesday 24 November at 10am" in texts(chosen) and not any(m.is_question for m in chosen.messages)
    assert [(r.kind, r.due_at, r.details) for r in pending(coach)] == [
        (NUDGE, datetime(2026, 11, 24, 10, 0, tzinfo=UTC), {"flow": "meeting"})]
    cmd(coach, "resume")
    again = cmd(coach, "pause")  # one nudge per pause, never a second one
    assert "I'll still send you the nudge you asked for, on Tuesday 24 November" in texts(again)
    assert len(pending(coach)) == 1


def test_no_thanks_to_a_nudge_is_remembered_for_that_conversation(coach: Coach) -> None:
    meeting_on(coach)
    tap(coach, button(cmd(coach, "pause"), "No thanks"))
    cmd(coach, "resume")
    assert reminders.NUDGE_OFFER not in texts(cmd(coach, "pause"))
    assert [r.state for r in Reminders(coach.storage).of(P, (DECLINED,))] == [DECLINED] and pending(coach) == []


def test_a_nudge_asked_for_late_at_night_comes_at_ten(coach: Coach, clock: Clock) -> None:
    meeting_on(coach)
    clock.advance(hours=12, minutes=30)  # 10:30pm
    tap(coach, button(cmd(coach, "pause"), "In 3 days"))
    assert pending(coach)[0].due_at == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_leaving_a_conversation_part_way_offers_a_nudge_back_to_it(coach: Coach) -> None:
    meeting_on(coach)
    response = cmd(coach, "start", "example")
    assert 'You left "Getting ready for the meeting" part-way' in texts(response)
    assert response.messages[-1].is_question  # the new conversation's question stays last
    tap(coach, button(response, "In a week"))
    assert pending(coach)[0].details == {"flow": "meeting"}


def test_pausing_from_the_safety_card_offers_no_nudge(coach: Coach) -> None:
    meeting_on(coach)
    card = say(coach, RISKY)
    paused = tap(coach, button(card, "Pause for now"))
    assert "Paused" in texts(paused) and reminders.NUDGE_OFFER not in texts(paused)


# ----- /reminders -----


def test_reminders_lists_what_is_set_in_plain_words_and_cancels(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach), "Day before: evening"))
    tap(coach, button(cmd(coach, "pause"), "In 3 days"))
    listed = cmd(coach, "reminders")
    assert texts(listed).startswith("Your reminders:\n1. Thursday 26 November at 10am: one nudge to carry on "
                                    "\"Getting ready for the meeting\"\n2. Monday 30 November at 7pm: a note the day "
                                    "before your meeting on Tuesday 1 December")
    assert labels(listed.messages[0]) == ["Change 1", "Cancel 1", "Change 2", "Cancel 2"]
    cancelled = tap(coach, button(listed, "Cancel 2"))
    assert "I won't send the note on Monday 30 November at 7pm" in texts(cancelled)
    assert [r.kind for r in pending(coach)] == [NUDGE]
    assert "already been sent or cancelled" in texts(tap(coach, button(listed, "Cancel 2")))


def test_reminders_changes_a_reminder(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach), "Day before: evening"))
    change = tap(coach, button(cmd(coach, "reminders"), "Change 1"))
    assert labels(change.messages[0]) == ["Day before: morning", "Day before: afternoon", "Day before: evening"]
    tap(coach, button(change, "Day before: morning"))
    assert [r.due_at for r in pending(coach)] == [datetime(2026, 11, 30, 9, 0, tzinfo=UTC)]


def test_reminders_with_none_set_offers_one_for_a_known_meeting(coach: Coach) -> None:
    assert texts(cmd(coach, "reminders")) == "You have no reminders set."
    tap(coach, button(meeting_on(coach), "No thanks"))
    listed = cmd(coach, "reminders")
    assert "You have no reminders set." in texts(listed) and "Day before: evening" in labels(listed.messages[-1])


def test_another_persons_reminder_cannot_be_touched(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach), "Day before: evening"))
    [mine] = pending(coach)
    for action in "xzoek":
        response = tap(coach, f"n:{action}:{mine.id}", person="tg:6")
        assert "isn't there any more" in texts(response)
    assert pending(coach) == [mine]


def test_a_nudge_for_someone_elses_conversation_is_refused(coach: Coach) -> None:
    meeting_on(coach)
    theirs = coach.storage.settings(P)["session"]
    response = tap(coach, f"n:c:{theirs}:1", person="tg:6")
    assert "finished or gone" in texts(response) and pending(coach, "tg:6") == [] and pending(coach) == []


def test_the_nudge_carries_on_where_they_left_off_or_not_now(coach: Coach, clock: Clock) -> None:
    meeting_on(coach)
    tap(coach, button(cmd(coach, "pause"), "Tomorrow"))
    cmd(coach, "start", "example")  # somewhere else in the meantime, without touching the paused one
    [nudge] = pending(coach)
    clock.now = nudge.due_at
    note = reminders.note(nudge, clock.now)
    assert note.text.startswith(f"{reminders.NOTE}\n\nYou asked me for a nudge") and labels(note) == [
        "Carry on now", "Not now"]
    assert texts(tap(coach, note.buttons[0][1].data)).startswith("That's fine.")
    carried = tap(coach, note.buttons[0][0].data)
    assert carried.ack == "Carrying on" and "What kind of meeting" in carried.messages[-1].text
    assert coach.storage.settings(P)["session"] == nudge.session_id


def test_delete_erases_reminders(coach: Coach) -> None:
    tap(coach, button(meeting_on(coach), "Day before: evening"))
    tap(coach, "d:yes")
    assert pending(coach) == [] and coach.storage.db.execute("select count(*) from reminders").fetchone()[0] == 0


# ----- the note and its buttons -----


def sent_note(coach: Coach, clock: Clock, choice: str = "Day before: evening") -> Outgoing:
    tap(coach, button(meeting_on(coach), choice))
    [reminder] = pending(coach)
    clock.now = reminder.due_at
    return reminders.note(reminder, clock.now)


def test_the_note_starts_neutral_and_names_no_answer(coach: Coach, clock: Clock) -> None:
    note = sent_note(coach, clock)
    first, _, rest = note.text.partition("\n")
    assert first == "A note from your coach"
    assert rest.strip() == "Your meeting is tomorrow. " + reminders.GOOD_LUCK
    for answer in coach.storage.answers(P):
        assert answer.answer.display not in note.text and answer.answer.text not in note.text
    assert "December" not in note.text and labels(note) == ["Show my meeting card", "Remind me later",
                                                            "No more reminders"]


def test_the_card_comes_only_when_they_tap_for_it(coach: Coach, clock: Clock) -> None:
    note = sent_note(coach, clock)
    card = tap(coach, note.buttons[0][0].data)
    assert card.ack == "Your meeting card" and "Tuesday 1 December" in texts(card)


def test_remind_me_later_and_no_more_reminders(coach: Coach, clock: Clock) -> None:
    set_ = tap(coach, button(meeting_on(coach), "Day before: evening"))
    tap(coach, button(set_, "Morning of the meeting"))
    evening, morning = pending(coach)
    clock.now = evening.due_at
    note = reminders.note(evening, clock.now)
    later = tap(coach, note.buttons[1][0].data)  # 7pm: two hours later is in quiet hours, so 8am
    assert later.ack == "I'll remind you later" and "Tuesday 1 December at 8am" in texts(later)
    assert [r.due_at for r in pending(coach)] == [morning.due_at, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]
    stop = tap(coach, note.buttons[1][1].data)
    assert "no more reminders about this meeting" in texts(stop) and pending(coach) == []


@pytest.mark.parametrize(("meeting", "now", "expected"), [
    ("2026-12-01", datetime(2026, 12, 1, 8, 0, tzinfo=UTC), "Your meeting is today."),
    ("2026-12-01", datetime(2026, 11, 30, 19, 0, tzinfo=UTC), "Your meeting is tomorrow."),
    ("2026-12-09", datetime(2026, 12, 1, 8, 0, tzinfo=UTC), "Your meeting is coming up soon."),
    ("2026-12-01", datetime(2026, 12, 2, 10, 0, tzinfo=UTC), "I hope your meeting went well."),
])
def test_the_note_fits_the_day_it_is_sent(meeting: str, now: datetime, expected: str) -> None:
    reminder = Reminder(1, "s", MEETING, "before", now, "Europe/London", "pending", now, {"meeting": meeting})
    assert reminders.note(reminder, now).text.split("\n\n")[1].startswith(expected)


def test_a_note_over_a_day_late_says_sorry() -> None:
    due = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
    reminder = Reminder(1, "s", MEETING, "before", due, "Europe/London", "pending", due, {"meeting": "2026-12-01"})
    assert "Sorry" not in reminders.note(reminder, due + timedelta(hours=23)).text
    late = reminders.note(reminder, due + timedelta(days=1, hours=14))
    assert late.text.startswith("A note from your coach\n\nSorry this is late") and "went well" in late.text


# ----- timing -----


@pytest.mark.parametrize(("due", "goes"), [
    (datetime(2026, 11, 30, 19, 0, tzinfo=UTC), datetime(2026, 11, 30, 19, 0, tzinfo=UTC)),
    (datetime(2026, 11, 30, 21, 0, tzinfo=UTC), datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    (datetime(2026, 12, 1, 3, 0, tzinfo=UTC), datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    (datetime(2026, 12, 1, 8, 0, tzinfo=UTC), datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    (datetime(2027, 6, 11, 20, 30, tzinfo=UTC), datetime(2027, 6, 12, 7, 0, tzinfo=UTC)),  # 21:30 BST -> 8am BST
])
def test_quiet_hours_hold_a_reminder_until_eight(due: datetime, goes: datetime) -> None:
    assert reminders.sends_at(due, "Europe/London") == goes


def due(reminder_id: int, kind: str, at: datetime, *, session: str = "s1", status: str | None = "paused",
        touched: datetime | None = None, set_at: datetime | None = None) -> Due:
    reminder = Reminder(reminder_id, session, kind, "nudge" if kind == NUDGE else "before", at, "Europe/London",
                        "pending", set_at or at - timedelta(days=1), {"meeting": "2026-12-01"})
    return Due(reminder, "tg:5", status, touched or at - timedelta(days=2))


def test_plan_sends_waits_in_quiet_hours_and_drops_what_is_no_longer_wanted() -> None:
    now = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
    cases = [
        due(1, MEETING, now),
        due(2, NUDGE, now - timedelta(days=2)),  # over a day late
        due(3, NUDGE, now, status="finished"),
        due(4, NUDGE, now, touched=now - timedelta(hours=1)),  # they came back after asking
        due(5, NUDGE, now, session="s2"),
        due(6, MEETING, now, session="s3"),
        due(7, MEETING, now + timedelta(hours=1), session="s3"),  # a later note for the same meeting
        due(8, NUDGE, now, status=None),  # the conversation is gone
    ]
    decided = {d.reminder.id: action for d, action in reminders.plan(cases, now)}
    assert decided == {1: "send", 2: "drop", 3: "drop", 4: "drop", 5: "send", 6: "drop", 7: "send", 8: "drop"}
    quiet = {d.reminder.id: a for d, a in reminders.plan(cases, now.replace(hour=22))}
    assert quiet[1] == quiet[5] == quiet[7] == "wait"


# ----- the terminal -----


def test_the_terminal_shows_what_would_be_sent(coach: Coach) -> None:
    written: list[str] = []
    console = Console(coach, P, read=lambda prompt: None, write=written.append)
    console.send(Incoming("command", command="start", arg="meeting"))
    console.send(Incoming("text", text="me"))
    console.send(Incoming("text", text="1 December"))
    console.send(Incoming("command", command="reminders"))
    console.send(console.incoming("3"))  # the third button: Day before: evening
    shown = "\n".join(written)
    assert "On Telegram, on Monday 30 November at 7pm, you would get this note:)\nA note from your coach" in shown
    assert "[Show my meeting card | Remind me later | No more reminders]" in shown
    console.send(Incoming("command", command="help"))
    assert "\n".join(written).count("you would get this note") == 1  # shown once, when it was set
