"""The state of one person's run through one flow, and what the engine hands back.

Plain data that round-trips through JSON, so SQLite (not memory) is the truth.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

ACTIVE, PAUSED, FINISHED = "active", "paused", "finished"


@dataclass(frozen=True)
class Answer:
    """One answer as it stands now. `value` is None when skipped."""

    value: Any
    text: str
    display: str
    skipped: bool = False


@dataclass
class SessionState:
    flow_id: str
    flow_hash: str
    node: str | None
    path: list[str] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    status: str = ACTIVE
    attempts: int = 0
    phase: str = ""
    picked: list[str] = field(default_factory=list)
    earlier: dict[str, Any] = field(default_factory=dict)
    last_ref: str | None = None  # the channel id of the message that gave the latest answer
    acks: list[str] = field(default_factory=list)  # acknowledgements said (content's words, never the person's)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def copy(self) -> SessionState:
        """A working copy for one engine step (answers are frozen, so the dicts can be shallow)."""
        return replace(self, path=list(self.path), answers=dict(self.answers), values=dict(self.values),
                       picked=list(self.picked), earlier=dict(self.earlier), acks=list(self.acks))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        data = dict(data)
        data["answers"] = {k: Answer(**v) for k, v in data.get("answers", {}).items()}
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def on_path(self) -> set[str]:
        """Answers that count: those on the path actually taken (old branches are left out)."""
        return set(self.path) | ({self.node} if self.node else set())


@dataclass(frozen=True)
class Prompt:
    """A question as a channel should show it."""

    node_id: str
    text: str
    kind: str  # text | scale | choice | multi | yes_no | list | date | reflect (a reflection or summary)
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    picked: tuple[str, ...] = ()
    scale: tuple[int, int] | None = None
    min_label: str | None = None
    max_label: str | None = None
    can_skip: bool = True
    can_back: bool = False
    has_why: bool = False
    progress: str = ""
    other: bool = False
    current: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message to the person: plain text, or a question."""

    text: str = ""
    prompt: Prompt | None = None


REFLECTION = "reflect."  # a Record's question id for the check of a reflection: "reflect.<step id>"


def is_reflection(question_id: str) -> bool:
    """Whether an answer is the check of a reflection ("Is that right?"), not an answer to a question."""
    return question_id.startswith(REFLECTION)


@dataclass(frozen=True)
class Record:
    """An answer to write to storage (a new version of `node_id`'s answer)."""

    node_id: str
    answer: Answer
    question_id: str = ""
    asked: str = ""


@dataclass(frozen=True)
class Turn:
    state: SessionState
    replies: tuple[Reply, ...]
    records: tuple[Record, ...] = ()


@dataclass(frozen=True)
class Event:
    """What the person did: typed `text`, tapped `value` on `node_id`, or a `command`."""

    kind: str  # text | pick | command | edit
    text: str = ""
    node_id: str | None = None
    value: str | None = None
