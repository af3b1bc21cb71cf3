"""Question cards: the bank's questions grouped by technique, for practitioners to browse."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.model import TECHNIQUES, Question


def question_cards(questions: Mapping[str, Question]) -> list[Question]:
    """Bank questions grouped by technique, in the model's technique order, then bank order."""
    order = {name: i for i, name in enumerate(TECHNIQUES)}
    listed = list(questions.values())
    return sorted(listed, key=lambda q: (order.get(q.technique, len(order)), listed.index(q)))


def technique_label(name: str) -> str:
    return name.replace("_", " ").capitalize()
