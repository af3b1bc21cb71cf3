"""Erase people whose data has not been touched for the retention period."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.storage import Storage


def purge(storage: Storage, now: datetime, days: int) -> int:
    """Erase everyone untouched for `days` days; return how many were erased."""
    stale = storage.stale_people(now - timedelta(days=days))
    for person in stale:
        storage.delete_person(person)
    return len(stale)
