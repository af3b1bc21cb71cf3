"""The safety net, part two: a small text classifier beside the patterns, scored in pure Python.

The model is data (`data/classifier.json`), trained by `python -m bot.safety.train` with
scikit-learn, which is never imported here. It is TF-IDF over word 1-2-grams and char_wb 2-5-grams
(sublinear tf, each block L2-normalised) feeding a multinomial logistic regression over five
classes: "none" and the four risk categories. A message's risk score is 1 - P(none).

The model records the sha256 of every file it was trained on. In a source checkout (where
`tests/data/` exists) a mismatch means the model is stale; a missing, unreadable or stale model
is not used, and the safety net runs on patterns alone and says so (`safety_warning`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.textmodel import provenance
from bot.textmodel.linear import LinearTextModel, model_from_json, softmax
from bot.textmodel.provenance import first_sight_file, sha256, shown, stale_change  # noqa: F401 - callers import them here

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA_DIR / "classifier.json"
ROOT = Path(__file__).resolve().parents[2]
LABELLED = "tests/data/safety_labelled.yaml"
BATCHES = "tests/data/safety_batches"
PATTERNS = "bot/safety/data/patterns.yaml"
FORMAT = 1

log = logging.getLogger(__name__)



# ---------------------------------------------------------------- what the model was trained on


def training_files(root: Path = ROOT) -> dict[str, str]:
    """The files training reads, as {path: sha256}: the labelled set, each batch in
    tests/data/safety_batches/ whose first-sight result has been recorded, and the patterns file
    (its normaliser and context rules shape what the classifier reads). Empty outside a source
    checkout."""
    files = provenance.training_files(root, LABELLED, BATCHES)
    return files | {PATTERNS: sha256(DATA_DIR / "patterns.yaml")} if files else {}


# ---------------------------------------------------------------- the scorer


@dataclass(frozen=True)
class Classifier:
    """The trained model: probabilities over `labels` for a text, and the bands' thresholds.

    `t_lo`: the check-in floor for a message only the classifier finds. `t_confirm`: a pattern hit the
    classifier scores below this is met with the check-in, not the help card (see `risk.check_safety`).
    """

    model: LinearTextModel
    t_hi: float
    t_lo: float
    t_confirm: float
    meta: Mapping[str, Any]

    @property
    def labels(self) -> tuple[str, ...]:
        return self.model.labels

    def probabilities(self, text: str) -> dict[str, float]:
        return softmax(self.model.logits(text))

    def risk(self, probabilities: Mapping[str, float]) -> float:
        return 1.0 - probabilities["none"]

    def category(self, probabilities: Mapping[str, float]) -> str:
        return max((p, label) for label, p in probabilities.items() if label != "none")[1]


def classifier_from_json(data: Mapping[str, Any]) -> Classifier:
    """The classifier from the JSON `python -m bot.safety.train` writes (KeyError/ValueError if malformed)."""
    if data["format"] != FORMAT:
        raise ValueError(f"model format {data['format']!r}, expected {FORMAT}")
    model = model_from_json(data)
    if model.labels[0] != "none":
        raise ValueError("the first label must be 'none'")
    cuts = data["thresholds"]
    return Classifier(model, float(cuts["t_hi"]), float(cuts["t_lo"]), float(cuts["t_confirm"]),
                      {k: v for k, v in data.items() if k not in ("blocks", "intercepts")})


# ---------------------------------------------------------------- loading, and saying when it cannot be used


@dataclass(frozen=True)
class SafetyModel:
    """What the safety net runs with: the classifier, or None and a warning saying why not."""

    classifier: Classifier | None
    warning: str | None = None


def load_model(path: Path = MODEL_FILE, root: Path = ROOT, *, new_batches_ok: bool = False) -> SafetyModel:
    """The classifier at `path`, checked against the training files under `root` when they exist.

    `new_batches_ok`: batches scored at first sight since training do not make it stale (so several blind
    batches can be scored by the same frozen model before it is retrained on them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = classifier_from_json(data)
    except FileNotFoundError:
        return _without(f"{_show(path)} is missing")
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        return _without(f"{_show(path)} cannot be read ({type(error).__name__})")
    changed = stale_change(training_files(root), data.get("training_files") or {}, BATCHES,
                           new_batches_ok=new_batches_ok)
    if changed:
        return _without(f"{_show(path)} is stale: it was trained before the latest change to {changed} "
                        "(run `make train-safety`)")
    return SafetyModel(model)


def _without(reason: str) -> SafetyModel:
    return SafetyModel(None, f"WARNING: the safety classifier is off: {reason}. The safety net is running on "
                             "patterns alone and will miss risks it would otherwise catch.")


def _show(path: Path) -> str:
    return shown(path, ROOT)


@lru_cache(maxsize=1)
def shipped_model() -> SafetyModel:
    """The shipped model, loaded once; a WARNING is logged if it cannot be used."""
    model = load_model(MODEL_FILE)
    if model.warning:
        log.warning("%s", model.warning)
    return model


def safety_warning() -> str | None:
    """A loud line for start-up and `coach check-safety` when the classifier is not in use, else None."""
    return shipped_model().warning
