"""Errors raised by the coach.

CoachError
├── ContentError      flows or banks failed validation (carries every Problem)
├── StorageError      the database could not save or read
│   └── StaleState    a session changed since it was read; nothing of that save was written
└── ConfigError       a setting is missing or wrong
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a content file, with where it is."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


class CoachError(Exception):
    """Root of every error the coach raises on purpose."""


class ContentError(CoachError):
    """Content did not validate; holds every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class StorageError(CoachError):
    """The database could not do what was asked (full, read-only, locked)."""


class ConfigError(CoachError):
    """A setting is missing or invalid."""


class StaleState(StorageError):
    """A session was changed by another writer since it was read; the whole save was rolled back."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(f"session {session_id} was changed elsewhere since it was read; nothing was saved")
