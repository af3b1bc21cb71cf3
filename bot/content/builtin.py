"""Questions and text the coach adds itself, not taken from a bank: the "who are we thinking
about?" choice that switches on carer wording, the scale follow-ups' default wording, why and
note, the default acknowledgements by section, the words around a summary, and the stand-ins
that keep a graph whole when a step's own problem is already reported."""

from __future__ import annotations

from bot.content.model import Choice, Question, Text
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
    "coping": compile_text(
        "How are {% if for_someone %}they{% else %}you{% endif %} managing to keep going?"
    ),
}
AT_BOTTOM = compile_text("What is keeping you going, even at {{ n }}?")  # not_lower, at the scale's lowest
AT_TOP = compile_text("What helps keep it at {{ n }}?")  # one_up, at the scale's highest
FOLLOWUP_WHY = "Small, concrete details help you and others see what is already working."
FOLLOWUP_NOTE = "Solution-focused scaling follow-up: it builds on the number the person gave."
COPING_WHY = "Getting through hard times takes something. Naming what keeps you going helps protect it."
COPING_NOTE = (
    "Berg's coping question, asked when the number is near the bottom: acknowledged first, and asked "
    "before any step up. It is not a way of saying things are fine."
)

# ----- scales: the coping question at the bottom ------------------------------------------------

COPING_BAND = 2  # a number this close to the bottom of a scale (0 to 2 on 0 to 10) asks the coping question first


def default_followups(technique: object) -> tuple[str, ...]:
    """A scale's follow-ups when it names none: a "how are things" scale can reach a coping question."""
    return ("coping", "not_lower", "one_up") if technique == "scaling" else ("not_lower", "one_up")


# ----- acknowledgements ------------------------------------------------------------------------
# One short line after a person shares something hard, before the next question. A question says
# `acknowledge: true` for its section's lines (below), gives its own, or `false`. Free-text answers
# in ACKNOWLEDGED_SECTIONS are acknowledged unless the question says otherwise. A scale's lines are
# said before its coping question, when the number is near the bottom. The coach takes the lines
# in turn and does not repeat one it said recently, so they vary; none is said after a skip or
# after "nothing".

ACKNOWLEDGED_SECTIONS = ("worries",)
_LINES = {
    "worries": (
        "Thank you for telling me.",
        "That sounds worrying.",
        "I can see why that is on your mind.",
        "That is a lot to carry.",
        "It helps to have that said plainly.",
        "Thank you. That is worth people knowing.",
    ),
    "caring_role": (
        "Thank you for saying how it really is.",
        "That sounds tiring.",
        "That is a lot, on top of everything else.",
        "It helps to have that written down.",
        "That is a lot to hold.",
        "Thank you. That matters as much as anything else here.",
    ),
    "hard": (
        "That sounds hard.",
        "Thank you for putting that so plainly.",
        "That sounds like a lot to deal with.",
        "I'm glad you said that. It matters.",
        "That is a lot to live with.",
        "Thank you for being honest about it.",
    ),
    "low_score": (
        "That sounds like a really hard time.",
        "Thank you for being honest about how it is.",
        "It sounds as if things are very hard just now.",
        "It sounds as if you are carrying a lot at the moment.",
    ),
}
_SECTION_LINES = {"worries": "worries", "caring_role": "caring_role"}
ACKNOWLEDGEMENTS = {kind: tuple(compile_text(line) for line in lines) for kind, lines in _LINES.items()}


def acknowledgements(question_type: object, section: object) -> tuple[Text, ...]:
    """The lines `acknowledge: true` means for a question of this type and section."""
    if question_type == "scale":
        return ACKNOWLEDGEMENTS["low_score"]
    return ACKNOWLEDGEMENTS[_SECTION_LINES.get(str(section), "hard")]


def default_acknowledgement(question: Question) -> tuple[Text, ...]:
    """What a question that does not say acknowledges with: its section decides."""
    if question.type == "scale":
        coping = any(kind == "coping" for kind, _ in question.followups)
        return acknowledgements("scale", question.section) if coping else ()
    if question.type in ("text", "list") and question.section in ACKNOWLEDGED_SECTIONS:
        return acknowledgements(question.type, question.section)
    return ()


# ----- summaries -------------------------------------------------------------------------------

SUMMARY_CHECK = "Have I got that right?"
SUMMARY_YES = "Yes, that's right"
SUMMARY_FIX = "Change something"
SUMMARY_WHICH = "Which part would you like to change? I'll ask it again."
SUMMARY_RIGHT_AFTER_ALL = "It's right as it is"
