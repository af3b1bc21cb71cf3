"""What a trained model was trained on, and whether it still matches: each training file's sha256.

A model's training files are a labelled set and every batch beside it that has a first-sight record
(BATCH.first_sight.json: the batch was scored before it joined training). The model records their
sha256; in a source checkout a mismatch means the model is stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

FIRST_SIGHT = ".first_sight.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_sight_file(batch: Path) -> Path:
    """Where a batch's first-sight result is kept (beside the batch)."""
    return batch.with_name(batch.stem + FIRST_SIGHT)


def training_files(root: Path, labelled: str, batches: str) -> dict[str, str]:
    """{path: sha256} of the labelled set and each batch with a first-sight record, paths relative to
    `root`. Empty outside a source checkout (no labelled set)."""
    first = root / labelled
    if not first.is_file():
        return {}
    folder = root / batches
    paths = [first, *sorted(p for p in folder.glob("*.yaml") if first_sight_file(p).is_file())]
    return {p.relative_to(root).as_posix(): sha256(p) for p in paths}


def stale_change(current: Mapping[str, str], recorded: Mapping[str, str], batches: str, *,
                 new_batches_ok: bool = False) -> str | None:
    """The first training file that differs from what the model recorded (None if it matches, or
    outside a checkout). `new_batches_ok`: a batch scored at first sight since training does not count,
    so several blind batches can be scored by the same frozen model."""
    if new_batches_ok:
        current = {k: v for k, v in current.items() if k in recorded or not k.startswith(batches)}
    if not current or dict(current) == dict(recorded):
        return None
    return sorted(set(current.items()) ^ set(recorded.items()))[0][0]


def shown(path: Path, root: Path) -> str:
    """A path as people should read it: relative to the checkout when inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
