"""Short notes on what a practitioner typed: after each rehearsal turn (what the line did and what
it drew out), and after each answer in the practice_rehearsal flow (the answer checked against
what that step asks for)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.practice.checker import QuestionVerdict, check_question, load_rules
from bot.practice.clauses import normal

if TYPE_CHECKING:
    from bot.practice.moves import Move

KIND_LABELS = {
    "strength": "strengths", "exception": "times things go better", "people": "people who help",
    "worry": "worries", "what_matters": "what matters to them", "scale_now": "where they are on a scale",
    "scale_not_lower": "what keeps them above zero", "scale_one_up": "what one point higher would look like",
}
ON_PURPOSE = {"consent": "asking consent", "check": "checking you understood", "frequency": "how often or how long",
              "willing_able": "whether the carer is willing and able", "safety": "a safety check",
              "choice": "offering a choice or a right", "fact": "a plain fact you need",
              "scale": "asking for a number on a scale"}
FEEDBACK_ORDER = ("substitution", "minimising", "scaling_direction", "leading", "why", "deficit", "jargon", "double",
                  "long", "closed")


def turn_note(name: str, moments: list[dict[str, str]], move: Move, effect: str, fact_kind: str, *,
              holding_back: bool = False) -> str:
    """One or two sentences on what this line did (`effect`, touching a fact of `fact_kind`), naming
    what the person, `name`, said or held back. `moments` are the rehearsal's earlier turns;
    `holding_back`: the person still keeps back something hard after a steer."""
    verdict = move.verdict
    drew = KIND_LABELS.get(fact_kind, "")
    if move.kind == "reflection":
        if effect == "unheld":
            return f"A reflection. {name} felt heard, and told you what {name} had held back: {drew}."
        if effect in ("told", "more"):
            return f"A reflection. {name} felt heard and said more" + (f" about {drew}." if drew else ".")
        return "A reflection. It shows you heard, even when there is no more to say."
    if move.kind == "summary":
        if effect == "unheld":
            return f"A summary. {name} felt heard, and told you what {name} had held back: {drew}."
        if effect == "told":
            return f"A summary. {name} checked it, agreed, and added something new: {drew}."
        return f"A summary. {name} checked it and agreed; it shows you have been listening."
    if move.kind == "consent":
        return f"Asking consent first: good practice. {name} is happy to go on."
    if move.kind == "deliberate":
        why = ON_PURPOSE.get(verdict.deliberate, "a closed question on purpose")
        return f"Closed on purpose ({why}), and that's fine. A short answer; an open question can follow it up."
    if move.kind in ("open", "double"):
        if effect == "held_back":
            return (f"An open question, but {name} held back what is hard: after {_steer_quote(moments)}, {name} is "
                    "not sure you want to hear it. A reflection or a summary can show you do.")
        label = _technique_label(move.technique)
        found = f" It drew out {drew}." if effect in ("told", "repeated") and drew else ""
        if move.kind == "double":
            return f"Two questions in one, so {name} answered one of them.{found} {_try(verdict)}".strip()
        if verdict.issues:  # a scale asked for without saying which way it runs: people still give a number
            return f"{label[0].upper()}{label[1:]}, and {name} gave a number.{found} " + _issue_note(
                name, verdict, verdict.issues[0].code)
        if holding_back:
            found += f" {name} still keeps back what is hard, though: a reflection can show you want to hear it."
        return f"Good: {label}.{found}"
    if move.kind == "statement":
        return "A statement rather than a question. If you want to hear more, ask or reflect."
    return _issue_note(name, verdict, move.kind)


def _issue_note(name: str, verdict: QuestionVerdict, kind: str) -> str:
    rules = load_rules().raw
    issue = next(i for i in verdict.issues if i.code == kind) if kind in verdict.codes else min(
        verdict.issues, key=lambda i: FEEDBACK_ORDER.index(i.code))
    text = f"{rules['labels'][issue.code]}. {issue.explanation}"
    if kind in ("minimising", "substitution"):
        text += f" {name} has stopped telling you what is hard."
    return f"{text} {_try(verdict, issue.code)}".strip()


def _try(verdict: QuestionVerdict, code: str = "") -> str:
    better = next((i.better for i in verdict.issues if i.code == code and i.better), "") or next(
        (i.better for i in verdict.issues if i.better), "")
    return f"You could try: \u201c{better}\u201d" if better else ""


def _technique_label(technique: str | None) -> str:
    techniques = load_rules().raw["techniques"]
    return str(techniques[technique]["label"]) if technique in techniques else "an open question"


def _steer_quote(moments: list[dict[str, str]]) -> str:
    steer = next((m for m in reversed(moments) if m["kind"] in ("minimising", "substitution")), None)
    return f"\u201c{steer['line']}\u201d" if steer else "an earlier line"


# ----- the practice_rehearsal flow: a note on each answer written as the practitioner -----

ANSWER_CHECKS = {
    "your_opener": "an opener",
    "your_reflection": "a reflection",
    "rewrite_closed": "an open question about washing",
    "rewrite_minimising": "a question that does not play down need",
    "rewrite_scale": "a follow-up to a 3 out of 10",
    "family_helps": "a follow-up when a daughter does the shopping",
}


def answer_note(question_id: str, text: str) -> str:
    """A note on what the practitioner wrote for one practice question, or "" for other questions."""
    step = question_id.removeprefix("practice.")
    if step not in ANSWER_CHECKS or not text.strip():
        return ""
    if step == "family_helps":  # "she" and "her" here are the daughter who does the shopping
        text = re.sub(r"\b(she|her)\b", "your daughter", text, flags=re.IGNORECASE)
    verdict = check_question(text)
    norm = normal(text)
    codes = set(verdict.codes)
    if step == "your_reflection":
        if verdict.form == "reflection":
            return "That reads as a reflection: a statement that says back what you heard. " + _clean_or(verdict)
        return (f"That reads as {_form_words(verdict)}, not a reflection. A reflection says back what you heard, "
                "as a statement: \u201cSo getting out matters most.\u201d")
    if step == "rewrite_closed":
        if verdict.open and not codes and any(w in norm for w in ("wash", "bath", "shower", "clean")):
            return "Open, and still about washing: the person can tell you how it really goes."
        if not verdict.open and verdict.form == "question":
            return ("That can still be answered yes or no. Try starting with \u201cTalk me through\u201d or "
                    "\u201cHow\u201d.")
    if step == "rewrite_minimising" and not codes and any(w in norm for w in ("hard", "bad", "harder", "difficult",
                                                                               "worse", "tough")):
        return "That asks about meals and leaves room for the harder days. Need is not played down."
    if step == "rewrite_scale":
        if "scaling_direction" in codes:
            return ("That asks why the number is not higher. Ask what keeps it at 3 and not lower, then what 4 would "
                    "look like.")
        if any(w in norm for w in ("not lower", "not 0", "not zero", "rather than", "keeps", "4", "four", "one point")):
            return "That builds up from the bottom of the scale: it draws out what is already working. " + _clean_or(
                verdict)
    if step == "family_helps" and "substitution" not in codes and "minimising" not in codes and any(
            w in norm for w in ("daughter", "stopped", "if", "last", "willing", "able")):
        return ("That keeps the daughter's help in view as a need being met, not a need gone. She may want her own "
                "carer's assessment. " + _clean_or(verdict))
    if codes:
        return _clean_or(verdict)
    return f"That reads as {_form_words(verdict)} with nothing I would change for {ANSWER_CHECKS[step]}."


def _clean_or(verdict: QuestionVerdict) -> str:
    if not verdict.issues:
        return "Nothing I would change."
    rules = load_rules().raw
    first = min(verdict.issues, key=lambda i: FEEDBACK_ORDER.index(i.code))
    text = f"{rules['labels'][first.code]}: {first.explanation}"
    return f"{text} {_try(verdict, first.code)}".strip()


def _form_words(verdict: QuestionVerdict) -> str:
    if verdict.form == "question":
        return "an open question" if verdict.open else "a closed question"
    return {"reflection": "a reflection", "summary": "a summary", "consent": "asking consent",
            "statement": "a statement"}[verdict.form]
