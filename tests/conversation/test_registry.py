"""One owner for each rule in the conversation: the command registry feeds routing, /help and the
Telegram menu; buttons.py builds and decodes every button's data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.conversation import buttons
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.conversation.commands import BY_NAME, COMMANDS, help_text, menu_commands

CONVERSATION = Path(__file__).resolve().parents[2] / "bot" / "conversation"
P = "tg:5"


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def test_registry_the_menu_and_help_come_from_one_table() -> None:
    menu = [name for name, _ in menu_commands()]
    helped = re.findall(r"^/(\w+) – ", help_text(), flags=re.M)
    assert menu == [c.name for c in COMMANDS if c.menu] and helped == [c.name for c in COMMANDS if c.help]
    assert {"card", "restart"} <= set(menu)  # missing from the menu before the registry
    assert {"why", "practice"} <= set(helped)  # missing from /help before the registry
    assert set(helped) <= set(menu) and len(BY_NAME) == len(COMMANDS)


def test_registry_telegram_accepts_every_menu_entry() -> None:
    for name, description in menu_commands():
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name) and 1 <= len(description) <= 256


@pytest.mark.parametrize("name", [c.name for c in COMMANDS if c.menu or c.help])
def test_registry_every_listed_command_is_routed(coach: Coach, name: str) -> None:
    coach.handle(P, Incoming("command", command="start", arg="example"))
    response = coach.handle(P, Incoming("command", command=name))
    assert response.messages and "I don't know" not in texts(response)


def test_registry_the_coach_offers_the_registrys_menu(coach: Coach) -> None:
    assert coach.commands == menu_commands()


def test_registry_an_unknown_command_is_answered_kindly(coach: Coach) -> None:
    assert texts(coach.handle(P, Incoming("command", command="frobnicate"))) == (
        "I don't know /frobnicate. Type /help to see what you can do.")


@pytest.mark.parametrize(("data", "kind", "parts"), [
    (buttons.answer("abc123def456", "name", "me"), "a", ("abc123def456", buttons.node_tag("name"), "me")),
    (buttons.start_flow("example"), "f", ("example",)),
    (buttons.menu(), "m", ("menu",)),
    (buttons.carry_on(), "m", ("go",)),
    (buttons.start_again("carer", "a1b2c3d4e5f6"), "m", ("new", "carer", "a1b2c3d4e5f6")),
    (buttons.erase(True), "d", ("yes",)),
    (buttons.erase(False), "d", ("no",)),
    (buttons.review("p", 0), "r", ("p", "0")),
    (buttons.review("ok"), "r", ("ok",)),
    (buttons.safety("keep"), "s", ("keep",)),
    (buttons.practice("m", "check"), "q", ("m", "check")),
    ("a:too:few", "unknown", ()),
])
def test_buttons_decode_what_they_build(data: str, kind: str, parts: tuple[str, ...]) -> None:
    assert buttons.decode(data) == buttons.Tap(kind, parts)


def test_buttons_no_button_data_is_written_outside_buttons_py() -> None:
    data = re.compile(r"^[afmdrsq]:")
    found = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for path in sorted(CONVERSATION.glob("*.py")) if path.name != "buttons.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and data.match(node.value)
    ]
    assert found == []
