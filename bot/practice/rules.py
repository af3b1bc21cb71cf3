"""The question checker's rules, compiled from `bot/data/question_rules.yaml`: word lists become
patterns once, so checking a question is only matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).parent / "data" / "question_rules.yaml"


def _phrases(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({str(w).lower() for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9'&-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![a-z0-9'&-])")


def _starts(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({str(w).lower() for w in words}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![a-z0-9'])")


@dataclass(frozen=True)
class Rules:
    """The compiled rules file."""

    raw: dict[str, Any]
    softeners: re.Pattern[str]
    open_starts: re.Pattern[str]
    closed_starts: re.Pattern[str]
    requests: re.Pattern[str]
    facts: re.Pattern[str]
    when_open: re.Pattern[str]
    subordinate: re.Pattern[str]
    scale: re.Pattern[str]
    stem_anywhere: re.Pattern[str]
    leading: tuple[re.Pattern[str], ...]
    double_joined: re.Pattern[str]
    double_verbs: re.Pattern[str]
    why_starts: re.Pattern[str]
    why_inner: re.Pattern[str]
    deficit_always: re.Pattern[str]
    deficit_patterns: tuple[re.Pattern[str], ...]
    deficit_words: re.Pattern[str]
    resource: re.Pattern[str]
    jargon: re.Pattern[str]
    plain: tuple[tuple[re.Pattern[str], str], ...]
    scaling: tuple[re.Pattern[str], ...]
    topics: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Rules:
        joiners = "|".join(re.escape(j) for j in raw["double_joiners"])
        wh = [s for s in raw["double_stems"] if s in ("what", "what's", "how", "who", "where", "when", "why",
                                                       "which", "tell me")]
        aux = [s for s in raw["double_stems"] if s not in wh]
        double = (rf",?\s(?:{joiners})\s(?:(?:{'|'.join(map(re.escape, wh))})(?![a-z'])"
                  rf"|(?:{'|'.join(aux)})\s(?:you|he|she|they|it|there|that|your|his|her|their|things|we|this)\b)")
        return cls(
            raw=raw,
            softeners=_starts(raw["softeners"]),
            open_starts=_starts(raw["open_starts"]),
            closed_starts=_starts(raw["closed_starts"]),
            requests=_starts(raw["request_prefixes"]),
            facts=_starts(raw["fact_starts"]),
            when_open=_starts(raw["when_open"]),
            subordinate=_starts(raw["subordinate_starts"]),
            scale=_phrases(raw["scale_markers"]),
            stem_anywhere=re.compile(r"\b(what|what's|how|who|where|which|why|tell me|do you|are you|is there|"
                                     r"can you|could you|would you|have you|did you|is it|does)\b"),
            leading=tuple(re.compile(p) for p in raw["leading_patterns"]),
            double_joined=re.compile(double),
            double_verbs=re.compile(rf"\b(?:{joiners})\s(?:{'|'.join(map(re.escape, raw['double_verbs']))})\b"),
            why_starts=_starts(raw["why_starts"]),
            why_inner=_phrases(raw["why_inner"]),
            deficit_always=_phrases(raw["deficit_always"]),
            deficit_patterns=tuple(re.compile(p) for p in raw["deficit_patterns"]),
            deficit_words=_phrases(raw["deficit_words"]),
            resource=_phrases(raw["resource_frame"]),
            jargon=_phrases(raw["jargon"]),
            plain=tuple((re.compile(rf"(?<![\w-]){re.escape(k)}(?![\w-])", re.IGNORECASE), v)
                        for k, v in sorted(raw["plain_words"].items(), key=lambda kv: -len(kv[0]))),
            scaling=tuple(re.compile(p) for p in raw["scaling_patterns"]),
            topics=tuple((name, _phrases(t["words"]), tuple(t["rewrites"])) for name, t in raw["topics"].items()),
        )


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_PATH) -> Rules:
    return Rules.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
