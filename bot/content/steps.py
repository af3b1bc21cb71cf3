"""Flow files -> raw steps: the structure check of a flow, before it is compiled, and the
lookups the compiler makes on raw steps (duplicate ids, a step by id).

A step's kind is decided by its key (`ask:`, `say:`, `reflect:`, `summary:`, `set:`, `repeat:`,
`call:`, `end:`), as in Rasa flows. Problems are reported with the line and path inside the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.model import AUDIENCES, END
from bot.content.report import Report, as_mapping, as_sequence, did_you_mean, kind
from bot.content.yaml_lines import YamlList, YamlMap

STEP_KINDS = ("ask", "say", "reflect", "summary", "set", "repeat", "call", "end")
STEP_KEYS = {
    "ask": (
        "id", "next", "text", "carer_text", "why", "hint", "section", "skippable", "followups", "acknowledge",
        "instead",
    ),
    "say": ("id", "next"),
    "reflect": ("id", "next", "of"),
    "summary": ("id", "next", "of"),
    "set": ("id", "next"),
    "repeat": ("id", "next"),
    "call": ("id", "next", "with"),
    "end": ("id",),
}
FLOW_KEYS = (
    "title",
    "audience",
    "description",
    "minutes",
    "intro",
    "closing",
    "steps",
    "offer_carer_wording",
    "show_practice_notes",
    "end_with_card",
    "order",
)


@dataclass(frozen=True)
class Branch:
    target: str
    condition: str | None
    line: int


@dataclass
class RawStep:
    kind: str
    id: str
    line: int
    value: Any
    entry: YamlMap
    where: str
    next: list[Branch] | None = None
    body: list[RawStep] = field(default_factory=list)


@dataclass
class RawFlow:
    id: str
    file: str
    data: YamlMap
    steps: list[RawStep]
    text: str
    listed: bool


def read_flow(flow_id: str, file: str, text: str, data: object, report: Report, *, listed: bool) -> RawFlow | None:
    top = as_mapping(data, 1, "", report)
    if top is None:
        return None
    required = ("title", "audience", "steps") if listed else ("steps",)
    report.check_keys(top, "", FLOW_KEYS, required)
    if listed:
        report.one_of(top, "audience", "", AUDIENCES, "person")
        report.integer(top, "minutes", "", 10)
    report.integer(top, "order", "", 0)
    for key in ("offer_carer_wording", "show_practice_notes", "end_with_card"):
        report.flag(top, key, "", False)
    for key in ("title", "description", "intro", "closing"):
        report.text(top, key, "")
    steps = read_steps(top.get("steps"), top.line_of("steps"), "steps", report, flow_id)
    if "steps" in top and not steps:
        report.add(top.line_of("steps"), "steps", "a flow needs at least one step")
    return RawFlow(flow_id, file, top, steps, text, listed)


def read_steps(raw: object, line: int, where: str, report: Report, owner: str) -> list[RawStep]:
    items = as_sequence(raw, line, where, report) if raw is not None else None
    if items is None:
        return []
    steps = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        entry = as_mapping(item, items.line_of(index), at, report)
        if entry is None:
            continue
        step = _read_step(entry, at, index, report, owner)
        if step is not None:
            steps.append(step)
    return steps


def _read_step(entry: YamlMap, where: str, index: int, report: Report, owner: str) -> RawStep | None:
    kinds = [k for k in STEP_KINDS if k in entry]
    if len(kinds) != 1:
        if kinds:
            report.add(entry.line, where, f"a step has one kind, but this has {', '.join(kinds)}")
        else:
            guess = next((did_you_mean(k, STEP_KINDS) for k in entry if did_you_mean(k, STEP_KINDS)), "")
            report.add(entry.line, where, f"a step needs one of: {', '.join(STEP_KINDS)}{guess}")
        return None
    step_kind = kinds[0]
    report.check_keys(entry, where, (step_kind, *STEP_KEYS[step_kind]))
    value = entry[step_kind]
    step_id = entry.get("id")
    if step_id is not None and not isinstance(step_id, str):
        report.add(entry.line_of("id"), f"{where}.id", f"must be text, not {kind(step_id)}")
        step_id = None
    if step_id is None:
        if step_kind == "ask" and isinstance(value, str):
            step_id = value.rsplit(".", 1)[-1]
        elif step_kind == "reflect" and isinstance(entry.get("of"), str):
            step_id = f"reflect_{entry['of']}"
        else:
            step_id = f"{owner}_{step_kind}_{index + 1}"
    step = RawStep(step_kind, step_id, entry.line, value, entry, where)
    if "next" in entry:
        step.next = _read_next(entry, where, report)
    if step_kind == "repeat":
        block = as_mapping(value, entry.line_of("repeat"), f"{where}.repeat", report)
        if block is not None:
            report.check_keys(block, f"{where}.repeat", ("for_each", "as", "steps"), ("for_each", "as", "steps"))
            step.body = read_steps(block.get("steps"), block.line_of("steps"), f"{where}.repeat.steps", report, step_id)
    elif step_kind in ("ask", "call") and not isinstance(value, str):
        report.add(
            entry.line_of(step_kind),
            f"{where}.{step_kind}",
            f"must be text naming what to {step_kind}, not {kind(value)}",
        )
        return None
    elif step_kind == "reflect" and "of" not in entry:
        report.add(entry.line, where, "missing required field 'of' (the answer id to read back)")
    elif step_kind == "summary" and not isinstance(entry.get("of"), YamlMap):
        report.add(
            entry.line_of("of") if "of" in entry else entry.line,
            f"{where}.of",
            "needs a mapping of the answers to hand back, each with what to call it: {best_hopes: your best hope}",
        )
    elif step_kind == "ask" and "instead" in entry and not isinstance(entry["instead"], str):
        report.add(entry.line_of("instead"), f"{where}.instead", f"must name a question, not {kind(entry['instead'])}")
    elif step_kind == "set" and not isinstance(value, YamlMap):
        report.add(entry.line_of("set"), f"{where}.set", f"must be a mapping of names to values, not {kind(value)}")
        return None
    elif step_kind == "set":
        for name, item in value.items():
            odd = _unsaveable(item)
            if odd is not None:
                report.add(value.line_of(name), f"{where}.set.{name}", f"{SAVEABLE}, not {kind(odd)}")
    return step


SAVEABLE = "must be text, a number, true/false, empty, or a list or mapping of those"


def _unsaveable(value: Any) -> Any:
    """The first part of a `set` value that could not be saved with the conversation (as JSON), or None."""
    if value is None or isinstance(value, str | int | float):
        return None
    if isinstance(value, list | dict):
        parts = value.values() if isinstance(value, dict) else value
        return next((odd for odd in map(_unsaveable, parts) if odd is not None), None)
    return value


def _read_next(entry: YamlMap, where: str, report: Report) -> list[Branch]:
    raw = entry["next"]
    line = entry.line_of("next")
    if isinstance(raw, str):
        return [Branch(raw, None, line)]
    if not isinstance(raw, YamlList):
        report.add(line, f"{where}.next", f"must be a step id or a list of if/then and else, not {kind(raw)}")
        return []
    branches: list[Branch] = []
    has_else = False
    for index, item in enumerate(raw):
        at = f"{where}.next[{index}]"
        option = as_mapping(item, raw.line_of(index), at, report)
        if option is None:
            continue
        if "else" in option:
            report.check_keys(option, at, ("else",))
            has_else = True
            branches.append(Branch(str(option["else"]), None, option.line))
            if index != len(raw) - 1:
                report.add(option.line, at, "'else' must be the last option")
            continue
        report.check_keys(option, at, ("if", "then"), ("if", "then"))
        if "if" in option and "then" in option:
            branches.append(Branch(str(option["then"]), str(option["if"]), option.line_of("if")))
    if not has_else and branches:
        report.add(line, f"{where}.next", "dead end: add a final '- else: STEP' for when no condition is true")
        branches.append(Branch(END, None, line))
    return branches


def unique_steps(
    steps: list[RawStep], calls: tuple[str, ...], flows: Mapping[str, RawFlow], owner: str, report: Report
) -> list[RawStep]:
    """The steps without later duplicates of an id, each reported once, in file order.

    A `call` brings in the called steps' ids, so a second call of a sequence is a duplicate.
    `calls` are the sequences being called already (on the way to these steps), `owner` the flow.
    """
    first: dict[str, int] = {}
    kept: list[RawStep] = []
    for step in steps:
        ids = [step.id, *_called_ids(step, calls, flows, owner)]
        clash = next((sid for sid in ids if sid in first), None)
        if clash is not None:
            report.add(step.line, "steps", f"duplicate step id '{clash}' (first on line {first[clash]})")
            continue
        for sid in ids:
            first[sid] = step.line
        kept.append(step)
    return kept


def _called_ids(step: RawStep, calls: tuple[str, ...], flows: Mapping[str, RawFlow], owner: str) -> list[str]:
    if step.kind != "call":
        return []
    callee = flows.get(step.value)
    if callee is None or callee.id in calls or callee.id == owner:
        return []
    ids: list[str] = []
    for inner in callee.steps:
        ids += [inner.id, *_called_ids(inner, (*calls, callee.id), flows, owner)]
    return ids


def all_steps(steps: list[RawStep]) -> list[RawStep]:
    """Every step, those inside `repeat` blocks too, in file order."""
    return [found for step in steps for found in (step, *all_steps(step.body))]


def find_step(steps: list[RawStep], step_id: str) -> RawStep | None:
    """The step with this id, looking inside `repeat` blocks too."""
    for step in steps:
        if step.id == step_id:
            return step
        found = find_step(step.body, step_id)
        if found is not None:
            return found
    return None
