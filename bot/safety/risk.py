"""The always-on safety net, part one: spot risk in a message (`bot.safety.help` says what to do).

Pure apart from reading its YAML data (`bot/data/safety/patterns.yaml`).

How a message is checked:
1. Normalise: lower case, straight apostrophes then none ("I'm" -> "im"), full forms to short
   ones ("do not" -> "dont"), stretched letters ("diiie" -> "die"), known typos and slang,
   punctuation kept only as clause marks (" , " and " . ").
2. Every category's patterns are tried at every start position. A match is dropped when it
   overlaps an idiom or everyday phrase ("kill for a cup of tea", "die at home"), or, for rules
   that allow it, when a negation ("never", "doesnt") sits in the same clause just before or
   inside it ("my son has never hit me"). Hedges ("not sure", "dont know") are not negations.
3. Talk of suicide or self-harm is never cancelled by a negation: "I'm not going to hurt myself"
   still gets a gentle check, because missing a risk is worse than a false alarm.

Everything that decides (patterns, idioms, negations, typos) lives in the data files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
PATTERNS_FILE = DATA_DIR / "patterns.yaml"

# Most urgent first: the first category found is the one a check reports.
CATEGORIES = ("immediate_danger", "suicide_self_harm", "abuse_neglect", "carer_breaking_point")

_TERM = re.compile(r"(?<!\(\?P)<([a-z_0-9]+)>")
_ESCAPE = re.compile(r"\\[bBwWsSdD]")
_WORD = re.compile(r"[a-z0-9]+|[,.]")
_RUN = re.compile(r"([a-z])\1{2,}")


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


@dataclass(frozen=True)
class Rule:
    category: str
    source: str
    regex: re.Pattern[str]
    negatable: bool
    idioms: bool
    own_cues: frozenset[str]  # negation words written into the pattern itself ("dont feed")


@dataclass(frozen=True)
class SafetyRules:
    rules: tuple[Rule, ...]
    exceptions: tuple[re.Pattern[str], ...]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    fuzzy_words: tuple[str, ...]
    vocabulary: frozenset[str]
    cues: frozenset[str]
    hedges: tuple[re.Pattern[str], ...]
    breakers: frozenset[str]
    window: int


# ---------------------------------------------------------------- loading the rules


def load_safety_rules(path: Path | None = None) -> SafetyRules:
    """The rules from `path`, or the shipped ones (read once and cached)."""
    return _load_rules(PATTERNS_FILE if path is None else path)


@lru_cache(maxsize=4)
def _load_rules(path: Path) -> SafetyRules:
    data = read_yaml(path)
    where = str(path)
    terms = {str(k): str(v) for k, v in as_mapping(data.get("terms", {}), f"{where}: terms").items()}

    def compile_(source: str, context: str) -> re.Pattern[str]:
        expanded = _expand(source, terms, context)
        try:
            return re.compile(expanded)
        except re.error as error:
            raise ConfigError(f"{context}: bad pattern {source!r}: {error}") from error

    neg = as_mapping(data.get("negation", {}), f"{where}: negation")
    cues = frozenset(str(c) for c in neg.get("cues", []))
    rules: list[Rule] = []
    categories = as_mapping(data.get("categories"), f"{where}: categories")
    for category, spec in categories.items():
        if category not in CATEGORIES:
            raise ConfigError(f"{where}: unknown category '{category}' (expected one of {', '.join(CATEGORIES)})")
        spec = as_mapping(spec, f"{where}: categories.{category}")
        default_neg = bool(spec.get("negatable", True))
        for n, item in enumerate(spec.get("patterns", [])):
            context = f"{where}: categories.{category}.patterns[{n}]"
            entry = item if isinstance(item, dict) else {"pattern": item}
            source = str(entry.get("pattern", ""))
            regex = compile_(source, context)
            own = frozenset(c for c in cues if re.search(rf"\b{re.escape(c)}\b", _ESCAPE.sub(" ", regex.pattern)))
            rules.append(Rule(category, source, regex, bool(entry.get("negatable", default_neg)),
                              bool(entry.get("idioms", True)), own))
    exceptions = tuple(compile_(str(s), f"{where}: exceptions[{n}]") for n, s in enumerate(data.get("exceptions", [])))
    norm = as_mapping(data.get("normalise", {}), f"{where}: normalise")
    rewrites = tuple((compile_(str(a), f"{where}: normalise.rewrites"), str(b)) for a, b in norm.get("rewrites", []))
    fuzzy = tuple(str(w) for w in norm.get("fuzzy_words", []))
    words: set[str] = set(fuzzy) | {str(w) for w in norm.get("words", [])}
    for pattern in [r.regex for r in rules] + list(exceptions):
        words |= set(re.findall(r"[a-z]{3,}", _ESCAPE.sub(" ", pattern.pattern)))
    return SafetyRules(
        rules=tuple(rules), exceptions=exceptions, rewrites=rewrites, fuzzy_words=fuzzy,
        vocabulary=frozenset(words), cues=cues,
        hedges=tuple(compile_(str(h), f"{where}: negation.hedges") for h in neg.get("hedges", [])),
        breakers=frozenset(str(b) for b in neg.get("breakers", [])) | {",", "."},
        window=int(neg.get("window", 5)),
    )


def _expand(source: str, terms: Mapping[str, str], context: str) -> str:
    for _ in range(10):
        missing = [name for name in _TERM.findall(source) if name not in terms]
        if missing:
            raise ConfigError(f"{context}: unknown term <{missing[0]}>")
        expanded = _TERM.sub(lambda m: terms[m.group(1)], source)
        if expanded == source:
            return source
        source = expanded
    raise ConfigError(f"{context}: terms refer to each other in a loop")


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML") from error
    return as_mapping(data, str(path))


def as_mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping of names to values")
    return value


# ---------------------------------------------------------------- checking a message


def normalise(text: str, rules: SafetyRules) -> str:
    """The text as the patterns see it: lower-case words and clause marks, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
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


def check_safety(text: str, rules: SafetyRules | None = None) -> SafetyCheck:
    """Whether the text suggests a risk, and of what kind. Never logs or keeps the text."""
    rules = rules or load_safety_rules()
    norm = normalise(text, rules)
    if not norm:
        return NO_RISK
    spans = [m.span() for pattern in rules.exceptions for m in pattern.finditer(norm)]
    found: set[str] = set()
    for rule in rules.rules:
        if rule.category not in found and _rule_fires(rule, norm, spans, rules):
            found.add(rule.category)
    categories = tuple(c for c in CATEGORIES if c in found)
    if not categories:
        return NO_RISK
    return SafetyCheck(risk=True, category=categories[0], categories=categories, band="signpost", fired="patterns")


def _rule_fires(rule: Rule, norm: str, spans: list[tuple[int, int]], rules: SafetyRules) -> bool:
    pos = 0
    while (match := rule.regex.search(norm, pos)) is not None:
        start, end = match.span()
        idiom = rule.idioms and any(s < max(end, start + 1) and start < e for s, e in spans)
        if not idiom and not (rule.negatable and _negated(norm, start, end, rule, rules)):
            return True
        pos = start + 1
    return False


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
