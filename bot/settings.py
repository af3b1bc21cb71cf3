"""Settings from the environment, with an optional `.env` file for anything not set there.

Every name is listed, with a comment, in `.env.example`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


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
    key_file: Path = Path("data/coach.key")
    safety_resources: Path | None = None


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments ignored; surrounding quotes removed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


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
        key_file=Path(get("COACH_KEY_FILE") or db_path.with_suffix(".key")),
        safety_resources=Path(resources) if resources else None,
    )
