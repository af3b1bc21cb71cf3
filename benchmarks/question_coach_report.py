"""How well the question checker agrees with hand-labelled practitioner lines.

    python -m benchmarks.question_coach_report
        writes docs/question-coach.md (and the rehearsal transcripts, docs/rehearsal-*.md)
    python -m benchmarks.question_coach_report --first-sight tests/data/question_batches/NAME.yaml
        scores a new batch once, before any tuning on it, and records the figures in
        NAME.first_sight.json beside it; it refuses to run again for the same batch

A batch is a YAML list of {text, open, form, codes, better}. The report shows each batch's
first-sight figures beside its figures after tuning. Text below the KEPT marker in the page is
written by hand (the labelling conventions) and kept when the page is written again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks import question_leave_out, rehearsal_transcripts
from bot.practice.checker import FORMS, ISSUE_CODES, check_question
from bot.practice.clauses import normal
from bot.practice.learned import MODEL_FILE, score_new_batches, shipped_code_model
from bot.practice.rewrites import keeps_need, need_of
from bot.practice.rules import RULES_PATH, load_rules
from bot.textmodel.provenance import first_sight_file, sha256

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "practitioner_questions.yaml"
BATCHES = ROOT / "tests" / "data" / "question_batches"
DOC = ROOT / "docs" / "question-coach.md"
KEPT = "<!-- Below this line is written by hand and kept by python -m benchmarks.question_coach_report. -->"
TARGETS = {"open": 0.90, "form": 0.85, "code": 0.75, "good_flagged": 0.03}
GOOD_FORMS = ("reflection", "summary", "consent")
RULES = load_rules()


@dataclass
class Scores:
    """Counts for one run over a list of labelled lines."""

    total: int = 0
    open_right: int = 0
    questions: int = 0  # lines labelled as questions, where open or closed means the same on any reading
    questions_open_right: int = 0
    form_right: int = 0
    open_table: dict[tuple[bool, bool], int] = field(default_factory=dict)  # (labelled, checker) -> count
    forms: dict[tuple[str, str], int] = field(default_factory=dict)  # (labelled, checker) -> count
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> tp/fp/fn
    good: int = 0
    good_flagged: int = 0
    better: int = 0  # better versions offered
    better_clean: int = 0  # ... that the checker itself passes
    needs: int = 0  # better versions for lines that name a need
    needs_kept: int = 0  # ... that still name it
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_accuracy(self) -> float:
        return self.open_right / self.total if self.total else 0.0

    @property
    def question_open_accuracy(self) -> float:
        return self.questions_open_right / self.questions if self.questions else 0.0

    @property
    def form_accuracy(self) -> float:
        return self.form_right / self.total if self.total else 0.0

    @property
    def good_flagged_rate(self) -> float:
        return self.good_flagged / self.good if self.good else 0.0

    def precision(self, code: str) -> float | None:
        c = self.counts[code]
        return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None

    def recall(self, code: str) -> float | None:
        c = self.counts[code]
        return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None

    def figures(self) -> dict[str, Any]:
        """The figures as plain data, for a first-sight record."""
        return {
            "lines": self.total,
            "open_accuracy": round(self.open_accuracy, 4),
            "question_open_accuracy": round(self.question_open_accuracy, 4),
            "form_accuracy": round(self.form_accuracy, 4),
            "good_practice_lines": self.good,
            "good_practice_flagged": self.good_flagged,
            "codes": {code: {**self.counts[code], "precision": _round(self.precision(code)),
                             "recall": _round(self.recall(code))} for code in ISSUE_CODES},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def is_good_practice(item: dict[str, Any]) -> bool:
    """Consent, a reflection, a summary or a question closed on purpose, with nothing to change."""
    if item["codes"]:
        return False
    return item["form"] in GOOD_FORMS or (item["form"] == "question" and not item["open"])


def load_labelled(path: Path = LABELLED) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["lines"])


def load_batch(path: Path) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise SystemExit(f"{path}: a batch is a YAML list of lines")
    for number, item in enumerate(items, 1):
        missing = {"text", "open", "form", "codes"} - set(item)
        unknown = set(item.get("codes") or ()) - set(ISSUE_CODES)
        if missing or unknown or item["form"] not in FORMS:
            raise SystemExit(f"{path}: line {number} ({item.get('text', '')!r}): missing {sorted(missing)}, "
                             f"unknown codes {sorted(unknown)} or form {item.get('form')!r}")
        item["codes"] = list(item["codes"] or [])
    return items


def score(items: list[dict[str, Any]]) -> Scores:
    result = Scores(counts={code: {"tp": 0, "fp": 0, "fn": 0} for code in ISSUE_CODES})
    for item in items:
        verdict = check_question(item["text"])
        wanted, got = set(item["codes"]), set(verdict.codes)
        result.total += 1
        result.open_right += verdict.open == item["open"]
        if item["form"] == "question":
            result.questions += 1
            result.questions_open_right += verdict.open == item["open"]
        result.form_right += verdict.form == item["form"]
        key = (bool(item["open"]), verdict.open)
        result.open_table[key] = result.open_table.get(key, 0) + 1
        pair = (item["form"], verdict.form)
        result.forms[pair] = result.forms.get(pair, 0) + 1
        for code in ISSUE_CODES:
            if code in wanted or code in got:
                result.counts[code]["tp" if code in wanted and code in got else "fn" if code in wanted else "fp"] += 1
        if is_good_practice(item):
            result.good += 1
            result.good_flagged += bool(got)
        need = need_of(normal(item["text"]), RULES)
        for issue in verdict.issues:
            result.better += 1
            result.better_clean += bool(issue.better) and not check_question(issue.better).issues
            if need:
                result.needs += 1
                result.needs_kept += keeps_need(issue.better, need, RULES)
        if wanted != got or verdict.open != item["open"] or verdict.form != item["form"]:
            result.misses.append({"text": item["text"], "labelled": [item["open"], item["form"], sorted(wanted)],
                                  "checker": [verdict.open, verdict.form, sorted(got)]})
    return result


# ----- first sight -----


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def first_sight(batch: Path) -> dict[str, Any]:
    """Score a batch once and keep the figures; a second run for the same batch is refused."""
    record = first_sight_file(batch)
    if record.exists():
        raise SystemExit(f"{_shown(record)} already exists: first sight happens once. "
                         "Run without --first-sight to see the figures now.")
    items = load_batch(batch)
    if shipped_code_model().warning:  # scored all the same, and the record says so
        print(shipped_code_model().warning, file=sys.stderr)
    scores = score(items)
    data = {
        "batch": batch.name,
        "batch_sha256": sha256(batch),
        "scored_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "checker_commit": _git("rev-parse", "HEAD"),
        "checker_uncommitted_changes": bool(_git("status", "--porcelain", "--", "bot/practice")),
        "rules_sha256": sha256(RULES_PATH),
        "model_sha256": sha256(MODEL_FILE) if MODEL_FILE.exists() else None,
        "learned_codes_warning": shipped_code_model().warning,
        "figures": scores.figures(),
        "misses": scores.misses,
    }
    record.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


# ----- the report -----


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _section(title: str, scores: Scores, *, show_misses: bool = True) -> list[str]:
    t = scores.open_table
    lines = [
        f"### {title}",
        "",
        f"{scores.total} lines. Open or closed: **{_pct(scores.open_accuracy)}**; form: "
        f"**{_pct(scores.form_accuracy)}**; good-practice lines flagged: **{scores.good_flagged} of "
        f"{scores.good}** ({_pct(scores.good_flagged_rate)}).",
        "",
        "| Labelled \\ Checker says | open | not open |",
        "| --- | ---: | ---: |",
        f"| open | {t.get((True, True), 0)} | {t.get((True, False), 0)} |",
        f"| not open | {t.get((False, True), 0)} | {t.get((False, False), 0)} |",
        "",
        "| Form (labelled) | " + " | ".join(FORMS) + " |",
        "| --- |" + " ---: |" * len(FORMS),
    ]
    for form in FORMS:
        lines.append(f"| {form} | " + " | ".join(str(scores.forms.get((form, got), 0)) for got in FORMS) + " |")
    lines += ["", "| Issue code | Labelled | True pos. | False pos. | False neg. | Precision | Recall |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for code in ISSUE_CODES:
        c = scores.counts[code]
        lines.append(f"| `{code}` | {c['tp'] + c['fn']} | {c['tp']} | {c['fp']} | {c['fn']} | "
                     f"{_pct(scores.precision(code))} | {_pct(scores.recall(code))} |")
    missed = _missed(scores.figures())
    lines += ["", f"Better versions: {scores.better_clean} of {scores.better} pass the checker with nothing to change; "
              f"{scores.needs_kept} of {scores.needs} offered for a line that names a need still name it.",
              "", "Targets met." if not missed else f"Targets missed: {', '.join(missed)}.", ""]
    if show_misses and scores.misses:
        lines += ["<details><summary>Where the checker and the labels disagree "
                  f"({len(scores.misses)})</summary>", ""]
        lines += [f"- \"{m['text']}\": labelled {_said(m['labelled'])}; checker {_said(m['checker'])}"
                  for m in scores.misses]
        lines += ["", "</details>", ""]
    return lines


def _said(found: list[Any]) -> str:
    is_open, form, codes = found
    return f"{'open' if is_open else 'not open'} {form}, {', '.join(codes) or 'no issues'}"


def _questions_open_at_first_sight(before: dict[str, Any], items: list[dict[str, Any]]) -> float | None:
    """Open-or-closed accuracy on the lines labelled as questions at first sight: recorded, or worked out
    from the recorded disagreements while the batch file is unchanged."""
    if "question_open_accuracy" in before["figures"]:
        return float(before["figures"]["question_open_accuracy"])
    questions = sum(item["form"] == "question" for item in items)
    wrong = sum(m["labelled"][1] == "question" and m["labelled"][0] != m["checker"][0] for m in before["misses"])
    return (questions - wrong) / questions if questions else None


def _first_sight_table(name: str, before: dict[str, Any], now: Scores, items: list[dict[str, Any]],
                       unchanged: bool) -> list[str]:
    figures = before["figures"]
    questions_then = _questions_open_at_first_sight(before, items) if unchanged else None
    rows = [("Open or closed", _pct(figures["open_accuracy"]), _pct(now.open_accuracy), "≥ 90%"),
            ("Open or closed, questions only", _pct(questions_then), _pct(now.question_open_accuracy), "(see text)"),
            ("Form", _pct(figures["form_accuracy"]), _pct(now.form_accuracy), "≥ 85%"),
            ("Good practice flagged",
             f"{figures['good_practice_flagged']} of {figures['good_practice_lines']}",
             f"{now.good_flagged} of {now.good}", "≤ 3%")]
    for code in ISSUE_CODES:
        was = figures["codes"][code]
        rows.append((f"`{code}` precision / recall", f"{_pct(was['precision'])} / {_pct(was['recall'])}",
                     f"{_pct(now.precision(code))} / {_pct(now.recall(code))}", "≥ 75% each"))
    commit = before["checker_commit"][:10] + (" plus uncommitted changes" if before["checker_uncommitted_changes"]
                                              else "")
    lines = [f"### `{name}`", "",
             f"Scored at first sight on {before['scored_at'][:10]} with the checker at {commit}; "
             f"{figures['lines']} lines.", "",
             "| Figure | First sight | After tuning | Target |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    missed = _missed(figures)
    lines += ["", "At first sight: " + (f"targets missed: {', '.join(missed)}." if missed else "every target met."), ""]
    return lines


def _missed(figures: dict[str, Any]) -> list[str]:
    """The targets a run misses, in words (empty when it meets them all)."""
    missed = [name for name, key in (("open/closed", "open"), ("form", "form"))
              if figures[f"{key}_accuracy"] < TARGETS[key]]
    if figures["good_practice_lines"] and (figures["good_practice_flagged"] / figures["good_practice_lines"]
                                           > TARGETS["good_flagged"]):
        missed.append(f"good practice flagged ({figures['good_practice_flagged']} of "
                      f"{figures['good_practice_lines']})")
    for code, c in figures["codes"].items():
        for what in ("precision", "recall"):
            if c[what] is not None and c[what] < TARGETS["code"]:
                other = c["fp"] if what == "precision" else c["fn"]
                missed.append(f"`{code}` {what} ({c['tp']} of {c['tp'] + other})")
    return missed


GUIDE_MARK = "docs/question-labelling.md"  # named in the header of a batch written to the labelling guide


def _first_sight_summary(batches: list[Path]) -> list[str]:
    """One row per batch scored at first sight: the headline figures and the aims it missed."""
    rows = []
    for batch in batches:
        record = first_sight_file(batch)
        if record.exists():
            f = json.loads(record.read_text(encoding="utf-8"))["figures"]
            missed = _missed(f)
            brief = "guide" if GUIDE_MARK in batch.read_text(encoding="utf-8")[:400] else "contract"
            rows.append(f"| `{batch.stem}` | {brief} | {f['lines']} | {_pct(f['open_accuracy'])} | "
                        f"{_pct(f['form_accuracy'])} | "
                        f"{f['good_practice_flagged']} of {f['good_practice_lines']} | "
                        f"{'; '.join(missed) if missed else 'every aim met'} |")
    if not rows:
        return []
    return ["### At first sight, batch by batch", "",
            "| Batch | Written to | Lines | Open or closed | Form | Good practice flagged "
            "| Aims missed at first sight |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- |", *rows, ""]


def report() -> str:
    items = load_labelled()
    started = time.perf_counter()
    everything = score(items)
    per_line_ms = (time.perf_counter() - started) * 1000 / max(1, len(items))
    lines = [
        "# Question coach: how the checker measures up",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.platform()} "
        f"(Python {platform.python_version()}), about {per_line_ms:.2f} ms per line.",
        "",
        *DEFINITIONS,
        "## First-sight batches",
        "",
        *FIRST_SIGHT_INTRO,
    ]
    batches = sorted(p for p in BATCHES.glob("*.yaml")) if BATCHES.exists() else []
    lines += _first_sight_summary(batches)
    for batch in batches:
        record = first_sight_file(batch)
        now = score(load_batch(batch))
        if not record.exists():
            lines += [f"### `{batch.name}`", "", "Not yet scored at first sight.", ""]
            continue
        before = json.loads(record.read_text(encoding="utf-8"))
        unchanged = before["batch_sha256"] == sha256(batch)
        lines += _first_sight_table(batch.name, before, now, load_batch(batch), unchanged)
        if not unchanged:
            lines += ["The batch file has changed since it was scored (labels corrected); the first-sight",
                      "figures are for the file as it was then.", ""]
        lines += _section(f"`{batch.name}` after tuning, in detail", now)
    lines += question_leave_out.section()
    lines += REHEARSAL
    lines += ["## The development set", "",
              f"{len(items)} lines in `tests/data/practitioner_questions.yaml`, written and labelled by the",
              "people who wrote the rules, and used to tune them: these figures say the rules fit what",
              "they were built on, not how they do on new lines. Use the first-sight figures for that.", ""]
    lines += _section("All development lines", everything)
    lines += ["Run `python -m benchmarks.question_coach_report` to refresh this page after changing the rules,",
              "the labelled set or a batch.", ""]
    return "\n".join(lines)


DEFINITIONS = [
    "The checker (`bot/practice/checker.py`, rules in `bot/practice/data/question_rules.yaml`, and learned",
    "codes in `bot/practice/data/question_model.json`, see \"Leave-one-batch-out\") reads a",
    "line a practitioner might say and gives its **form** (question, reflection, summary, consent or",
    "statement), whether it is **open**, and its **issues**, each with a plain explanation and a better",
    "version that keeps the need. `coach check-question \"TEXT\" --json` prints exactly that.",
    "",
    "How lines are labelled:",
    "",
    "- *Open*: the line is an open question, inviting an answer in the person's own words: yes, no or a",
    "  single fact does not answer it. Reflections, summaries, consent and statements are not questions, so",
    "  they are not open (the blind writers read it so; the development set, `own_1` and `own_2` were",
    "  relabelled to match), and they are not flagged `closed` either: good practice is not a fault.",
    "  Polite requests (\"Can you tell me about...\") are open. A scaling",
    "  question that asks for the number is not: a number answers it, so it is closed on purpose, like",
    "  \"how often\"; its follow-ups (\"What puts you at 4 and not lower?\") are open.",
    "- *Form*: `question` (including \"Tell me about...\" and a statement said as a question),",
    "  `reflection` (saying back what was heard or felt), `summary` (several things pulled together,",
    "  often ending \"Have I got that right?\"), `consent` (asking permission for the conversation",
    "  itself: a topic, notes, sharing, pausing), `statement` (anything else: advice, a record, a plan).",
    "- *Closed on purpose is not a fault*: consent, checking you understood, how often or how long,",
    "  the carer's willing-and-able questions, safety checks and asking for the number on a scale are",
    "  not open, but are not flagged `closed`.",
    "- *`substitution`*: the line hands the need to family, friends, neighbours, volunteers or",
    "  community groups as a replacement for support, or presumes unpaid help will fill it (\"Could your",
    "  daughter pop in more often?\"). *`minimising`*: it plays the need down or treats it as met (\"So",
    "  that's covered by your son then?\"). Both are explained with the Care Act guidance: a need met by",
    "  a carer is still a need, and the carer is entitled to their own assessment. A statement said as",
    "  a question leads, even when it also minimises or substitutes (from the `blind_h` round: before it,",
    "  the minimising or substitution code named the steer instead); a plain suggestion of unpaid help",
    "  (\"Could your daughter...?\") is `substitution` alone.",
    "- *`scaling_direction`*: the scale does not run towards what the person wants: why the number is",
    "  not higher, why it fell, a scale whose number counts the problem (\"Rate your pain\"), or a scale",
    "  asked for without saying what 10 stands for (the blind writers flag a ruler such as \"How confident",
    "  are you, 0 to 10?\" that does not say it). An anchored scale runs the wrong way when 10 is the",
    "  worst or perfection (\"If 10 is the worst your pain's ever been\", \"If 10 is perfect\"), 0 is doing",
    "  well (\"If 0 is coping brilliantly\"), or only the bottom is said (\"where 0 is awful\").",
    "- *`jargon`*: service language people rarely use about their own lives (\"personal care\",",
    "  \"mobility\", \"package\", law sections, acronyms). A PA is not jargon: people who employ a",
    "  personal assistant call them that (from the `blind_j` round).",
    "- *Good-practice lines* (for the false-flag figure): consent, reflections, summaries and",
    "  questions closed on purpose, labelled with no issues. Flagged means the checker gave any code.",
    "",
]

REHEARSAL = [
    "## Rehearsal",
    "",
    "Rehearsal (`/rehearse`) reads each line with the same checker (`bot/practice/moves.py`) and the",
    "invented person answers what the practitioner did: more after a reflection or an accurate",
    "summary, the topic actually asked about (`bot/practice/matching.py`, a pure-Python TF-IDF over the",
    "scenario's facts), short answers to closed questions, straight answers to consent, how often,",
    "willing-and-able and safety questions, and needs held back after minimising or substitution until",
    "a reflection or a summary shows they were heard. The end feedback quotes the practitioner's own",
    "lines. Three transcripts from scripted lines, with the same person:",
    "[skilled](rehearsal-skilled.md), [minimising and substituting](rehearsal-minimising.md),",
    "[closed questions](rehearsal-closed.md) (`python -m benchmarks.rehearsal_transcripts`, also run",
    "by this report). They are illustrations, not measurements: the scripts were written by the",
    "engineer who built the rehearsal.",
    "",
    "Not measured here: how the better versions compare with the writers' own (`better` in a batch);",
    "the figures above only say they pass the checker and still name the need.",
    "",
]

FIRST_SIGHT_INTRO = [
    "A batch is a YAML list of `{text, open, form, codes, better}` in `tests/data/question_batches/`.",
    "It is scored once, before anything is tuned on it:",
    "",
    "    python -m benchmarks.question_coach_report --first-sight tests/data/question_batches/NAME.yaml",
    "",
    "which writes `NAME.first_sight.json` beside it (the figures, every disagreement, the checker's",
    "commit, and hashes of the batch and the rules) and refuses to run again for that batch. This",
    "page shows those figures beside the figures after tuning. Targets on each new batch: open/closed",
    "at least 90%, form at least 85%, every code's precision and recall at least 75%, and at most 3%",
    "of good-practice lines flagged.",
    "",
    "`blind_a` is the one batch so far written blind, by a writer who never saw the rules; its",
    "first-sight column is the honest measure. The rules were then tuned on its disagreements (see",
    "\"Labelling conventions\" at the end of this page), so its \"After tuning\" column is tuned on",
    "those very lines and says little about new ones. `own_1` and `own_2` were written by the",
    "engineer who wrote the rules, so they are not blind; their \"After tuning\" columns were the",
    "held-out check in the `blind_a` round: they must not fall (two `own` lines moved with the",
    "scale convention, named at the end). \"Open or closed, questions only\" leaves out reflections,",
    "summaries, consent and statements, where `blind_a`'s writer read `open` differently from this",
    "page (before the relabelling); it has no target of its own. `blind_b` was scored after the rules",
    "were tuned on `blind_a`; the rules were not tuned on it. Since then a learned model sits beside the",
    "rules: its honest figures are in \"Leave-one-batch-out\" below, and new first-sight batches remain",
    "the measure that counts. \"After tuning\" columns now include the learned codes, trained on every",
    "batch, so they are in-sample for the model.",
    "",
    "From `blind_f` on, the writers' brief adds one sentence to the code definitions: \"List every code",
    "that applies to the line, not only the main one\" (`blind_e`'s writer had given only the main one,",
    "so `closed` was left off every closed question that also steered). `blind_f` to `blind_m` were each",
    "written by a different writer who never saw the rules, two or three at a time, and each stayed sealed",
    "until its turn: the rules were changed after each first sight (only in ways that read as general:",
    "lead-in clauses read as tags, summary length, consent and safety checks, deficit framed by a condition,",
    "scales with \"nought\" or \"one being\", a statement said as a question leads, long words alone are",
    "not length, a PA is not jargon, a lead-in or a guess is not a second question), the model retrained,",
    "and then the next batch was scored. No batch met every aim. What they miss is mostly where writers",
    "draw lines differently from each other: whether pushing the carer to do more is substitution, whether",
    "a problem-counting scale is deficit too, whether \"PA\" and \"direct payment\" are jargon, whether a",
    "long summary is too long, and how much a steering question also leads.",
    "",
    "From `blind_n` on, writers are given the labelling guide (`docs/question-labelling.md`), which settles",
    "those places in writing, never the rules or the model: a first-sight figure then measures whether the",
    "checker applies an agreed standard to wording it has never seen. The guide was written by the engineers",
    "and has not yet been agreed with a practice educator. `blind_n` and `blind_o` were written to its first",
    "version and scored together by one model; where both writers read it the same way and it had been silent",
    "(`closed` on a question whose fault is its steer, a label on a scale), the guide was revised, and",
    "`blind_p` and `blind_q` were written to the revision and scored after the checker was tuned on N and O.",
    "",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.question_coach_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first-sight", type=Path, metavar="BATCH", nargs="+",
                        help="score new batches once, before tuning, and record their figures (several at once "
                             "are scored by the same model: it is loaded before the first record is written)")
    args = parser.parse_args([] if argv is None else argv)
    if args.first_sight:
        batches = [batch.resolve() for batch in args.first_sight]
        for batch in batches:  # refused before any is scored
            if first_sight_file(batch).exists():
                raise SystemExit(f"{_shown(first_sight_file(batch))} already exists: first sight happens once.")
        score_new_batches()
        for batch in batches:
            _print_first_sight(batch, first_sight(batch))
        return
    DOC.parent.mkdir(parents=True, exist_ok=True)
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    kept = old[old.index(KEPT):] if KEPT in old else ""  # the labelling conventions, written by hand
    DOC.write_text(report() + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    rehearsal_transcripts.main()


def _print_first_sight(batch: Path, data: dict[str, Any]) -> None:
    figures = data["figures"]
    print(f"{batch.name}: {figures['lines']} lines; open/closed {_pct(figures['open_accuracy'])}, form "
          f"{_pct(figures['form_accuracy'])}, good practice flagged {figures['good_practice_flagged']} of "
          f"{figures['good_practice_lines']}")
    for code, c in figures["codes"].items():
        print(f"  {code}: precision {_pct(c['precision'])}, recall {_pct(c['recall'])} "
              f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    print(f"recorded in {_shown(first_sight_file(batch))}")


if __name__ == "__main__":
    main(sys.argv[1:])
