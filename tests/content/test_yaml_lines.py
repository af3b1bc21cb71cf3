"""The line-aware YAML loader: libyaml and the pure-Python parser read every file alike.

Good files are read by libyaml (`C_LOADER`) for speed; broken ones are read again by the
pure-Python parser (`PURE_LOADER`) so their messages are the same with or without libyaml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import yaml_lines
from bot.content.loader import load_content
from bot.content.yaml_lines import PURE_LOADER, YamlList, YamlMap, YamlSyntaxError, load_yaml, read_with

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [
        *(ROOT / "question_banks").glob("*.yaml"),
        *(ROOT / "flows").rglob("*.yaml"),
        *(ROOT / "tests" / "data").rglob("*.yaml"),
    ]
)
needs_libyaml = pytest.mark.skipif(yaml_lines.C_LOADER is None, reason="PyYAML was built without libyaml")


def assert_same(fast: Any, pure: Any, where: str = "") -> None:
    """Equal data and equal lines, all the way down."""
    assert type(fast) is type(pure), where
    if isinstance(fast, YamlMap):
        assert (fast.line, fast.key_lines, list(fast)) == (pure.line, pure.key_lines, list(pure)), where
        for key in fast:
            assert_same(fast[key], pure[key], f"{where}.{key}")
    elif isinstance(fast, YamlList):
        assert (fast.line, fast.item_lines, len(fast)) == (pure.line, pure.item_lines, len(pure)), where
        for index, (a, b) in enumerate(zip(fast, pure, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    else:
        assert fast == pure, where


def outcome(text: str) -> tuple[str, Any]:
    try:
        return "data", load_yaml(text)
    except YamlSyntaxError as exc:
        return "error", (exc.line, exc.message)


def test_every_file_is_checked() -> None:
    assert len(FILES) > 60
    assert any(p.parent.name == "broken" for p in FILES) and any(p.parent.name == "flows" for p in FILES)


@needs_libyaml
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_pure_python_read_every_file_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        pure = read_with(PURE_LOADER, text)
    except yaml.YAMLError:
        # broken: libyaml may word it differently, so load_yaml gives the pure parser's message
        fast = outcome(text)
        monkeypatch.setattr(yaml_lines, "C_LOADER", None)
        assert fast == outcome(text)
        assert fast[0] == "error"
        return
    assert_same(read_with(yaml_lines.C_LOADER, text), pure)  # type: ignore[arg-type]
    assert_same(load_yaml(text), pure)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # libyaml says "did not find expected ',' or ']'": the message is the pure parser's
        (
            "title: x\nsteps: [a, b\naudience: person\n",
            (2, "YAML syntax error: expected ',' or ']', but got ':' (parsing a flow sequence that starts here)"),
        ),
        ("a: 1\na: 2\n", (2, "YAML syntax error: the key 'a' appears twice")),
        # libyaml reads these two; the pure parser never did, so they stay problems
        ("title: a\tb\n", (1, "YAML syntax error: found character '\\t' that cannot start any token")),
        (
            "steps:\n  - a\n\ufeff\n  - b\n",
            (3, "YAML syntax error: could not find expected ':' (scanning a simple key that starts here)"),
        ),
    ],
    ids=["libyaml-words-it-differently", "duplicate-key", "tab-in-plain-text", "byte-order-mark-mid-file"],
)
def test_broken_text_gives_the_pure_parsers_message(text: str, expected: tuple[int, str]) -> None:
    assert outcome(text) == ("error", expected)


def test_a_byte_order_mark_mid_file_reads_as_it_always_did() -> None:
    """libyaml refuses this one; the pure parser reads the mark as part of the key, as before."""
    assert load_yaml("title: x\n\ufeffsteps: []\n") == {"title": "x", "\ufeffsteps": []}


def test_without_libyaml_the_pure_parser_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert yaml_lines.c_loader() is None
    with_libyaml = load_content(ROOT / "question_banks", ROOT / "flows")
    monkeypatch.setattr(yaml_lines, "C_LOADER", None)
    without = load_content(ROOT / "question_banks", ROOT / "flows")
    assert without == with_libyaml
    data = load_yaml("title: x\nsteps:\n  - say: hello\n")
    assert (data.line_of("steps"), data["steps"].line_of(0)) == (2, 3)


def laughs(levels: int, width: int = 10) -> str:
    """The 'billion laughs': each anchor is a list of `width` aliases to the one before."""
    rows = ["title: Laughs", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join([*rows, f"description: *a{levels}", ""])


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure"])
def test_an_alias_bomb_is_a_problem_not_a_hang(libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not libyaml:
        monkeypatch.setattr(yaml_lines, "C_LOADER", None)
    limit = yaml_lines.MAX_ALIAS_EXPANSION
    message = f"YAML syntax error: aliases (*name) expand to more than {limit:,} repeated items and characters"
    assert outcome(laughs(9)) == ("error", (6, message))  # 10^10 "lol"s; a4 (line 6) goes over
    assert outcome(laughs(1, width=3_000)) == ("error", (3, message))  # 3,000 x 41 items and characters


def test_a_few_aliases_read_as_before() -> None:
    data = load_yaml("choices: &c [here, there]\nagain: *c\nmore: {<<: {a: 1}, b: 2}\n")
    assert data == {"choices": ["here", "there"], "again": ["here", "there"], "more": {"a": 1, "b": 2}}
    assert load_yaml(laughs(2))["description"][0][0] == ["lol"] * 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\nminutes: " + "9" * 5000, (2, "cannot read '" + "9" * 29 + "…' as a whole number")),
        ("title: x\nminutes: 0b" + "1" * 20_000, (2, "cannot read '0b" + "1" * 27 + "…' as a whole number")),
        ("title: x\nminutes: !!int x", (2, "cannot read 'x' as a whole number")),
        ("title: x\nminutes: !!float x", (2, "cannot read 'x' as a number")),
        ("title: x\nflag: !!bool maybe", (2, "cannot read 'maybe' as true or false")),
        ("title: x\nwhen: 2024-13-45", (2, "cannot read '2024-13-45' as a date")),
    ],
    ids=["5000-digit-number", "number-too-long-to-print", "not-an-int", "not-a-float", "not-a-bool", "impossible-date"],
)
def test_a_value_python_cannot_build_is_a_problem_with_its_line(text: str, expected: tuple[int, str]) -> None:
    line, message = expected
    assert outcome(text) == ("error", (line, f"YAML syntax error: {message}"))
