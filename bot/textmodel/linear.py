"""A linear model over TF-IDF n-grams, scored in pure Python exactly as scikit-learn scores it.

A block is one `TfidfVectorizer` (analyzer "word" with the token pattern below, or "char_wb"),
sublinear tf and the default smooth idf and L2 norm; the blocks' features are concatenated (a
`FeatureUnion`) and each output is an intercept plus a weighted sum. The JSON keeps, per n-gram,
its document frequency and its weights as integers in 1/scale: exact to about 1e-7 and compact.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TOKEN_PATTERN = r"(?u)\b\w[\w']*\b"
_TOKEN = re.compile(TOKEN_PATTERN)
_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Block:
    """One TF-IDF block: each known n-gram's idf and its weight for each output."""

    kind: str  # "word" or "char_wb"
    ngrams: tuple[int, int]
    features: Mapping[str, tuple[float, tuple[float, ...]]]

    def grams(self, text: str) -> list[str]:
        """The n-grams scikit-learn's analyzer of this kind yields for lower-cased text."""
        low, high = self.ngrams
        if self.kind == "word":
            tokens = _TOKEN.findall(text)
            grams = list(tokens) if low == 1 else []
            for n in range(max(low, 2), min(high, len(tokens)) + 1):
                grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
            return grams
        grams = []
        for word in _SPACES.sub(" ", text).split():
            word = f" {word} "
            for n in range(low, high + 1):
                grams += [word[i:i + n] for i in range(max(1, len(word) - n + 1))]
                if len(word) <= n:
                    break
        return grams

    def add_to(self, logits: list[float], text: str) -> None:
        features = self.features
        counts = Counter(g for g in self.grams(text) if g in features)
        values = [(features[g][1], (1.0 + math.log(c)) * features[g][0]) for g, c in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in values))
        if norm == 0.0:
            return
        for weights, value in values:
            x = value / norm
            for k, w in enumerate(weights):
                if w:
                    logits[k] += w * x

    def only(self, keep: Sequence[int]) -> Block:
        """This block with the weights of the outputs at `keep` only."""
        return Block(self.kind, self.ngrams, {g: (idf, tuple(weights[k] for k in keep))
                                              for g, (idf, weights) in self.features.items()})


@dataclass(frozen=True)
class LinearTextModel:
    """Outputs named `labels`, each an intercept plus the blocks' weighted features."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    blocks: tuple[Block, ...]

    def only(self, labels: Sequence[str]) -> LinearTextModel:
        """The model with only the outputs named (faster when the others are not needed)."""
        keep = [self.labels.index(label) for label in labels]
        return LinearTextModel(tuple(labels), tuple(self.intercepts[k] for k in keep),
                               tuple(block.only(keep) for block in self.blocks))

    def logits(self, text: str) -> dict[str, float]:
        text = text.lower()
        logits = list(self.intercepts)
        for block in self.blocks:
            block.add_to(logits, text)
        return dict(zip(self.labels, logits, strict=True))


def softmax(logits: Mapping[str, float]) -> dict[str, float]:
    """Multinomial probabilities (one class per text)."""
    top = max(logits.values())
    exps = {label: math.exp(v - top) for label, v in logits.items()}
    total = sum(exps.values())
    return {label: e / total for label, e in exps.items()}


def sigmoid(logits: Mapping[str, float]) -> dict[str, float]:
    """Independent probabilities (one-vs-rest outputs, any number per text)."""
    return {label: (1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v)))
            for label, v in logits.items()}


def model_from_json(data: Mapping[str, Any]) -> LinearTextModel:
    """The model from {labels, intercepts, n_docs, scale, blocks: [{kind, ngrams, features}]}, as
    `bot.textmodel.fit.export` writes it (KeyError, ValueError or TypeError if malformed)."""
    labels = tuple(str(x) for x in data["labels"])
    intercepts = tuple(float(b) for b in data["intercepts"])
    if len(intercepts) != len(labels):
        raise ValueError("one intercept per label")
    n_docs, scale = int(data["n_docs"]), float(data["scale"])
    blocks = []
    for spec in data["blocks"]:
        features = {}
        for gram, row in spec["features"].items():
            weights: Sequence[float] = tuple(w / scale for w in row[1:]) or (0.0,) * len(labels)
            if len(weights) != len(labels):
                raise ValueError(f"n-gram {gram!r}: its weights do not match the labels")
            features[gram] = (math.log((1 + n_docs) / (1 + row[0])) + 1.0, tuple(weights))
        if spec["kind"] not in ("word", "char_wb"):
            raise ValueError(f"unknown block kind {spec['kind']!r}")
        blocks.append(Block(str(spec["kind"]), (int(spec["ngrams"][0]), int(spec["ngrams"][1])), features))
    return LinearTextModel(labels, intercepts, tuple(blocks))
