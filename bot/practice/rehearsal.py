"""Rehearse a conversation with an invented person who answers what the practitioner did.

Each turn is read by the checker's machinery (`moves.read_move`): a reflection or a summary, consent,
an open question on a topic, a question closed on purpose, a closed question, or an issue. The
person (a scenario in `data/scenarios/`) answers as people do: more after a good reflection or
summary, the topic actually asked about (`matching.FactIndex`), short answers to closed questions,
and, after minimising or substitution, holding back what they need until they feel heard again.
`rehearsal_turn` is pure: state in, new state out, so the chat layer can keep it as JSON. The
state keeps the practitioner's lines (never the person's) only so the end feedback can quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.practice.matching import FactIndex, stems
from bot.practice.moves import Move, read_move
from bot.practice.notes import turn_note

SCENARIOS = Path(__file__).parent / "data" / "scenarios"
SCALE_KINDS = ("scale_now", "scale_not_lower", "scale_one_up")
NEED_KINDS = ("worry",)
GUARDED_FOR = 2  # reflections before someone who felt brushed off talks about what is hard again
ABOUT = 0.12  # how well a line must match a fact to be "about" it
MOMENTS_KEPT = 40
LINE_KEPT = 200
TECHNIQUE_KINDS = {
    "exception": ("exception",), "relationship": ("people",), "coping": ("strength",),
    "strengths": ("strength", "what_matters"), "best_hopes": ("what_matters",),
    "preferred_future": ("what_matters", "exception"), "help": ("what_matters", "worry"), "difficulty": ("worry",),
}
REPLY_KEYS = ("closed", "guarded", "jargon", "leading", "why", "scaling_direction", "long", "exhausted", "consent",
              "confirm", "minimising", "substitution", "holding_back", "often", "statement")


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    words: tuple[str, ...]
    reply: str
    short: str = ""
    deeper: str = ""  # said only once the person feels heard about this
    often: str = ""  # the answer to "how often"


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
    willing_reply: str = ""
    safety_reply: str = ""
    index: FactIndex | None = field(default=None, compare=False, repr=False)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Scenario:
        facts = tuple(Fact(f["id"], f["kind"], tuple(str(w).lower() for w in f["words"]), " ".join(f["reply"].split()),
                           f.get("short", ""), " ".join(str(f.get("deeper", "")).split()), f.get("often", ""))
                      for f in raw["facts"])
        replies = {key: tuple(raw.get(f"{key}_replies") or ()) for key in REPLY_KEYS}
        return cls(raw["id"], raw["name"], raw["title"], " ".join(raw["brief"].split()), raw["opening"], facts,
                   replies, raw["double_tail"], raw.get("button") or raw["name"],
                   " ".join(str(raw.get("willing_reply", "")).split()),
                   " ".join(str(raw.get("safety_reply", "")).split()),
                   FactIndex.build([f for f in facts if f.kind not in SCALE_KINDS]))


@dataclass
class RehearsalState:
    """Where a rehearsal has got to: counts, fact ids, and the practitioner's own lines (for the end)."""

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
    summaries: int = 0
    on_purpose: int = 0
    guard: int = 0
    held_back: list[str] = field(default_factory=list)
    deepened: list[str] = field(default_factory=list)
    moments: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "asked": self.asked, "open_count": self.open_count,
                "closed_count": self.closed_count, "revealed": list(self.revealed),
                "techniques": list(self.techniques), "issues": dict(self.issues), "counters": dict(self.counters),
                "repeats": self.repeats, "reflections": self.reflections, "summaries": self.summaries,
                "on_purpose": self.on_purpose, "guard": self.guard, "held_back": list(self.held_back),
                "deepened": list(self.deepened), "moments": [dict(m) for m in self.moments]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RehearsalState:
        return cls(str(data["scenario"]), int(data.get("asked", 0)), int(data.get("open_count", 0)),
                   int(data.get("closed_count", 0)), list(data.get("revealed", [])),
                   list(data.get("techniques", [])), dict(data.get("issues", {})),
                   dict(data.get("counters", {})), int(data.get("repeats", 0)), int(data.get("reflections", 0)),
                   int(data.get("summaries", 0)), int(data.get("on_purpose", 0)), int(data.get("guard", 0)),
                   list(data.get("held_back", [])), list(data.get("deepened", [])),
                   [{str(k): str(v) for k, v in m.items()} for m in data.get("moments", []) if isinstance(m, dict)])

    def copy(self) -> RehearsalState:
        return RehearsalState.from_dict(self.to_dict())


@lru_cache(maxsize=1)
def load_scenarios(folder: Path = SCENARIOS) -> dict[str, Scenario]:
    scenarios = {}
    for path in sorted(folder.glob("*.yaml")):
        scenario = Scenario.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
        scenarios[scenario.id] = scenario
    return scenarios


@dataclass(frozen=True)
class Turn:
    """What the person said back, what it did (for the end feedback), and the fact it touched."""

    reply: str
    effect: str  # told | unheld | more | short | held_back | deflected | guarded | confirmed | repeated | nothing
    fact: Fact | None = None


def rehearsal_turn(scenario: Scenario, state: RehearsalState, text: str) -> tuple[RehearsalState, str, str]:
    """The person's reply to one line, and a short note on what the practitioner did."""
    state = state.copy()
    move = read_move(text)
    _count(state, move)
    turn = _answer(scenario, state, move, text)
    state.moments = [*state.moments, {"line": " ".join(text.split())[:LINE_KEPT], "kind": move.kind,
                                      "effect": turn.effect, "fact": turn.fact.id if turn.fact else ""}]
    state.moments = state.moments[-MOMENTS_KEPT:]
    note = turn_note(scenario.name, state.moments, move, turn.effect, turn.fact.kind if turn.fact else "",
                     holding_back=bool(state.held_back))
    return state, turn.reply, note


def _count(state: RehearsalState, move: Move) -> None:
    verdict = move.verdict
    for code in verdict.codes:
        state.issues[code] = state.issues.get(code, 0) + 1
    if verdict.form == "reflection":
        state.reflections += 1
    elif verdict.form == "summary":
        state.summaries += 1
    elif verdict.form != "statement":
        state.asked += 1
        if verdict.open:
            state.open_count += 1
        elif verdict.deliberate:
            state.on_purpose += 1
        else:
            state.closed_count += 1
    technique = "summary" if move.kind == "summary" else move.technique
    if move.good and technique and technique not in state.techniques:
        state.techniques.append(technique)


def _answer(scenario: Scenario, state: RehearsalState, move: Move, text: str) -> Turn:
    kind = move.kind
    if kind in ("reflection", "summary"):
        return _summarised(scenario, state, text) if kind == "summary" else _reflected(scenario, state, text)
    if kind in ("minimising", "substitution"):
        state.guard = GUARDED_FOR
        _hold_back(scenario, state, text)
        return Turn(_canned(scenario, state, kind, about=text), "deflected")
    if kind in ("scaling_direction", "long", "jargon", "why", "leading"):
        return Turn(_canned(scenario, state, kind), "guarded")
    if kind == "deficit":
        return Turn(_canned(scenario, state, "guarded"), "guarded")
    if kind == "consent":
        return Turn(_canned(scenario, state, "consent"), "confirmed")
    if kind == "statement":
        return Turn(_canned(scenario, state, "statement"), "nothing")
    if kind == "deliberate":
        return _on_purpose(scenario, state, move, text)
    if kind == "closed":
        return _short_answer(scenario, state, text)
    return _opened(scenario, state, move, text)


def _reflected(scenario: Scenario, state: RehearsalState, text: str) -> Turn:
    """Heard: the person confirms and says more, including what they held back."""
    fact = _about(scenario, text, [f for f in scenario.facts if f.kind not in SCALE_KINDS])
    accurate = fact is not None and (fact.id in state.revealed or fact.id in state.held_back)
    state.guard = 0 if accurate else max(0, state.guard - 1)
    if fact is None and state.revealed:
        fact = scenario.fact(state.revealed[-1])
    if state.held_back and (state.guard == 0 or (fact is not None and fact.id in state.held_back)):
        return _reveal(scenario, state, _pop_held_back(scenario, state, fact), "Yes. Honestly? ", effect="unheld")
    if fact is not None and fact.id not in state.revealed and fact.kind not in SCALE_KINDS:
        return _reveal(scenario, state, fact, "Yes. ")
    if fact is not None and fact.deeper and fact.id not in state.deepened:
        state.deepened.append(fact.id)
        return Turn(f"Yes. {fact.deeper}", "more", fact)
    related = _next_fact(scenario, state, prefer=(fact.kind,) if fact else ())
    if related is not None:
        return _reveal(scenario, state, related, "Yes. And ")
    return Turn("Yes, that's about it.", "confirmed", fact)


def _summarised(scenario: Scenario, state: RehearsalState, text: str) -> Turn:
    """Pulled together: the person confirms, then adds what matters most that they had not said."""
    index = scenario.index
    scores = index.scores(text) if index else {}
    covered = [i for i in state.revealed if scores.get(i, 0.0) >= ABOUT]
    if not covered:
        return _reflected(scenario, state, text)
    state.guard = 0
    opener = _canned(scenario, state, "confirm") + " "
    if state.held_back:
        return _reveal(scenario, state, _pop_held_back(scenario, state, None), opener + "And honestly? ",
                       effect="unheld")
    fact = _next_fact(scenario, state, prefer=NEED_KINDS + ("what_matters",))
    if fact is not None:
        return _reveal(scenario, state, fact, opener + "And ")
    deeper = next((f for f in scenario.facts if f.id in covered and f.deeper and f.id not in state.deepened), None)
    if deeper is not None:
        state.deepened.append(deeper.id)
        return Turn(f"{opener}{deeper.deeper}", "more", deeper)
    return Turn(opener.strip(), "confirmed")


def _opened(scenario: Scenario, state: RehearsalState, move: Move, text: str) -> Turn:
    tail = f" {scenario.double_tail}" if move.kind == "double" else ""
    norm = " ".join(text.lower().split())
    scaled = any(f.kind in SCALE_KINDS and f.id in state.revealed for f in scenario.facts)
    if move.technique == "scaling" or (scaled and re.search(r"\b([0-9]|10)\b", norm)):
        fact = _scale_fact(scenario, state, text)
        if fact is not None:
            if fact.id in state.revealed:
                return Turn(f"Like I said, {_lower_first(fact.reply)}{tail}", "repeated", fact)
            state.revealed.append(fact.id)
            return Turn(fact.reply + tail, "told", fact)
    prefer = TECHNIQUE_KINDS.get(move.technique or "", ())
    if re.match(r"^(so |and )?(who|whose)\b", norm):
        prefer = ("people", *prefer)
    if move.technique in ("what_else", "reflection") and state.revealed:
        last = scenario.fact(state.revealed[-1])
        prefer = (last.kind,) if last and last.kind not in SCALE_KINDS else ()
    unrevealed = [f for f in scenario.facts if f.id not in state.revealed and f.kind not in SCALE_KINDS]
    fact = _about(scenario, text, unrevealed, prefer=prefer, floor=0.0)
    if fact is None:
        told = [f for f in scenario.facts if f.kind not in SCALE_KINDS]
        if told and state.repeats < len(told):
            again = told[state.repeats % len(told)]
            state.repeats += 1
            return Turn(f"Like I said, {_lower_first(again.reply)}{tail}", "repeated", again)
        return Turn(_canned(scenario, state, "exhausted") + tail, "nothing")
    if state.guard > 0 and fact.kind in NEED_KINDS:
        if fact.id not in state.held_back:
            state.held_back.append(fact.id)
        return Turn(_canned(scenario, state, "holding_back") + tail, "held_back", fact)
    return _reveal(scenario, state, fact, "", tail)


def _on_purpose(scenario: Scenario, state: RehearsalState, move: Move, text: str) -> Turn:
    why = move.verdict.deliberate
    if why == "willing_able" and scenario.willing_reply:
        return Turn(scenario.willing_reply, "short")
    if why == "safety" and scenario.safety_reply:
        return Turn(scenario.safety_reply, "short")
    if why == "check":
        return Turn(_canned(scenario, state, "confirm"), "confirmed")
    if why in ("choice", "fact"):
        return _short_answer(scenario, state, text)
    fact = _about(scenario, text, [f for f in scenario.facts if f.often])
    if fact is not None:
        return Turn(fact.often, "short", fact)
    return Turn(_canned(scenario, state, "often"), "short")


def _short_answer(scenario: Scenario, state: RehearsalState, text: str) -> Turn:
    fact = _about(scenario, text, [f for f in scenario.facts if f.short])
    said_just_now = bool(state.moments) and fact is not None and state.moments[-1].get("fact") == fact.id
    if fact is not None and not said_just_now:
        return Turn(fact.short, "short", fact)
    if fact is not None and fact.often:
        return Turn(fact.often, "short", fact)
    return Turn(_canned(scenario, state, "closed"), "short")


def _reveal(scenario: Scenario, state: RehearsalState, fact: Fact, before: str, after: str = "",
            effect: str = "told") -> Turn:
    state.revealed.append(fact.id)
    if fact.id in state.held_back:
        state.held_back.remove(fact.id)
    return Turn(f"{before}{fact.reply if not before.endswith('And ') else _lower_first(fact.reply)}{after}",
                effect, fact)


def _hold_back(scenario: Scenario, state: RehearsalState, text: str) -> None:
    """After minimising or substitution the person keeps back the need the line touched (or their
    biggest unsaid worry), until they feel heard again."""
    needs = [f for f in scenario.facts if f.kind in NEED_KINDS and f.id not in state.revealed]
    fact = _about(scenario, text, needs) or (needs[0] if needs else None)
    if fact is not None and fact.id not in state.held_back:
        state.held_back.append(fact.id)


def _pop_held_back(scenario: Scenario, state: RehearsalState, fact: Fact | None) -> Fact:
    fact_id = fact.id if fact is not None and fact.id in state.held_back else state.held_back[0]
    found = scenario.fact(fact_id)
    assert found is not None
    return found


def _about(scenario: Scenario, text: str, facts: list[Fact], *, prefer: tuple[str, ...] = (),
           floor: float = ABOUT) -> Fact | None:
    """The fact among `facts` the line is most about, if it is about one (at least `floor`)."""
    if not facts or scenario.index is None:
        return None
    scores = scenario.index.scores(text, prefer=prefer)
    order = {f.id: i for i, f in enumerate(scenario.facts)}
    best = max(facts, key=lambda f: (scores.get(f.id, 0.0), -order[f.id]))
    return best if scores.get(best.id, 0.0) >= floor else None


def _next_fact(scenario: Scenario, state: RehearsalState, prefer: tuple[str, ...]) -> Fact | None:
    unrevealed = [f for f in scenario.facts if f.id not in state.revealed and f.kind not in SCALE_KINDS]
    if state.guard > 0:
        unrevealed = [f for f in unrevealed if f.kind not in NEED_KINDS]
    for kind in prefer:
        for fact in unrevealed:
            if fact.kind == kind:
                return fact
    return unrevealed[0] if unrevealed else None


def _scale_fact(scenario: Scenario, state: RehearsalState, text: str) -> Fact | None:
    norm = " ".join(text.lower().split())
    by_kind = {f.kind: f for f in scenario.facts if f.kind in SCALE_KINDS}
    if re.search(r"\b(higher|one point|a point|up to|move up|next)\b", norm) and "scale_one_up" in by_kind:
        wanted = "scale_one_up"
    elif re.search(r"\b(not lower|rather than lower|and not [0-9]|not zero|keeps|puts you at|above|rather than "
                   r"a?\s?[0-9])\b", norm):
        wanted = "scale_not_lower"
    else:
        wanted = "scale_now"
    fact = by_kind.get(wanted)
    if fact is not None and fact.id in state.revealed and wanted == "scale_now":
        remaining = [by_kind[k] for k in SCALE_KINDS if k in by_kind and by_kind[k].id not in state.revealed]
        return remaining[0] if remaining else fact
    return fact


def _canned(scenario: Scenario, state: RehearsalState, kind: str, about: str = "") -> str:
    """The next of the scenario's replies of this kind; with `about`, the one that shares most words
    with the line (so "Could your son..." gets the reply about the son)."""
    options = scenario.replies.get(kind) or scenario.replies["closed"]
    index = state.counters.get(kind, 0)
    state.counters[kind] = index + 1
    if about:
        asked = set(stems(about))
        overlap = [len(asked & set(stems(option))) for option in options]
        if max(overlap) > 0:
            return options[overlap.index(max(overlap))]
    return options[index % len(options)]


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text and not text.startswith("I ") and not text.startswith("I'") else text
