"""Check a practitioner's draft question: open or closed, plus what could make it kinder.

The rules and word lists live in `bot/data/question_rules.yaml` so the team can extend them
without touching code. `check_question` finds issues (codes below), explains each in one kind
sentence, and offers up to two rewrites that keep the question's intent. Every rewrite is run
through the same checker, so the coach never suggests something it would flag itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.practice.rules import Rules, load_rules

__all__ = ["ISSUE_CODES", "Issue", "QuestionVerdict", "Rules", "check_question", "format_verdict", "load_rules"]
ISSUE_CODES = ("closed", "leading", "double", "why", "deficit", "jargon", "long", "scaling_direction")
_OBJECT = {"you": "you", "he": "him", "she": "her", "they": "them", "it": "it", "that": "that", "this": "this"}


@dataclass(frozen=True)
class Issue:
    code: str
    explanation: str


@dataclass(frozen=True)
class QuestionVerdict:
    open: bool
    issues: tuple[Issue, ...]
    suggestions: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(issue.code for issue in self.issues)

    def to_json(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "issues": [{"code": i.code, "explanation": i.explanation} for i in self.issues],
            "suggestions": list(self.suggestions),
        }


def check_question(text: str) -> QuestionVerdict:
    """The verdict on one draft question: open or not, issues with explanations, rewrites."""
    rules = load_rules()
    is_open, codes = _examine(text, rules)
    explanations = rules.raw["explanations"]
    issues = tuple(Issue(code, explanations[code]) for code in ISSUE_CODES if code in codes)
    suggestions = _suggest(text, codes, rules) if codes else ()
    return QuestionVerdict(is_open, issues, suggestions)


def format_verdict(verdict: QuestionVerdict) -> str:
    """The verdict as plain text for a chat message."""
    labels = load_rules().raw["labels"]
    if not verdict.issues:
        return "An open question, and nothing I would change. It leaves room for the person's own story."
    head = "An open question, with something to look at." if verdict.open else "A closed question."
    lines = [head, ""]
    lines += [f"• {labels[i.code]}: {i.explanation}" for i in verdict.issues]
    if verdict.suggestions:
        lines += ["", "You could try:"]
        lines += [f"• {s}" for s in verdict.suggestions]
    return "\n".join(lines)


# ----- finding issues -----


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


def _sentences(norm: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", norm) if s.strip()]


def _strip_softeners(clause: str, rules: Rules) -> tuple[str, bool]:
    softened = False
    while True:
        match = rules.softeners.match(clause)
        if not match:
            return clause, softened
        clause = clause[match.end():].lstrip(" ,.-")
        softened = True


def _kind(clause: str, rules: Rules, depth: int = 0) -> tuple[str, str]:
    """'open', 'closed' or 'declarative' for one question clause, with its main clause."""
    clause, softened = _strip_softeners(clause.strip(" ,\"'"), rules)
    if depth > 3 or not clause:
        return "declarative", clause
    request = rules.requests.match(clause)
    if request:
        rest = clause[request.end():].lstrip(" ,")
        if re.match(r"(if|whether)\b", rest):
            return "closed", clause
        if rules.open_starts.match(rest) or rules.facts.match(rest) or rules.when_open.match(rest):
            return _kind(rest, rules, depth + 1)
        return "open", clause
    if re.match(r"(if|whether)\b", clause) and softened:
        return ("open" if re.search(r"\b(tell me|talk me through|describe)\b", clause) else "closed"), clause
    if rules.facts.match(clause):
        return "closed", clause
    if rules.when_open.match(clause) or rules.why_starts.match(clause) or rules.open_starts.match(clause):
        return "open", clause
    if rules.closed_starts.match(clause):
        return "closed", clause
    segments = clause.split(",")[1:]
    for segment in segments:
        kind, main = _kind(segment, rules, depth + 1)
        if kind != "declarative":
            return kind, main
    if rules.subordinate.match(clause) and not segments:
        found = rules.stem_anywhere.search(clause, 1)
        if found:
            return _kind(clause[found.start():], rules, depth + 1)
    return "declarative", clause


def _question_sentences(norm: str) -> list[str]:
    sentences = _sentences(norm)
    asked = [s for s in sentences if s.endswith("?")]
    return asked or sentences


def _examine(text: str, rules: Rules) -> tuple[bool, set[str]]:
    norm = _normal(text)
    codes: set[str] = set()
    if not norm:
        return False, {"closed"}
    asked = _question_sentences(norm)
    found = [_kind(s, rules) for s in asked]
    kinds, mains = [k for k, _ in found], [m for _, m in found]
    if not norm.endswith("?") and not norm.rstrip(".!").endswith("?"):
        kinds = ["closed" if k == "declarative" else k for k in kinds]
    is_open = kinds[0] == "open" or bool(rules.scale.search(norm)) and kinds[0] != "declarative"
    if not is_open:
        codes.add("closed")
    if kinds[0] == "declarative" and rules.raw["declarative_is_leading"] and not rules.scale.search(norm):
        codes.add("leading")
    if any(p.search(norm) for p in rules.leading):
        codes.add("leading")
    if _is_double(norm, asked, kinds, rules):
        codes.add("double")
    if _is_why(mains, norm, rules):
        codes.add("why")
    if (rules.deficit_always.search(norm) or any(p.search(norm) for p in rules.deficit_patterns)
            or (rules.deficit_words.search(norm) and not rules.resource.search(norm))):
        codes.add("deficit")
    if rules.jargon.search(norm) or _acronyms(text, rules):
        codes.add("jargon")
    if _is_long(norm, rules):
        codes.add("long")
    if any(p.search(norm) for p in rules.scaling) or _scaled_upward(norm):
        codes.add("scaling_direction")
    return is_open, codes


def _is_double(norm: str, asked: list[str], kinds: list[str], rules: Rules) -> bool:
    if sum(1 for s in _sentences(norm) if s.endswith("?")) >= 2:
        return True
    if re.search(r"\bif (so|not)\b,? (what|where|how|who|when|why|which)\b", norm):
        return True
    for sentence, kind in zip(asked, kinds, strict=True):
        if rules.double_joined.search(sentence):
            return True
        if kind == "closed" and rules.double_verbs.search(sentence):
            return True
    return False


_NOW = re.compile(r"\b(?:at|gave it|gave yourself|gave|said|scored|rated it|rated|put it at|put yourself at)\s"
                  r"(?:an?\s)?(\d+)\b")
_OTHER = re.compile(r"\b(?:and not|rather than|not)\s(?:at\s)?(?:an?\s)?(\d+)\b")


def _compared(norm: str) -> tuple[int, int] | None:
    """(the number given, the number compared with) in 'at 6 and not 3' or 'You gave it 5. Why not 8?'."""
    now, other = _NOW.search(norm), _OTHER.search(norm)
    return (int(now.group(1)), int(other.group(1))) if now and other else None


def _lower_comparison(norm: str) -> bool:
    """'Why are you at 6 and not 3?' compares with a lower number: the MI readiness ruler."""
    if re.search(r"\b(and not|rather than|not)\s(?:at\s)?(?:a\s)?(?:lower|zero|nought|one point lower)\b", norm):
        return True
    pair = _compared(norm)
    return bool(pair and pair[1] < pair[0])


def _scaled_upward(norm: str) -> bool:
    pair = _compared(norm)
    return bool(pair and pair[1] > pair[0])


def _is_why(mains: list[str], norm: str, rules: Rules) -> bool:
    found = any(rules.why_starts.match(m) for m in mains) or bool(rules.why_inner.search(norm))
    return found and not _lower_comparison(norm)


def _acronyms(text: str, rules: Rules) -> bool:
    allowed = {str(a).lower() for a in rules.raw["acronym_allow"]}
    for word in re.findall(r"\b[A-Z][A-Za-z0-9&]*[A-Z0-9]s?\b", text):
        bare = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if bare.lower() not in allowed and sum(c.isupper() for c in bare) >= 2 and len(bare) <= 6:
            return True
    return False


def _is_long(norm: str, rules: Rules) -> bool:
    limits = rules.raw["long"]
    words = re.findall(r"[a-z0-9']+", norm)
    long_words = [w for w in words if len(w) >= limits["long_word_letters"]]
    hard_words = [w for w in words if _syllables(w) >= limits["hard_word_syllables"]]
    return (len(words) > limits["max_words"] or len(long_words) > limits["max_long_words"]
            or len(hard_words) > limits["max_hard_words"] or len(_sentences(norm)) > limits["max_sentences"])


def _syllables(word: str) -> int:
    """A rough syllable count: groups of vowels, less a silent final e."""
    word = word.strip("'")
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(groups, 1)


# ----- rewrites -----


def _suggest(text: str, codes: set[str], rules: Rules) -> tuple[str, ...]:
    candidates: list[str] = []
    norm = _normal(text)
    if "scaling_direction" in codes or ("why" in codes and rules.scale.search(norm)):
        candidates += _scale_rewrites(norm)
    if "double" in codes:
        candidates += _split(text, rules)
    main = _main_clause(text, rules)
    if main:
        candidates.append(main)
    repaired = _repair(text, rules)
    if repaired and _normal(repaired) != norm:
        candidates.append(repaired)
    topic = _topic(norm, rules)
    if not topic and "deficit" in codes:
        topic = tuple(rules.raw["deficit_rewrites"])
    candidates += topic[:1]
    if "leading" in codes:
        candidates.append(rules.raw["tried_rewrite"])
    candidates += topic[1:]
    candidates += rules.raw["fallback_rewrites"]
    chosen: list[str] = []
    for candidate in candidates:
        candidate = _tidy(candidate)
        if candidate and candidate not in chosen and not _examine(candidate, rules)[1]:
            chosen.append(candidate)
        if len(chosen) == 2:
            break
    return tuple(chosen)


def _main_clause(text: str, rules: Rules) -> str:
    """The question inside a long lead-in: "Thinking about X, and Y, what helps?" -> "What helps?"."""
    flat = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())
    asked = _question_sentences(flat.lower())
    _, main = _kind(asked[-1], rules) if asked else ("", "")
    start = flat.lower().rfind(main) if main else -1
    if start <= 0:
        return ""
    return flat[start:]


def _scale_rewrites(norm: str) -> list[str]:
    plain = re.sub(r"\b\d+\s*(?:to|-|and)\s*10\b|\bout of 10\b|\b(?:not|from)\s(?:a\s|an\s)?\d+\s*\??$", " ", norm)
    numbers = [int(n) for n in re.findall(r"\b(\d+)\b", plain) if int(n) < 10]
    if numbers:
        number = numbers[0]
        return [f"What puts you at {number} and not lower?", f"What would {number + 1} look like for you?"]
    return ["What puts you at that number and not lower?", "What would one point higher look like for you?"]


def _split(text: str, rules: Rules) -> list[str]:
    norm_text = " ".join(text.split())
    parts = [p.strip() for p in re.split(r"(?<=\?)\s+", norm_text) if p.strip()]
    if len(parts) >= 2:
        return parts[:2]
    match = rules.double_joined.search(norm_text.lower())
    if not match:
        return []
    ending = "." if norm_text.endswith(".") else "?"
    first = norm_text[: match.start()].rstrip(" ,") + ending
    second = re.sub(r"^,?\s*\w+\s", "", norm_text[match.start():].strip())
    if re.match(r"(?i)tell me\b", norm_text) and not re.match(r"(?i)tell me\b", second):
        second = "Tell me " + second
    return [first, second]


def _repair(text: str, rules: Rules) -> str:
    result = " ".join(text.split())
    for pattern, plain in rules.plain:
        result = pattern.sub(plain, result)
    result = re.sub(r"^(so,?\s|and\s)?why do you think (that|this|it) is\b", r"What do you think is behind \2",
                    result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?why are you at\b", "What puts you at", result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?why (did|do|does|would) (you|he|she|they|it|that|this)\b",
                    lambda m: {"did": "What led ", "do": "What makes ", "does": "What makes ",
                               "would": "What would make "}[m.group(2).lower()]
                    + _OBJECT[m.group(3).lower()] + (" to" if m.group(2).lower() == "did" else ""),
                    result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?why (is|are) (that|it|this|you|things)\b",
                    lambda m: "What makes " + _OBJECT.get(m.group(3).lower(), m.group(3)), result, flags=re.IGNORECASE)
    return result


def _topic(norm: str, rules: Rules) -> tuple[str, ...]:
    best: tuple[int, tuple[str, ...]] = (0, ())
    for name, words, rewrites in rules.topics:
        if name == "scale" and not rules.scale.search(norm):
            continue
        hits = len(words.findall(norm))
        if hits > best[0]:
            best = (hits, rewrites)
    return best[1]


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in "?." else text + "?"
