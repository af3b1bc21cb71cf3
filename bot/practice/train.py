"""Train the question checker's learned codes (scikit-learn: the test extra; `make train-questions`).

    python -m bot.practice.train      writes bot/practice/data/question_model.json

Lines: the development set and every batch in tests/data/question_batches/ with a first-sight
record. One binary logistic regression per issue code (balanced class weights) over word 1-2 and
char_wb 2-5 TF-IDF (sublinear tf). Cross-validation is grouped by writer and batch, so every figure
is on lines from a batch the model did not see: each batch is a group, the development set is split
into three, and the groups are dealt into FOLDS folds (whole groups only, by name, so the same every
run; one fold per group made training grow with the square of the batches). Per code, C is the grid
value with the best out-of-fold average precision, and the threshold is the lowest cut whose
out-of-fold precision is at least PRECISION (then as many of the code's lines as that allows are caught).

Leave-one-batch-out: each batch is held out in turn; C and thresholds are chosen by the same grouped
CV on the remaining lines only, a model is fitted on them, and its probabilities for the held-out
lines are written into the JSON, so the report (benchmarks/question_coach_report.py) can show rules
alone, model alone and combined without scikit-learn. Everything is seeded; each fit is single-threaded,
and the held-out batches are worked through in parallel processes (one per core), which gives the same
figures as one after another.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from bot.practice.clauses import normal
from bot.practice.issues import ISSUE_CODES
from bot.practice.learned import BATCHES, FORMAT, LABELLED, MODEL_FILE, ROOT, training_files
from bot.textmodel.fit import export, largest_difference, vectoriser

C_GRID = (3.0, 10.0, 30.0, 100.0)
MIN_DF = 5  # an n-gram in four lines or fewer is not kept: it cannot generalise, and it kept the model over 3 MB
PRECISION = 0.80
DEV_GROUPS = 3
FOLDS = 5
# The codes the model may raise beside the rules. closed, why and long are raised by the rules alone: they
# read the sentence's grammar and length, which the rules do reliably on every batch. Every code's model is
# still fitted and shipped, as the model may overrule the rules on any code (learned.DOUBT).
LEARNED = ("leading", "double", "deficit", "jargon", "scaling_direction", "substitution", "minimising")


def labelled_lines(root: Path = ROOT) -> list[tuple[str, str, frozenset[str]]]:
    """(group, normalised text, codes) for every training line."""
    lines = []
    dev = yaml.safe_load((root / LABELLED).read_text(encoding="utf-8"))["lines"]
    for n, item in enumerate(dev):
        lines.append((f"dev{n % DEV_GROUPS}", normal(item["text"]), frozenset(item["codes"] or ())))
    for rel in training_files(root):
        if rel.startswith(BATCHES):
            stem = Path(rel).stem
            for item in yaml.safe_load((root / rel).read_text(encoding="utf-8")):
                lines.append((stem, normal(item["text"]), frozenset(item["codes"] or ())))
    return lines


def _fit(texts: Sequence[str], y: Any, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", tol=1e-8, max_iter=2000,
                              random_state=0).fit(texts, y)


def _oof(texts: list[str], y: Any, groups: list[str]) -> dict[float, Any]:
    """Out-of-fold probabilities (lines x codes) for each C, folds of whole batches."""
    import numpy as np

    out = {c: np.zeros(y.shape) for c in C_GRID}
    fold_of = {g: n % FOLDS for n, g in enumerate(sorted(set(groups)))}
    for held in sorted(set(fold_of.values())):
        train = [i for i, g in enumerate(groups) if fold_of[g] != held]
        test = [i for i, g in enumerate(groups) if fold_of[g] == held]
        union = vectoriser(min_df=MIN_DF).fit([texts[i] for i in train])
        x_train, x_test = union.transform([texts[i] for i in train]), union.transform([texts[i] for i in test])
        for c in C_GRID:
            for k in range(y.shape[1]):
                if y[train, k].sum() == 0:
                    continue
                out[c][test, k] = _fit(x_train, y[train, k], c).predict_proba(x_test)[:, 1]
    return out


def threshold(scores: Sequence[float], wanted: Sequence[bool], precision: float = PRECISION) -> float:
    """The lowest cut at which the lines scoring at or above it are at least `precision` right
    (cuts fall only between distinct scores); 1.0 when no cut is."""
    ranked = sorted(zip(scores, wanted, strict=True), key=lambda pair: -pair[0])
    cut, hits = 1.0, 0
    for n, (score, hit) in enumerate(ranked, start=1):
        hits += hit
        if n < len(ranked) and ranked[n][0] == score:
            continue
        if hits and hits / n >= precision:
            cut = score
    return float(cut)


def choose(texts: list[str], y: Any, groups: list[str]) -> tuple[dict[str, float], dict[str, float], dict[str, Any]]:
    """Per code: C by grouped out-of-fold average precision, and the threshold from those scores."""
    from sklearn.metrics import average_precision_score

    oof = _oof(texts, y, groups)
    cs, cuts, figures = {}, {}, {}
    for k, code in enumerate(ISSUE_CODES):
        if y[:, k].sum() == 0:
            continue
        by_c = {c: average_precision_score(y[:, k], oof[c][:, k]) for c in C_GRID}
        c = max(C_GRID, key=lambda v: (round(by_c[v], 6), -v))
        cs[code], cuts[code] = c, threshold(list(oof[c][:, k]), list(y[:, k]))
        flagged = oof[c][:, k] >= cuts[code]
        tp = int((flagged & (y[:, k] == 1)).sum())
        figures[code] = {"C": c, "average_precision": round(float(by_c[c]), 4),
                         "precision": round(tp / max(1, int(flagged.sum())), 4),
                         "recall": round(tp / int(y[:, k].sum()), 4)}
    return cs, cuts, figures


def fit_all(texts: list[str], y: Any, cs: dict[str, float]) -> tuple[Any, Any, list[float]]:
    """One vectoriser and a model per code; (union, coef labels x features, intercepts)."""
    import numpy as np

    union = vectoriser(min_df=MIN_DF).fit(texts)
    x = union.transform(texts)
    coef, intercepts = np.zeros((len(ISSUE_CODES), x.shape[1])), []
    for k, code in enumerate(ISSUE_CODES):
        if code not in cs:
            intercepts.append(-30.0)
            continue
        model = _fit(x, y[:, k], cs[code])
        coef[k] = model.coef_[0]
        intercepts.append(float(model.intercept_[0]))
    return union, coef, intercepts


def _probabilities(union: Any, coef: Any, intercepts: list[float], texts: list[str]) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-(np.asarray(union.transform(texts) @ coef.T) + np.asarray(intercepts))))


def _held_out(stem: str, texts: list[str], y: Any, groups: list[str]) -> tuple[dict[str, float], dict[str, Any],
                                                                             list[list[float]]]:
    """One batch held out: C and thresholds chosen on the rest, a model fitted on it, the held-out
    lines' probabilities (run in a worker process)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        keep = [i for i, g in enumerate(groups) if g != stem]
        test = [i for i, g in enumerate(groups) if g == stem]
        cs, cuts, figures = choose([texts[i] for i in keep], y[keep], [groups[i] for i in keep])
        union, coef, intercepts = fit_all([texts[i] for i in keep], y[keep], cs)
        probs = _probabilities(union, coef, intercepts, [texts[i] for i in test])
    return ({k: round(v, 6) for k, v in cuts.items()}, figures,
            [[round(float(p), 4) for p in row] for row in probs])


def train(root: Path = ROOT, out: Path = MODEL_FILE, log: Any = print) -> dict[str, Any]:
    import numpy as np
    import sklearn
    from threadpoolctl import threadpool_limits

    lines = labelled_lines(root)
    groups = [g for g, _, _ in lines]
    texts = [t for _, t, _ in lines]
    y = np.array([[code in codes for code in ISSUE_CODES] for _, _, codes in lines], dtype=int)
    files = training_files(root)
    held_out: dict[str, Any] = {}
    batches = [rel for rel in files if rel.startswith(BATCHES)]
    with ProcessPoolExecutor(max_workers=max(1, min(len(batches), os.cpu_count() or 1))) as pool:
        futures = [(rel, pool.submit(_held_out, Path(rel).stem, texts, y, groups)) for rel in batches]
        for rel, future in futures:
            stem = Path(rel).stem
            cuts, figures, probs = future.result()
            held_out[stem] = {"batch_sha256": files[rel], "thresholds": cuts, "cv_on_the_rest": figures,
                              "probabilities": probs}
            log(f"held out {stem}: " + ", ".join(f"{k} {v:.3f}" for k, v in cuts.items()))
    with threadpool_limits(1):
        cs, cuts, figures = choose(texts, y, groups)
        union, coef, intercepts = fit_all(texts, y, cs)
    data = export(union, coef, intercepts, ISSUE_CODES, len(texts))
    diff = largest_difference(data, union, coef, intercepts, texts)
    log(f"pure Python vs scikit-learn: largest logit difference {diff:.1e}")
    if diff > 1e-6:
        raise SystemExit(f"the pure-Python scorer differs from scikit-learn by {diff:.1e}: not written")
    data |= {
        "format": FORMAT, "learned": list(LEARNED), "thresholds": {k: round(v, 6) for k, v in cuts.items()},
        "cv": figures, "leave_one_batch_out": held_out, "lines": len(texts), "sklearn": sklearn.__version__,
        "training_files": files, "max_difference_from_sklearn": float(f"{diff:.2e}"),
        "settings": f"word 1-2 + char_wb 2-5 TF-IDF (sublinear), one-vs-rest LR (balanced, liblinear); C from "
                    f"{list(C_GRID)} by OOF average precision over {FOLDS} folds of whole batches; threshold: "
                    f"lowest cut with that OOF "
                    f"precision >= {PRECISION}",
    }
    out.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    del argv
    data = train()
    size = MODEL_FILE.stat().st_size
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} ({size / 1e6:.2f} MB, "
          f"{sum(len(b['features']) for b in data['blocks'])} n-grams, {data['lines']} lines)")
    print(json.dumps(data["cv"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
