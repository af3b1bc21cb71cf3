"""The always-on safety net, part one: spot risk in a message (`bot.safety.help` says what to do).

Pure apart from reading its data (`data/patterns.yaml`; `data/classifier.json` via `classifier`).
A message is checked whole, however long:
1. Read as typed (`fold`): hidden characters, combining marks and look-alike letters undone; a line
   break read both as a sentence break and as a space. In practice mode only first-person sentences
   count (`spoken_by_me`): a practitioner's question about risk is not a disclosure.
2. Normalised (`normalise`: "I'm" -> "im", "do not" -> "dont", typos, clause marks), then every
   category's patterns are tried. A match is dropped when it overlaps an idiom, a clear unhedged
   denial, a sentence about something past in a message that says it is resolved, or (where the
   rule allows) a negation in the same clause.
3. The classifier scores the same text with those denials and resolved sentences blanked, whole and
   in windows of two sentences, keeping the highest score.
Bands: a pattern hit the classifier backs (score at or above t_confirm, or no classifier) signposts
("signpost"); a pattern hit it does not back, or a classifier score at or above t_lo with no pattern,
asks a gentle question ("check_in"). Everything that decides lives in the data files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.safety.classifier import SafetyModel, shipped_model
from bot.safety.rules import (  # noqa: F401 - names callers import from here
    CATEGORIES,
    DATA_DIR,
    PATTERNS_FILE,
    Rule,
    SafetyRules,
    as_mapping,
    load_safety_rules,
    read_yaml,
)

_RUN = re.compile(r"([a-z])\1{2,}")
_FIRST_PERSON = frozenset({"i", "im", "ive", "id", "me", "my", "mine", "myself"})

# Reading text as typed: characters that hide inside words, look-alike letters, line breaks.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF])
_LOOKALIKE = str.maketrans(dict(zip(
    "аеіјкорсухѕԁԛԝһӏАВЕІЈКМНОРСТХУЅԀҮӀ" "αεικνορυχϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" "ı",  # Cyrillic, Greek, dotless i
    "aeijkopcyxsdqwhlABEIJKMHOPCTXYSDYI" "aeikvopuxcABEZHIKMNOPTYX" "i", strict=True)))
_BREAK = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
_LEET = re.compile(r"(?<=[A-Za-z])[013457@$](?=[A-Za-z])")
_LEET_LETTER = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_QUOTED = re.compile(r"(?:(?<=\s)|^)['\u2018\"\u201c][^'\u2019\"\u201d]{3,}?['\u2019\"\u201d](?=[\s?.!,;:]|$)")


@dataclass(frozen=True)
class SafetyCheck:
    """The verdict on one message. `category` is the most urgent of `categories`.

    `band` says what the conversation does: "signpost" (show help at once), "check_in" (ask gently
    whether the person is safe) or "none". `risk` is true for either of the first two. `fired` names
    what found it: "patterns", "classifier" or "both" (None when nothing did).
    """

    risk: bool
    category: str | None
    categories: tuple[str, ...] = ()
    band: str = "none"
    fired: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"risk": self.risk, "band": self.band, "category": self.category,
                "categories": list(self.categories), "fired": self.fired}


NO_RISK = SafetyCheck(risk=False, category=None, categories=())


# ---------------------------------------------------------------- reading a message


def fold(text: str) -> str:
    """The text as it reads: no hidden characters or combining marks, look-alike letters made
    Latin, digits inside words made letters ("k1ll"), every kind of line break a "\\n"."""
    text = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LOOKALIKE)
    text = _BREAK.sub("\n", unicodedata.normalize("NFKC", text))
    return _LEET.sub(lambda m: _LEET_LETTER[m.group()], text)


def normalise(text: str, rules: SafetyRules) -> str:
    """The text as the patterns see it: lower-case words and clause marks, single spaces."""
    text = unicodedata.normalize("NFKC", fold(text)).lower()
    text = re.sub(r"[\u2018\u2019\u201b\u02bc\u0060\u00b4\u2032]", "'", text)
    text = re.sub(r"(?<=[a-z])'ll\b", " will", text)
    text = text.replace("'", "").replace("&", " and ")
    text = re.sub(r"(?<=[a-z])[-_/](?=[a-z])", " ", text)
    text = re.sub(r"[.!?\n]+", " . ", text)
    text = re.sub(r"[,;:()\[\]\-\u2013\u2014\"]+", " , ", text)
    text = re.sub(r"[^a-z0-9,. ]+", " ", text)
    words = [_unstretch(w, rules) for w in text.split()]
    text = " " + " ".join(_fuzzy(w, rules) for w in words) + " "
    for pattern, replacement in rules.rewrites:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def spoken_by_me(text: str, rules: SafetyRules) -> str:
    """Practice mode: only the sentences with something first-person left once quoted words and the
    practitioner's frames ("how would I ask", "my client told me") are set aside. Questions about risk go."""
    kept = []
    for sentence in _SENTENCE.findall(fold(text)):
        norm = f" {normalise(_QUOTED.sub(' ', sentence), rules)} "
        for frame in rules.practice_frames:
            norm = frame.sub(" ", norm)
        if _FIRST_PERSON & set(norm.split()):
            kept.append(sentence)
    return " ".join(kept)


def classifier_text(text: str, rules: SafetyRules) -> str:
    """What the classifier reads: the normalised text with clear, unhedged denials and sentences about
    something past and resolved blanked, as the patterns ignore them."""
    norm = normalise(text, rules)
    keep = [True] * len(norm)
    for start, end in _denials(norm, rules) + _resolved(norm, rules):
        keep[start:end] = [False] * (end - start)
    return " ".join("".join(c if k else " " for c, k in zip(norm, keep, strict=True)).split())


def _unstretch(word: str, rules: SafetyRules) -> str:
    if not _RUN.search(word):
        return word
    double, single = _RUN.sub(r"\1\1", word), _RUN.sub(r"\1", word)
    for candidate in (double, single):
        if candidate in rules.vocabulary:
            return candidate
    return double


def _fuzzy(word: str, rules: SafetyRules) -> str:
    if len(word) < 6 or word in rules.vocabulary:
        return word
    for target in rules.fuzzy_words:
        if abs(len(target) - len(word)) <= 1 and _one_edit(word, target):
            return target
    return word


def _one_edit(a: str, b: str) -> bool:
    """True if a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def check_safety(text: str, rules: SafetyRules | None = None, *, practice: bool = False,
                 model: SafetyModel | None = None) -> SafetyCheck:
    """Whether the text suggests a risk, of what kind, and which band. Never logs or keeps the text.

    `practice`: typed by a practitioner in practice mode (questions about risk are not a risk).
    `model`: the classifier to use (the shipped one by default; SafetyModel(None) for patterns only).
    """
    rules = rules or load_safety_rules()
    model = model or shipped_model()
    if practice:
        text = spoken_by_me(text, rules)
    typed = fold(text)
    readings = [typed, re.sub(r"\s*\n\s*", " ", typed)] if "\n" in typed else [typed]
    found = set().union(*(_pattern_categories(normalise(r, rules), rules) for r in readings))
    score, guess = 0.0, None
    if model.classifier is not None:
        score, guess = _classify(classifier_text(typed, rules), model)
    hit = model.classifier is not None and score >= model.classifier.t_lo
    if found:
        if hit and guess is not None and guess[1] >= 0.5:
            found.add(guess[0])
        categories = tuple(c for c in CATEGORIES if c in found)
        backed = model.classifier is None or score >= model.classifier.t_confirm
        return SafetyCheck(True, categories[0], categories, band="signpost" if backed else "check_in",
                           fired="both" if hit else "patterns")
    if hit and guess is not None:
        return SafetyCheck(True, guess[0], (guess[0],), band="check_in", fired="classifier")
    return NO_RISK


def risk_score(text: str, rules: SafetyRules | None = None, model: SafetyModel | None = None) -> float:
    """The classifier's risk score for a message (0.0 without a classifier), as check_safety reads it."""
    rules = rules or load_safety_rules()
    return _classify(classifier_text(fold(text), rules), model or shipped_model())[0]


def classifier_windows(norm: str) -> list[str]:
    """The whole normalised text, and each pair of neighbouring sentences when there are three or more."""
    sentences = [s for s in norm.split(" . ") if s.strip(" ,.")]
    pairs = [f"{a} . {b}" for a, b in zip(sentences, sentences[1:], strict=False)] if len(sentences) > 2 else []
    return [norm, *pairs]


def _classify(norm: str, model: SafetyModel) -> tuple[float, tuple[str, float] | None]:
    """The highest risk score over the whole text and each pair of neighbouring sentences, with the
    category named there and its probability."""
    classifier = model.classifier
    if classifier is None or not norm.strip(" ,."):
        return 0.0, None
    best, guess = -1.0, None
    for window in classifier_windows(norm):
        probabilities = classifier.probabilities(window)
        score = classifier.risk(probabilities)
        if score > best:
            category = classifier.category(probabilities)
            best, guess = score, (category, probabilities[category])
    return best, guess


def _pattern_categories(norm: str, rules: SafetyRules) -> set[str]:
    if not norm:
        return set()
    spans = [m.span() for pattern in rules.exceptions for m in pattern.finditer(norm)]
    settled = _denials(norm, rules) + _resolved(norm, rules)
    found: set[str] = set()
    for rule in rules.rules:
        if rule.category not in found and _rule_fires(rule, norm, spans, settled, rules):
            found.add(rule.category)
    return found


def _denials(norm: str, rules: SafetyRules) -> list[tuple[int, int]]:
    """Spans of clear denials with no hedge ("probably", "but", "most days") in their sentence or the next
    ("not going to do anything... probably")."""
    spans = []
    for pattern in rules.denials:
        for match in pattern.finditer(norm):
            start, end = _sentence_of(norm, match.start(), match.end())
            sentence = f" {norm[start:_sentence_of(norm, end + 3, end + 3)[1]]} "
            if not any(h.search(sentence) for h in rules.denial_hedges):
                spans.append(match.span())
    return sorted(spans)


def _resolved(norm: str, rules: SafetyRules) -> list[tuple[int, int]]:
    """Sentences about something plainly past, in a message that says it is resolved."""
    if not any(p.search(f" {norm} ") for p in rules.resolved):
        return []
    spans, start = [], 0
    for sentence in norm.split(" . "):
        padded = f" {sentence} "
        if any(p.search(padded) for p in rules.past) and not any(p.search(padded) for p in rules.ongoing):
            spans.append((start, start + len(sentence)))
        start += len(sentence) + 3
    return spans


def _sentence_of(norm: str, start: int, end: int) -> tuple[int, int]:
    left = norm.rfind(" . ", 0, start)
    right = norm.find(" . ", end)
    return (0 if left < 0 else left + 3), (len(norm) if right < 0 else right)


def _rule_fires(rule: Rule, norm: str, spans: list[tuple[int, int]], settled: list[tuple[int, int]],
                rules: SafetyRules) -> bool:
    pos = 0
    while (match := rule.regex.search(norm, pos)) is not None:
        start, end = match.span()
        idiom = rule.idioms and _overlaps(spans, start, end)
        if not idiom and not _overlaps(settled, start, end) and not (
                rule.negatable and _negated(norm, start, end, rule, rules)):
            return True
        pos = start + 1
    return False


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < max(end, start + 1) and start < e for s, e in spans)


def _negated(norm: str, start: int, end: int, rule: Rule, rules: SafetyRules) -> bool:
    before = norm[:start].split()[-rules.window:] if rules.window > 0 else []
    region = " ".join(before + norm[start:end].split())
    for hedge in rules.hedges:
        region = hedge.sub(" ", region)
    tokens = region.split()
    last_break = max((i for i, t in enumerate(tokens) if t in rules.breakers), default=-1)
    inside_from = len(" ".join(before).split()) if before else 0
    for i, token in enumerate(tokens[last_break + 1:], start=last_break + 1):
        if token in rules.cues and not (i >= inside_from and token in rule.own_cues):
            return True
    return False
