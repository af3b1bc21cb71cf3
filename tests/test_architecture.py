"""Imports point one way: every unit of bot/ sits in a layer and imports only its own unit or lower layers.

A small pure checker (problems_in) walks a bot/ tree with ast; the tests below run it on the real tree and
on tiny fake trees, to prove that each rule can fail and fails for the right reason.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

# Highest first. A unit may import itself or any lower layer; never a higher one, never a neighbour in its layer.
LAYERS = (("cli",), ("channels",), ("settings",), ("conversation",), ("store", "profile", "practice", "safety"),
          ("textmodel",), ("engine",), ("content",), ("errors",))
LAYER_OF = {unit: level for level, units in enumerate(LAYERS) for unit in units}
TELEGRAM_HOME = ("channels", "telegram")
IO_MODULES = {"sqlite3", "sqlite_utils", "telegram", "os", "io", "socket", "pathlib", "subprocess", "time",
              "random", "logging", "urllib", "http", "asyncio", "shutil", "tempfile"}
CLOCK = {"now", "today", "utcnow"}  # called as methods: datetime.now(), date.today()
SQLITE = {"sqlite3", "sqlite_utils"}
STORE = "store"  # the only unit that talks to SQLite


@dataclass(frozen=True)
class Module:
    """One .py file of the tree: its dotted name, its parsed source, and what it imports as (line, dotted name)."""

    name: str
    tree: ast.Module
    imports: tuple[tuple[int, str], ...]

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))

    @property
    def unit(self) -> str:
        return unit_of(self.name)


def unit_of(name: str) -> str:
    """The first component under the package (`bot.engine.walk` -> `engine`); "" for the root package itself."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def modules_in(root: Path) -> dict[str, Module]:
    """Every module of the package at root (directories without __init__.py hold data and are skipped)."""
    names: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if all((root / parent / "__init__.py").exists() for parent in rel.parents):
            is_package = path.name == "__init__.py"
            parts = rel.parent.parts if is_package else (*rel.parent.parts, path.stem)
            names[".".join((root.name, *parts))] = (path, is_package)
    modules = {}
    for name, (path, is_package) in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules[name] = Module(name, tree, tuple(_imports(tree, name if is_package else name.rpartition(".")[0],
                                                          names)))
    return modules


def _imports(tree: ast.Module, package: str, known: dict[str, tuple[Path, bool]]) -> list[tuple[int, str]]:
    """All imports anywhere in the tree (functions, TYPE_CHECKING blocks), relative ones made absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names if f"{target}.{a.name}" in known]
    return sorted(found)


def layout_problems(root: Path, layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    """Every top-level module or package is placed in the table, and every unit of the table exists."""
    named = {unit for units in layers for unit in units}
    present = {p.stem for p in root.glob("*.py") if p.name != "__init__.py"}
    present |= {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    unknown = [f"{root.name}/{unit}{'' if (root / unit).is_dir() else '.py'} is in no layer: add it to LAYERS"
               for unit in sorted(present - named)]
    missing = [f"LAYERS names {unit}, but {root.name}/{unit} does not exist" for unit in sorted(named - present)]
    return unknown + missing


def layer_problems(modules: dict[str, Module]) -> list[str]:
    """No import goes up a layer or sideways to another unit of the same layer; the root imports nothing."""
    problems, seen = [], set()
    for module in modules.values():
        package = module.parts[0]
        for line, target in module.imports:
            if target.split(".")[0] != package or unit_of(target) in {"", module.unit}:
                continue
            if (module.name, line, unit_of(target)) in seen:
                continue
            seen.add((module.name, line, unit_of(target)))
            source_level, target_level = LAYER_OF.get(module.unit), LAYER_OF.get(unit_of(target))
            where = f"{module.name} imports {target} (line {line})"
            if module.unit == "":
                problems.append(f"{where}: the root package imports nothing from {package}")
            elif source_level is None or target_level is None:
                continue  # an unplaced unit is reported by layout_problems
            elif target_level < source_level:
                problems.append(f"{where}: {module.unit} may not import {unit_of(target)}, a higher layer")
            elif target_level == source_level:
                problems.append(f"{where}: {module.unit} may not import {unit_of(target)}, a unit of the same layer")
    return problems


def telegram_problems(modules: dict[str, Module]) -> list[str]:
    """Only the Telegram channel imports python-telegram-bot."""
    return [f"{m.name} imports {target} (line {line}): only {m.parts[0]}.{'.'.join(TELEGRAM_HOME)} may import telegram"
            for m in modules.values() if m.parts[1:3] != TELEGRAM_HOME
            for line, target in m.imports if target.split(".")[0] == "telegram"]


def engine_problems(modules: dict[str, Module]) -> list[str]:
    """The engine does no I/O and reads no clock: it gets files, time and randomness as values."""
    problems = []
    for m in (m for m in modules.values() if m.unit == "engine"):
        problems += [f"{m.name} imports {target} (line {line}): the engine does no I/O"
                     for line, target in m.imports if target.split(".")[0] in IO_MODULES]
        problems += [f"{m.name} reads the clock (line {node.lineno}): the engine gets the time as a value"
                     for node in ast.walk(m.tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK]
    return problems


def sqlite_problems(modules: dict[str, Module]) -> list[str]:
    """Only the store package talks to SQLite."""
    return [f"{m.name} imports {target} (line {line}): only {m.parts[0]}.{STORE} may import it"
            for m in modules.values() if m.parts[1:2] != (STORE,)
            for line, target in m.imports if target.split(".")[0] in SQLITE]


def import_graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    """Module -> modules of the tree it imports (importing a package is importing its __init__)."""
    return {m.name: {target for _, target in m.imports if target in modules and target != m.name}
            for m in modules.values()}


def cycle_problems(modules: dict[str, Module]) -> list[str]:
    """Every strongly connected component of more than one module, as its module names."""
    return [f"import cycle: {', '.join(component)}" for component in cycles(import_graph(modules))]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one member, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def problems_in(root: Path) -> list[str]:
    """Everything wrong with the tree at root, one line per problem."""
    modules = modules_in(root)
    return (layout_problems(root) + layer_problems(modules) + telegram_problems(modules) + engine_problems(modules)
            + sqlite_problems(modules) + cycle_problems(modules))


# The real tree.

def test_architecture_walk_is_not_vacuous() -> None:
    modules = modules_in(BOT)
    graph = import_graph(modules)
    assert len(modules) > 50
    assert sum(len(targets) for targets in graph.values()) > 50
    assert {"bot", "bot.engine", "bot.store.storage", "bot.channels.telegram.app"} <= modules.keys()
    assert any(target.startswith("telegram") for _, target in modules["bot.channels.telegram.app"].imports)
    assert any(target in SQLITE for _, target in modules["bot.store.storage"].imports)


def test_architecture_every_unit_is_placed_in_a_layer() -> None:
    assert layout_problems(BOT) == []


def test_architecture_imports_point_down_the_layers() -> None:
    assert layer_problems(modules_in(BOT)) == []


def test_architecture_only_the_telegram_channel_imports_telegram() -> None:
    assert telegram_problems(modules_in(BOT)) == []


def test_architecture_engine_does_no_io_and_reads_no_clock() -> None:
    assert engine_problems(modules_in(BOT)) == []


def test_architecture_only_the_store_imports_sqlite() -> None:
    assert sqlite_problems(modules_in(BOT)) == []


def test_architecture_has_no_import_cycles() -> None:
    assert cycle_problems(modules_in(BOT)) == []


# Fake trees: each rule fails, for the right reason.

FLAT_UNITS = {"cli", "settings", "errors"}


def fake_bot(tmp_path: Path, files: dict[str, str], *, without: str = "") -> Path:
    """A bot/ with every unit of LAYERS (except `without`) as an empty module or package, plus files."""
    root = tmp_path / "bot"
    skeleton = {f"{unit}.py" if unit in FLAT_UNITS else f"{unit}/__init__.py": ""
                for units in LAYERS for unit in units if unit != without}
    for rel, source in {"__init__.py": "", **skeleton, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(source, encoding="utf-8")
    return root


def test_checker_accepts_a_clean_tree(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {
        "cli.py": "from bot.channels import console\nfrom bot.settings import Settings\n",
        "channels/console.py": "from bot import conversation\nfrom bot.settings import Settings\n",
        "channels/telegram/__init__.py": "from .app import run\n",
        "channels/telegram/app.py": "from telegram.ext import Application\nfrom ..console import x\n",
        "conversation/__init__.py": "from .chat import Chat\n",
        "conversation/chat.py": "from bot.conversation.wording import w\nfrom bot.store import storage\n",
        "conversation/wording.py": "def f():\n    from bot.engine import walk\n",
        "store/storage.py": "import sqlite3\nfrom ..engine.walk import step\n",
        "engine/walk.py": "from datetime import date\nfrom bot.content import model\nfrom bot.errors import E\n"
                          "def f(self):\n    return self.today\n",  # an attribute named today is not the clock
        "content/model.py": "from bot.errors import E\n",
        "safety/data/loose.py": "import telegram\nfrom bot import cli\n",  # data, not code
        "assets/readme.txt": "not a package",
    })
    assert problems_in(root) == []


def test_checker_reports_an_upward_import(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"engine/walk.py": "from bot.conversation import coach\n", "conversation/coach.py": ""})
    assert problems_in(root) == [
        "bot.engine.walk imports bot.conversation (line 1): engine may not import conversation, a higher layer"]


def test_checker_reports_an_upward_import_behind_type_checking(tmp_path: Path) -> None:
    source = ("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n\n"
              "if TYPE_CHECKING:\n    from bot.conversation.chat import Chat\n")
    root = fake_bot(tmp_path, {"engine/state.py": source, "conversation/chat.py": ""})
    assert problems_in(root) == [
        "bot.engine.state imports bot.conversation.chat (line 5): engine may not import conversation, a higher layer"]


def test_checker_reports_an_import_within_a_layer(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"store/storage.py": "from bot import safety\n"})
    assert problems_in(root) == [
        "bot.store.storage imports bot.safety (line 1): store may not import safety, a unit of the same layer"]


def test_checker_reports_a_root_that_imports_the_tree(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"__init__.py": "from . import errors\n"})
    assert problems_in(root) == ["bot imports bot.errors (line 1): the root package imports nothing from bot"]


def test_checker_reports_a_cycle_inside_a_package(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {
        "conversation/coach.py": "from .review import Review\n",
        "conversation/review.py": "def later():\n    from bot.conversation import coach\n",
    })
    assert problems_in(root) == ["import cycle: bot.conversation.coach, bot.conversation.review"]


def test_checker_reports_a_cycle_behind_type_checking_through_an_init(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {
        "engine/__init__.py": "from .walk import walk\n",
        "engine/walk.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import bot.engine\n",
    })
    assert problems_in(root) == ["import cycle: bot.engine, bot.engine.walk"]


def test_checker_reports_telegram_outside_its_channel(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {
        "conversation/chat.py": "import telegram\n",
        "channels/telegram/app.py": "from telegram.ext import Application\n",
    })
    assert problems_in(root) == [
        "bot.conversation.chat imports telegram (line 1): only bot.channels.telegram may import telegram"]


def test_checker_reports_an_unknown_top_level_module(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"utils.py": "", "helpers/__init__.py": ""})
    assert problems_in(root) == ["bot/helpers is in no layer: add it to LAYERS",
                                 "bot/utils.py is in no layer: add it to LAYERS"]


def test_checker_reports_a_unit_that_does_not_exist(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {}, without="practice")
    assert problems_in(root) == ["LAYERS names practice, but bot/practice does not exist"]


def test_checker_reports_io_and_clocks_in_the_engine(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"engine/walk.py": "import os\nfrom datetime import datetime\nNOW = datetime.now()\n"})
    assert problems_in(root) == ["bot.engine.walk imports os (line 1): the engine does no I/O",
                                 "bot.engine.walk reads the clock (line 3): the engine gets the time as a value"]


def test_checker_reports_sqlite_outside_the_store(tmp_path: Path) -> None:
    root = fake_bot(tmp_path, {"profile/data.py": "import sqlite_utils\n", "store/storage.py": "import sqlite3\n"})
    assert problems_in(root) == ["bot.profile.data imports sqlite_utils (line 1): only bot.store may import it"]
