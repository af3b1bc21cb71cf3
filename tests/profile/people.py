"""Three people answering whole flows through the real coach, from tests/data/profile_<name>.yaml.

A run names a flow, who it is about (me or someone I care for), and the person's answers by step
id (a repeat's steps as `step.option`, e.g. `hardest.washing`). Choices are given by id (typed as
their number), several choices as a list of ids, list answers as a list (typed one at a time, then
"done"), scales as numbers, yes/no as true or false. A step with no answer is skipped, a
reflection or summary is confirmed, and a run with `stop_at` stops there, so the next run (`start: restart`)
begins with /restart and leaves it abandoned. The clock moves `days_later` before a run.
Every scripted answer must be used, so a change in a flow cannot silently leave words out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

import bot.conversation.safety_net as safety_net
from bot.content.model import AskNode, Content
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.conversation.drafts import PersonData, person_profile, read_person
from bot.conversation.person import PersonState
from bot.profile import Profile
from bot.safety import SafetyCheck, SafetyModel, check_safety
from bot.store.storage import Storage

DATA = Path(__file__).resolve().parents[1] / "data"
PEOPLE = ("margaret", "helen", "kasia")
MOST_STEPS = 400


def steady_check(text: str, **kw: Any) -> SafetyCheck:
    """The safety net's patterns alone: which ordinary words get a check-in is the classifier's call,
    and moves when it is retrained (tests/conversation/test_safety_net.py)."""
    return check_safety(text, model=SafetyModel(None), **kw)


class Clock:
    """A clock that only moves when the script moves it (starts 23 November 2026, 10:00 UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Lived:
    name: str
    data: PersonData
    profile: Profile


_LIVED: dict[tuple[int, str], Lived] = {}


def lived_people(content: Content, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lived]:
    """The three people, each lived once per test run through the real coach (with the steady checker)."""
    found = {}
    for name in PEOPLE:
        if (id(content), name) not in _LIVED:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(safety_net, "check_safety", steady_check)
                clock = Clock()
                storage = Storage(Path(tmp_path_factory.mktemp(name)) / "coach.db")
                try:
                    data = read_person(storage, live(Coach(content, storage, clock=clock), clock, name))
                finally:
                    storage.close()
            _LIVED[(id(content), name)] = Lived(name, data, person_profile(data, content, clock.now))
        found[name] = _LIVED[(id(content), name)]
    return found


def script(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"profile_{name}.yaml").read_text(encoding="utf-8"))


def live(coach: Coach, clock: Any, name: str) -> str:
    """Play `name`'s script through `coach`; returns the person's id."""
    data = script(name)
    person = f"cli:{name}"
    coach.handle(person, Incoming("command", command="start"))
    for number, run in enumerate(data["runs"], start=1):
        clock.advance(days=run.get("days_later", 0))
        _run(coach, person, run, f"{name} run {number} ({run['flow']})")
    return person


def _run(coach: Coach, person: str, run: dict[str, Any], where: str) -> None:
    flow = coach.content.flows[run["flow"]]
    answers: dict[str, Any] = dict(run.get("answers") or {})
    answers.setdefault("for_someone", run.get("about", "me"))
    used: set[str] = set()
    if run.get("start") == "restart":
        response = coach.handle(person, Incoming("command", command="restart"))
    else:
        response = coach.handle(person, Incoming("command", command="start", arg=flow.id))
    for _ in range(MOST_STEPS):
        state = _state(coach, person)
        if state is None or state.flow_id != flow.id or state.status == "finished" or state.node is None:
            break
        node_id = state.node
        if node_id == run.get("stop_at"):
            break
        node = flow.nodes[node_id]
        if isinstance(node, AskNode):
            said = _typed(node, answers.get(node_id)) if node_id in answers else "skip"
            used.add(node_id)
        else:  # a reflection or a summary, waiting to be confirmed
            said = "yes"
        for part in said if isinstance(said, list) else [said]:
            before = _safety_events(coach, person)
            response = coach.handle(person, Incoming("text", text=part))
            if _safety_events(coach, person) != before:
                raise AssertionError(f"{where}: the safety net stepped in at {node_id} for {part!r}")
        after = _state(coach, person)
        if after is not None and after.node == node_id and "send it again" in _texts(response):
            response = coach.handle(person, Incoming("text", text=str(said)))  # the same number twice running
            after = _state(coach, person)
        if after is not None and after.flow_id == flow.id and after.node == node_id and after.status != "finished":
            raise AssertionError(f"{where}: stuck at {node_id} after {said!r}: {_texts(response)[-300:]}")
    else:
        raise AssertionError(f"{where}: did not finish in {MOST_STEPS} steps")
    unused = set(answers) - used - {"for_someone"}
    assert not unused, f"{where}: scripted answers never asked: {sorted(unused)}"


def _safety_events(coach: Coach, person: str) -> int:
    return len(PersonState.from_dict(coach.storage.settings(person)).safety_events)


def _state(coach: Coach, person: str):  # type: ignore[no-untyped-def]
    session_id = coach.storage.settings(person).get("session")
    found = coach.storage.session(session_id) if session_id else None
    return found[1] if found else None


def _typed(node: AskNode, value: Any) -> str | list[str]:
    """What the person types for `value`: a choice's number, several numbers, items then "done"."""
    question = node.question
    ids = [c.id for c in question.choices]
    if question.type == "list":
        return [str(item) for item in value] + ["done"]
    if question.type == "multi":
        return ", ".join(str(ids.index(v) + 1) if v in ids else str(v) for v in value)
    if question.type == "choice" or node.id == "for_someone":
        return str(ids.index(value) + 1) if value in ids else str(value)
    if question.type == "yes_no":
        return "yes" if value else "no"
    return str(value)


def _texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)
