"""Small linear text models: trained offline with scikit-learn, scored here in pure Python.

    linear   TF-IDF blocks (word and char_wb n-grams, sublinear tf, each block L2-normalised) feeding
             linear outputs; read from the JSON a trainer writes; logits, softmax and sigmoid
    fit      training-time helpers (scikit-learn imported lazily, only there): the pipeline's
             vectorisers, exporting them with a model's weights to that JSON, and checking the
             pure scorer against scikit-learn
    provenance  what a model was trained on (the labelled set and batches scored at first sight,
             by sha256) and whether it is stale

The question checker's learned codes (bot/practice/learned.py) and the safety net's classifier
(bot/safety/classifier.py) score with it. Nothing here knows what the outputs mean.
"""

from __future__ import annotations

from bot.textmodel.linear import Block, LinearTextModel, model_from_json, sigmoid, softmax

__all__ = ["Block", "LinearTextModel", "model_from_json", "sigmoid", "softmax"]
