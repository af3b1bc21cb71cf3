"""Shared fixtures: the shipped content, a fresh database, a coach with a clock we control."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.telegram.limits import CONTENT
from bot.content.loader import load_content
from bot.content.model import Content, Flow
from bot.conversation.coach import Coach
from bot.engine.state import SessionState
from bot.store.storage import Storage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Key files default to ~/.config: no test (nor the processes it starts) may write to the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)


@pytest.fixture
def storage(tmp_path: Path):
    store = Storage(tmp_path / "coach.db")
    yield store
    store.close()


class Clock:
    """A clock that only moves when a test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def coach(content: Content, storage: Storage, clock: Clock) -> Coach:
    return Coach(content, storage, clock=clock)


def current_session(coach: Coach, person: str) -> tuple[str, Flow, SessionState] | None:
    """The conversation a person is in, read from storage as the coach would: (session id, flow, state)."""
    session_id = coach.storage.settings(person).get("session")
    found = coach.storage.session(session_id) if session_id else None
    flow = coach.content.flows.get(found[0]["flow_id"]) if found else None
    return (session_id, flow, found[1]) if found and flow else None
