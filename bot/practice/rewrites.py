"""Better versions of a line, one for each issue, that keep the need the line was about.

A better version never drops what has got harder: "What can't you do any more?" becomes "What has
got harder for you lately?", not a question about hopes. Each candidate is run through the
checker (`examine`), and the first that is clean and still names the need is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set

from bot.practice.clauses import flat, main_clause, normal, question_sentences
from bot.practice.forms import shape_of
from bot.practice.rules import Rules

Examine = Callable[[str], Set[str]]
_OBJECT = {"you": "you", "he": "him", "she": "her", "they": "them", "it": "it", "that": "that", "this": "this"}
_PRONOUN = {"he": "him", "him": "him", "his": "him", "she": "her", "her": "her", "they": "them", "them": "them",
            "their": "them"}
_HELPER_PRONOUN = {"daughter": "she", "wife": "she", "sister": "she", "mum": "she", "mother": "she", "niece": "she",
                   "granddaughter": "she", "son": "he", "husband": "he", "brother": "he", "dad": "he", "father": "he",
                   "nephew": "he", "grandson": "he"}
_TEMPLATES = {
    "closed": ("Tell me about {need}{for_whom} at the moment.", "What helps with {need}{for_whom}?"),
    "leading": ("What have you tried already with {need}?", "What do you think would help with {need}?"),
    "deficit": ("What has got harder with {need} lately?", "Talk me through what has got harder with {need}."),
    "jargon": ("Tell me about {need}{for_whom} at the moment.",),
    "long": ("Tell me about {need}{for_whom} at the moment.",),
    "substitution": ("What help with {need} would work best for you?", "How does your {helper} feel about helping "
                     "with {need}?", "How is {need} going with the help you have now?"),
    "minimising": ("What {be} {need} like on a harder day?", "How does your {helper} feel about helping with "
                   "{need}?", "Talk me through {need} on a harder day."),
}
_NO_NEED = {
    "deficit": ("What has got harder{for_person} lately?", "Talk me through what has got harder lately."),
    "substitution": ("What help would work best for you?",
                     "How does your {helper} feel about the help {helper_pronoun} gives?"),
    "minimising": ("What happens on the harder days?", "How does your {helper} feel about the help {helper_pronoun} "
                   "gives?", "Talk me through a harder day."),
}
_STEERS = ("substitution", "minimising", "scaling_direction")
_ANCHORED_SCALE = "On a scale of 0 to 10, where 0 is the worst it has been and 10 is how you'd want it to be, {where}?"


def need_of(norm: str, rules: Rules) -> str:
    """The need a line is about, as a short phrase: the line's own words where they say it plainly
    ("the bins", "his tablets"), else the topic's ("the shopping"); "that"; or "" when it names none."""
    best: tuple[int, str, re.Pattern[str] | None] = (0, "", None)
    for _, words, need in rules.needs:
        hits = len(words.findall(norm))
        if hits > best[0]:
            best = (hits, need, words)
    found = best[2]
    if found is not None:
        for match in re.finditer(r"\b(the|your|his|her|their) ([a-z'-]+)(?= ?[,.?!]|$| (on|at|in|for|with|every|each|"
                                 r"and|now|then|though|instead|today|this|last|lately|anymore|any more)\b)", norm):
            if found.fullmatch(match.group(2)) and not rules.jargon.search(match.group(0)):
                return match.group(0)
        return best[1]
    return "that" if re.search(r"\b(with|do|cover|manage|covered|sorted) (that|this)\b|\bthat's (covered|sorted)\b",
                               norm) else ""


def keeps_need(candidate: str, need: str, rules: Rules) -> bool:
    """Whether a rewrite still names the need (or a word for it)."""
    if not need:
        return True
    norm = normal(candidate)
    if need in norm:
        return True
    named = need.split()[-1]
    return any((phrase == need or words.fullmatch(named)) and words.search(norm) for _, words, phrase in rules.needs)


def better_versions(text: str, codes: set[str], rules: Rules, examine: Examine) -> dict[str, str]:
    """One better version for each code in `codes` ("" when none passes), keeping the need."""
    norm = normal(text)
    need = need_of(norm, rules)
    helper = _helper(norm, rules)
    shared = _shared(text, norm, codes, rules)
    steers = [c for c in _STEERS if c in codes]
    chosen: dict[str, str] = {}
    for code in codes:
        candidates: list[tuple[str, bool]] = []
        for source in dict.fromkeys([*steers, code]):
            candidates += _specific(source, text, norm, need, helper, rules)
        candidates += [(c, False) for c in shared]
        chosen[code] = _first_clean(candidates, need, rules, examine)
    return chosen


def suggestions(text: str, codes: set[str], rules: Rules, examine: Examine, order: tuple[str, ...]) -> tuple[str, ...]:
    """Up to two rewrites for the whole line, for a chat message."""
    found = better_versions(text, codes, rules, examine)
    picked: list[str] = []
    for code in order:
        if found.get(code) and found[code] not in picked:
            picked.append(found[code])
    norm = normal(text)
    need = need_of(norm, rules)
    for extra in _shared(text, norm, codes, rules):
        if len(picked) >= 2:
            break
        extra = _tidy(extra)
        if extra and extra not in picked and not examine(extra) and keeps_need(extra, need, rules):
            picked.append(extra)
    return tuple(picked[:2])


def _first_clean(candidates: list[tuple[str, bool]], need: str, rules: Rules, examine: Examine) -> str:
    """The first candidate with no issues that keeps the need (a piece of the line itself, such as its
    main clause, counts as keeping it); failing that, the first with no issues."""
    for candidate, own_words in candidates:
        candidate = _tidy(candidate)
        if candidate and not examine(candidate) and (own_words or keeps_need(candidate, need, rules)):
            return candidate
    for candidate, _ in candidates:
        candidate = _tidy(candidate)
        if candidate and not examine(candidate):
            return candidate
    return ""


def _specific(code: str, text: str, norm: str, need: str, helper: str, rules: Rules) -> list[tuple[str, bool]]:
    """Candidates for one code, each with whether it is made of the line's own words."""
    found: list[tuple[str, bool]] = []
    if code == "scaling_direction" and shape_of(norm, rules).deliberate == "scale":  # the number, asked well
        found.append((_ANCHORED_SCALE.format(where=f"where would you put {need} now" if need else "where are you now"),
                      False))
    if code == "scaling_direction" or (code == "why" and rules.scale.search(norm)):
        found += [(c, True) for c in _scale_rewrites(norm)]
    if code == "double":
        found += [(c, True) for c in _split(text, rules)]
    if code in ("why", "jargon", "deficit", "long", "closed"):
        repaired = _repair(text, rules)
        if normal(repaired) != norm:
            found.append((repaired, True))
    if code == "long":
        found.append((main_clause(text, rules), True))
    templates = _TEMPLATES.get(code, ()) if need else _NO_NEED.get(code, ())
    for template in templates:
        if "{helper}" in template and not helper:
            continue
        for_whom = _for_whom(norm)
        found.append((template.format(need=need, helper=helper, for_whom=for_whom, for_person=for_whom or " for you",
                                      be=_be(need),
                                      helper_pronoun=_HELPER_PRONOUN.get(helper, "they")), False))
    return found


def _shared(text: str, norm: str, codes: set[str], rules: Rules) -> list[str]:
    """Rewrites that fit any issue: the main clause, the plain-words repair, the topic's own questions."""
    candidates = [main_clause(text, rules), _repair(text, rules)]
    topic = _topic(norm, rules)
    if not topic and "deficit" in codes:
        topic = tuple(rules.raw["deficit_rewrites"])
    candidates += topic[:1]
    if "leading" in codes:
        candidates.append(rules.raw["tried_rewrite"])
    candidates += topic[1:]
    candidates += rules.raw["fallback_rewrites"]
    return [c for c in candidates if c and normal(c) != norm]


def _helper(norm: str, rules: Rules) -> str:
    """The family member a line hands the need to, when it names one ("daughter")."""
    match = re.search(r"\b(?:your|his|her|their) (" + "|".join(_HELPER_PRONOUN) + r")\b", norm)
    return match.group(1) if match and rules.unpaid.search(norm) else ""


def _for_whom(norm: str) -> str:
    """' for him' when a question is about someone else ("Can he dress himself?"), else ''."""
    if re.search(r"\b(you|your|you're|you've)\b", norm):
        return ""
    if re.search(r"\b(he|him|his|he's)\b", norm):
        return " for him"
    if re.search(r"\b(she|her|she's)\b", norm):
        return " for her"
    head = question_sentences(norm)[-1] if norm else ""
    match = re.match(r"^(?:\w+ ){0,3}?(?:can|could|does|did|is|will|would|has|was) (he|she|they)\b", head)
    if match:
        return " for " + _PRONOUN[match.group(1)]
    match = re.match(r"^(?:\w+ ){0,3}?(?:can|could|does|did|is|will|would|has|was) (your (?:mum|dad|husband|wife|"
                     r"son|daughter|mother|father|partner))\b", head)
    return " for " + match.group(1) if match else ""


def _be(need: str) -> str:
    if not need:
        return "is"
    first, last = need.split()[0], need.split()[-1]
    return "are" if not first.endswith("ing") and last.endswith("s") and not last.endswith("ss") else "is"


def _scale_rewrites(norm: str) -> list[str]:
    plain = re.sub(r"\b\d+\s*(?:to|-|and)\s*10\b|\bout of 10\b|\b(?:not|from)\s(?:a\s|an\s)?\d+\s*\??$", " ", norm)
    numbers = [int(n) for n in re.findall(r"\b(\d+)\b", plain) if int(n) < 10]
    moved = re.search(r"\bfrom (?:a |an )?\d+ to (?:a |an )?(\d+)\b", plain)  # "dropped from a 6 to a 4": now 4
    if moved and int(moved.group(1)) < 10:
        numbers.insert(0, int(moved.group(1)))
    if numbers:
        number = numbers[0]
        return [f"What puts you at {number} and not lower?", f"What would {number + 1} look like for you?"]
    return ["What puts you at that number and not lower?", "What would one point higher look like for you?"]


def _split(text: str, rules: Rules) -> list[str]:
    plain = flat(text)
    parts = [p.strip() for p in re.split(r"(?<=\?)\s+", plain) if p.strip()]
    if len(parts) >= 2:
        return parts[:2]
    match = rules.double_joined.search(plain.lower())
    if not match:
        return []
    ending = "." if plain.endswith(".") else "?"
    first = plain[: match.start()].rstrip(" ,") + ending
    second = re.sub(r"^,?\s*\w+\s", "", plain[match.start():].strip())
    if re.match(r"(?i)tell me\b", plain) and not re.match(r"(?i)tell me\b", second):
        second = "Tell me " + second
    return [first, second]


def _repair(text: str, rules: Rules) -> str:
    result = flat(text)
    for pattern, plain in rules.plain:
        result = pattern.sub(plain, result)
    result = re.sub(r"^(so,?\s|and\s)?why do you think (that|this|it) is\b", r"What do you think is behind \2",
                    result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?why are you at\b", "What puts you at", result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?why (didn't|did not) (you|he|she|they)\b",
                    lambda m: f"What made it hard for {_OBJECT[m.group(3).lower()]} to", result, flags=re.IGNORECASE)
    result = re.sub(r"^(so,?\s|and\s)?how come (you|he|she|they)\b", "What was happening when \\2", result,
                    flags=re.IGNORECASE)
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
