"""Settings from the environment, with an optional `.env` file (read by python-dotenv) for anything
not set there.

Every name is listed, with a comment, in `.env.example`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv.parser import parse_stream

from bot.errors import ConfigError

log = logging.getLogger(__name__)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
APP_DIR = "what-matters-coach"


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None = None
    telegram_base_url: str | None = None
    db_path: Path = Path("data/coach.db")
    flows_dir: Path = Path("flows")
    banks_dir: Path = Path("question_banks")
    log_level: str = "WARNING"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    retention_days: int = 180
    secret_key: str | None = None
    key_file: Path | None = None  # None: beside the database if one is there from before, else in key_dir
    key_dir: Path = field(default_factory=lambda: key_dir(os.environ))
    safety_resources: Path | None = None


def read_env_file(path: Path) -> dict[str, str]:
    """NAME=value lines as python-dotenv reads them (quotes, `export`, trailing ` # comments`), without
    expanding ${VARIABLES}. A value the coach's own reader (before python-dotenv) would have read
    differently is named in a warning (never shown: it may be a secret), so a changed key is noticed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    with path.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            line = binding.original.line
            if binding.error or (binding.key is not None and binding.value is None):
                raise ConfigError(f"{path}:{line}: expected NAME=value")
            if binding.key is None or binding.value is None:
                continue  # a blank line or a comment
            if _old_reading(binding.original.string) != binding.value:
                log.warning("%s:%d: %s is now read without what follows ' #' (or with quotes and escapes "
                            "undone); check it is what you meant", path, line, binding.key)
            values[binding.key] = binding.value
    return values


def _old_reading(line: str) -> str:
    """The value as the coach read it before python-dotenv: everything after '=', outer quotes removed."""
    value = line.strip().removeprefix("export ").partition("=")[2].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def key_dir(environ: Mapping[str, str]) -> Path:
    """Where key files are made: $XDG_CONFIG_HOME/what-matters-coach, else ~/.config/what-matters-coach."""
    config = environ.get("XDG_CONFIG_HOME", "")
    if not Path(config).is_absolute():  # unset, empty or relative: the XDG spec says ignore it
        config = str(Path(environ.get("HOME") or Path.home(), ".config"))
    return Path(config, APP_DIR)


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path = Path(".env")) -> Settings:
    """The environment wins over `.env`; empty values count as unset."""
    merged = {**read_env_file(env_file), **(os.environ if environ is None else environ)}

    def get(name: str) -> str | None:
        value = merged.get(name, "").strip()
        return value or None

    def number(name: str, default: int) -> int:
        raw = get(name)
        if raw is None:
            return default
        if not (raw.isascii() and raw.isdigit()):
            raise ConfigError(f"{name} must be a whole number, not '{raw}'")
        return int(raw)

    level = (get("COACH_LOG_LEVEL") or "WARNING").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"COACH_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not '{level}'")
    db_path = Path(get("COACH_DB") or "data/coach.db")
    resources = get("COACH_SAFETY_RESOURCES")
    key_file = get("COACH_KEY_FILE")
    return Settings(
        telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
        telegram_base_url=get("TELEGRAM_BASE_URL"),
        db_path=db_path,
        flows_dir=Path(get("COACH_FLOWS_DIR") or "flows"),
        banks_dir=Path(get("COACH_BANKS_DIR") or "question_banks"),
        log_level=level,
        webhook_url=get("COACH_WEBHOOK_URL"),
        webhook_secret=get("COACH_WEBHOOK_SECRET"),
        webhook_listen=get("COACH_WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=number("COACH_WEBHOOK_PORT", 8443),
        retention_days=number("COACH_RETENTION_DAYS", 180),
        secret_key=get("COACH_SECRET_KEY"),
        key_file=Path(key_file).expanduser() if key_file else None,
        key_dir=key_dir(merged),
        safety_resources=Path(resources) if resources else None,
    )
