"""Training-time helpers for `linear` (scikit-learn is imported inside the functions, never at run time).

    vectoriser(...)        the FeatureUnion of word and char_wb TF-IDF blocks the scorer reproduces
    export(...)            a fitted union and its weights as the JSON `linear.model_from_json` reads
    largest_difference     how far the pure scorer's logits are from scikit-learn's decision function
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from bot.textmodel.linear import TOKEN_PATTERN, model_from_json

SCALE = 10_000_000  # weights are stored as integers in ten-millionths


def vectoriser(word: tuple[int, int] = (1, 2), char_wb: tuple[int, int] = (2, 5), min_df: int = 1) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=word, sublinear_tf=True, token_pattern=TOKEN_PATTERN,
                                 min_df=min_df)),
        ("char_wb", TfidfVectorizer(analyzer="char_wb", ngram_range=char_wb, sublinear_tf=True, min_df=min_df)),
    ])


def export(union: Any, coef: Any, intercepts: Sequence[float], labels: Sequence[str], n_docs: int) -> dict[str, Any]:
    """The model as JSON: per block, each n-gram's document frequency and its weights (one per label) in
    ten-millionths; an n-gram whose weights are all zero keeps only its frequency (it still counts in the
    block's norm). `coef` is labels x features, in the union's feature order."""
    blocks, offset = [], 0
    for name, vectorizer in union.transformer_list:
        vocabulary = sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
        idf = vectorizer.idf_
        features = {}
        for gram, index in vocabulary:
            df = round((1 + n_docs) / math.exp(idf[index] - 1.0) - 1)
            weights = [round(float(w) * SCALE) for w in coef[:, offset + index]]
            features[gram] = [df, *weights] if any(weights) else [df]
        offset += len(vocabulary)
        blocks.append({"kind": name, "ngrams": list(vectorizer.ngram_range), "features": features})
    return {"labels": list(labels), "intercepts": [float(b) for b in intercepts], "n_docs": n_docs, "scale": SCALE,
            "blocks": blocks}


def largest_difference(data: dict[str, Any], union: Any, coef: Any, intercepts: Sequence[float],
                       texts: Sequence[str]) -> float:
    """The largest difference between the exported model's logits and scikit-learn's, over `texts`."""
    import numpy as np

    pure = model_from_json(data)
    expected = np.asarray(union.transform(texts) @ coef.T) + np.asarray(intercepts)
    got = np.array([list(pure.logits(t).values()) for t in texts])
    return float(np.abs(expected - got).max())
