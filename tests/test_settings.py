"""Settings come from the environment first, then an optional .env file."""

from __future__ import annotations

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
    used = {word.strip('"') for word in source.split("get(")[1:] for word in [word.split(")")[0]]}
    used |= {part.split('"')[1] for part in source.split("number(")[1:]}
    assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "COACH_DB", "COACH_FLOWS_DIR", "COACH_BANKS_DIR",
            "COACH_LOG_LEVEL"} <= names
    assert {u for u in used if u.isupper()} <= names
