"""The content model: questions, flows and the compiled nodes the engine walks.

Everything here is frozen. A flow file is compiled into a graph of nodes: scale follow-ups,
`repeat` blocks and `call`ed sequences are expanded at load time, so the engine only ever
walks plain nodes with transitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.conditions import Expr
from bot.content.text import PromptText as Text

QUESTION_TYPES = ("text", "scale", "choice", "multi", "yes_no", "list", "date")
AUDIENCES = ("person", "carer", "practitioner")
AUDIENCE_LABELS = {
    "person": "For me",
    "carer": "I care for someone",
    "practitioner": "I'm a practitioner",
}
# Scale follow-ups, in the order they are asked: what changed since last time, a coping question
# at the bottom of the scale (0 to 2), what keeps it from being lower, one point up, a next step.
FOLLOWUPS = ("since_last", "coping", "not_lower", "one_up", "next_step")
SECTIONS = (
    "about_me",
    "admired",
    "what_matters",
    "good_and_hard_days",
    "daily_life",
    "wellbeing",
    "people_support",
    "tried",
    "worries",
    "support_me",
    "scales",
    "meeting",
    "caring_role",
    "practice",
    "none",
)
TECHNIQUES = (
    "best_hopes",
    "preferred_future",
    "miracle",
    "exception",
    "coping",
    "relationship",
    "what_else",
    "ears",
    "scaling",
    "confidence_ruler",
    "importance_ruler",
    "strengths",
    "assets",
    "daily_life",
    "four_tests",
    "frequency",
    "impact",
    "good_and_hard_days",
    "worries",
    "working_well",
    "needs_to_happen",
    "carer",
    "meeting_prep",
    "about_me",
    "support",
    "reflection",
    "practice",
)
# The parts of the one-screen meeting card a question's answers can be picked for (`card:`).
# "hard_to_say" is a note the person may hand over: it goes on the card only when a yes_no
# question tagged `card: hard_to_say` was answered yes (the person chose it).
CARD_PARTS = ("matters", "hardest", "questions", "hard_to_say")
END = "end"


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """A reusable question from a bank, referred to as `bank.question`."""

    id: str
    type: str
    text: Text
    why: str
    practice_note: str
    technique: str
    section: str
    carer_text: Text | None = None
    hint: str | None = None
    skippable: bool = True
    reask: str | None = None
    max_reasks: int = 2
    on_max_reasks: str = "skip"
    min: int = 0
    max: int = 10
    min_label: str | None = None
    max_label: str | None = None
    followups: tuple[tuple[str, Text | None], ...] = ()
    choices: tuple[Choice, ...] = ()
    other: bool = False
    more_text: str | None = None
    max_items: int = 10
    future_only: bool = False
    card: str | None = None  # one of CARD_PARTS: the meeting card part its answers are picked for
    # short lines said after an answer, before the next question (a scale's: before its coping
    # question); None until the compiler fills in the section's default, () for none
    acknowledge: tuple[Text, ...] | None = None
    unused: str | None = None  # why no flow asks this question (kept for a reason recorded in the bank)
    private: bool = False  # private preparation: kept in "my notes", out of the shared PDF unless chosen

    def choice_text(self, choice_id: str) -> str:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.text
        return choice_id


@dataclass(frozen=True)
class Transition:
    target: str
    condition: Expr | None = None
    condition_text: str = ""


@dataclass(frozen=True)
class Item:
    """The option a `repeat` block is running for: its variable name, id and text."""

    var: str
    id: str
    text: str


@dataclass(frozen=True)
class Followup:
    kind: str
    of: str  # the scale node id


@dataclass(frozen=True)
class NodeBase:
    id: str
    line: int
    next: tuple[Transition, ...]
    when: Expr | None = None
    otherwise: str = END
    scope: tuple[tuple[str, Any], ...] = ()
    item: Item | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # inside a repeat: step id -> this pass's node id


@dataclass(frozen=True)
class AskNode(NodeBase):
    question: Question = field(default=None)  # type: ignore[assignment]
    text: Text | None = None
    carer_text: Text | None = None
    followup: Followup | None = None
    instead_of: str | None = None  # asked only when that answer names what should stop, not what should be there


@dataclass(frozen=True)
class SayNode(NodeBase):
    text: Text = field(default=None)  # type: ignore[assignment]


@dataclass(frozen=True)
class ReflectNode(NodeBase):
    text: Text = field(default=None)  # type: ignore[assignment]
    of: str = ""


@dataclass(frozen=True)
class SummaryNode(NodeBase):
    """Hands back several answers at the end of a part, to confirm or fix one by one."""

    text: Text = field(default=None)  # type: ignore[assignment]  # the opening words: "So far you've told me"
    items: tuple[tuple[str, str], ...] = ()  # (answer id, what it is called in the summary)


@dataclass(frozen=True)
class SetNode(NodeBase):
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class EndNode(NodeBase):
    text: Text | None = None


Node = AskNode | SayNode | ReflectNode | SummaryNode | SetNode | EndNode


@dataclass(frozen=True)
class Flow:
    """A compiled flow: metadata plus a graph of nodes keyed by id."""

    id: str
    title: str
    audience: str
    description: str
    minutes: int
    intro: Text | None
    closing: Text | None
    start: str
    nodes: Mapping[str, Node]
    content_hash: str
    offer_carer_wording: bool = False
    show_practice_notes: bool = False
    listed: bool = True
    end_with_card: bool = False  # after the end-of-flow draft, also show the one-screen meeting card
    order: int = 0  # place in the menu among flows for the same audience: lower first, then by file name

    def asks(self) -> list[AskNode]:
        return [n for n in self.nodes.values() if isinstance(n, AskNode)]


@dataclass(frozen=True)
class Content:
    """Everything loaded: question banks and flows."""

    questions: Mapping[str, Question]
    flows: Mapping[str, Flow]

    def listed_flows(self) -> list[Flow]:
        """The flows offered in the menu, by `order`, then in load order (by file name)."""
        return sorted((f for f in self.flows.values() if f.listed), key=lambda f: f.order)
