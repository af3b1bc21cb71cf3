"""A flow as a Mermaid diagram, so authors can see its branches at a glance."""

from __future__ import annotations

import re

from bot.model import END, AskNode, EndNode, Flow, Node, ReflectNode, SayNode, SetNode

LABEL_CHARS = 60


def mermaid(flow: Flow) -> str:
    lines = ["flowchart TD", f"    start([{_quote(flow.title)}]) --> {_id(flow.start)}"]
    for node in flow.nodes.values():
        lines.append(f"    {_id(node.id)}{_shape(node)}")
        if node.when is not None:
            lines.append(f"    {_id(node.id)} -. not asked .-> {_id(node.otherwise)}")
        for transition in node.next:
            arrow = f"-- {_quote(transition.condition_text)} -->" if transition.condition_text else "-->"
            lines.append(f"    {_id(node.id)} {arrow} {_id(transition.target)}")
    lines.append(f"    {_id(END)}([end])")
    return "\n".join(lines) + "\n"


def _shape(node: Node) -> str:
    if isinstance(node, AskNode):
        words = node.text or node.question.text
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
