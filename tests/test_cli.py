"""The thin `coach` commands: flows, graph, validate, clear errors; and, end to end with the real
process, the database's lock and keys (a temporary home: no test writes to the real one)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import ConfigError
from bot.store.encryption import FernetCipher, read_key_file
from bot.store.keys import open_storage
from bot.store.lock import ProcessLock

ROOT = Path(__file__).resolve().parent.parent
CODE = "import sys; from bot.cli import main; sys.exit(main())"
FIRST_QUESTION = "Who are we thinking about"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COACH_DB", str(tmp_path / "data" / "c.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("COACH_SECRET_KEY", "COACH_KEY_FILE", "COACH_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)


def db_path() -> Path:
    return Path(os.environ["COACH_DB"])


def key_dir() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "what-matters-coach"


def coach(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """The real `coach` command, in its own process, with answers piped in."""
    return subprocess.run([sys.executable, "-c", CODE, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env={**os.environ, **env})


def running_chat(**env: str) -> subprocess.Popen[str]:
    """`coach chat` left waiting for an answer (it holds the database's lock)."""
    process = subprocess.Popen([sys.executable, "-c", CODE, "chat", "--flow", "example"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + 30
    while FIRST_QUESTION not in seen and time.monotonic() < deadline:
        line = process.stdout.readline()
        assert line, f"the coach stopped: {seen}"
        seen += line
    return process


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The refusal: exit code 2 and exactly one line, with no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("coach: ")
    return lines[0]


def test_flows_lists_each_flow_with_audience_and_length(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("example"))
    assert "For me" in line and "about  2 min" in line and "A two-minute taster" in line


def test_graph_prints_mermaid_with_branches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "example"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD")
    assert 'n_hard_days -- "hard_days == \'rarely\'" --> n_helps' in out
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


def test_chat_away_from_the_repository_says_where_it_looked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Not an empty menu that answers nothing: the coach names the folders it could not find."""
    monkeypatch.chdir(tmp_path)
    assert main(["chat"]) == 1
    err = capsys.readouterr().err
    assert "flows:0: no such folder" in err and "COACH_FLOWS_DIR" in err and "COACH_BANKS_DIR" in err


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


# ----- one coach per database -----


@pytest.mark.slow
def test_a_second_coach_on_the_same_database_refuses_to_start() -> None:
    first = running_chat()
    try:
        second = coach("chat", "--flow", "example", stdin="1\n")
        assert one_line_error(second) == (f"coach: another coach is already running on {db_path()} "
                                          f"(pid {first.pid}); stop it first, or give this one its own COACH_DB")
        assert FIRST_QUESTION not in second.stdout
        assert one_line_error(coach("run", stdin="1\n")).startswith("coach: another coach is already running")
    finally:
        first.communicate("", timeout=30)  # end of input: the first one stops
    assert first.returncode == 0
    assert coach("chat", "--flow", "example", stdin="1\n").returncode == 0  # the lock went with it


@pytest.mark.slow
def test_a_coach_killed_with_sigkill_leaves_no_lock_behind() -> None:
    first = running_chat()
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL
    again = coach("chat", "--flow", "example", stdin="1\n")
    assert again.returncode == 0, again.stderr
    assert FIRST_QUESTION in again.stdout


@pytest.mark.parametrize(("args", "code"), [
    (["chat", "--flow", "example"], 2),
    (["run"], 2),
    (["rotate-key"], 2),
    (["profile", "--as", "nobody"], 0),
    (["purge", "--days", "30"], 0),
    (["validate"], 0),
    (["flows"], 0),
    (["check-question", "How do you feel about that?"], 0),
    (["check-safety", "I had a lovely day"], 0),
])
def test_only_a_running_coach_and_rotate_key_need_the_lock(args: list[str], code: int,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    open_storage(db_path(), key_dir=key_dir()).close()  # the database and its key exist
    lock = ProcessLock(db_path())  # as if a coach were running on it
    try:
        assert main(args) == code
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert ("another coach is already running" in err) == (code == 2), err


# ----- keys -----


@pytest.mark.slow
def test_a_fresh_database_gets_its_key_outside_the_data_folder_owner_only() -> None:
    result = coach("chat", "--flow", "example", "--as", "sam", stdin="1\nSam\n")
    assert result.returncode == 0, result.stderr
    [key_file] = key_dir().iterdir()
    assert key_file.suffix == ".key" and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in db_path().parent.iterdir() if p.suffix == ".key") == []
    for file in db_path().parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    assert "made a new key file at" in result.stderr and str(key_file) in result.stderr
    again = coach("profile", "--as", "sam")
    assert again.returncode == 0 and "Sam" in again.stdout  # the same key is found again
    assert list(key_dir().iterdir()) == [key_file]


@pytest.mark.slow
def test_a_wrong_secret_key_refuses_to_start_with_one_clear_line() -> None:
    assert coach("chat", "--flow", "example", stdin="1\nSam\n", COACH_SECRET_KEY="the first passphrase").returncode == 0
    wrong = coach("chat", "--flow", "example", stdin="1\nSomeone else\n", COACH_SECRET_KEY="another passphrase")
    assert one_line_error(wrong) == (
        f"coach: COACH_SECRET_KEY does not open {db_path()}, which holds answers saved under another key: set it back "
        "to the key they were saved with (after `coach rotate-key`, the new key it printed); nothing was changed")
    assert FIRST_QUESTION not in wrong.stdout
    right = coach("profile", "--as", "me", COACH_SECRET_KEY="the first passphrase")
    assert right.returncode == 0 and "Sam" in right.stdout and "Someone else" not in right.stdout


@pytest.mark.slow
def test_a_missing_key_file_with_people_stored_refuses_and_makes_no_new_key() -> None:
    assert coach("chat", "--flow", "example", stdin="1\nSam\n").returncode == 0
    [key_file] = key_dir().iterdir()
    key = key_file.read_bytes()
    key_file.unlink()
    refused = coach("chat", "--flow", "example", stdin="1\n")
    assert one_line_error(refused).startswith(
        f"coach: {db_path()} holds saved answers but its key file {key_file} is missing: put the key file back")
    assert list(key_dir().iterdir()) == []  # no new key over the people stored
    assert one_line_error(coach("profile", "--as", "me")) == one_line_error(refused)
    key_file.write_bytes(key)  # the backup comes back: everything opens again
    assert "Sam" in coach("profile", "--as", "me").stdout


@pytest.mark.slow
def test_a_key_file_beside_the_database_from_before_is_still_used_with_a_warning() -> None:
    legacy = db_path().with_suffix(".key")
    assert coach("chat", "--flow", "example", stdin="1\nSam\n", COACH_KEY_FILE=str(legacy)).returncode == 0
    result = coach("profile", "--as", "me")  # no COACH_KEY_FILE: the old default place is looked at
    assert result.returncode == 0 and "Sam" in result.stdout
    assert f"the key file {legacy} sits beside the database" in result.stderr
    assert not key_dir().exists()


@pytest.mark.slow
def test_rotate_key_moves_everything_to_a_new_key_file() -> None:
    assert coach("chat", "--flow", "example", "--as", "sam", stdin="1\nSam\nTo keep my garden\n").returncode == 0
    [key_file] = key_dir().iterdir()
    old = read_key_file(key_file)
    rotated = coach("rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.startswith("Done: ") and f"{key_file} holds it" in rotated.stdout
    assert read_key_file(key_file) != old and list(key_dir().iterdir()) == [key_file]
    result = coach("profile", "--as", "sam")
    assert result.returncode == 0 and "To keep my garden" in result.stdout
    with pytest.raises(ConfigError, match="does not open"):
        open_storage(db_path(), key_file=_write_key(old), key_dir=key_dir())


def test_rotate_key_with_a_secret_key_prints_the_new_one_first(capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_SECRET_KEY", "the old passphrase")
    storage = open_storage(db_path(), secret_key="the old passphrase", key_dir=key_dir())
    storage.save_settings("cli:me", {"name": "Sam"})
    storage.close()
    assert main(["rotate-key"]) == 0
    out = capsys.readouterr().out.splitlines()
    new_key = out[1]
    assert "set COACH_SECRET_KEY to it" in out[0] and out[2].startswith("Done: ")
    reopened = open_storage(db_path(), secret_key=new_key, key_dir=key_dir())
    assert reopened.settings("cli:me") == {"name": "Sam"}
    assert isinstance(reopened.cipher, FernetCipher)
    reopened.close()
    assert not key_dir().exists()  # nothing written to a key file
    with pytest.raises(ConfigError, match="COACH_SECRET_KEY does not open"):
        open_storage(db_path(), secret_key="the old passphrase", key_dir=key_dir())


def _write_key(key: bytes) -> Path:
    path = db_path().parent / "old.key"
    path.write_bytes(key + b"\n")
    path.chmod(0o600)
    return path


# ----- the safety net's own checks -----


def test_check_safety_json_reports_band_categories_and_what_fired(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["check-safety", "I want to kill myself", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["risk"] is True and found["band"] == "signpost" and found["fired"] in ("patterns", "both")
    assert found["categories"] == ["suicide_self_harm"]
    assert main(["check-safety", "How would you ask someone about self-harm?", "--practice", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["band"] == "none"


def test_without_its_classifier_the_safety_net_says_so_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    import bot.safety.classifier as classifier

    monkeypatch.setattr(classifier, "MODEL_FILE", tmp_path / "missing.json")
    classifier.shipped_model.cache_clear()
    try:
        assert main(["check-safety", "I want to kill myself", "--json"]) == 0
        captured = capsys.readouterr()
        assert "WARNING" in captured.err and "patterns alone" in captured.err
        assert '"band": "signpost"' in captured.out  # the patterns still answer
    finally:
        classifier.shipped_model.cache_clear()
