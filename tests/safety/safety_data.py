"""The safety net's labelled data, split as the patterns and the classifier were built on it (imported by
the tests in this folder)."""

from __future__ import annotations

from pathlib import Path

from bot.safety.classifier import SafetyModel
from bot.safety.train import Item, read_items

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


ALL_ITEMS: list[Item] = read_items(LABELLED)
PATTERN_ITEMS: list[Item] = ALL_ITEMS[:_items_before_marker()]
