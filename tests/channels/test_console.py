"""The terminal coach end to end: the real `coach` command, answers piped in, killed and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the real `coach` process, killed and resumed

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = [
    "1",                                   # for me
    "Sam",                                 # name
    "To stay in my own home with Biscuit", # best hopes
    "yes",                                 # reflect: that's right
    "about 6",                             # managing (scale)
    "My neighbour pops in most mornings",  # not lower
    "Getting to the shops on my own",      # one up
    "Rarely",                              # hard days
    "A lift on Tuesdays",                  # next step
    "Jo, my daughter",                     # helps (list)
    "that's all",
    "12 March",                            # meeting date
]


def coach(*args: str, db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "COACH_DB": str(db), "TELEGRAM_BOT_TOKEN": ""},
    )


def test_a_piped_flow_ends_with_the_persons_own_words(tmp_path: Path) -> None:
    result = coach("chat", "--flow", "example", "--as", "sam", db=tmp_path / "c.db", stdin="\n".join(ANSWERS) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Question 1 of about" in out
    assert "What makes it a 6 and not lower?" in out and "What would 7 look like?" in out
    summary = out.split("Here is what I've written")[1]
    for words in ("To stay in my own home with Biscuit", "My neighbour pops in most mornings",
                  "Getting to the shops on my own", "Jo, my daughter"):
        assert words in summary
    assert "not an assessment" in summary


def test_unclear_answers_get_a_kind_specific_reask_and_nothing_is_lost(tmp_path: Path) -> None:
    answers = ["1", "Sam", "/skip", "twelve", "lots", "3"]
    out = coach("chat", "--flow", "example", db=tmp_path / "c.db", stdin="\n".join(answers) + "\n").stdout
    assert "from 0 to 10" in out
    assert "What makes it a 3 and not lower?" in out


def test_killed_mid_flow_it_resumes_at_the_same_question(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    env = {**os.environ, "COACH_DB": str(db), "TELEGRAM_BOT_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "chat", "--flow", "example"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )
    assert process.stdin is not None
    process.stdin.write("1\nSam\nTo keep my garden going\nyes\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _saved_answers(db) < 4:
        time.sleep(0.1)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL

    again = coach("chat", "--flow", "example", db=db, stdin="7\n")
    assert "Welcome back" in again.stdout
    after_welcome = again.stdout.split("Welcome back", 1)[1]
    assert "how well are things going" in after_welcome.split("> 7")[0]
    assert "What makes it a 7 and not lower?" in after_welcome


def test_run_without_a_token_says_so_in_one_line_and_chats(tmp_path: Path) -> None:
    result = coach("run", db=tmp_path / "c.db", stdin="/quit\n")
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("No TELEGRAM_BOT_TOKEN set") and str(tmp_path / "c.db") in first
    assert "Hello. I'm the What Matters Coach." in result.stdout


def test_menu_numbers_tap_buttons_and_help_works(tmp_path: Path) -> None:
    out = coach("chat", db=tmp_path / "c.db", stdin="/help\n/menu\n1\n").stdout
    assert "/back" in out and "Type a number to choose." in out
    assert "Question 1 of about" in out


def test_a_menu_choice_typed_out_in_words_is_taken_like_its_number(tmp_path: Path) -> None:
    out = coach("chat", db=tmp_path / "c.db", stdin="/practice\ncheck my question\n").stdout
    assert "Type the question you'd like me to look at" in out


def _saved_answers(db: Path) -> int:
    """How many answers are committed (read through SQLite, as another process would)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("select count(*) from answer_versions").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_answers_are_not_in_the_database_file_in_clear_and_delete_erases_them(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = coach("chat", "--flow", "example", db=db, stdin="\n".join(ANSWERS) + "\n")
    assert "Biscuit" in result.stdout
    files = list(tmp_path.glob("c.db*"))
    assert files and all(b"Biscuit" not in f.read_bytes() for f in files)
    assert not list(tmp_path.glob("*.key"))  # the key is kept outside the data folder
    [key] = (Path(os.environ["XDG_CONFIG_HOME"]) / "what-matters-coach").glob("*.key")
    assert key.stat().st_mode & 0o077 == 0
    ask = coach("chat", db=db, stdin="/delete\n").stdout
    yes = next(line.split(".")[0].strip() for line in ask.splitlines() if "Yes, erase everything" in line)
    erased = coach("chat", db=db, stdin=f"/delete\n{yes}\n/summary\n").stdout
    assert "Everything about you has been erased" in erased
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from answer_versions").fetchone()[0] == 0
        assert conn.execute("select count(*) from sessions").fetchone()[0] == 0


def test_a_risky_message_in_the_terminal_gets_signposting_and_the_flow_goes_on(tmp_path: Path) -> None:
    out = coach("chat", "--flow", "example", db=tmp_path / "c.db", stdin="1\nI want to end my life\nSam\n").stdout
    after = out.split("> I want to end my life", 1)[1]
    assert "Samaritans" in after and "116 123" in after
    assert "What are your best hopes" in after.split("> Sam", 1)[1]
