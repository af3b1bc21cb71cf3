"""The labelled messages the safety classifier learns from: the labelled set and the blind batches,
read and checked (`python -m bot.safety.train` fits on them; `benchmarks.safety_report` scores them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.safety.classifier import PATTERNS, ROOT, training_files
from bot.safety.rules import CATEGORIES

ITEM_KEYS = {"text", "risk", "category", "categories", "mode", "question"}


class BatchError(Exception):
    """A labelled file or batch that cannot be used, with where and why."""


@dataclass(frozen=True)
class Item:
    text: str
    risk: bool
    category: str | None
    categories: tuple[str, ...] = ()
    practice: bool = False
    question: str | None = None


def read_items(path: Path) -> list[Item]:
    """The items of a labelled YAML list (the labelled set or a batch), checked."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BatchError(f"{path}: cannot be read ({type(error).__name__})") from error
    if not isinstance(data, list):
        raise BatchError(f"{path}: expected a list of items")
    items = []
    for n, raw in enumerate(data):
        where = f"{path}: item {n + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not isinstance(raw.get("risk"), bool):
            raise BatchError(f"{where}: needs text (text) and risk (true or false)")
        if unknown := set(raw) - ITEM_KEYS:
            raise BatchError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        category, categories = raw.get("category"), tuple(raw.get("categories") or ())
        if category is None and categories:
            category = categories[0]
        if raw["risk"] != (category is not None) or any(c not in CATEGORIES for c in (category, *categories) if c):
            raise BatchError(f"{where}: a risk needs a category from {', '.join(CATEGORIES)}; a safe item none")
        if raw.get("mode", "person") not in ("person", "practice"):
            raise BatchError(f"{where}: mode must be person or practice")
        categories = tuple(c for c in CATEGORIES if c in {category, *categories}) if category else ()
        items.append(Item(raw["text"], raw["risk"], category, categories, raw.get("mode") == "practice",
                          raw.get("question")))
    return items


def training_items(root: Path = ROOT) -> list[Item]:
    return [item for _, items in training_sources(root) for item in items]


def training_sources(root: Path = ROOT) -> list[tuple[str, list[Item]]]:
    """Each training file (the labelled set, then the blind batches) with its items."""
    return [(rel, read_items(root / rel)) for rel in training_files(root) if rel != PATTERNS]
