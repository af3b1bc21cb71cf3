"""Structure checks for content files: keys, types and required fields, with lines.

A `Report` collects every problem for one file so that validation never stops at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.content.yaml_lines import YamlList, YamlMap
from bot.errors import Problem


@dataclass(frozen=True)
class Limits:
    """What the channel content is shown on can carry. The channel supplies its own (the Telegram
    channel's are in `bot/channels/telegram/limits.py`); without limits, none are checked."""

    channel: str  # named in problems: "is 4097 characters; Telegram allows 4096"
    text_chars: int  # one message
    button_data_bytes: int  # one button's data
    choice_overhead_bytes: int  # what the coach adds around a choice id in a button's data


def at_key(where: str, key: str) -> str:
    """Where a key is: 'steps[0].why', or just 'minutes' at the top level."""
    return f"{where}.{key}" if where else key


def shortened(text: str, limit: int = 60) -> str:
    """`text` for a message: at most `limit` characters, cut with '…'."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close option exists, else ''."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Report:
    """Problems found in one file; `limits` are the channel's (None: lengths are not checked)."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    limits: Limits | None = None

    def add(self, line: int, where: str, message: str) -> None:
        problem = Problem(self.file, line, where, message)
        if problem not in self.problems:  # e.g. the steps of a repeat are compiled once per option
            self.problems.append(problem)

    def check_keys(
        self,
        mapping: YamlMap,
        where: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.add(
                    mapping.line_of(key),
                    where,
                    f"unknown key '{key}'{did_you_mean(key, allowed)}",
                )
        for key in required:
            if key not in mapping or mapping[key] in (None, ""):
                self.add(mapping.line, where, f"missing required field '{key}'")

    def text(self, mapping: YamlMap, key: str, where: str, *, required: bool = False) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required and key in mapping:
                self.add(mapping.line_of(key), at_key(where, key), "must not be empty")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(mapping.line_of(key), at_key(where, key), f"must be text, not {kind(value)}")
            return None
        text = str(value)
        self.check_length(text, mapping.line_of(key), at_key(where, key))
        return text

    def check_length(self, text: str, line: int, where: str) -> None:
        """A problem when `text` is longer than one message on the channel."""
        if self.limits is not None and len(text) > self.limits.text_chars:
            self.add(line, where, f"is {len(text)} characters; {self.limits.channel} allows {self.limits.text_chars}")

    def check_choice_id(self, choice_id: str, line: int, where: str) -> None:
        """A problem when a choice id makes its answer button's data too long for the channel."""
        limits = self.limits
        if limits is not None and limits.choice_overhead_bytes + len(choice_id.encode()) > limits.button_data_bytes:
            self.add(line, where, f"choice id '{choice_id}' makes button data over {limits.button_data_bytes} bytes")

    def integer(self, mapping: YamlMap, key: str, where: str, default: int) -> int:
        value = mapping.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(mapping.line_of(key), at_key(where, key), f"must be a whole number, not {kind(value)}")
            return default
        return value

    def flag(self, mapping: YamlMap, key: str, where: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.add(mapping.line_of(key), at_key(where, key), f"must be true or false, not {kind(value)}")
            return default
        return value

    def one_of(self, mapping: YamlMap, key: str, where: str, options: Iterable[str], default: str | None) -> str | None:
        options = tuple(options)
        value = mapping.get(key, default)
        if value is None:
            return None
        if value not in options:
            hint = did_you_mean(str(value), options) or f" (use one of: {', '.join(options)})"
            self.add(mapping.line_of(key), at_key(where, key), f"unknown value '{value}'{hint}")
            return default
        return str(value)


def kind(value: Any) -> str:
    """A plain name for a YAML value's type, for messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def as_mapping(value: Any, line: int, where: str, report: Report) -> YamlMap | None:
    if isinstance(value, YamlMap):
        return value
    report.add(getattr(value, "line", line), where, f"must be a mapping of keys, not {kind(value)}")
    return None


def as_sequence(value: Any, line: int, where: str, report: Report) -> YamlList | None:
    if isinstance(value, YamlList):
        return value
    report.add(getattr(value, "line", line), where, f"must be a list, not {kind(value)}")
    return None
