"""Plausible values for every name a text can see, so the validator can show each template once.

They follow what the engine gives text when it shows it (`FlowWalk.text_values`): answers as the
words shown (never a number), `set` and `with` values as written, the `repeat` option's text, and
in a scale's follow-up the number given (`n`) and, where there was one, the number last time
(`last`; empty when there was none). Each text is tried twice: with everything given, and with
only what is always there, as before the person has answered anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.content.builtin import FOR_SOMEONE
from bot.content.model import AskNode, Node, SetNode

SAMPLE_ANSWER = "a few words"


def flow_samples(nodes: Mapping[str, Node]) -> dict[str, Any]:
    """Every answer and value in a flow, each with a sample, as text sees them."""
    samples: dict[str, Any] = {FOR_SOMEONE: True, "name": "Sam"}
    for node in nodes.values():
        if isinstance(node, AskNode):
            samples[node.id] = SAMPLE_ANSWER
        elif isinstance(node, SetNode):
            samples.update(node.values)
    return samples


def text_values(node: Node | None, samples: Mapping[str, Any], *, given: bool) -> dict[str, Any]:
    """What the text of `node` (None: the intro or closing) sees: with every sample `given`, or only
    what is there before anything is answered."""
    values = dict(samples) if given else {FOR_SOMEONE: False, "name": ""}
    if node is None:
        return values
    values.update(node.scope)
    if node.item is not None:
        values[node.item.var] = node.item.text.lower()
    if given:
        values.update((local, samples[real]) for local, real in node.aliases if real in samples)
    if isinstance(node, AskNode) and node.followup is not None:
        values["n"] = 5
        values["last"] = 4 if given or node.followup.kind == "since_last" else ""
    return values
