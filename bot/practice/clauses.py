"""Reading a line's clauses: normalised text, sentences, and whether a question clause is open,
closed or not a question at all ("declarative")."""

from __future__ import annotations

import re

from bot.practice.rules import Rules

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normal(text: str) -> str:
    """Lower case, straight quotes, single spaces; a spaced dash joins clauses like a comma."""
    return " ".join(text.translate(_QUOTES).lower().replace(" - ", ", ").split())


def flat(text: str) -> str:
    """Straight quotes and single spaces, case kept (for rewrites)."""
    return " ".join(text.translate(_QUOTES).split())


_ECHO = re.compile(r"^[\d\s.,/-]+[?!.]*$")  # "2??" said back before a question is not a question of its own


def sentences(norm: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!;])\s+", norm) if s.strip() and not _ECHO.match(s.strip())]


def question_sentences(norm: str) -> list[str]:
    """The sentences that ask something (end with '?'), or every sentence if none does."""
    said = sentences(norm)
    asked = [s for s in said if s.endswith("?")]
    return asked or said


def strip_softeners(clause: str, rules: Rules) -> tuple[str, bool]:
    softened = False
    while True:
        match = rules.softeners.match(clause)
        if not match:
            return clause, softened
        clause = clause[match.end():].lstrip(" ,.-")
        softened = True


def kind(clause: str, rules: Rules, depth: int = 0) -> tuple[str, str]:
    """'open', 'closed' or 'declarative' for one question clause, with its main clause."""
    clause, softened = strip_softeners(clause.strip(" ,\"'"), rules)
    if depth > 3 or not clause:
        return "declarative", clause
    clause = re.sub(r"^(can|could|would|will) you just ", r"\1 you ", clause)  # "Could you just talk me through..."
    request = rules.requests.match(clause)
    if request:
        rest = clause[request.end():].lstrip(" ,")
        if re.match(r"(if|whether)\b", rest) or re.match(r"(yourself|himself|herself|themselves|him|her|them|it|"
                                                         r"that|things) as\b", rest):
            return "closed", clause  # "Would you describe yourself as lonely?" is yes or no
        if rules.open_starts.match(rest) or rules.facts.match(rest) or rules.when_open.match(rest):
            return kind(rest, rules, depth + 1)
        return "open", clause
    if re.match(r"(if|whether)\b", clause) and softened:
        return ("open" if re.search(r"\b(tell me|talk me through|describe)\b", clause) else "closed"), clause
    if re.match(r"(if|whether)\b", clause) and depth and re.search(r"\b(tell me|talk me through|describe)\b", clause):
        return "open", clause  # "I was wondering, ..., whether you could tell me about ..."
    if rules.which_open.match(clause):
        return "open", clause
    if rules.facts.match(clause):
        return "closed", clause
    if rules.when_open.match(clause) or rules.why_starts.match(clause) or rules.open_starts.match(clause):
        return "open", clause
    if rules.closed_starts.match(clause):
        return "closed", clause
    segments = clause.split(",")[1:]
    for segment in segments:
        found, main = kind(segment, rules, depth + 1)
        if found != "declarative":
            return found, main
    if rules.subordinate.match(clause) and not segments:
        stem = rules.stem_anywhere.search(clause, 1)
        if stem:
            return kind(clause[stem.start():], rules, depth + 1)
    turn = _LEAD_IN.search(clause)  # "Obviously everyone's different, but how do you feel...?"
    if turn:
        return kind(clause[turn.end():], rules, depth + 1)
    return "declarative", clause


_LEAD_IN = re.compile(r"\b(?:but|so)\s+(?=(?:i (?:just )?(?:wondered|was wondering|wonder)\b|how|what|who|where|which|"
                      r"tell me|talk me through|can you tell|could you tell|would you tell)\b)")


def main_clause(text: str, rules: Rules) -> str:
    """The question inside a long lead-in: "Thinking about X, and Y, what helps?" -> "What helps?"."""
    plain = flat(text)
    asked = question_sentences(plain.lower())
    _, main = kind(asked[-1], rules) if asked else ("", "")
    start = plain.lower().rfind(main) if main else -1
    if start <= 0:
        return ""
    return plain[start:]
