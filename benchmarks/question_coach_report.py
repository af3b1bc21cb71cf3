"""How well the question checker agrees with the team's labelled practitioner questions.

`python -m benchmarks.question_coach_report` writes docs/question-coach.md: open/closed
accuracy, precision and recall per issue code, the confusion tables, and the same figures for
the held-out questions (written after the rules were tuned) on their own.
"""

from __future__ import annotations

import datetime
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.practice.checker import ISSUE_CODES, check_question

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "practitioner_questions.yaml"
DOC = ROOT / "docs" / "question-coach.md"
AIMS = {"open": 0.95, "code": 0.85}


@dataclass
class Scores:
    """Counts for one run over a list of labelled questions."""

    total: int = 0
    open_right: int = 0
    open_table: dict[tuple[bool, bool], int] = field(default_factory=dict)  # (labelled, checker) -> count
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> tp/fp/fn/tn
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.open_right / self.total if self.total else 0.0

    def precision(self, code: str) -> float:
        c = self.counts[code]
        return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0

    def recall(self, code: str) -> float:
        c = self.counts[code]
        return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0


def load_labelled(path: Path = LABELLED) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])


def score(items: list[dict[str, Any]]) -> Scores:
    result = Scores(counts={code: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for code in ISSUE_CODES})
    for item in items:
        verdict = check_question(item["q"])
        wanted, got = set(item["issues"]), set(verdict.codes)
        result.total += 1
        result.open_right += verdict.open == item["open"]
        key = (bool(item["open"]), verdict.open)
        result.open_table[key] = result.open_table.get(key, 0) + 1
        for code in ISSUE_CODES:
            cell = ("tp" if code in got else "fn") if code in wanted else ("fp" if code in got else "tn")
            result.counts[code][cell] += 1
        if wanted != got:
            result.misses.append((item["q"], sorted(wanted), sorted(got)))
    return result


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _section(title: str, scores: Scores) -> list[str]:
    t = scores.open_table
    lines = [
        f"## {title}",
        "",
        f"{scores.total} questions. Open or closed: **{_pct(scores.accuracy)}** correct "
        f"(aim {_pct(AIMS['open'])}).",
        "",
        "| Labelled \\ Checker says | open | closed |",
        "| --- | ---: | ---: |",
        f"| open | {t.get((True, True), 0)} | {t.get((True, False), 0)} |",
        f"| closed | {t.get((False, True), 0)} | {t.get((False, False), 0)} |",
        "",
        "| Issue code | Labelled | True pos. | False pos. | False neg. | True neg. | Precision | Recall | Aim met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for code in ISSUE_CODES:
        c = scores.counts[code]
        met = scores.precision(code) >= AIMS["code"] and scores.recall(code) >= AIMS["code"]
        lines.append(f"| `{code}` | {c['tp'] + c['fn']} | {c['tp']} | {c['fp']} | {c['fn']} | {c['tn']} | "
                     f"{_pct(scores.precision(code))} | {_pct(scores.recall(code))} | {'yes' if met else 'no'} |")
    lines.append("")
    if scores.misses:
        lines += ["Where the checker and the labels disagree:", ""]
        lines += [f"- \"{q}\": labelled {', '.join(w) or 'none'}; checker {', '.join(g) or 'none'}"
                  for q, w, g in scores.misses]
        lines.append("")
    return lines


def report() -> str:
    items = load_labelled()
    started = time.perf_counter()
    everything = score(items)
    per_question_ms = (time.perf_counter() - started) * 1000 / max(1, len(items))
    holdout = score([i for i in items if i.get("holdout")])
    lines = [
        "# Question coach: how the checker measures up",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.platform()} "
        f"(Python {platform.python_version()}), about {per_question_ms:.2f} ms per question.",
        "",
        "The checker (`bot/practice/checker.py`, rules in `bot/practice/data/question_rules.yaml`) is compared with",
        f"{len(items)} practitioner questions labelled by hand in `tests/data/practitioner_questions.yaml`.",
        "The aims from issue 6: open/closed at least 95% correct; every issue code at least 85% precision",
        "and recall.",
        "",
        "Read the figures with care. The same person wrote the rules and most of the labels, and the",
        "rules were tuned on the first part of the set. The last part (marked `holdout`) was written",
        "after tuning, in two batches, and measured before any rule was changed for it. That first",
        "measurement is the fairer guide to questions the checker has not seen. It is a small set, so",
        "one miss moves a figure a lot.",
        "",
        "**Held-out figures as first measured.** Before any rule was changed for them, the 104 held-out",
        "questions scored: open/closed 99.0%; `deficit` recall 81.8% (9 of 11), `scaling_direction` recall",
        "75.0% (6 of 8), `jargon` recall 92.3% (12 of 13), `double` precision 90.0%, `closed` precision",
        "96.9%; every other code 100%. Four general fixes followed from those misses (\"what can't X do\",",
        "\"why aren't you at a 10\", \"you gave it 5... why not 8\", and \"non-compliant\" as service",
        "language), so the held-out figures below are no longer blind: quote the ones above as the",
        "fairer guide.",
        "",
        "A question is *closed* when yes, no or a single fact answers it; scaling questions count as",
        "open because they start a conversation. Polite requests (\"Can you tell me about...\") count as",
        "open.",
        "",
    ]
    lines += _section("All labelled questions", everything)
    lines += _section("Held-out questions only", holdout)
    lines += [
        "Run `python -m benchmarks.question_coach_report` to refresh this page after changing the rules",
        "or the labelled set.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(report(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
