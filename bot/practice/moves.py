"""What a practitioner did with one line, read by the same checker that checks questions: a
reflection, a summary, asking consent, an open question, a question closed on purpose, a closed
question, or one of the issues (minimising, substitution, leading...). Rehearsal answers this."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.practice.checker import QuestionVerdict, check_question, load_rules
from bot.practice.clauses import normal

# When a line has several issues, the person reacts to the first of these it has.
REACTS_TO = ("substitution", "minimising", "scaling_direction", "long", "deficit", "jargon", "why", "leading")
MOVE_KINDS = ("reflection", "summary", "consent", "open", "deliberate", "closed", "double", "statement", *REACTS_TO)
GOOD_MOVES = ("reflection", "summary", "consent", "open", "deliberate")


@dataclass(frozen=True)
class Move:
    """One practitioner turn: what kind of move it was, the checker's verdict, and its technique."""

    kind: str
    verdict: QuestionVerdict
    technique: str | None

    @property
    def good(self) -> bool:
        return self.kind in GOOD_MOVES


def read_move(text: str) -> Move:
    verdict = check_question(text)
    codes = set(verdict.codes)
    technique = technique_of(text)
    steer = next((c for c in REACTS_TO if c in codes), None)
    if verdict.form in ("reflection", "summary"):
        return Move(steer if steer in ("substitution", "minimising", "leading", "deficit", "jargon") else verdict.form,
                    verdict, "reflection")
    if verdict.form == "consent":
        return Move("consent" if not steer else steer, verdict, technique)
    if verdict.deliberate == "scale" and steer in (None, "scaling_direction"):  # asked for a number: people give one
        return Move("open", verdict, "scaling")
    if steer:
        return Move(steer, verdict, technique)
    if verdict.form == "statement":
        return Move("statement", verdict, technique)
    if verdict.deliberate:
        return Move("deliberate", verdict, technique)
    if not verdict.open:
        return Move("closed", verdict, technique)
    return Move("double" if "double" in codes else "open", verdict, technique)


def technique_of(text: str) -> str | None:
    """The technique a question seems to use, from the cues in question_rules.yaml."""
    norm = " " + normal(text) + " "
    for name, spec in load_rules().raw["techniques"].items():
        if any(re.search(r"(?<![a-z0-9'])" + re.escape(cue) + r"(?![a-z0-9'])", norm) for cue in spec["cues"]):
            return str(name)
    return None
