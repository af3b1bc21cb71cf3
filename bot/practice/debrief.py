"""The end of a rehearsal: what the practitioner did, moments quoted from their own lines (what
opened the person up, what closed them down, with a better version), what the person told them
and what they never heard, and one thing to try next time."""

from __future__ import annotations

import re

from bot.practice.checker import ISSUE_CODES, check_question, load_rules
from bot.practice.notes import KIND_LABELS, ON_PURPOSE
from bot.practice.rehearsal import NEED_KINDS, SCALE_KINDS, Fact, RehearsalState, Scenario

QUOTE_LIMIT = 120
_OPENED = {"told", "more", "unheld"}
_CLOSED_ORDER = ("substitution", "minimising", "deficit", "scaling_direction", "leading", "why", "jargon", "long",
                 "closed", "double")


def rehearsal_summary(scenario: Scenario, state: RehearsalState) -> str:
    """The end feedback, quoting the practitioner's own lines."""
    rules = load_rules().raw
    name = scenario.name
    lines = [f"Your conversation with {name}", "", _counts(state)]
    if state.techniques:
        used = ", ".join(_technique_label(t, rules) for t in state.techniques)
        lines.append(f"Techniques you used well: {used}.")
    else:
        lines.append("You didn't use a named technique cleanly this time.")
    opened = _opened_moments(scenario, state)
    if opened:
        lines += ["", "What opened things up:"] + opened
    closed = _closed_moments(scenario, state)
    if closed:
        lines += ["", "What closed things down:"] + closed
    told = [f for f in (scenario.fact(i) for i in state.revealed) if f is not None]
    lines.append("")
    if told:
        lines.append(f"What {name} told you ({len(told)} of the {len(scenario.facts)} things in this scenario):")
        lines += [f"• {KIND_LABELS[f.kind].capitalize()}: {_first_sentence(f.reply)}" for f in told]
    else:
        lines.append(f"{name} didn't open up this time. Open questions and reflections usually help.")
    held = [f for f in (scenario.fact(i) for i in state.held_back) if f is not None and f.id not in state.revealed]
    if held:
        lines.append(f"{name} held back what they need after feeling brushed off, so you never heard: "
                     f"{'; '.join(_first_sentence(f.reply) for f in held)}")
    missing = sorted({KIND_LABELS[f.kind] for f in scenario.facts if f.id not in state.revealed
                      and f.kind not in SCALE_KINDS and f.id not in state.held_back})
    if missing:
        lines.append(f"Still to hear about: {', '.join(missing)}.")
    lines += ["", f"One thing to try next time: {_tip(state, rules['tips'])}"]
    return "\n".join(lines)


def _counts(state: RehearsalState) -> str:
    parts = [f"{state.open_count} open", f"{state.closed_count} closed"]
    if state.on_purpose:
        parts.append(f"{state.on_purpose} closed on purpose")
    said = f"You asked {state.asked} question{'s' if state.asked != 1 else ''}: {_join(parts)}."
    extra = []
    if state.reflections:
        extra.append(f"{state.reflections} reflection{'s' if state.reflections != 1 else ''}")
    if state.summaries:
        extra.append(f"{state.summaries} summar{'ies' if state.summaries != 1 else 'y'}")
    return said + (f" You also offered {_join(extra)}." if extra else "")


def _opened_moments(scenario: Scenario, state: RehearsalState) -> list[str]:
    """Up to three good moves that drew something out, reflections and summaries first, needs first."""
    found: list[tuple[tuple[bool, bool], int, dict[str, str], Fact | None]] = []
    for moment in state.moments:
        if moment["effect"] not in _OPENED or moment["kind"] not in ("reflection", "summary", "open", "double"):
            continue
        fact = scenario.fact(moment["fact"])
        rank = (moment["kind"] not in ("reflection", "summary"), not (fact and fact.kind in NEED_KINDS))
        found.append((rank, len(found), moment, fact))
    found.sort(key=lambda item: (item[0], item[1]))
    lines = []
    for _, _, moment, fact in found[:3]:
        what = KIND_LABELS[fact.kind] if fact else "more"
        did = {"reflection": "felt heard and said more about", "summary": "agreed, and added",
               }.get(moment["kind"], "told you about")
        if moment["effect"] == "unheld":
            did = "felt heard and told you what they had held back:"
        lines.append(f"• {_quote(moment['line'])} {scenario.name} {did} {what}.")
    return lines


def _closed_moments(scenario: Scenario, state: RehearsalState) -> list[str]:
    """Up to three lines that closed the person down, steers first, each with a better version."""
    found = []
    for number, moment in enumerate(state.moments):
        if moment["kind"] not in _CLOSED_ORDER:
            continue
        found.append((_CLOSED_ORDER.index(moment["kind"]), number, moment))
    found.sort(key=lambda item: (item[0], item[1]))
    lines: list[str] = []
    seen: dict[str, int] = {}
    for _, _, moment in found:
        if seen.get(moment["kind"], 0) >= 2:
            continue
        seen[moment["kind"]] = seen.get(moment["kind"], 0) + 1
        verdict = check_question(moment["line"])
        label = load_rules().raw["labels"].get(moment["kind"], "Two questions in one")
        result = {"deflected": f"{scenario.name} stopped telling you what is hard",
                  "short": "a short answer", "guarded": f"{scenario.name} became guarded"}.get(moment["effect"],
                                                                                           "not much")
        better = next((i.better for i in verdict.issues if i.code == moment["kind"] and i.better), "") or next(
            (i.better for i in verdict.issues if i.better), "")
        tail = f" You could try: \u201c{better}\u201d" if better else ""
        lines.append(f"• {_quote(moment['line'])} {label.lower()}: {result}.{tail}")
        if len(lines) == 3:
            break
    return lines


def _tip(state: RehearsalState, tips: dict[str, str]) -> str:
    steers = [code for code in ("substitution", "minimising") if state.issues.get(code)]
    if steers:
        return tips[steers[0]]
    issues = [(count, -ISSUE_CODES.index(code), code) for code, count in state.issues.items() if count]
    if issues:
        return tips[max(issues)[2]]
    for technique, tip in (("reflection", "no_reflection"), ("summary", "no_summary"), ("exception", "no_exception"),
                           ("relationship", "no_relationship"), ("scaling", "no_scaling")):
        if technique not in state.techniques:
            return tips[tip]
    return tips["well_done"]


def _technique_label(technique: str, rules: dict[str, object]) -> str:
    techniques = rules["techniques"]
    assert isinstance(techniques, dict)
    if technique == "summary":
        return "a summary"
    return str(techniques[technique]["label"]) if technique in techniques else ON_PURPOSE.get(technique, technique)


def _quote(line: str) -> str:
    line = " ".join(line.split())
    if len(line) > QUOTE_LIMIT:
        line = line[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
    return f"\u201c{line}\u201d"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text
