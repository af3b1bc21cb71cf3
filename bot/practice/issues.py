"""Finding what could be better in a line, as issue codes, given its shape (see forms.py)."""

from __future__ import annotations

import re

from bot.practice.clauses import sentences
from bot.practice.forms import Shape
from bot.practice.rules import Rules

ISSUE_CODES = ("closed", "leading", "double", "why", "deficit", "jargon", "long", "scaling_direction",
               "substitution", "minimising")
_SAYS_BACK = ("reflection", "summary")


def find_issues(text: str, norm: str, shape: Shape, rules: Rules) -> set[str]:
    """The issue codes for one line."""
    if not norm:
        return {"closed"}
    codes: set[str] = set()
    if shape.form == "question" and not shape.open and not shape.deliberate:
        codes.add("closed")
    if any(p.search(norm) for p in rules.substitution) and not any(p.search(norm) for p in rules.substitution_not):
        codes.add("substitution")
    if any(p.search(norm) for p in rules.minimising):
        codes.add("minimising")
    if _is_leading(norm, shape, rules, steered="substitution" in codes or "minimising" in codes):
        codes.add("leading")
    if shape.form == "question" and _is_double(norm, shape, rules):  # a consent may offer a choice
        codes.add("double")
    if shape.form == "question" and _is_why(shape.mains, norm, rules):
        codes.add("why")
    if _is_deficit(norm, shape, rules, denied="minimising" in codes):
        codes.add("deficit")
    if rules.jargon.search(norm) or _acronyms(text, rules):
        codes.add("jargon")
    if _is_long(norm, shape, rules):
        codes.add("long")
    if any(p.search(norm) for p in rules.scaling) or _scaled_upward(norm):
        codes.add("scaling_direction")
    return codes


def _is_leading(norm: str, shape: Shape, rules: Rules, *, steered: bool) -> bool:
    """Hinting at the answer or offering your own solution. A statement put as a question ("You're
    managing the stairs?") leads too, unless the steer is already named as minimising or substitution."""
    if any(p.search(norm) for p in rules.leading):
        return True
    if shape.form == "statement":
        return bool(rules.advice.search(norm))
    if shape.form != "question" or steered:
        return False
    if any(p.search(norm) for p in rules.leading_asked):
        return True
    return shape.kinds[0] == "declarative" and rules.raw["declarative_is_leading"] and not rules.scale.search(norm)


def _is_double(norm: str, shape: Shape, rules: Rules) -> bool:
    if sum(1 for s in sentences(norm) if s.endswith("?")) >= 2:
        return True
    if re.search(r"\bif (so|not)\b,? (what|where|how|who|when|why|which)\b", norm):
        return True
    for sentence, found in zip(shape.asked, shape.kinds, strict=True):
        if rules.double_joined.search(sentence):
            return True
        if found == "closed" and rules.double_verbs.search(sentence):
            return True
    return False


def _is_deficit(norm: str, shape: Shape, rules: Rules, *, denied: bool) -> bool:
    """Labels and "what can't you do" always; problem words unless the line looks for what helps,
    says back what the person said, is a safety check, or denies the problem (that is minimising)."""
    if rules.deficit_always.search(norm) or any(p.search(norm) for p in rules.deficit_patterns):
        return True
    if denied or shape.form in _SAYS_BACK or shape.deliberate == "safety":
        return False
    return bool(rules.deficit_words.search(norm) and not rules.resource.search(norm))


_NOW = re.compile(r"\b(?:at|gave it|gave yourself|gave|said|scored|rated it|rated|put it at|put yourself at)\s"
                  r"(?:an?\s)?(\d+)\b")
_OTHER = re.compile(r"\b(?:and not|rather than|not)\s(?:at\s)?(?:an?\s)?(\d+)\b")


def _compared(norm: str) -> tuple[int, int] | None:
    """(the number given, the number compared with) in 'at 6 and not 3' or 'You gave it 5. Why not 8?'."""
    now, other = _NOW.search(norm), _OTHER.search(norm)
    return (int(now.group(1)), int(other.group(1))) if now and other else None


def lower_comparison(norm: str) -> bool:
    """'Why are you at 6 and not 3?' compares with a lower number: the MI readiness ruler."""
    if re.search(r"\b(and not|rather than|not)\s(?:at\s)?(?:a\s)?(?:lower|zero|nought|one point lower)\b", norm):
        return True
    pair = _compared(norm)
    return bool(pair and pair[1] < pair[0])


def _scaled_upward(norm: str) -> bool:
    pair = _compared(norm)
    return bool(pair and pair[1] > pair[0])


def _is_why(mains: tuple[str, ...], norm: str, rules: Rules) -> bool:
    found = any(rules.why_starts.match(m) for m in mains) or bool(rules.why_inner.search(norm))
    return found and not lower_comparison(norm)


def _acronyms(text: str, rules: Rules) -> bool:
    allowed = {str(a).lower() for a in rules.raw["acronym_allow"]}
    for word in re.findall(r"\b[A-Z][A-Za-z0-9&]*[A-Z0-9]s?\b", text):
        bare = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if bare.lower() not in allowed and sum(c.isupper() for c in bare) >= 2 and len(bare) <= 6:
            return True
    return False


def _is_long(norm: str, shape: Shape, rules: Rules) -> bool:
    limits = rules.raw["long"]
    words = re.findall(r"[a-z0-9']+", norm)
    long_words = [w for w in words if len(w) >= limits["long_word_letters"]]
    hard_words = [w for w in words if _syllables(w) >= limits["hard_word_syllables"]]
    if shape.form == "summary":
        return len(words) > limits["summary_max_words"]
    return (len(words) > limits["max_words"] or len(long_words) > limits["max_long_words"]
            or len(hard_words) > limits["max_hard_words"] or len(sentences(norm)) > limits["max_sentences"])


def _syllables(word: str) -> int:
    """A rough syllable count: groups of vowels, less a silent final e."""
    word = word.strip("'")
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(groups, 1)
