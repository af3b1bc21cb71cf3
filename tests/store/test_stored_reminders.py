"""Reminders in SQLite: one per person, session and slot; claimed before sending, so sent at most
once; what a dead run left `sending` is never sent again; erased with the person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.engine.state import SessionState
from bot.store.encryption import FernetCipher
from bot.store.reminders import (
    CANCELLED,
    FAILED,
    MEETING,
    NUDGE,
    PENDING,
    SENT,
    UNSURE,
    Reminders,
    Schedule,
)
from bot.store.retention import purge
from bot.store.storage import Storage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
ALEX, SAM = "tg:1001", "tg:1002"


@pytest.fixture
def store(tmp_path: Path):
    storage = Storage(tmp_path / "coach.db", FernetCipher(Fernet.generate_key()))
    yield storage
    storage.close()


@pytest.fixture
def schedule(store: Storage):
    opened = Schedule(store.path, store.cipher)
    yield opened
    opened.close()


def person_with_session(store: Storage, person: str, now: datetime = NOW) -> str:
    return store.create_session(person, SessionState("meeting", "hash", "meeting_kind"), now=now)


def meeting(store: Storage, person: str = ALEX, *, slot: str = "before", due: datetime = DUE,
            session: str | None = None) -> int:
    session = session or person_with_session(store, person)
    found = Reminders(store).set(person, session_id=session, kind=MEETING, slot=slot, due_at=due,
                                 zone="Europe/London", details={"meeting": "2026-12-01", "part": "ev"}, now=NOW)
    assert found is not None
    return found.id


def state_of(store: Storage, reminder_id: int) -> str:
    return store.db.execute("select state from reminders where id = ?", [reminder_id]).fetchone()[0]


def test_a_reminder_is_kept_with_its_time_in_utc_and_its_zone(store: Storage) -> None:
    rid = meeting(store)
    [kept] = Reminders(store).of(ALEX)
    assert (kept.id, kept.kind, kept.slot, kept.due_at, kept.zone, kept.state) == (
        rid, MEETING, "before", DUE, "Europe/London", PENDING)
    assert kept.details == {"meeting": "2026-12-01", "part": "ev"}
    assert store.db.execute("select due_at from reminders").fetchone()[0] == "2026-11-30T19:00:00+00:00"


def test_setting_the_same_slot_again_moves_it_and_never_makes_a_second(store: Storage) -> None:
    session = person_with_session(store, ALEX)
    first = meeting(store, session=session)
    again = meeting(store, session=session, due=DUE + timedelta(hours=1))
    assert first == again
    assert [(r.id, r.due_at) for r in Reminders(store).of(ALEX)] == [(first, DUE + timedelta(hours=1))]
    other_slot = meeting(store, session=session, slot="day")
    assert other_slot != first and len(Reminders(store).of(ALEX)) == 2


def test_a_person_reads_and_changes_only_their_own_reminders(store: Storage) -> None:
    mine, theirs = meeting(store, ALEX), meeting(store, SAM)
    reminders = Reminders(store)
    assert reminders.get(ALEX, theirs) is None and reminders.get(ALEX, mine) is not None
    assert not reminders.cancel(ALEX, theirs)
    assert not reminders.move(ALEX, theirs, DUE + timedelta(days=1), NOW)
    assert state_of(store, theirs) == PENDING and reminders.get(SAM, theirs).due_at == DUE  # type: ignore[union-attr]
    assert [r.id for r in reminders.of(SAM)] == [theirs]


def test_a_reminder_for_someone_elses_conversation_is_refused(store: Storage) -> None:
    theirs = person_with_session(store, SAM)
    person_with_session(store, ALEX)
    assert Reminders(store).set(ALEX, session_id=theirs, kind=NUDGE, slot=NUDGE, due_at=DUE, zone="Europe/London",
                                details={}, now=NOW) is None
    assert store.db.execute("select count(*) from reminders").fetchone()[0] == 0


def test_details_are_encrypted_at_rest(store: Storage) -> None:
    meeting(store)
    sealed = store.db.execute("select details from reminders").fetchone()[0]
    assert "2026-12-01" not in sealed and sealed.startswith("gAAAA")


def test_due_gives_the_channel_id_and_how_the_conversation_stands(store: Storage, schedule: Schedule) -> None:
    rid = meeting(store)
    assert schedule.due(DUE - timedelta(seconds=1)) == []
    [due] = schedule.due(DUE)
    assert (due.reminder.id, due.channel_id, due.session_status, due.session_updated_at) == (rid, ALEX, "active", NOW)


def test_a_claim_is_taken_once_and_a_sent_reminder_is_never_due_again(store: Storage, schedule: Schedule) -> None:
    rid = meeting(store)
    assert schedule.claim(rid, DUE)
    assert not schedule.claim(rid, DUE)  # a second round, or a second sender, gets nothing
    assert schedule.due(DUE) == []
    schedule.sent(rid, DUE, message_id=42)
    assert state_of(store, rid) == SENT and schedule.due(DUE + timedelta(days=3)) == []
    assert store.db.execute("select message_id from reminders").fetchone()[0] == 42


def test_a_claim_left_by_a_dead_run_is_marked_unsure_and_never_sent_again(store: Storage) -> None:
    rid, later = meeting(store, ALEX), meeting(store, SAM, due=DUE + timedelta(days=1))
    dead = Schedule(store.path, store.cipher)
    assert dead.claim(rid, DUE)  # ... and the process is killed before it records the send
    dead.close()
    restarted = Schedule(store.path, store.cipher)
    try:
        assert restarted.recover() == [rid]
        assert state_of(store, rid) == UNSURE
        assert [d.reminder.id for d in restarted.due(DUE + timedelta(days=2))] == [later]
        assert restarted.recover() == []
    finally:
        restarted.close()


def test_a_release_puts_it_back_for_the_next_round_and_settle_ends_it(store: Storage, schedule: Schedule) -> None:
    rid = meeting(store)
    schedule.claim(rid, DUE)
    schedule.release(rid)
    assert [d.reminder.id for d in schedule.due(DUE)] == [rid]
    schedule.claim(rid, DUE)
    schedule.settle(rid, FAILED)
    assert state_of(store, rid) == FAILED and schedule.due(DUE) == []


def test_cancel_and_move_follow_the_state(store: Storage, schedule: Schedule) -> None:
    reminders = Reminders(store)
    rid = meeting(store)
    schedule.claim(rid, DUE)
    assert not reminders.move(ALEX, rid, DUE + timedelta(hours=2), DUE)  # on its way: left alone
    assert not reminders.cancel(ALEX, rid)
    schedule.sent(rid, DUE, 7)
    assert reminders.move(ALEX, rid, DUE + timedelta(hours=2), DUE)  # "remind me later" after it came
    assert state_of(store, rid) == PENDING and [d.reminder.id for d in schedule.due(DUE + timedelta(hours=2))] == [rid]
    assert reminders.cancel(ALEX, rid) and state_of(store, rid) == CANCELLED
    assert schedule.due(DUE + timedelta(days=1)) == []


def test_erasing_a_person_erases_their_reminders(store: Storage) -> None:
    meeting(store, ALEX)
    kept = meeting(store, SAM)
    store.delete_person(ALEX)
    assert [row[0] for row in store.db.execute("select id from reminders")] == [kept]


def test_retention_erases_reminders_with_everything_else(store: Storage) -> None:
    meeting(store, ALEX)
    session = store.create_session(SAM, SessionState("meeting", "hash", "q"), now=NOW + timedelta(days=100))
    Reminders(store).set(SAM, session_id=session, kind=NUDGE, slot=NUDGE, due_at=DUE, zone="Europe/London",
                         details={}, now=NOW)
    assert purge(store, NOW + timedelta(days=181), days=180) == 1
    assert [r.kind for r in Reminders(store).of(SAM)] == [NUDGE] and Reminders(store).of(ALEX) == []


def test_pending_before_lists_everyones_pending_reminders_without_reading_them(store: Storage,
                                                                             schedule: Schedule) -> None:
    early, late, sent = meeting(store, ALEX), meeting(store, SAM, due=DUE + timedelta(days=2)), meeting(store, "tg:3")
    schedule.claim(sent, DUE)
    schedule.sent(sent, DUE, 1)
    listed = Reminders(store).pending_before(DUE + timedelta(days=1))
    assert [(r.id, r.due_at) for r in listed] == [(early, DUE)]
    assert listed[0].details == {}
    assert [r.id for r in Reminders(store).pending_before(DUE + timedelta(days=3))] == [early, late]
