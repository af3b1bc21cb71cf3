"""Erase people whose data has not been touched for the retention period."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.storage import Storage


def purge(storage: Storage, now: datetime, days: int) -> int:
    """Erase everyone untouched for `days` days, in one transaction; return how many were erased."""
    return storage.erase_untouched(now - timedelta(days=days))
