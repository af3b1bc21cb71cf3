"""The question checker's rules, compiled from `data/question_rules.yaml`: word lists become
patterns once, so checking a line is only matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).parent / "data" / "question_rules.yaml"


def _alternatives(words: list[str]) -> str:
    ordered = sorted({str(w).lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


def _phrases(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9'&-])(?:" + _alternatives(words) + r")(?![a-z0-9'&-])")


def _starts(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"^(?:" + _alternatives(words) + r")(?![a-z0-9'])")


def _patterns(sources: list[str], **fill: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for source in sources:
        for name, value in fill.items():
            source = source.replace("{" + name + "}", value)
        compiled.append(re.compile(source))
    return tuple(compiled)


@dataclass(frozen=True)
class Rules:
    """The compiled rules file."""

    raw: dict[str, Any]
    softeners: re.Pattern[str]
    open_starts: re.Pattern[str]
    closed_starts: re.Pattern[str]
    requests: re.Pattern[str]
    facts: re.Pattern[str]
    which_open: re.Pattern[str]
    when_open: re.Pattern[str]
    subordinate: re.Pattern[str]
    scale: re.Pattern[str]
    stem_anywhere: re.Pattern[str]
    leading: tuple[re.Pattern[str], ...]
    leading_asked: tuple[re.Pattern[str], ...]
    leading_suggestion: tuple[re.Pattern[str], ...]
    presumed_problem: tuple[re.Pattern[str], ...]
    advice: re.Pattern[str]
    double_joined: re.Pattern[str]
    double_patterns: tuple[re.Pattern[str], ...]
    double_consent: tuple[re.Pattern[str], ...]
    double_verbs: re.Pattern[str]
    why_starts: re.Pattern[str]
    why_inner: re.Pattern[str]
    deficit_always: re.Pattern[str]
    deficit_patterns: tuple[re.Pattern[str], ...]
    deficit_own: re.Pattern[str]
    deficit_labels: re.Pattern[str]
    deficit_words: re.Pattern[str]
    resource: re.Pattern[str]
    jargon: re.Pattern[str]
    jargon_patterns: tuple[re.Pattern[str], ...]
    plain: tuple[tuple[re.Pattern[str], str], ...]
    scaling: tuple[re.Pattern[str], ...]
    scaling_drop: re.Pattern[str]
    scaling_problem: re.Pattern[str]
    scaling_rulers: re.Pattern[str]
    topics: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]
    consent: tuple[re.Pattern[str], ...]
    consent_trailing: tuple[re.Pattern[str], ...]
    summary_starts: re.Pattern[str]
    check_endings: re.Pattern[str]
    reflection_starts: re.Pattern[str]
    reflection_weak: re.Pattern[str]
    deliberate: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    unpaid: re.Pattern[str]
    substitution: tuple[re.Pattern[str], ...]
    substitution_not: tuple[re.Pattern[str], ...]
    minimising: tuple[re.Pattern[str], ...]
    minimising_not: tuple[re.Pattern[str], ...]
    needs: tuple[tuple[str, re.Pattern[str], str], ...]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Rules:
        joiners = "|".join(re.escape(j) for j in raw["double_joiners"])
        wh = [s for s in raw["double_stems"] if s in ("what", "what's", "how", "who", "where", "when", "why",
                                                       "which", "tell me")]
        aux = [s for s in raw["double_stems"] if s not in wh]
        double = (rf",?\s(?:{joiners})\s(?:(?:{'|'.join(map(re.escape, wh))})(?![a-z'])"
                  rf"|(?:{'|'.join(aux)})\s(?:you|he|she|they|it|there|that|your|his|her|their|things|we|this|anyone|anybody|"
                  rf"someone|somebody|everyone|everybody|everything|anything)\b)")
        unpaid, paid = _alternatives(raw["unpaid"]), _alternatives(raw["paid"])
        return cls(
            raw=raw,
            softeners=_starts(raw["softeners"]),
            open_starts=_starts(raw["open_starts"]),
            closed_starts=_starts(raw["closed_starts"]),
            requests=_starts(raw["request_prefixes"]),
            facts=_starts(raw["fact_starts"]),
            which_open=re.compile(r"^which (?:[a-z'-]+ ){0,2}?(?:" + _alternatives(raw["which_open"]) + r")\b"),
            when_open=_starts(raw["when_open"]),
            subordinate=_starts(raw["subordinate_starts"]),
            scale=_phrases(raw["scale_markers"]),
            stem_anywhere=re.compile(r"\b(what|what's|how|who|where|which|why|tell me|do you|are you|is there|"
                                     r"can you|could you|would you|have you|did you|is it|does)\b"),
            leading=_patterns(raw["leading_patterns"]),
            leading_asked=_patterns(raw["leading_asked_patterns"]),
            leading_suggestion=_patterns(raw["leading_suggestion_patterns"]),
            presumed_problem=_patterns(raw["presumed_problem_patterns"]),
            advice=re.compile("|".join(f"(?:{p})" for p in raw["advice_patterns"])),
            double_joined=re.compile(double),
            double_patterns=_patterns(raw["double_patterns"]),
            double_consent=_patterns(raw["double_consent_patterns"]),
            double_verbs=re.compile(rf"\b(?:{joiners})\s(?:{'|'.join(map(re.escape, raw['double_verbs']))})\b"),
            why_starts=_starts(raw["why_starts"]),
            why_inner=_phrases(raw["why_inner"]),
            deficit_always=_phrases(raw["deficit_always"]),
            deficit_patterns=_patterns(raw["deficit_patterns"]),
            deficit_own=_phrases(raw["deficit_own_words"]),
            deficit_labels=_phrases(raw["deficit_labels"]),
            deficit_words=_phrases(raw["deficit_words"]),
            resource=_phrases(raw["resource_frame"]),
            jargon=_phrases(raw["jargon"]),
            jargon_patterns=_patterns(raw["jargon_patterns"]),
            plain=tuple((re.compile(rf"(?<![\w-]){re.escape(k)}(?![\w-])", re.IGNORECASE), v)
                        for k, v in sorted(raw["plain_words"].items(), key=lambda kv: -len(kv[0]))),
            scaling=_patterns(raw["scaling_patterns"]),
            scaling_drop=re.compile(raw["scaling_drop"]),
            scaling_problem=_phrases(raw["scaling_problem"]),
            scaling_rulers=re.compile(rf"\bhow (?:{_alternatives(raw['scaling_rulers'])})\b|\b(?:your|his|her|their) "
                                      rf"(?:{_alternatives(raw['scaling_ruler_nouns'])})\b"),
            topics=tuple((name, _phrases(t["words"]), tuple(t["rewrites"])) for name, t in raw["topics"].items()),
            consent=_patterns(raw["consent_patterns"]),
            consent_trailing=_patterns(raw["consent_trailing_patterns"]),
            summary_starts=_starts(raw["summary_starts"]),
            check_endings=re.compile(r"(?:^|[,.;:!?-]\s*|\s(?:and|so|or)\s)(?:" + _alternatives(raw["check_endings"])
                                     + r")(?: in the right order| for you| to you){0,2}"
                                     r"(?:,\s*(?:(?:mr|mrs|ms|miss|dr)\.?\s)?[a-z'-]+)?"
                                     r"\s*[?.!]*$"),  # "... for you?", "..., Mr Nowak?"
            reflection_starts=_starts(raw["reflection_starts"]),
            reflection_weak=_starts(raw["reflection_weak_starts"]),
            deliberate=tuple((kind, _patterns(sources)) for kind, sources in raw["deliberate_closed"].items()),
            unpaid=re.compile(r"(?<![a-z'-])(?:" + unpaid + r")(?:'s)?(?![a-z'-])"),  # "your son's", "his sister's"
            substitution=_patterns(raw["substitution_patterns"], unpaid=unpaid, paid=paid),
            substitution_not=_patterns(raw["substitution_not"]),
            minimising=_patterns(raw["minimising_patterns"]),
            minimising_not=_patterns(raw["minimising_not"]),
            needs=tuple((name, _phrases(t["words"]), str(t["need"])) for name, t in raw["topics"].items()
                        if t.get("need")),
        )


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_PATH) -> Rules:
    return Rules.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
