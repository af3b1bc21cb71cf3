"""The thin `coach` commands: flows, graph, validate, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COACH_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")


def test_flows_lists_each_flow_with_audience_and_length(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("example"))
    assert "For me" in line and "about  2 min" in line and "A two-minute taster" in line


def test_graph_prints_mermaid_with_branches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "example"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD")
    assert 'n_managing_one_up -- "managing <= 4" --> n_hard_days' in out
    assert 'n_managing_not_lower["managing.not_lower: What makes it a {{ n }} and not lower?"]' in out
    assert out.index("n_for_someone[") < out.index("n_name[") < out.index("n_helps[")


def test_graph_of_an_unknown_flow_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "exampel"]) == 2
    assert "did you mean 'example'" in capsys.readouterr().err


def test_validate_shipped_content_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("All good:")


def test_validate_a_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "nowhere.yaml"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_telegram_without_a_token_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["telegram"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "TELEGRAM_BOT_TOKEN" in err[0]


def test_a_bad_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COACH_LOG_LEVEL", "shouty")
    assert main(["flows"]) == 2
    assert capsys.readouterr().err.startswith("coach: COACH_LOG_LEVEL")


def test_no_command_prints_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "examples:" in capsys.readouterr().out


def test_purge_reports_how_many_were_erased(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--days", "30"]) == 0
    assert capsys.readouterr().out.startswith("Erased 0 people untouched for 30 days")
    assert main(["purge", "--days", "0"]) == 2
