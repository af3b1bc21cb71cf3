"""The safety net's labelled data, split as the patterns and the classifier were built on it (imported by
the tests in this folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.safety.classifier import PATTERNS, SafetyModel, first_sight_file, training_files
from bot.safety.train import Item, read_items, training_items

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "data" / "safety_labelled.yaml"
# The patterns were tuned on the batches above this header; the batches from here on were written
# for the classifier (issue 13) and the patterns were not widened to fit them.
CLASSIFIER_BATCHES = "# ---------------------------------------------------------------- thirteenth batch"

PATTERNS_ONLY = SafetyModel(None)


def _items_before_marker() -> int:
    text = LABELLED.read_text(encoding="utf-8")
    head = text[:text.index(CLASSIFIER_BATCHES)]
    return sum(line.startswith("- {") for line in head.splitlines())


# The labelled file alone (what the patterns are measured on), and everything training reads: the labelled
# file plus every batch in tests/data/safety_batches/ scored at first sight (the blind batches join training).
ALL_ITEMS: list[Item] = read_items(LABELLED)
PATTERN_ITEMS: list[Item] = ALL_ITEMS[:_items_before_marker()]
TRAINING_ITEMS: list[Item] = training_items(ROOT)


def copy_of_training_data(root: Path) -> Path:
    """`root` made a checkout holding copies of the files training reads now: the labelled set, and each batch
    that joined training with its first-sight record (so it still counts as joined). The shipped model is
    current there, as in the real checkout; a copy without the batches would make it stale."""
    for rel in training_files(ROOT):
        if rel == PATTERNS:  # read from the package itself, not from the root
            continue
        path = ROOT / rel
        for source in [path] if path == LABELLED else [path, first_sight_file(path)]:
            target = root / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)  # new modification times: only the contents may matter
    (root / "tests" / "data" / "safety_batches").mkdir(parents=True, exist_ok=True)
    assert training_files(root) == training_files(ROOT)
    return root
