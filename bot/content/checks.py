"""Meaning checks on a compiled flow: references, reachability, dead ends, conditions, templates."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.content.builtin import FOR_SOMEONE, UNKNOWN_QUESTION
from bot.content.conditions import Compare, Expr, ListOf, Literal, Logic, Name, Not, Test, names_in
from bot.content.model import END, AskNode, EndNode, Node, ReflectNode, SayNode, SetNode, SummaryNode, Text
from bot.content.report import Report, did_you_mean, shortened
from bot.content.samples import flow_samples, text_values
from bot.content.text import RenderError

TEMPLATE_ONLY = ("n", "last", "name")


@dataclass(frozen=True)
class ValueType:
    kind: str  # number | text | choice | multi | bool | list | date | any
    options: tuple[str, ...] = ()


def _literal_type(value: object) -> ValueType:
    if isinstance(value, bool):
        return ValueType("bool")
    if isinstance(value, int | float):
        return ValueType("number")
    return ValueType("text")


def value_types(nodes: Mapping[str, Node]) -> dict[str, ValueType]:
    types: dict[str, ValueType] = {FOR_SOMEONE: ValueType("bool")}
    kinds = {"scale": "number", "text": "text", "yes_no": "bool", "list": "list", "date": "date"}
    for node in nodes.values():
        if isinstance(node, AskNode) and node.id != FOR_SOMEONE:
            q = node.question
            if node.followup is not None:
                types[node.id] = ValueType("text")
            elif q.id == UNKNOWN_QUESTION.id:
                types[node.id] = ValueType("any")  # its unknown question is reported already
            elif q.type in ("choice", "multi"):
                types[node.id] = ValueType(q.type, tuple(c.id for c in q.choices))
            else:
                types[node.id] = ValueType(kinds[q.type])
        if isinstance(node, SetNode):
            for name, value in node.values:
                types.setdefault(name, _literal_type(value))
        for name, value in node.scope:
            if node.item is not None and name == node.item.var:
                types.setdefault(name, ValueType("text"))
            else:
                types.setdefault(name, _literal_type(value))
    for node in nodes.values():
        for local, real in node.aliases:
            if real in types:
                types.setdefault(local, types[real])
    return types


def check_flow(
    start: str,
    nodes: Mapping[str, Node],
    report: Report,
    *,
    condition_lines: Mapping[tuple[str, int], int] | None = None,
    texts: Iterable[tuple[int, str, Text]] = (),
    foreign: Container[str] = (),
) -> None:
    """Report every meaning problem.

    `condition_lines` gives the line of each condition's `if:` by (node id, index in next);
    `texts` are the flow's own texts outside the steps (intro, closing) as (line, where, text);
    `foreign` nodes come from a called sequence, whose file is checked on its own, so they are
    not checked again here (a mistake there would otherwise be reported twice).
    """
    types = value_types(nodes)
    samples = flow_samples(nodes)
    for line, where, text in texts:
        _check_text(text, types, samples, None, (line, where), report)
    for node in nodes.values():
        if node.id in foreign:
            continue
        where = f"step '{_step_id(node)}'"
        for target in _targets(node):
            if target != END and target not in nodes:
                report.add(node.line, where, f"next step '{target}' does not exist{did_you_mean(target, nodes)}")
        for index, transition in enumerate(node.next):
            if transition.condition is not None:
                line = (condition_lines or {}).get((node.id, index), node.line)
                for message in check_condition(transition.condition, types):
                    report.add(line, where, f"condition '{shortened(transition.condition_text)}': {message}")
        for label, text in _texts(node):
            _check_text(text, types, samples, node, (node.line, f"{where}.{label}"), report)
        if isinstance(node, ReflectNode) and node.of not in types:
            report.add(
                node.line, where, f"reflect 'of: {node.of}' is not an answer in this flow{did_you_mean(node.of, types)}"
            )
        if isinstance(node, SummaryNode):
            for answer_id, _ in node.items:
                if answer_id not in types or answer_id in TEMPLATE_ONLY:
                    hint = did_you_mean(answer_id, types)
                    report.add(node.line, where, f"summary 'of: {answer_id}' is not an answer in this flow{hint}")
    _check_what_else(nodes, types, foreign, report)
    reachable = _reachable(start, nodes)
    for node in nodes.values():
        if node.id not in reachable and node.id not in foreign:
            report.add(node.line, f"step '{_step_id(node)}'", "unreachable: no step leads here")
    finishing = _can_finish(nodes)
    for node_id in sorted(reachable - finishing):
        stuck = nodes.get(node_id)
        if stuck is not None and node_id not in foreign:
            report.add(stuck.line, f"step '{_step_id(stuck)}'", "dead end: from here the flow can never finish")


def _step_id(node: Node) -> str:
    """The id as written in the file: a node inside a repeat without its `.OPTION` suffix.

    Each pass of a repeat is a copy of the same steps, so a mistake in them is one problem,
    not one per option (the report drops exact repeats).
    """
    if node.item is None:
        return node.id
    head, *rest = node.id.split(".")
    if node.item.id in rest:
        rest.remove(node.item.id)
    return ".".join([head, *rest])


def _check_text(
    text: Text,
    types: Mapping[str, ValueType],
    samples: Mapping[str, Any],
    node: Node | None,
    at: tuple[int, str],
    report: Report,
) -> None:
    """Unknown names in the text of `node` (None: intro or closing); else whether it can be shown,
    with sample answers and values given and before they are (see `samples`)."""
    line, where = at
    unknown = sorted(n for n in text.names if n not in types and n not in TEMPLATE_ONLY)
    for name in unknown:
        report.add(line, where, f"text uses '{name}', which is not an answer or value{did_you_mean(name, types)}")
    if unknown or not text.names:
        return
    for given, when in ((True, ""), (False, " before earlier answers are given")):
        try:
            text.render_strictly(text_values(node, samples, given=given))
        except RenderError as exc:
            report.add(line, where, f"text fails when shown{when}: {exc}")
            return


WHAT_ELSE = (
    "a 'what else?' question needs a reflection or a summary just before it, or the person's words in its "
    "own text, so it is never asked bare"
)


def _check_what_else(
    nodes: Mapping[str, Node], types: Mapping[str, ValueType], foreign: Container[str], report: Report
) -> None:
    """"What else?" only after a reflection: each step that leads to it hands back what was said."""
    before: dict[str, list[str]] = {}
    for node in nodes.values():
        for transition in node.next:
            before.setdefault(transition.target, []).append(node.id)
    for node in nodes.values():
        if not isinstance(node, AskNode) or node.followup is not None or node.question.technique != "what_else":
            continue
        words = [t for t in (node.text, node.carer_text, node.question.text) if t is not None]
        if any(name in types for text in words for name in text.names):
            continue
        shown = _shown_before(node.id, nodes, before, set())
        if shown and not all(isinstance(nodes[p], ReflectNode | SummaryNode) for p in shown):
            line = foreign.get(node.id, node.line) if isinstance(foreign, Mapping) else node.line
            report.add(line, f"step '{_step_id(node)}'", WHAT_ELSE)


def _shown_before(node_id: str, nodes: Mapping[str, Node], before: Mapping[str, list[str]], seen: set[str]) -> set[str]:
    """The steps that can come just before this one, looking through `set` steps (they show nothing)."""
    found: set[str] = set()
    for previous in before.get(node_id, []):
        if previous in seen:
            continue
        seen.add(previous)
        if isinstance(nodes[previous], SetNode):
            found |= _shown_before(previous, nodes, before, seen)
        else:
            found.add(previous)
    return found


def _targets(node: Node) -> Iterator[str]:
    for transition in node.next:
        yield transition.target
    if node.when is not None:
        yield node.otherwise


def _texts(node: Node) -> Iterator[tuple[str, Text]]:
    if isinstance(node, AskNode):
        for label, text in (
            ("text", node.text),
            ("carer_text", node.carer_text),
            ("question", node.question.text if node.followup is None else None),
            ("question carer_text", node.question.carer_text),
        ):
            if text is not None:
                yield label, text
        for index, line in enumerate(node.question.acknowledge or ()):
            yield f"acknowledge[{index}]", line
    elif isinstance(node, SayNode | ReflectNode | SummaryNode):
        yield "text", node.text
    elif isinstance(node, EndNode) and node.text is not None:
        yield "text", node.text


def _reachable(start: str, nodes: Mapping[str, Node]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        stack.extend(_targets(nodes[node_id]))
    return seen


def _can_finish(nodes: Mapping[str, Node]) -> set[str]:
    finishing: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in nodes.values():
            if node.id in finishing:
                continue
            targets = list(_targets(node))
            if not targets or any(t == END or t in finishing for t in targets):
                finishing.add(node.id)
                changed = True
    return finishing


def check_condition(expr: Expr, types: Mapping[str, ValueType]) -> list[str]:
    """Plain messages for unknown names and comparisons of the wrong type."""
    messages = [
        f"'{name}' is not an answer or value in this flow{did_you_mean(name, types)}"
        for name in sorted(names_in(expr))
        if name not in types
    ]
    for compare in _compares(expr):
        messages.extend(_check_compare(compare, types))
    return messages


def _compares(expr: Expr) -> Iterator[Compare]:
    if isinstance(expr, Compare):
        yield expr
    elif isinstance(expr, Logic):
        yield from _compares(expr.left)
        yield from _compares(expr.right)
    elif isinstance(expr, Not):
        yield from _compares(expr.operand)


def _check_compare(compare: Compare, types: Mapping[str, ValueType]) -> list[str]:
    op, left, right = compare.op, compare.left, compare.right
    if isinstance(left, Literal | ListOf) and isinstance(right, Name) and op not in ("in", "not in"):
        left, right = right, left
    if op in ("in", "not in") and isinstance(right, Name) and isinstance(left, Literal):
        vtype = types.get(right.name)
        if vtype and vtype.kind == "multi" and left.value not in vtype.options:
            return [f"'{left.value}' is not an option of '{right.name}' (options: {', '.join(vtype.options)})"]
        if vtype and vtype.kind not in ("multi", "list", "text", "any"):
            return [f"'{right.name}' is a {vtype.kind} answer, so 'in' does not apply"]
        return []
    if not isinstance(left, Name) or isinstance(right, Name | Test):
        return []
    vtype = types.get(left.name)
    if vtype is None:
        return []
    values = right.items if isinstance(right, ListOf) else (right,)
    literals = [v.value for v in values if isinstance(v, Literal)]
    if vtype.kind == "number":
        if op in ("in", "not in") and not isinstance(right, ListOf):
            return [f"'{left.name}' is a number, so use == or a list of numbers"]
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in literals if v is not None):
            return [f"'{left.name}' is a scale answer, so compare it with a number"]
    elif vtype.kind in ("choice", "multi"):
        if vtype.kind == "multi" and op not in ("in", "not in"):
            return [f"'{left.name}' holds several options: write \"'option' in {left.name}\""]
        if op in ("<", "<=", ">", ">="):
            return [f"'{left.name}' is a choice, so it cannot be more or less than something"]
        wrong = [v for v in literals if v is not None and v not in vtype.options]
        if wrong:
            return [f"'{wrong[0]}' is not an option of '{left.name}' (options: {', '.join(vtype.options)})"]
    elif vtype.kind == "bool":
        if any(not isinstance(v, bool) for v in literals if v is not None):
            return [f"'{left.name}' is a yes/no answer, so compare it with true or false"]
    elif vtype.kind in ("text", "list", "date") and op in ("<", "<=", ">", ">=") and vtype.kind != "date":
        if any(isinstance(v, int | float) for v in literals):
            return [f"'{left.name}' is text, so it cannot be compared with a number"]
    return []
