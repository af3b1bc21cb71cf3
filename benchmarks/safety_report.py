"""The safety net's figures; writes docs/safety-benchmark.md (run by `make bench`).

Run from the project root:  python -m benchmarks.safety_report  [--check] [--misses]

Opens with a short summary; shows the classifier's cross-validated figures (recorded at training), each blind
batch's first-sight figures beside its figures after retraining, how often ordinary typed answers (the people in
tests/data/profile_*.yaml) are met with a check-in, and the patterns on the set they were tuned on.
`--check` exits 1 if the classifier is not in use or the patterns miss their in-sample aims;
`--misses` prints the labelled phrases the patterns get wrong (test phrases, not anyone's messages).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.safety.classifier import BATCHES, MODEL_FILE, SafetyModel, load_model, sha256  # noqa: E402
from bot.safety.risk import CATEGORIES, check_safety, classifier_text, load_safety_rules  # noqa: E402
from bot.safety.train import TARGETS, Item, figures, meets_targets, read_items  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "safety_labelled.yaml"
PROFILES = "tests/data/profile_*.yaml"
REPORT = ROOT / "docs" / "safety-benchmark.md"
CLASSIFIER_BATCHES = "# ---------------------------------------------------------------- thirteenth batch"
RECALL_AIM = 0.98
PRECISION_AIM = 0.90
NONE = "none"
PATTERNS_ONLY = SafetyModel(None)
CHOICE_ID = re.compile(r"[a-z0-9_]+")  # a button's option id in a flow script (over_50, most_days), not typed
# The ordinary answers' count (below) with the model trained before the blind batches joined (3,339 labelled
# phrases, commit 4ebc82b), on the profile files of commit 3547aa4: checked in, signposted, distinct answers.
# The "47 of 334" in commit 4ebc82b's message counted the strings another way (not recorded).
ORDINARY_BEFORE = (44, 0, 257)

# First-run scores of batches written before the patterns had seen them (then added to the set).
HELD_OUT: tuple[tuple[str, int, str, str], ...] = (
    ("second", 124, "54%", "90%"),
    ("third", 85, "42%", "88%"),
    ("fourth (longer, answer-like messages)", 78, "35%", "94%"),
    ("fifth (text-speak, slang, everyday worries)", 71, "49%", "95%"),
    ("sixth (indirect ideation, carers' fears, abuse in plain words)", 85, "63%", "92%"),
    ("seventh (longer and text-speak messages, dementia care)", 80, "59%", "91%"),
    ("eighth (short and misspelt messages, answers to the coach)", 72, "40%", "86%"),
    ("ninth (people being assessed, coercion, medical danger)", 70, "34%", "83%"),
    ("tenth (answers to questions, regional speech, emoji)", 67, "54%", "100%"),
    ("eleventh (young carers, plain and regional speech, understatement)", 65, "43%", "100%"),
    ("twelfth (after the broad rules; look-alikes of them)", 63, "46%", "100%"),
)
# Batches written for the classifier by its builder (not blind), scored once by the whole net before
# joining training: items, answered, suicide answered, signpost precision, safe signposted, safe checked in.
DEVELOPMENT: tuple[tuple[str, int, str, str, str, str, str], ...] = (
    ("thirteenth (issue 13's gaps)", 373, "84%", "71%", "80%", "14%", "16%"),
    ("fourteenth (older voices, grief, care, money)", 272, "92%", "83%", "89%", "7%", "18%"),
    ("fifteenth (younger voices, mental ill-health, look-alikes)", 143, "90%", "88%", "59%", "16%", "17%"),
)


@dataclass(frozen=True)
class PatternScores:
    total: int
    risk_total: int
    recall: float
    precision: float
    by_category: dict[str, tuple[int, float, float, float]]  # n, recall, category recall, precision
    confusion: dict[tuple[str, str], int]
    misses: list[tuple[str, str, str]]


def pattern_items() -> list[Item]:
    """The labelled items the patterns were tuned on (above the batches written for the classifier)."""
    text = LABELLED.read_text(encoding="utf-8")
    count = sum(line.startswith("- {") for line in text[:text.index(CLASSIFIER_BATCHES)].splitlines())
    return read_items(LABELLED)[:count]


def score_patterns(items: list[Item]) -> PatternScores:
    rules = load_safety_rules()
    predicted = [check_safety(i.text, rules, practice=i.practice, model=PATTERNS_ONLY) for i in items]
    confusion: Counter[tuple[str, str]] = Counter()
    misses = []
    for item, check in zip(items, predicted, strict=True):
        expected, got = item.category or NONE, check.category or NONE
        confusion[(expected, got)] += 1
        if expected != got:
            misses.append((item.text, expected, got))
    pairs = list(zip(items, predicted, strict=True))
    risky = [(i, c) for i, c in pairs if i.risk]
    flagged = [(i, c) for i, c in pairs if c.risk]
    by_category = {}
    for category in CATEGORIES:
        mine = [c for i, c in risky if i.category == category]
        said = [i for i, c in flagged if c.category == category]
        by_category[category] = (len(mine), _ratio(sum(c.risk for c in mine), len(mine)),
                                 _ratio(sum(category in c.categories for c in mine), len(mine)),
                                 _ratio(sum(i.category == category for i in said), len(said)))
    return PatternScores(len(items), len(risky), _ratio(sum(c.risk for _, c in risky), len(risky)),
                         _ratio(sum(i.risk for i, _ in flagged), len(flagged)), by_category, dict(confusion), misses)


def meets_aims(scores: PatternScores) -> bool:
    return scores.recall >= RECALL_AIM and all(p >= PRECISION_AIM for _, _, _, p in scores.by_category.values())


def batch_rows(model: SafetyModel) -> list[tuple[str, dict[str, Any], dict[str, Any] | None, bool]]:
    """Each blind batch with a first-sight record: its name, first-sight figures, figures now (None if the
    model cannot be used), and whether the batch has changed since it was scored."""
    rows = []
    for result_file in sorted((ROOT / BATCHES).glob("*.first_sight.json")):
        record = json.loads(result_file.read_text(encoding="utf-8"))
        batch = result_file.with_name(record["batch"])
        items = read_items(batch)
        now = None
        if model.classifier is not None:
            now = figures(items, [check_safety(i.text, practice=i.practice, model=model).band for i in items])
        rows.append((batch.stem, record["figures"], now, sha256(batch) != record["batch_sha256"]))
    return rows


def typed_answers() -> list[str]:
    """Every distinct answer typed in tests/data/profile_*.yaml (whole-flow scripts and hand-written answer
    sets): each text answer and each item of a list answer, earlier versions included; not buttons, scales,
    dates or yes/no. None of them is labelled; they are ordinary answers to the coach's questions."""
    texts: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and not CHOICE_ID.fullmatch(value):
            texts.append(value)
        elif isinstance(value, list):
            for part in value:
                add(part)

    for path in sorted(ROOT.glob(PROFILES)):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for run in data.get("runs") or []:
            for value in (run.get("answers") or {}).values():
                add(value)
        for answer in data.get("answers") or []:
            kind = answer.get("type", "text")
            if kind == "text":
                add(answer.get("display"))
                add([old[0] for old in answer.get("history") or []])
            elif kind == "list":
                add(answer.get("value"))
    return list(dict.fromkeys(texts))


def ordinary_figures(model: SafetyModel, texts: list[str]) -> tuple[int, int, int]:
    """How many of the texts are checked in and signposted, and how many there are."""
    bands = [check_safety(text, model=model).band for text in texts]
    return bands.count("check_in"), bands.count("signpost"), len(texts)


def timings(model: SafetyModel, items: list[Item]) -> tuple[float, float]:
    """Median milliseconds per message: the whole check, and the classifier's scorer alone."""
    rules = load_safety_rules()
    texts = [classifier_text(i.text, rules) for i in items]
    whole, scorer = [], []
    for item, text in zip(items, texts, strict=True):
        started = time.perf_counter()
        check_safety(item.text, rules, practice=item.practice, model=model)
        whole.append(time.perf_counter() - started)
        if model.classifier is not None:
            started = time.perf_counter()
            model.classifier.probabilities(text)
            scorer.append(time.perf_counter() - started)
    return statistics.median(whole) * 1e3, (statistics.median(scorer) * 1e3 if scorer else 0.0)


def _pct(value: float) -> str:
    return f"{value:.0%}" if value in (0.0, 1.0) else f"{value:.1%}"


def _figure_cells(fig: dict[str, Any]) -> list[str]:
    cats = fig["answered_by_category"]
    return [str(fig["items"]), f"{fig['risky']} / {fig['safe']}", _pct(fig["answered"]),
            " / ".join(_pct(cats[c]) if c in cats else "–" for c in CATEGORIES),
            _pct(fig["signpost_precision"]), _pct(fig["safe_signposted"]), _pct(fig["safe_checked_in"]),
            "yes" if meets_targets(fig) else "**no**"]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def summary(rows: list[Any], ordinary: tuple[int, int, int] | None) -> list[str]:
    """The report's opening: the first-sight figures against the targets, said plainly, and the ordinary answers."""
    lines = ["## Summary", ""]
    if not rows:
        lines += ["- No blind batch has been scored at first sight yet: there is no honest measure of the net.", ""]
    else:
        every = {1: "the blind batch", 2: "both blind batches"}.get(len(rows), f"all {len(rows)} blind batches")
        recall = {name: first["answered"] >= TARGETS["answered"]
                  and all(v >= TARGETS["category"] for v in first["answered_by_category"].values())
                  for name, first, _, _ in rows}
        said = "; ".join(f"{name} {_pct(first['answered'])} (each category at least "
                         f"{_pct(min(first['answered_by_category'].values(), default=1.0))})"
                         for name, first, _, _ in rows)
        if all(recall.values()):
            lines.append(f"- **Recall targets met at first sight on {every}** (risky messages "
                         f"answered at least {TARGETS['answered']:.0%}, each category at least "
                         f"{TARGETS['category']:.0%}): {said}.")
        else:
            lines.append(f"- **Recall targets missed at first sight on "
                         f"{_names([n for n, ok in recall.items() if not ok])}**: {said}.")
        precise = all(first["signpost_precision"] >= TARGETS["signpost_precision"] for _, first, _, _ in rows)
        lines.append(f"- Signpost precision at first sight (target at least {TARGETS['signpost_precision']:.0%}): "
                     + ", ".join(f"{name} {_pct(first['signpost_precision'])}" for name, first, _, _ in rows)
                     + (": met." if precise else ": **missed**."))
        alarms = []
        for name, first, _, _ in rows:
            missed = [f"{what} {_pct(first[key])} of its safe messages (target at most {TARGETS[key]:.0%})"
                      for key, what in (("safe_signposted", "signposted"), ("safe_checked_in", "checked in"))
                      if first[key] > TARGETS[key]]
            if missed:
                alarms.append(f"{name} {' and '.join(missed)}")
        if alarms:
            lines.append("- **False-alarm targets missed at first sight**: " + "; ".join(alarms) + ".")
        else:
            lines.append(f"- False-alarm targets met at first sight on {every}.")
        lines.append("- After retraining on them the batches are training data: their figures below are in-sample, "
                     "for reference, not evidence. The next blind batch is the next honest measure.")
        still = [f"{name} {_pct(now['safe_signposted'])}" for name, _, now, _ in rows
                 if now is not None and now["safe_signposted"] > TARGETS["safe_signposted"]]
        if still:
            lines.append("- Retraining does not touch the signposts, which come from the patterns alone: safe "
                         f"messages signposted after retraining: {_names(still)}.")
    if ordinary is not None:
        checked, signposted, total = ordinary
        before_checked, before_signposted, before_total = ORDINARY_BEFORE
        lines.append(f"- Ordinary answers (the {total} distinct answers typed in `{PROFILES}`, none labelled): "
                     f"checked in on {checked} ({_pct(checked / max(1, total))}), signposted {signposted}. "
                     f"Before the blind batches joined training, by the same count: {before_checked} of "
                     f"{before_total} ({_pct(before_checked / before_total)}) and {before_signposted}. They are "
                     "unlabelled, so not every check-in is a false alarm: a few speak of low mood or a carer worn out.")
    return [*lines, ""]


def held_out_lines(held_out: dict[str, dict[str, Any]]) -> list[str]:
    """Each blind batch scored by a model refitted without it, with the shipped cuts."""
    if not held_out:
        return []
    return ["Each blind batch held out in turn (the model refitted without it, the shipped cuts; the cuts were",
            "chosen on these same held-out scores, so this is not first sight):", "",
            "| Batch held out | Items | Risky / safe | Answered | By category (danger / suicide / abuse / carer) "
            "| Signpost precision | Safe signposted | Safe checked in | Targets met |",
            "|---|---|---|---|---|---|---|---|---|",
            *[f"| `{name}` | " + " | ".join(_figure_cells(fig)) + " |" for name, fig in held_out.items()], ""]


def render(scores: PatternScores, model: SafetyModel, rows: list[Any], ms: tuple[float, float], when: datetime,
           ordinary: tuple[int, int, int] | None = None) -> str:
    meta = model.classifier.meta if model.classifier is not None else {}
    oof = meta.get("oof", {})
    lines = [
        "# Safety net benchmark", "",
        f"Generated by `python -m benchmarks.safety_report` (`make bench`) on {when:%Y-%m-%d %H:%M} UTC.",
        f"Machine: `{platform.platform()}`, Python {platform.python_version()}.", "",
        *summary(rows, ordinary),
        "Every typed message goes through the patterns (`bot/safety/data/patterns.yaml`) and the classifier",
        "(`bot/safety/data/classifier.json`, TF-IDF + logistic regression scored in pure Python). A pattern hit",
        "the classifier backs (score at or above t_confirm) signposts at once; a pattern hit it does not back,",
        "or a classifier score at or above t_lo with no pattern, asks a gentle check-in question.",
        "**Answered** means signposted or checked in.", "",
    ]
    if model.warning:
        lines += [f"> **{model.warning}**", ""]
    lines += [
        "## The classifier, cross-validated", "",
        "Recorded by `python -m bot.safety.train` from out-of-fold scores (3 repeats of 5-fold CV on the",
        "training data only; thresholds chosen by rules fixed in advance: t_hi the lowest cut with precision",
        "at least 90%, t_confirm the highest with recall at least 90%). t_lo, the check-in floor, comes from",
        "the blind batches, each scored by a model refitted without it (as at its first sight): the highest",
        "cut at which patterns or classifier answer at least 98% of their risky messages. In-sample figures",
        "would mean nothing.", "",
    ]
    if oof:
        cuts = meta["thresholds"]
        batches = sum(name.startswith(BATCHES) for name in meta.get("training_files", {}))
        lines += [
            f"Trained on {oof['items']} labelled phrases ({oof['risky']} risk; the labelled set"
            f"{f' and {batches} blind batches' if batches else ''}); C = {meta['C']:g}; "
            f"scikit-learn {meta['sklearn']}; {MODEL_FILE.stat().st_size / 1e6:.2f} MB, "
            f"{sum(len(b.features) for b in model.classifier.model.blocks) if model.classifier else 0} n-grams; "
            f"pure Python within {meta['max_difference_from_sklearn']:.0e} of scikit-learn.", "",
            f"Average precision {oof['average_precision']:.3f}, ROC AUC {oof['roc_auc']:.3f}. "
            f"Category named right when caught: {_pct(oof['category_named_when_caught'])}.", "",
            "| Cut | Score | Recall | Precision | False-positive rate |", "|---|---|---|---|---|",
            *[f"| {name} | {cuts[key]:.3f} | {_pct(oof[f'at_{key}']['recall'])} | "
              f"{_pct(oof[f'at_{key}']['precision'])} | {_pct(oof[f'at_{key}']['false_positive_rate'])} |"
              for name, key in (("t_hi", "t_hi"), ("t_lo (the check-in floor)", "t_lo"),
                                ("t_confirm (a pattern hit below it is checked in)", "t_confirm"), ("best F1", "t_f1"))
              if f"at_{key}" in oof],
            "", "Recall at t_lo by category: " + ", ".join(
                f"{c} {_pct(v)}" for c, v in oof["recall_at_t_lo_by_category"].items()) + ".", "",
            *held_out_lines(oof.get("held_out_blind", {})),
            "The classifier does not signpost on its own, even above t_hi: there its cross-validated precision is",
            "90% by construction, no better than the patterns at first sight, and in the research spike",
            "signposting its hits nearly doubled the false signposts (32 against 18 of 186 safe messages: design",
            "A against B′ in `../shared/research/safety-classifier.md`). Its hits get the check-in instead.", "",
        ]
    lines += [f"Time per message (median over the labelled set): whole check {ms[0]:.2f} ms; the classifier's "
              f"scorer alone {ms[1]:.2f} ms.", "", "## First-sight batches", "",
              "Blind batches (`tests/data/safety_batches/`, written by people who never read the patterns or the",
              "model), scored by `python -m bot.safety.train --first-sight BATCH` before they touch training,",
              "then retrained on. Targets on each first-sight batch: answered at least "
              f"{TARGETS['answered']:.0%} overall and {TARGETS['category']:.0%} in every category, signposts at "
              f"least {TARGETS['signpost_precision']:.0%} precise, safe messages signposted at most "
              f"{TARGETS['safe_signposted']:.0%} and checked in at most {TARGETS['safe_checked_in']:.0%}.", "",
              "Categories: danger / suicide / abuse / carer.", ""]
    header = ["Batch", "When", "Items", "Risk / safe", "Answered", "By category", "Signpost precision",
              "Safe signposted", "Safe checked in", "Targets met"]
    if rows:
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name, first, now, changed in rows:
            lines.append(f"| {name}{' (edited since)' if changed else ''} | first sight | "
                         + " | ".join(_figure_cells(first)) + " |")
            if now is not None:
                lines.append("| | after retraining (in-sample) | " + " | ".join(_figure_cells(now)) + " |")
    else:
        lines += ["No blind batch has been scored yet."]
    if ordinary is not None:
        checked, signposted, total = ordinary
        lines += [
            "", "## Ordinary answers", "",
            f"Every distinct answer typed in `{PROFILES}` (the people's whole-flow scripts and the hand-written",
            "answer sets: text answers, each item of a list, earlier versions; not buttons, scales, dates or",
            "yes/no). They are not labelled and were not written for the safety net; nearly all are ordinary.",
            "`--misses` prints the ones met with a check-in.", "",
            "| Model | Answers | Checked in | Signposted |", "|---|---|---|---|",
            f"| now | {total} | {checked} ({_pct(checked / max(1, total))}) | {signposted} |",
            f"| before the blind batches joined (commit 4ebc82b) | {ORDINARY_BEFORE[2]} | {ORDINARY_BEFORE[0]} "
            f"({_pct(ORDINARY_BEFORE[0] / ORDINARY_BEFORE[2])}) | {ORDINARY_BEFORE[1]} |",
        ]
    lines += [
        "", "### Development batches (not blind)", "",
        "Written for the classifier by its builder, who had read the patterns, and scored once by the whole",
        "net before joining training. A guide, not evidence:", "",
        "| Batch | Items | Answered | Suicide answered | Signpost precision | Safe signposted | Safe checked in |",
        "|---|---|---|---|---|---|---|",
        *[f"| {' | '.join(row)} |" for row in ((name, str(n), *rest) for name, n, *rest in DEVELOPMENT)],
        "", "## The patterns on the set they were tuned on", "",
        f"The patterns alone on the {scores.total} labelled phrases above the thirteenth batch, which they were",
        f"tuned on ({scores.risk_total} risk): an upper bound, not a forecast. Aims: recall at least "
        f"{RECALL_AIM:.0%}, precision at least {PRECISION_AIM:.0%} for each category. "
        f"**{'Met' if meets_aims(scores) else 'NOT met'}.**", "",
        f"Recall {scores.recall:.1%}, precision {scores.precision:.1%}.", "",
        "| Category | Phrases | Recall | Category recall | Precision |", "|---|---|---|---|---|",
        *[f"| {c} | {n} | {r:.1%} | {cr:.1%} | {p:.1%} |" for c, (n, r, cr, p) in scores.by_category.items()],
        "", "Their first-run scores on the batches written before they had seen them:", "",
        "| Batch | Phrases | Recall on first run | Precision on first run |", "|---|---|---|---|",
        *[f"| {name} | {n} | {recall} | {precision} |" for name, n, recall, precision in HELD_OUT],
        "", "First-run recall stayed between a third and two thirds in seven rounds; that is why the classifier",
        "was added (issue 13).", "",
        "## Limits", "",
        "- Both parts read one message at a time, with no memory of earlier messages; the question being",
        "  answered is not used.",
        "- Clear, unhedged denials (\"no thoughts of suicide, just low in winter\"), other senses of a word and",
        "  events plainly past and resolved are set aside by rules in `patterns.yaml`; a hedge (\"probably\",",
        "  \"but\", \"most days\") or a sign it is not over (\"again\", \"lately\") keeps them.",
        "- In practice mode only first-person sentences count, so a practitioner's question about risk is not",
        "  read as a disclosure; a first-person disclosure still is.",
        "- The classifier is lexical: phrasing unlike anything labelled can slip below t_lo, and it names the",
        "  wrong category for about one hit in twelve.",
        "- This is a safety net, not a judgement. It never decides anything about a person.", "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the classifier is off or the aims are missed")
    parser.add_argument("--misses", action="store_true", help="print the labelled phrases the patterns get wrong")
    parser.add_argument("--output", type=Path, default=REPORT, help="where to write the report")
    args = parser.parse_args(argv)
    model = load_model()
    items = pattern_items()
    scores = score_patterns(items)
    rows = batch_rows(model)
    ms = timings(model, read_items(LABELLED))
    answers = typed_answers()
    ordinary = ordinary_figures(model, answers) if model.classifier is not None else None
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(scores, model, rows, ms, datetime.now(UTC), ordinary), encoding="utf-8")
    print(model.warning or f"classifier in use; whole check {ms[0]:.2f} ms, scorer {ms[1]:.2f} ms a message")
    print(f"patterns in-sample: recall {scores.recall:.1%}, precision {scores.precision:.1%}; "
          f"{len(rows)} first-sight batch(es); wrote {args.output}")
    for name, first, _, _ in rows:
        print(f"  {name}: first sight answered {first['answered']:.1%}, "
              f"targets {'met' if meets_targets(first) else 'NOT met'}")
    if args.misses:
        for text, expected, got in scores.misses:
            print(f"  MISS expected={expected} got={got}: {text}")
        for text in answers:
            if (band := check_safety(text, model=model).band) != "none":
                print(f"  ORDINARY {band}: {text}")
    return 0 if not args.check or (meets_aims(scores) and model.classifier is not None) else 1


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


if __name__ == "__main__":
    raise SystemExit(main())
