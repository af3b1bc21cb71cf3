"""Imports point downward: only the Telegram channel imports telegram; the engine does no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
PURE = {"engine", "flow_walk", "answering", "interpret", "answer_parsing", "dates", "expressions", "prompts",
        "session", "model", "keyboards"}
IO_MODULES = {"sqlite3", "sqlite_utils", "telegram", "os", "io", "socket", "pathlib", "subprocess", "time",
              "random", "logging", "urllib", "http", "asyncio", "shutil", "tempfile"}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> dict[str, set[str]]:
    return {str(p.relative_to(BOT)): imports_of(p) for p in BOT.rglob("*.py")}


def test_only_the_telegram_channel_imports_telegram() -> None:  # the package bot/channels/telegram/
    users = sorted(name for name, found in modules().items() if any(m.split(".")[0] == "telegram" for m in found))
    assert users and all(name.startswith("channels/telegram/") for name in users)


def test_the_engine_and_its_helpers_do_no_io() -> None:
    for name, found in modules().items():
        if name.startswith("engine/"):
            roots = {m.split(".")[0] for m in found}
            assert not roots & IO_MODULES, f"{name} imports {roots & IO_MODULES}"
            assert "datetime" not in found or _no_clock(BOT / name), f"{name} reads the clock"


def test_only_storage_imports_sqlite() -> None:
    users = sorted(name for name, found in modules().items() if {"sqlite3", "sqlite_utils"} & found)
    assert users == ["store/storage.py"]


def test_nothing_below_the_channels_imports_them() -> None:
    for name, found in modules().items():
        if not name.startswith("channels/") and name != "cli.py":
            assert not any(m.startswith("bot.channels") for m in found), f"{name} imports a channel"


def _no_clock(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    return ".now(" not in source and ".today(" not in source and "utcnow" not in source
