"""Which of an invented person's facts a practitioner's line is about.

A small, pure-Python scorer: each fact is a bag of word stems from its topic words (weighted) and
its reply, weighed by how rare each stem is across the scenario (TF-IDF), plus whole-phrase hits
on the topic words. A line that leans on hard things ("a bad week", "the worst") favours worries;
one that leans on good things ("a good week", "what helps") favours strengths and better times.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

_STOP = frozenset("""a about after again all also am an and any are as at be been before being but by can could
did do does doing don't for from get got had has have having he her here him his how i i'd i'm if in into is it
it's its just let like me more most much my no not now of on one or our out over really she so some still such
talk tell than that that's the their them then there these they this through to too up us very was we were what
what's when where which while who why will with would you you're you've your yourself""".split())
HARD = re.compile(r"\b(bad|worse|worst|hard|harder|hardest|difficult|tough|struggl\w*|worr\w*|scar\w*|frighten\w*|"
                  r"afraid|tired|exhausted|can't|cannot|wrong|problems?|low|down|awful|fear\w*|stress\w*|cope|coping|"
                  r"managing|breaking|end of your tether|too much)\b")
GOOD = re.compile(r"\b(good|better|best|easier|well|enjoy\w*|love\w*|proud|helps?|helped|calm\w*|happ\w*|"
                  r"settled|lift|like about|thank)\b")
HARD_KINDS = ("worry",)
GOOD_KINDS = ("exception", "strength", "what_matters")


class FactLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def reply(self) -> str: ...


def stem(word: str) -> str:
    """A rough stem: 'nights' -> 'night', 'sleeping' -> 'sleep', 'worried' -> 'worri'."""
    word = word.strip("'").removesuffix("'s")
    for suffix in ("ing", "ied", "ies", "ed", "es", "ly", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z']*", " ".join(text.lower().replace("\u2019", "'").split()))
    return [stem(w) for w in words if w not in _STOP and len(w) > 1]


def lean_of(norm: str) -> str:
    """'hard' when a line leans on what is hard, 'good' when on what goes well, else ''."""
    hard, good = len(HARD.findall(norm)), len(GOOD.findall(norm))
    return "hard" if hard > good else "good" if good > hard else ""


def has_phrase(norm: str, phrase: str) -> bool:
    return re.search(r"(?<![a-z0-9'])" + re.escape(phrase) + r"(?![a-z0-9'])", norm) is not None


@dataclass(frozen=True)
class FactIndex:
    """TF-IDF vectors for a scenario's facts."""

    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    vectors: tuple[dict[str, float], ...]
    idf: dict[str, float]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def build(cls, facts: Sequence[FactLike]) -> FactIndex:
        bags = []
        for fact in facts:
            bag: Counter[str] = Counter()
            for phrase in fact.words:
                for s in stems(phrase):
                    bag[s] += 3
            for s in stems(fact.reply):
                bag[s] += 1
            bags.append(bag)
        count = len(bags) or 1
        seen: Counter[str] = Counter(s for bag in bags for s in bag)
        idf = {s: math.log((1 + count) / (1 + n)) + 1 for s, n in seen.items()}
        vectors = []
        for bag in bags:
            vector = {s: (1 + math.log(n)) * idf[s] for s, n in bag.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            vectors.append({s: v / norm for s, v in vector.items()})
        return cls(tuple(f.id for f in facts), tuple(f.kind for f in facts), tuple(vectors), idf,
                   tuple(tuple(f.words) for f in facts))

    def scores(self, text: str, *, prefer: Sequence[str] = ()) -> dict[str, float]:
        """How much the line is about each fact (0 and up); `prefer` adds a little for those kinds."""
        norm = " ".join(text.lower().replace("\u2019", "'").split())
        query = Counter(stems(norm))
        weights = {s: (1 + math.log(n)) * self.idf.get(s, 0.0) for s, n in query.items()}
        size = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        lean = lean_of(norm)
        found = {}
        for fact_id, kind, vector, phrases in zip(self.ids, self.kinds, self.vectors, self.phrases, strict=True):
            value = sum(w / size * vector.get(s, 0.0) for s, w in weights.items())
            value += 0.15 * sum(has_phrase(norm, p) for p in phrases if " " in p)
            if lean == "hard" and kind in HARD_KINDS or lean == "good" and kind in GOOD_KINDS:
                value += 0.1
            elif lean == "hard" and kind in GOOD_KINDS or lean == "good" and kind in HARD_KINDS:
                value -= 0.1  # "a bad week" is not the good week, however much it shares the word
            if kind in prefer:
                value += 0.2
            found[fact_id] = value
        return found
