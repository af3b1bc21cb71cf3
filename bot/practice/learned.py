"""The checker's learned part: per-code text models beside the rules, scored in pure Python.

`data/question_model.json` is written by `python -m bot.practice.train` (`make train-questions`):
one-vs-rest logistic regressions over word 1-2 and char_wb 2-5 TF-IDF (`bot.textmodel`), trained on
every labelled practitioner line (the development set and each batch scored at first sight), with a
threshold per code chosen by cross-validation on the training lines only. A code in LEARNED is
raised when the rules raise it or its model's probability reaches the threshold; any code the rules
raise is dropped when its model's probability is under DOUBT (or its threshold, if lower), and on a
line shaped like good practice when the model would not raise it itself: there the rules and the model
must agree before a fault is named.

The model records the sha256 of the files it was trained on. In a source checkout a mismatch means
it is stale; a missing, unreadable or stale model is not used (the rules run alone) and
`model_warning` says why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.textmodel import LinearTextModel, model_from_json, provenance, sigmoid
from bot.textmodel.provenance import shown, stale_change

MODEL_FILE = Path(__file__).resolve().parent / "data" / "question_model.json"
ROOT = Path(__file__).resolve().parents[2]
LABELLED = "tests/data/practitioner_questions.yaml"
BATCHES = "tests/data/question_batches"
FORMAT = 1
GOOD_SHAPE_MARGIN = 0.7  # chosen on the leave-one-batch-out figures (docs/question-coach.md), not by CV
# Chosen on the leave-one-batch-out figures too (benchmarks/question_leave_out, each batch's first-sight rules with
# its held-out model), with the good-shape floor in `floors_of`: together they took precision from 73% to 85% for
# closed, 76% to 85% leading, 86% to 97% long, and the good-practice lines flagged from 243 to 51 of 1718, for up
# to four points of recall (closed 93% to 89%).
DOUBT = 0.15
# How sure the model must be to add these codes itself, above the threshold cross-validation chose for the model
# alone: what the rules miss is the hard part, where the model is wrong more often. Chosen on the same replay over
# the 36 batches through ZH: jargon precision 81% -> 84% for recall 91% -> 89%, minimising 82% -> 84% for 89% ->
# 88%, double 88% -> 90% for 92% -> 92%. (Batches ZI-ZP, which that model never saw, had shown it first: of the
# jargon it added alone under 0.8, 3 of 32 were right.)
SURE = {"jargon": 0.8, "minimising": 0.7, "double": 0.6}

log = logging.getLogger(__name__)


def training_files(root: Path = ROOT) -> dict[str, str]:
    """{path: sha256} of what training reads: the development set and each batch with a first-sight
    record. Empty outside a source checkout."""
    return provenance.training_files(root, LABELLED, BATCHES)


@dataclass(frozen=True)
class CodeModel:
    """The learned codes: each code's probability for a line, and the threshold that raises it."""

    model: LinearTextModel | None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    warning: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    cuts: Mapping[str, float] = field(default_factory=dict)  # every fitted code's threshold, for `doubted`

    def probabilities(self, norm: str) -> dict[str, float]:
        return sigmoid(self.model.logits(norm)) if self.model else {}

    def codes(self, norm: str, *, good_shape: bool = False) -> set[str]:
        """The codes the model raises for a normalised line (`good_shape`: see `raised`)."""
        return raised(self.probabilities(norm), self.thresholds, good_shape=good_shape)

    def read(self, norm: str, *, good_shape: bool = False) -> tuple[set[str], set[str]]:
        """(the codes the model raises, the codes it doubts) for a normalised line."""
        probabilities = self.probabilities(norm)
        return (raised(probabilities, self.thresholds, good_shape=good_shape),
                doubted(probabilities, floors_of(self.cuts, good_shape=good_shape)))


def raised(probabilities: Mapping[str, float], thresholds: Mapping[str, float], *, good_shape: bool) -> set[str]:
    """The codes whose probability reaches their threshold (and SURE, where it names one). On a line shaped like
    good practice (a reflection, a summary, consent, a question closed on purpose) the model must be surer:
    GOOD_SHAPE_MARGIN of the way from the threshold to certainty, as it flagged too many such lines at its plain
    threshold."""
    found = set()
    for code, cut in thresholds.items():
        if good_shape:
            cut += (1.0 - cut) * GOOD_SHAPE_MARGIN
        if probabilities.get(code, 0.0) >= max(cut, SURE.get(code, 0.0)):
            found.add(code)
    return found


def floors_of(cuts: Mapping[str, float], *, good_shape: bool = False) -> dict[str, float]:
    """Per code, the probability under which the model doubts the rules: DOUBT, or the code's threshold if that
    is lower (a code the model would raise itself is never doubted). On a line shaped like good practice the
    floor is the threshold itself: there a rule's code stands only where the model would raise it too."""
    return {code: cut if good_shape else min(DOUBT, cut) for code, cut in cuts.items()}


def doubted(probabilities: Mapping[str, float], floors: Mapping[str, float]) -> set[str]:
    """The codes the model is sure are not in the line: a rule that raises one is overruled."""
    return {code for code, floor in floors.items() if probabilities.get(code, 1.0) < floor}


def load_code_model(path: Path = MODEL_FILE, root: Path = ROOT, *, new_batches_ok: bool = False) -> CodeModel:
    """The model at `path`, checked against the training files under `root` when they exist.
    `new_batches_ok`: a batch scored at first sight since training does not make it stale."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}")
        learned = [str(code) for code in data["learned"]]
        fitted = [str(code) for code in data["cv"]]  # every code with lines to learn from
        model = model_from_json(data).only(fitted)
        thresholds = {code: float(data["thresholds"][code]) for code in learned}
        cuts = {code: float(data["thresholds"][code]) for code in fitted}
    except FileNotFoundError:
        return _without(f"{_show(path)} is missing")
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        return _without(f"{_show(path)} cannot be read ({type(error).__name__})")
    changed = stale_change(training_files(root), data.get("training_files") or {}, BATCHES,
                           new_batches_ok=new_batches_ok)
    if changed:
        return _without(f"{_show(path)} is stale: it was trained before the latest change to {changed} "
                        "(run `make train-questions`)")
    meta = {k: v for k, v in data.items() if k not in ("blocks", "intercepts")}
    return CodeModel(model, thresholds, None, meta, cuts)


def _without(reason: str) -> CodeModel:
    return CodeModel(None, {}, f"WARNING: the question checker's learned codes are off: {reason}. "
                               "The checker is running on its rules alone.")


def _show(path: Path) -> str:
    return shown(path, ROOT)


_scoring_new_batches = False


def score_new_batches() -> None:
    """Let the shipped model score new blind batches although batches scored since its training make it
    stale (`question_coach_report --first-sight`: rounds of batches between trainings; each record keeps
    the model's sha256). A changed development set or batch still makes it stale."""
    global _scoring_new_batches
    _scoring_new_batches = True
    shipped_code_model.cache_clear()


@lru_cache(maxsize=1)
def shipped_code_model() -> CodeModel:
    """The shipped model, loaded once; a WARNING is logged if it cannot be used."""
    model = load_code_model(new_batches_ok=_scoring_new_batches)
    if model.warning:
        log.warning("%s", model.warning)
    return model
