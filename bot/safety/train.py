"""Train the safety classifier, or score a new batch at first sight (scikit-learn: the test extra).

    python -m bot.safety.train                        retrain; writes bot/safety/data/classifier.json
    python -m bot.safety.train --first-sight BATCH    score tests/data/safety_batches/BATCH.yaml with the
                                                      shipped model before it joins training

Training reads tests/data/safety_labelled.yaml and every batch in tests/data/safety_batches/ whose
first-sight result exists. Settings (fixed in advance, see ../shared/research/safety-classifier.md):
TF-IDF over word 1-2-grams and char_wb 2-5-grams (sublinear tf), multinomial logistic regression,
C by the best out-of-fold (OOF) average precision in 5-fold stratified CV. Thresholds, from training
data only: t_hi (reported) the lowest with OOF precision >= 0.90, and t_confirm the highest with OOF
recall >= 0.90, both from OOF scores pooled over 3 repeats of 5-fold CV; t_lo, the check-in floor,
from the blind batches each held out in turn (the model refitted without that batch, as at its first
sight): the highest cut at which patterns or classifier answer >= 0.98 of their risky messages
(t_confirm when there is no blind batch yet). Everything is seeded and single-threaded, so a rerun
writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.safety.classifier import (
    BATCHES,
    FORMAT,
    LABELLED,
    MODEL_FILE,
    ROOT,
    SafetyModel,
    classifier_from_json,
    first_sight_file,
    load_model,
    sha256,
    training_files,
)
from bot.safety.labelled import (  # noqa: F401 - names callers import from here
    ITEM_KEYS,
    BatchError,
    Item,
    read_items,
    training_items,
    training_sources,
)
from bot.safety.risk import (
    CATEGORIES,
    check_safety,
    classifier_text,
    classifier_windows,
    load_safety_rules,
    spoken_by_me,
)
from bot.textmodel.fit import export as linear_json
from bot.textmodel.fit import vectoriser

LABELS = ("none", *CATEGORIES)
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
SEED, FOLDS, REPEATS = 0, 5, 3
PRECISION_RULE, RECALL_RULE = 0.90, 0.90
ANSWERED_RULE = 0.98  # held-out blind batches: patterns or classifier answer this share of the risky
TARGETS = {"answered": 0.95, "category": 0.90, "signpost_precision": 0.85, "safe_signposted": 0.08,
           "safe_checked_in": 0.15}


# ---------------------------------------------------------------- fitting


def _pipeline(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        vectoriser(word=(1, 2), char_wb=(2, 5), min_df=2),  # an n-gram in one message only is not kept
        # newton-cg converges tightly (refits agree to 1e-9); lbfgs stops early enough to drift by 1e-6
        LogisticRegression(C=c, solver="newton-cg", tol=1e-10, max_iter=1000),
    )


def _oof(texts: list[str], y: Any, windows: list[list[str]], c: float, seed: int) -> tuple[Any, list[str]]:
    """Out-of-fold risk scores (the highest over each item's windows, as at run time) and categories."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    scores, named = np.zeros(len(texts)), [""] * len(texts)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, y):
        model = _pipeline(c).fit([texts[i] for i in train], y[train])
        for i in test:
            scores[i], named[i] = _score(model, windows[i])
    return scores, named


def _score(model: Any, windows: list[str]) -> tuple[float, str]:
    """The highest risk score over a message's windows and the category named there, as at run time."""
    import numpy as np

    if not windows:
        return 0.0, "none"
    probabilities = model.predict_proba(windows)
    best = int(np.argmax(1.0 - probabilities[:, 0]))
    return float(1.0 - probabilities[best, 0]), LABELS[1 + int(np.argmax(probabilities[best, 1:]))]


def _held_out(sources: list[tuple[str, list[Item]]], texts: list[str], y: Any, windows: list[list[str]],
              c: float) -> dict[str, list[tuple[bool, float, bool, tuple[str, ...]]]]:
    """Each blind batch scored by a model refitted without it: per item (risky, score, a pattern hit,
    categories)."""
    owner = [rel for rel, items in sources for _ in items]
    items = [item for _, its in sources for item in its]
    rules, patterns_only = load_safety_rules(), SafetyModel(None)
    out = {}
    for batch in dict.fromkeys(rel for rel in owner if rel.startswith(BATCHES)):
        keep = [i for i, rel in enumerate(owner) if rel != batch]
        model = _pipeline(c).fit([texts[i] for i in keep], y[keep])
        out[batch] = [(items[i].risk, _score(model, windows[i])[0],
                       check_safety(items[i].text, rules, practice=items[i].practice,
                                    model=patterns_only).band != "none", items[i].categories)
                      for i, rel in enumerate(owner) if rel == batch]
    return out


def check_in_floor(held_out: Sequence[tuple[bool, float, bool, tuple[str, ...]]]) -> float | None:
    """The highest cut at which patterns or classifier answer >= ANSWERED_RULE of the risky held-out
    messages (None without any)."""
    risky = [(score, caught) for is_risk, score, caught, _ in held_out if is_risk]
    for cut in sorted({score for score, _ in risky}, reverse=True):
        if _share([caught or score >= cut for score, caught in risky]) >= ANSWERED_RULE:
            return cut
    return None


def thresholds(scores: Sequence[float], risky: Sequence[bool]) -> dict[str, float]:
    """t_hi: the lowest cut with precision >= 0.90 at or above it; t_lo: the highest cut with recall >= 0.90;
    t_f1: the cut with the best F1. Cuts fall only between distinct scores."""
    ranked = sorted(zip(scores, risky, strict=True), key=lambda pair: -pair[0])
    positives = sum(risky)
    t_hi, t_lo, t_f1 = ranked[0][0], None, ranked[0][0]
    best_f1, hits = -1.0, 0
    for n, (score, is_risk) in enumerate(ranked, start=1):
        hits += is_risk
        if n < len(ranked) and ranked[n][0] == score:
            continue
        precision, recall = hits / n, hits / positives
        if precision >= PRECISION_RULE:
            t_hi = score
        if recall >= RECALL_RULE and t_lo is None:
            t_lo = score
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        if f1 > best_f1:
            best_f1, t_f1 = f1, score
    return {"t_hi": t_hi, "t_lo": ranked[-1][0] if t_lo is None else t_lo, "t_f1": t_f1}


def _rates(scores: Sequence[float], risky: Sequence[bool], cut: float) -> dict[str, float]:
    flagged = [r for s, r in zip(scores, risky, strict=True) if s >= cut]
    positives, negatives = sum(risky), len(risky) - sum(risky)
    return {"recall": round(sum(flagged) / positives, 4),
            "precision": round(sum(flagged) / max(1, len(flagged)), 4),
            "false_positive_rate": round((len(flagged) - sum(flagged)) / max(1, negatives), 4)}


def train(root: Path = ROOT, out: Path = MODEL_FILE, log: Any = print) -> dict[str, Any]:
    """Fit, choose C and the thresholds, check the pure scorer against scikit-learn, write the model."""
    import numpy as np
    import sklearn
    from sklearn.metrics import average_precision_score, roc_auc_score
    from threadpoolctl import threadpool_limits

    rules = load_safety_rules()
    sources = training_sources(root)
    items = [item for _, its in sources for item in its]
    if not items:
        raise BatchError(f"no labelled set at {root / LABELLED}: train from a source checkout")
    texts = [classifier_text(i.text, rules) for i in items]
    windows = [classifier_windows(classifier_text(spoken_by_me(i.text, rules), rules)) if i.practice
               else classifier_windows(t) for i, t in zip(items, texts, strict=True)]
    windows = [[w for w in ws if w.strip(" ,.")] for ws in windows]
    y = np.array([LABELS.index(i.category or "none") for i in items])
    risky = [i.risk for i in items]
    with threadpool_limits(1):
        by_c = {}
        for c in C_GRID:
            scores, _ = _oof(texts, y, windows, c, SEED)
            by_c[c] = average_precision_score(risky, scores)
            log(f"C={c:g}: OOF average precision {by_c[c]:.4f}")
        c = max(C_GRID, key=lambda k: (round(by_c[k], 6), -k))
        runs = [_oof(texts, y, windows, c, SEED + r) for r in range(REPEATS)]
        pooled = [float(s) for scores, _ in runs for s in scores]
        pooled_risky = risky * REPEATS
        cuts = thresholds(pooled, pooled_risky)
        held_out = _held_out(sources, texts, y, windows, c)
        model = _pipeline(c).fit(texts, y)
    cuts["t_confirm"] = cuts.pop("t_lo")
    floor = check_in_floor([row for rows in held_out.values() for row in rows])
    cuts["t_lo"] = cuts["t_confirm"] if floor is None else floor
    named = [n for _, names in runs for n in names]
    oof = {
        "repeats": REPEATS, "folds": FOLDS, "items": len(items), "risky": sum(risky),
        "average_precision": round(float(average_precision_score(pooled_risky, pooled)), 4),
        "roc_auc": round(float(roc_auc_score(pooled_risky, pooled)), 4),
        "at_t_hi": _rates(pooled, pooled_risky, cuts["t_hi"]),
        "at_t_lo": _rates(pooled, pooled_risky, cuts["t_lo"]),
        "at_t_confirm": _rates(pooled, pooled_risky, cuts["t_confirm"]),
        "at_t_f1": _rates(pooled, pooled_risky, cuts["t_f1"]),
        "category_named_when_caught": round(_share(
            [n == it.category for n, s, it in zip(named, pooled, items * REPEATS, strict=True)
             if it.risk and s >= cuts["t_lo"]]), 4),
        "recall_at_t_lo_by_category": {
            cat: round(_share([s >= cuts["t_lo"] for s, it in zip(pooled, items * REPEATS, strict=True)
                               if it.category == cat]), 4) for cat in CATEGORIES},
    }
    oof["held_out_blind"] = {Path(batch).stem: held_out_figures(rows, cuts) for batch, rows in held_out.items()}
    data = export(model, len(texts), c, cuts, oof, sklearn.__version__, training_files(root), root)
    diff = _check_against_sklearn(model, data, sorted({w for t in texts for w in classifier_windows(t)}))
    log(f"C={c:g}; t_hi={cuts['t_hi']:.4f} t_lo={cuts['t_lo']:.4f} t_confirm={cuts['t_confirm']:.4f}; "
        f"pure Python vs scikit-learn max {diff:.1e}")
    if diff > 1e-6:
        raise SystemExit(f"the pure-Python scorer differs from scikit-learn by {diff:.1e}: not written")
    data["max_difference_from_sklearn"] = float(f"{diff:.2e}")
    out.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    return data


def export(model: Any, n_docs: int, c: float, cuts: dict[str, float], oof: dict[str, Any], version: str,
           files: dict[str, str], root: Path) -> dict[str, Any]:
    """The model as JSON (`bot.textmodel.fit.export`), with its cuts and what it was trained on."""
    union, lr = model.steps[0][1], model.steps[1][1]
    return {
        "format": FORMAT, **linear_json(union, lr.coef_, lr.intercept_, LABELS, n_docs), "C": c,
        "thresholds": {k: round(v, 6) for k, v in cuts.items()}, "oof": oof, "sklearn": version,
        "labelled_sha256": files[LABELLED], "training_files": files,
        "settings": "word 1-2 + char_wb 2-5 TF-IDF (sublinear), multinomial LR; C by 5-fold OOF AP; "
                    "t_hi: OOF precision >= 0.90, t_confirm: OOF recall >= 0.90 (3 x 5-fold); t_lo: blind "
                    "batches held out in turn, patterns or classifier answer >= 0.98 of the risky",
    }


def held_out_figures(rows: Sequence[tuple[bool, float, bool, tuple[str, ...]]],
                     cuts: dict[str, float]) -> dict[str, Any]:
    """A held-out blind batch's figures with the chosen cuts, banded as check_safety bands."""
    def band(score: float, caught: bool) -> str:
        if caught:
            return "signpost" if score >= cuts["t_confirm"] else "check_in"
        return "check_in" if score >= cuts["t_lo"] else "none"

    items = [Item("", risk, categories[0] if categories else None, categories) for risk, _, _, categories in rows]
    return figures(items, [band(score, caught) for _, score, caught, _ in rows])


def _check_against_sklearn(model: Any, data: dict[str, Any], texts: list[str]) -> float:
    """The largest difference in any class probability between the written model and scikit-learn's."""
    import numpy as np

    pure = classifier_from_json(data)
    expected = model.predict_proba(texts)
    got = np.array([[pure.probabilities(t)[label] for label in LABELS] for t in texts])
    return float(np.abs(expected - got).max())


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 1.0


# ---------------------------------------------------------------- first sight


def first_sight(batch: Path, root: Path = ROOT, model: SafetyModel | None = None) -> dict[str, Any]:
    """Score a batch with the shipped model before it joins training; write BATCH.first_sight.json."""
    batch = batch.resolve()
    result_file = first_sight_file(batch)
    if result_file.exists():
        raise BatchError(f"{batch.name} was already scored at first sight ({result_file.name} exists)")
    model = model or load_model(root=root, new_batches_ok=True)
    if model.classifier is None:
        raise BatchError(f"{model.warning} Retrain before scoring a new batch.")
    items = read_items(batch)
    rules = load_safety_rules()
    seen = {classifier_text(i.text, rules) for i in training_items(root)}
    if overlap := sum(classifier_text(i.text, rules) in seen for i in items):
        raise BatchError(f"{batch.name}: {overlap} of its items are already in training; it is not first sight")
    checks = [check_safety(i.text, practice=i.practice, model=model) for i in items]
    result = {
        "batch": batch.name, "batch_sha256": sha256(batch), "model_sha256": sha256(MODEL_FILE),
        "model_training_files": model.classifier.meta["training_files"],
        "figures": figures(items, [c.band for c in checks]),
        "results": [{"band": c.band, "categories": list(c.categories), "fired": c.fired} for c in checks],
    }
    result_file.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def figures(items: Sequence[Item], bands: Sequence[str]) -> dict[str, Any]:
    """Answered (signpost or check-in) overall and per category, signpost precision, and the share of safe
    messages signposted and checked in."""
    risky = [(i, b) for i, b in zip(items, bands, strict=True) if i.risk]
    safe = [b for i, b in zip(items, bands, strict=True) if not i.risk]
    signposted = [i.risk for i, b in zip(items, bands, strict=True) if b == "signpost"]
    return {
        "items": len(items), "risky": len(risky), "safe": len(safe),
        "answered": round(_share([b != "none" for _, b in risky]), 4),
        "answered_by_category": {
            cat: round(_share([b != "none" for i, b in risky if cat in i.categories]), 4)
            for cat in CATEGORIES if any(cat in i.categories for i, _ in risky)},
        "signpost_precision": round(_share(signposted), 4),
        "safe_signposted": round(sum(b == "signpost" for b in safe) / max(1, len(safe)), 4),
        "safe_checked_in": round(sum(b == "check_in" for b in safe) / max(1, len(safe)), 4),
    }


def meets_targets(fig: dict[str, Any]) -> bool:
    return (fig["answered"] >= TARGETS["answered"]
            and all(v >= TARGETS["category"] for v in fig["answered_by_category"].values())
            and fig["signpost_precision"] >= TARGETS["signpost_precision"]
            and fig["safe_signposted"] <= TARGETS["safe_signposted"]
            and fig["safe_checked_in"] <= TARGETS["safe_checked_in"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.train", description=__doc__.splitlines()[0],
                                     epilog="example: python -m bot.safety.train --first-sight "
                                            f"{BATCHES}/third_blind.yaml")
    parser.add_argument("--first-sight", type=Path, metavar="BATCH",
                        help="score a new batch before it joins training (refuses if it already has)")
    args = parser.parse_args(argv)
    try:
        if args.first_sight:
            fig = first_sight(args.first_sight)["figures"]
            print(json.dumps(fig, indent=1))
            print(f"targets {'met' if meets_targets(fig) else 'NOT met'}; the batch now joins training: "
                  "run `make train-safety`, then `make bench`")
            return 0
        data = train()
    except BatchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = MODEL_FILE.stat().st_size
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} ({size / 1e6:.2f} MB, "
          f"{sum(len(b['features']) for b in data['blocks'])} n-grams); OOF {json.dumps(data['oof'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
