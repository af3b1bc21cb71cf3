"""Turn a waiting node into a `Prompt`: its words (with earlier answers woven in) and controls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.content.builtin import (
    AT_BOTTOM,
    AT_TOP,
    FOLLOWUP_WORDING,
    FOR_SOMEONE,
    SUMMARY_FIX,
    SUMMARY_RIGHT_AFTER_ALL,
    SUMMARY_WHICH,
    SUMMARY_YES,
)
from bot.content.model import AskNode, Flow, Node, Question, ReflectNode, SummaryNode, Text
from bot.engine.state import Prompt, SessionState

FIX_REFLECTION = "How would you put it, in your own words?"
OTHER_TEXT = "Tell me in your own words."


def for_someone(state: SessionState) -> bool:
    answer = state.answers.get(FOR_SOMEONE)
    return answer is not None and answer.value == "someone"


def followup_text(node: AskNode, n: int, low: int, high: int) -> Text:
    kind = node.followup.kind if node.followup else ""
    if kind == "not_lower" and n <= low:
        return AT_BOTTOM
    if kind == "one_up" and n >= high:
        return AT_TOP
    return node.text or FOLLOWUP_WORDING[kind]


def question_words(node: AskNode, state: SessionState, values: Mapping[str, Any]) -> str:
    carer = for_someone(state)
    template = (node.carer_text or node.question.carer_text) if carer else None
    template = template or node.text or node.question.text
    return template.render(values)


def build_prompt(
    flow: Flow, state: SessionState, node: Node, text: str, *, done: int, can_back: bool, left: int = 1
) -> Prompt:
    """The prompt for `node`; `text` is its rendered words; `left` counts it and those likely to follow."""
    progress = f"Question {done + 1} of about {done + max(left, 1)}"
    current = state.answers.get(node.id)
    shown = current.display if current and not current.skipped else None
    if state.phase in ("reflect_fix", "other_text"):
        words = FIX_REFLECTION if state.phase == "reflect_fix" else OTHER_TEXT
        return Prompt(node.id, words, "text", can_skip=False, can_back=False, progress=progress)
    if isinstance(node, SummaryNode):
        if state.phase == "summary_fix":
            given = [(i, label) for i, label in node.items if i in state.answers and not state.answers[i].skipped]
            choices = (*((i, label[:1].upper() + label[1:]) for i, label in given), ("yes", SUMMARY_RIGHT_AFTER_ALL))
            return Prompt(node.id, SUMMARY_WHICH, "choice", choices=choices, can_skip=False, progress=progress)
        return Prompt(node.id, text, "reflect", choices=(("yes", SUMMARY_YES), ("no", SUMMARY_FIX)), can_skip=True,
                      can_back=can_back, progress=progress)
    if isinstance(node, ReflectNode):
        return Prompt(
            node.id,
            text,
            "reflect",
            choices=(("yes", "Yes, that's right"), ("no", "Not quite")),
            can_skip=True,
            can_back=can_back,
            progress=progress,
        )
    assert isinstance(node, AskNode)
    q: Question = node.question
    hint = q.hint
    if q.type == "list":
        hint = hint or 'One at a time. Say "that\'s all" when you have finished.'
    return Prompt(
        node_id=node.id,
        text=text,
        kind=q.type,
        hint=hint,
        choices=tuple((c.id, c.text) for c in q.choices),
        picked=tuple(state.picked),
        scale=(q.min, q.max) if q.type == "scale" else None,
        min_label=q.min_label,
        max_label=q.max_label,
        can_skip=q.skippable,
        can_back=can_back,
        has_why=bool(q.why),
        progress=progress,
        other=q.other,
        current=shown,
    )
