"""The question coach report: scoring a batch, first sight recorded once, and the report beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from benchmarks import question_coach_report as report
from benchmarks import rehearsal_transcripts

BATCH = [
    {"text": "It sounds like the nights are the hardest part.", "open": False, "form": "reflection", "codes": []},
    {"text": "Could your daughter pop in more often?", "open": False, "form": "question",
     "codes": ["substitution"], "better": "What help would work best for you?"},
    {"text": "How often does he get up in the night?", "open": False, "form": "question", "codes": []},
    # labelled as a plain open question on purpose, to make one disagreement
    {"text": "So that's covered by your son then?", "open": True, "form": "question", "codes": []},
]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "trial.yaml"
    path.write_text(yaml.safe_dump(BATCH), encoding="utf-8")
    return path


def test_score_counts_open_form_codes_and_good_practice(batch: Path) -> None:
    scores = report.score(report.load_batch(batch))
    assert (scores.total, scores.open_right, scores.form_right) == (4, 3, 4)
    assert scores.counts["substitution"] == {"tp": 1, "fp": 1, "fn": 0}  # "covered by your son" hands it on too
    assert scores.counts["minimising"] == {"tp": 0, "fp": 1, "fn": 0}  # "covered by your son" treats the need as met
    assert (scores.good, scores.good_flagged) == (2, 0)
    assert [m["text"] for m in scores.misses] == ["So that's covered by your son then?"]


def test_first_sight_is_recorded_once(batch: Path) -> None:
    data = report.first_sight(batch)
    record = report.first_sight_file(batch)
    assert record.name == "trial.first_sight.json"
    saved = json.loads(record.read_text(encoding="utf-8"))
    assert saved == data and saved["figures"]["lines"] == 4 and saved["figures"]["open_accuracy"] == 0.75
    assert len(saved["batch_sha256"]) == 64 and len(saved["rules_sha256"]) == 64
    with pytest.raises(SystemExit, match="first sight happens once"):
        report.first_sight(batch)
    assert json.loads(record.read_text(encoding="utf-8")) == saved


def test_open_or_closed_on_questions_only_is_recorded_or_worked_out_from_the_disagreements(batch: Path) -> None:
    data = report.first_sight(batch)
    assert data["figures"]["question_open_accuracy"] == round(2 / 3, 4)  # three questions, one labelled open wrongly
    older = {**data, "figures": {k: v for k, v in data["figures"].items() if k != "question_open_accuracy"}}
    assert report._questions_open_at_first_sight(older, report.load_batch(batch)) == 2 / 3


def test_writing_the_page_keeps_the_hand_written_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "question-coach.md"
    doc.write_text("# old figures\n\n" + report.KEPT + "\n## Labelling conventions\n\nDecided by hand.\n")
    monkeypatch.setattr(report, "DOC", doc)
    monkeypatch.setattr(report, "ROOT", tmp_path)
    monkeypatch.setattr(rehearsal_transcripts, "main", lambda: None)
    report.main([])
    text = doc.read_text(encoding="utf-8")
    assert "# old figures" not in text and text.startswith("# Question coach")
    assert text.endswith(report.KEPT + "\n## Labelling conventions\n\nDecided by hand.\n")


def test_a_batch_with_an_unknown_code_or_form_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump([{"text": "Why?", "open": True, "form": "question", "codes": ["rude"]}]))
    with pytest.raises(SystemExit, match="unknown codes"):
        report.load_batch(path)


def test_the_report_shows_each_recorded_batch_beside_its_figures_now() -> None:
    text = report.report()
    assert "## First-sight batches" in text and "--first-sight" in text
    for record in sorted(report.BATCHES.glob("*.first_sight.json")):
        name = record.name.removesuffix(".first_sight.json") + ".yaml"
        assert f"### `{name}`" in text
        assert "| Figure | First sight | After tuning | Target |" in text


def test_the_three_transcripts_differ_and_quote_the_practitioner() -> None:
    texts = {script.slug: rehearsal_transcripts.transcript(script) for script in rehearsal_transcripts.SCRIPTS}
    assert set(texts) == {"skilled", "minimising", "closed"}
    for script in rehearsal_transcripts.SCRIPTS:
        feedback = texts[script.slug].split("## End feedback")[1]
        assert any(f"\u201c{line}\u201d" in feedback for line in script.lines), script.slug
    told = {slug: text.split("What Jean told you (")[1].split(" ")[0] if "What Jean told you (" in text else "0"
            for slug, text in texts.items()}
    assert int(told["skilled"]) > int(told["minimising"]) > int(told["closed"])
    assert "held back" in texts["minimising"] and "Honestly?" in texts["minimising"]
    assert "held back" not in texts["skilled"]
