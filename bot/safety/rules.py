"""The safety net's rules: the patterns, idioms, negations and context phrases in
`data/patterns.yaml`, checked and compiled once (`load_safety_rules`). `bot.safety.risk` applies them."""

from __future__ import annotations

import re
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
    denials: tuple[re.Pattern[str], ...] = ()
    denial_hedges: tuple[re.Pattern[str], ...] = ()
    past: tuple[re.Pattern[str], ...] = ()
    resolved: tuple[re.Pattern[str], ...] = ()
    ongoing: tuple[re.Pattern[str], ...] = ()
    practice_frames: tuple[re.Pattern[str], ...] = ()


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
    in_context = as_mapping(data.get("context", {}), f"{where}: context")
    practice = as_mapping(data.get("practice", {}), f"{where}: practice")

    def compile_all(spec: Mapping[str, Any], key: str, section: str) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_(str(s), f"{where}: {section}.{key}[{n}]") for n, s in enumerate(spec.get(key, [])))

    return SafetyRules(
        rules=tuple(rules), exceptions=exceptions, rewrites=rewrites, fuzzy_words=fuzzy,
        vocabulary=frozenset(words), cues=cues,
        hedges=tuple(compile_(str(h), f"{where}: negation.hedges") for h in neg.get("hedges", [])),
        breakers=frozenset(str(b) for b in neg.get("breakers", [])) | {",", "."},
        window=int(neg.get("window", 5)),
        denials=compile_all(in_context, "denials", "context"),
        denial_hedges=compile_all(in_context, "denial_hedges", "context"),
        past=compile_all(in_context, "past", "context"),
        resolved=compile_all(in_context, "resolved", "context"),
        ongoing=compile_all(in_context, "ongoing", "context"),
        practice_frames=compile_all(practice, "frames", "practice"),
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
