"""A flow as a Mermaid diagram, so authors can see its branches at a glance."""

from __future__ import annotations

import re

from bot.content.builtin import FOLLOWUP_WORDING
from bot.content.model import END, AskNode, EndNode, Flow, Node, ReflectNode, SayNode, SetNode

LABEL_CHARS = 60


def mermaid(flow: Flow) -> str:
    lines = ["flowchart TD", f"    start([{_quote(flow.title)}]) --> {_id(flow.start)}"]
    for node in _in_order(flow):
        lines.append(f"    {_id(node.id)}{_shape(node)}")
        if node.when is not None:
            lines.append(f"    {_id(node.id)} -. not asked .-> {_id(node.otherwise)}")
        for transition in node.next:
            arrow = f"-- {_quote(transition.condition_text)} -->" if transition.condition_text else "-->"
            lines.append(f"    {_id(node.id)} {arrow} {_id(transition.target)}")
    lines.append(f"    {_id(END)}([end])")
    return "\n".join(lines) + "\n"


def _in_order(flow: Flow) -> list[Node]:
    """Nodes as met walking from the start (then any the walk did not reach)."""
    seen: dict[str, Node] = {}
    queue = [flow.start]
    while queue:
        node_id = queue.pop(0)
        if node_id in seen or node_id not in flow.nodes:
            continue
        node = seen[node_id] = flow.nodes[node_id]
        queue += [t.target for t in node.next] + ([node.otherwise] if node.when is not None else [])
    return [*seen.values(), *(n for n in flow.nodes.values() if n.id not in seen)]


def _shape(node: Node) -> str:
    if isinstance(node, AskNode):
        words = node.text or (FOLLOWUP_WORDING[node.followup.kind] if node.followup else node.question.text)
        return f"[{_quote(node.id + ': ' + words.source)}]"
    if isinstance(node, ReflectNode):
        return f"{{{{{_quote('check: ' + node.text.source)}}}}}"
    if isinstance(node, SayNode):
        return f">{_quote(node.text.source)}]"
    if isinstance(node, SetNode):
        return f"[/{_quote('set ' + ', '.join(k for k, _ in node.values))}/]"
    if isinstance(node, EndNode):
        return "([end])"
    return ""


def _id(node_id: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > LABEL_CHARS:
        text = text[: LABEL_CHARS - 1] + "…"
    return '"' + text.replace('"', "#quot;") + '"'
