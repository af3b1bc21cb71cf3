"""Settings come from the environment first, then an optional .env file."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_with_nothing_set(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / "missing.env")
    assert settings.telegram_bot_token is None
    assert settings.db_path == Path("data/coach.db")
    assert settings.flows_dir == Path("flows") and settings.banks_dir == Path("question_banks")
    assert settings.log_level == "WARNING" and settings.retention_days == 180


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('# comment\nTELEGRAM_BOT_TOKEN="123:abc"\nCOACH_DB=/tmp/x.db\nexport COACH_LOG_LEVEL=info\n')
    settings = load_settings({"COACH_DB": "/tmp/y.db", "TELEGRAM_BASE_URL": "http://127.0.0.1:9"}, env)
    assert settings.telegram_bot_token == "123:abc"
    assert settings.db_path == Path("/tmp/y.db")
    assert settings.log_level == "INFO"
    assert settings.telegram_base_url == "http://127.0.0.1:9"


def test_empty_values_count_as_unset(tmp_path: Path) -> None:
    assert load_settings({"TELEGRAM_BOT_TOKEN": "  "}, tmp_path / "none").telegram_bot_token is None


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"COACH_LOG_LEVEL": "loud"}, "COACH_LOG_LEVEL must be one of"),
        ({"COACH_RETENTION_DAYS": "soon"}, "COACH_RETENTION_DAYS must be a whole number"),
    ],
)
def test_bad_values_are_one_clear_line(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ, tmp_path / "none")


def test_a_malformed_env_file_line_is_reported_with_its_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("OK=1\nnot a setting\n")
    with pytest.raises(ConfigError, match=r"\.env:2: expected NAME=value"):
        load_settings({}, env)


def test_env_example_lists_every_setting() -> None:
    names = {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
             if line and not line.startswith("#")}
    source = (ROOT / "bot" / "settings.py").read_text()
    used = set(re.findall(r'(?:get|number)\("((?:COACH|TELEGRAM)_[A-Z_]+)"', source))
    assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "COACH_DB", "COACH_FLOWS_DIR", "COACH_BANKS_DIR",
            "COACH_LOG_LEVEL", "COACH_SECRET_KEY", "COACH_KEY_FILE"} <= used
    assert used <= names


def test_env_file_trailing_comment_is_not_part_of_the_value(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The old reader kept ` # note` in the value, so the key derived from it was another key."""
    env = tmp_path / ".env"
    env.write_text("COACH_SECRET_KEY=correct horse battery staple  # the passphrase\nCOACH_LOG_LEVEL=info\n")
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        settings = load_settings({}, env)
    assert settings.secret_key == "correct horse battery staple"
    assert settings.log_level == "INFO"
    [warning] = caplog.records
    assert warning.getMessage().startswith(f"{env}:1: COACH_SECRET_KEY is now read without what follows ' #'")
    assert "horse" not in caplog.text and "passphrase" not in caplog.text  # the value is never shown


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('COACH_DB="/tmp/with space.db"', "/tmp/with space.db"),
        ("COACH_DB='/tmp/x.db' # quoted, then a comment", "/tmp/x.db"),
        ("export COACH_DB=/tmp/x.db", "/tmp/x.db"),
        ("COACH_DB=/tmp/x#1.db", "/tmp/x#1.db"),  # '#' with no space before it is part of the value
        ("COACH_DB=/tmp/${HOME}.db", "/tmp/${HOME}.db"),  # no expansion
    ],
)
def test_env_file_values_as_python_dotenv_reads_them(tmp_path: Path, line: str, expected: str) -> None:
    env = tmp_path / ".env"
    env.write_text(line + "\n")
    assert load_settings({}, env).db_path == Path(expected)


def test_env_file_read_the_same_as_before_gives_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = tmp_path / ".env"
    env.write_text((ROOT / ".env.example").read_text())
    with caplog.at_level(logging.WARNING):
        load_settings({}, env)
    assert caplog.records == []


def test_key_file_defaults_to_none_and_key_dir_follows_xdg(tmp_path: Path) -> None:
    settings = load_settings({"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": "/nowhere"}, tmp_path / "none")
    assert settings.key_file is None
    assert settings.key_dir == tmp_path / "config" / "what-matters-coach"
    fallback = load_settings({"XDG_CONFIG_HOME": "relative/ignored", "HOME": str(tmp_path)}, tmp_path / "none")
    assert fallback.key_dir == tmp_path / ".config" / "what-matters-coach"
    chosen = load_settings({"COACH_KEY_FILE": "~/keys/coach.key", "HOME": str(tmp_path)}, tmp_path / "none")
    assert chosen.key_file == Path("~/keys/coach.key").expanduser()
