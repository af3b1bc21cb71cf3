"""Questions and text the coach adds itself, not taken from a bank: the "who are we thinking
about?" choice that switches on carer wording, the scale follow-ups' default wording, why and
note, and the stand-ins that keep a graph whole when a step's own problem is already reported."""

from __future__ import annotations

from bot.content.model import Choice, Question
from bot.content.text import compile_text

FOR_SOMEONE = "for_someone"
FOR_SOMEONE_QUESTION = Question(
    id="builtin.for_someone",
    type="choice",
    text=compile_text("Who are we thinking about today?"),
    why="So I can word the questions the right way for you.",
    practice_note="Sets the wording: the person, or someone they care for.",
    technique="about_me",
    section="none",
    skippable=False,
    choices=(Choice("me", "Me"), Choice("someone", "Someone I care for")),
)
# Stands in for a step whose own problem is already reported (an unknown question, text that
# does not compile), so the graph stays whole and that one mistake gives no knock-on problems.
UNKNOWN_QUESTION = Question(
    id="", type="text", text=compile_text(""), why="", practice_note="", technique="reflection", section="none"
)
PLACEHOLDER_TEXT = compile_text("")
# Scale follow-ups in their own words unless a bank or step gives its own; `n` is the number given.
FOLLOWUP_WORDING = {
    "not_lower": compile_text("What makes it a {{ n }} and not lower?"),
    "one_up": compile_text("What would {{ n + 1 }} look like?"),
    "next_step": compile_text("What could help you take one small step up, towards {{ n + 1 }}?"),
    "since_last": compile_text("Last time you said {{ last }}. Now it's {{ n }}. What has made the difference?"),
}
AT_BOTTOM = compile_text("What is keeping you going, even at {{ n }}?")  # not_lower, at the scale's lowest
AT_TOP = compile_text("What helps keep it at {{ n }}?")  # one_up, at the scale's highest
FOLLOWUP_WHY = "Small, concrete details help you and others see what is already working."
FOLLOWUP_NOTE = "Solution-focused scaling follow-up: it builds on the number the person gave."
