"""Rehearse a strengths-based conversation with an invented person.

Each scenario (`bot/data/scenarios/*.yaml`) holds what the person would tell you and how they
answer different kinds of question: a closed question gets a short answer; an open, exception,
relationship or scaling question draws out something new; a problem-heavy or jargon question
gets a guarded reply. `rehearsal_turn` is pure: it takes the state and returns a new one, so the
chat layer can keep the state as JSON. The practitioner's words are never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.practice.checker import ISSUE_CODES, QuestionVerdict, check_question, load_rules

SCENARIOS = Path(__file__).parent / "data" / "scenarios"
# Which kinds of fact each technique draws out first.
TECHNIQUE_KINDS = {
    "exception": ("exception",),
    "relationship": ("people",),
    "coping": ("strength",),
    "strengths": ("strength", "what_matters"),
    "best_hopes": ("what_matters",),
    "preferred_future": ("what_matters", "exception"),
    "reflection": (),
    "what_else": (),
}
FEEDBACK_ORDER = ("scaling_direction", "leading", "why", "deficit", "jargon", "double", "long", "closed")
SCALE_KINDS = ("scale_now", "scale_not_lower", "scale_one_up")
KIND_LABELS = {
    "strength": "strengths",
    "exception": "times things go better",
    "people": "people who help",
    "worry": "worries",
    "what_matters": "what matters to them",
    "scale_now": "where they are on a scale",
    "scale_not_lower": "what keeps them above zero",
    "scale_one_up": "what one point higher would look like",
}


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    words: tuple[str, ...]
    reply: str
    short: str = ""


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    title: str
    brief: str
    opening: str
    facts: tuple[Fact, ...]
    replies: dict[str, tuple[str, ...]]
    double_tail: str
    button: str = ""

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Scenario:
        facts = tuple(Fact(f["id"], f["kind"], tuple(str(w).lower() for w in f["words"]), " ".join(f["reply"].split()),
                           f.get("short", "")) for f in raw["facts"])
        reply_keys = ("closed", "guarded", "jargon", "leading", "why", "scaling_direction", "long", "exhausted")
        replies = {key: tuple(raw[f"{key}_replies"]) for key in reply_keys}
        return cls(raw["id"], raw["name"], raw["title"], " ".join(raw["brief"].split()), raw["opening"], facts,
                   replies, raw["double_tail"], raw.get("button") or raw["name"])


@dataclass
class RehearsalState:
    """Where a rehearsal has got to. Holds counts and fact ids, never the questions asked."""

    scenario: str
    asked: int = 0
    open_count: int = 0
    closed_count: int = 0
    revealed: list[str] = field(default_factory=list)
    techniques: list[str] = field(default_factory=list)
    issues: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)  # which canned reply to use next, per kind
    repeats: int = 0
    reflections: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "asked": self.asked, "open_count": self.open_count,
                "closed_count": self.closed_count, "revealed": list(self.revealed),
                "techniques": list(self.techniques), "issues": dict(self.issues),
                "counters": dict(self.counters), "repeats": self.repeats, "reflections": self.reflections}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RehearsalState:
        return cls(str(data["scenario"]), int(data.get("asked", 0)), int(data.get("open_count", 0)),
                   int(data.get("closed_count", 0)), list(data.get("revealed", [])),
                   list(data.get("techniques", [])), dict(data.get("issues", {})),
                   dict(data.get("counters", {})), int(data.get("repeats", 0)), int(data.get("reflections", 0)))

    def copy(self) -> RehearsalState:
        return RehearsalState.from_dict(self.to_dict())


@lru_cache(maxsize=1)
def load_scenarios(folder: Path = SCENARIOS) -> dict[str, Scenario]:
    scenarios = {}
    for path in sorted(folder.glob("*.yaml")):
        scenario = Scenario.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
        scenarios[scenario.id] = scenario
    return scenarios


def technique_of(text: str) -> str | None:
    """The technique a question seems to use, from the cues in question_rules.yaml."""
    norm = " " + " ".join(text.lower().replace("\u2019", "'").split()) + " "
    for name, spec in load_rules().raw["techniques"].items():
        if any(_has(norm, cue) for cue in spec["cues"]):
            return str(name)
    return None


def rehearsal_turn(scenario: Scenario, state: RehearsalState, question_text: str) -> tuple[RehearsalState, str, str]:
    """The person's reply to one question, and brief feedback for the practitioner."""
    state = state.copy()
    verdict = check_question(question_text)
    technique = technique_of(question_text)
    if technique == "reflection" and not question_text.strip().endswith("?"):
        return _reflected(scenario, state, question_text)
    state.asked += 1
    if verdict.open:
        state.open_count += 1
    else:
        state.closed_count += 1
    for code in verdict.codes:
        state.issues[code] = state.issues.get(code, 0) + 1
    if technique and not verdict.issues and technique not in state.techniques:
        state.techniques.append(technique)
    reply, new_fact = _reply(scenario, state, question_text, verdict, technique)
    return state, reply, _feedback(verdict, technique, new_fact)


def _reflected(scenario: Scenario, state: RehearsalState, text: str) -> tuple[RehearsalState, str, str]:
    """A reflection is not a question: people usually confirm it and say a little more."""
    state.reflections += 1
    if "reflection" not in state.techniques:
        state.techniques.append("reflection")
    fact = _choose(scenario, state, text, "reflection")
    if fact is None or fact.id in state.revealed:
        return (state, "Yes, that's about it.",
                "Good: a reflection. It shows you heard, even when there is no more to say.")
    state.revealed.append(fact.id)
    return (state, f"Yes. {fact.reply}",
            f"Good: a reflection. People often say more after one; here it drew out {KIND_LABELS[fact.kind]}.")


def _reply(scenario: Scenario, state: RehearsalState, text: str, verdict: QuestionVerdict,
           technique: str | None) -> tuple[str, Fact | None]:
    codes = set(verdict.codes)
    if "long" in codes:
        return _canned(scenario, state, "long"), None
    if "scaling_direction" in codes:
        return _canned(scenario, state, "scaling_direction"), None
    if "deficit" in codes:
        return _canned(scenario, state, "guarded"), None
    if "jargon" in codes:
        return _canned(scenario, state, "jargon"), None
    if "why" in codes:
        return _canned(scenario, state, "why"), None
    if "leading" in codes:
        return _canned(scenario, state, "leading"), None
    if not verdict.open:
        return _short_answer(scenario, state, text), None
    fact = _choose(scenario, state, text, technique)
    tail = f" {scenario.double_tail}" if "double" in codes else ""
    if fact is None:
        return _canned(scenario, state, "exhausted") + tail, None
    if fact.id in state.revealed:
        state.repeats += 1
        return f"Like I said, {fact.reply[0].lower()}{fact.reply[1:]}{tail}", None
    state.revealed.append(fact.id)
    return fact.reply + tail, fact


def _choose(scenario: Scenario, state: RehearsalState, text: str, technique: str | None) -> Fact | None:
    norm = " " + " ".join(text.lower().replace("\u2019", "'").split()) + " "
    unrevealed = [f for f in scenario.facts if f.id not in state.revealed]
    if technique == "scaling":
        return _scale_fact(scenario, state, norm)
    unrevealed = [f for f in unrevealed if f.kind not in SCALE_KINDS]
    if not unrevealed:
        told = [f for f in scenario.facts if f.kind not in SCALE_KINDS]
        return told[state.repeats % len(told)] if told and state.repeats < len(told) else None
    preferred = TECHNIQUE_KINDS.get(technique or "", ())
    if technique in ("what_else", "reflection") and state.revealed:
        last = scenario.fact(state.revealed[-1])
        preferred = (last.kind,) if last and last.kind not in SCALE_KINDS else ()

    def score(fact: Fact) -> tuple[int, int]:
        hits = sum(_has(norm, word) for word in fact.words)
        return hits + (3 if fact.kind in preferred else 0), -scenario.facts.index(fact)

    return max(unrevealed, key=score)


def _scale_fact(scenario: Scenario, state: RehearsalState, norm: str) -> Fact | None:
    by_kind = {f.kind: f for f in scenario.facts if f.kind in SCALE_KINDS}
    if re.search(r"\b(higher|one point|a point|up to|move up|next)\b", norm) and "scale_one_up" in by_kind:
        wanted = "scale_one_up"
    elif re.search(r"\b(not lower|rather than lower|and not [0-9]|not zero|keeps|puts you at|above)\b", norm):
        wanted = "scale_not_lower"
    else:
        wanted = "scale_now"
    fact = by_kind.get(wanted)
    if fact is None:
        return None
    if fact.id in state.revealed and "scale_now" in by_kind and wanted == "scale_now":
        remaining = [by_kind[k] for k in SCALE_KINDS if k in by_kind and by_kind[k].id not in state.revealed]
        return remaining[0] if remaining else fact
    return fact


def _short_answer(scenario: Scenario, state: RehearsalState, text: str) -> str:
    norm = " " + " ".join(text.lower().replace("\u2019", "'").split()) + " "
    shorts = [f for f in scenario.facts if f.short and any(_has(norm, w) for w in f.words)]
    if shorts:
        best = max(shorts, key=lambda f: sum(_has(norm, w) for w in f.words))
        return best.short
    return _canned(scenario, state, "closed")


def _canned(scenario: Scenario, state: RehearsalState, kind: str) -> str:
    options = scenario.replies[kind]
    index = state.counters.get(kind, 0)
    state.counters[kind] = index + 1
    return options[index % len(options)]


def _feedback(verdict: QuestionVerdict, technique: str | None, fact: Fact | None) -> str:
    rules = load_rules().raw
    if not verdict.issues:
        label = rules["techniques"][technique]["label"] if technique else "an open question"
        drew = f" It drew out {KIND_LABELS[fact.kind]}." if fact else ""
        return f"Good: {label}.{drew}"
    first = min(verdict.issues, key=lambda issue: FEEDBACK_ORDER.index(issue.code))
    label = rules["labels"][first.code]
    text = f"{label}. {first.explanation}"
    if verdict.suggestions:
        text += f' You could try: "{verdict.suggestions[0]}"'
    return text


def rehearsal_summary(scenario: Scenario, state: RehearsalState) -> str:
    """The end of a rehearsal: open and closed, techniques, what the person told you, one tip."""
    rules = load_rules().raw
    lines = [f"Your conversation with {scenario.name}", ""]
    lines.append(f"You asked {state.asked} question{'s' if state.asked != 1 else ''}: "
                 f"{state.open_count} open and {state.closed_count} closed.")
    if state.reflections:
        lines.append(f"You also offered {state.reflections} reflection{'s' if state.reflections != 1 else ''}.")
    if state.techniques:
        used = ", ".join(rules["techniques"][t]["label"] for t in state.techniques)
        lines.append(f"Techniques you used well: {used}.")
    else:
        lines.append("You didn't use a named technique cleanly this time.")
    told = [scenario.fact(fact_id) for fact_id in state.revealed]
    facts = [f for f in told if f is not None]
    total = len(scenario.facts)
    if facts:
        lines += ["", f"What {scenario.name} told you ({len(facts)} of the {total} things in this scenario):"]
        lines += [f"• {KIND_LABELS[f.kind].capitalize()}: {_first_sentence(f.reply)}" for f in facts]
        missing = sorted({KIND_LABELS[f.kind] for f in scenario.facts if f.id not in state.revealed
                          and f.kind not in SCALE_KINDS})
        if missing:
            lines.append(f"Still to hear about: {', '.join(missing)}.")
    else:
        lines += ["", f"{scenario.name} didn't open up this time. Open questions usually help."]
    lines += ["", f"One thing to try next time: {_tip(state, rules['tips'])}"]
    return "\n".join(lines)


def _tip(state: RehearsalState, tips: dict[str, str]) -> str:
    issues = [(count, -ISSUE_CODES.index(code), code) for code, count in state.issues.items() if count]
    if issues:
        return tips[max(issues)[2]]
    for technique, tip in (("exception", "no_exception"), ("relationship", "no_relationship"),
                           ("scaling", "no_scaling"), ("reflection", "no_reflection")):
        if technique not in state.techniques:
            return tips[tip]
    return tips["well_done"]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def _has(norm: str, phrase: str) -> bool:
    return re.search(r"(?<![a-z0-9'])" + re.escape(phrase) + r"(?![a-z0-9'])", norm) is not None


def three_columns_feedback(worry: str, goal: str) -> str:
    """Feedback on a worry statement and a goal: specific, plain, and a goal that says what will be present."""
    spec = load_rules().raw["three_columns"]
    worry_norm = " " + " ".join(worry.lower().replace("\u2019", "'").split()) + " "
    goal_norm = " " + " ".join(goal.lower().replace("\u2019", "'").split()) + " "
    lines = ["Your worry statement"]
    worry_points: list[str] = []
    labels = [w for w in spec["labels"] if _has(worry_norm, w)]
    if labels:
        worry_points.append(f'"{labels[0]}" is a label. Say what actually happened, in words the person would use.')
    if not any(_has(worry_norm, w) for w in spec["future_words"]):
        worry_points.append("Add what you fear could happen if nothing changes, so everyone knows what is at stake.")
    if len(worry_norm.split()) > spec["max_words"]:
        worry_points.append("It is long. One or two short sentences are easier for everyone to hold on to.")
    if check_question(worry).codes and "jargon" in check_question(worry).codes:
        worry_points.append("Some words are service language. Try the words the family would use.")
    if not worry.strip():
        worry_points = ["Write one plain sentence about what you are worried about and what might happen."]
    lines += [f"• {p}" for p in worry_points] or ["• Clear and specific: it says what is worrying and why."]
    lines += ["", "Your goal"]
    goal_points: list[str] = []
    absent = [w for w in spec["absence_words"] if _has(goal_norm, str(w))]
    if absent:
        goal_points.append(f'It says what will stop ("{absent[0]}"). Say what will be there instead, '
                           'for example "Ray will have calm evenings with Jean" rather than "Ray will not wander".')
    if not any(_has(goal_norm, w) for w in spec["time_words"]):
        goal_points.append("Say how often or for how long, so everyone will know when it has happened.")
    if "jargon" in check_question(goal).codes:
        goal_points.append("Some words are service language. Use the person's own words.")
    if not goal.strip():
        goal_points = ["Write one sentence about what will be happening when things are better."]
    lines += [f"• {p}" for p in goal_points] or ["• It says what will be present, and when. That is a goal "
                                                  "people can picture and work towards."]
    return "\n".join(lines)
