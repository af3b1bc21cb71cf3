"""Load YAML while remembering the line of every mapping, key and list item.

Only PyYAML's safe constructors are used, on libyaml's fast parser when PyYAML has it. Mappings
come back as `YamlMap` dicts and lists as `YamlList`s that know their line and the line of each
key or item, so validation messages can say exactly where a problem is. Aliases that would
repeat more than MAX_ALIAS_EXPANSION items and characters (a "billion laughs") are refused.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import yaml


class YamlMap(dict[str, Any]):
    """A dict from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A list from YAML that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


MAX_ALIAS_EXPANSION = 100_000  # items and characters that aliases may repeat in one file
_TOO_MANY_ALIASES = f"aliases (*name) expand to more than {MAX_ALIAS_EXPANSION:,} repeated items and characters"
_MAX_INT_BITS = 14_000  # about 4,200 digits: Python prints no more than 4,300
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")  # `&name`: without one there are no aliases


@dataclass(frozen=True)
class YamlSyntaxError(Exception):
    """The text is not valid YAML."""

    line: int
    message: str


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        if key in result.key_lines:
            raise yaml.constructor.ConstructorError(None, None, f"the key '{key}' appears twice", key_node.start_mark)
        result.key_lines[key] = key_node.start_mark.line + 1
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _check_aliases(root: yaml.Node) -> None:
    """Raise ConstructorError when aliases (`*name`) expand to more than MAX_ALIAS_EXPANSION.

    An alias shares its anchor's node, so reading stays cheap, but anything that walks the data
    (text shown, a value saved) walks every repeat: ten aliases to ten aliases to ... ten "lol"s
    is ten billion of them. Each item counts 1 and each scalar its length as well.
    """
    weights: dict[int, int] = {}
    repeated = 0

    def weight(node: yaml.Node, mark: yaml.Mark) -> int:
        nonlocal repeated
        if id(node) in weights:  # an alias (or a node that contains itself, reported when it is built)
            repeated += weights[id(node)]
            if repeated > MAX_ALIAS_EXPANSION:
                raise yaml.constructor.ConstructorError(None, None, _TOO_MANY_ALIASES, mark)
            return weights[id(node)]
        weights[id(node)] = 0
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(weight(k, k.start_mark) + weight(v, k.start_mark) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(weight(child, node.start_mark) for child in node.value)
        else:
            total = 1 + len(node.value)
        weights[id(node)] = total
        return total

    weight(root, root.start_mark)


def _readable(construct: Any, what: str) -> Any:
    """`construct`, failing only with a ConstructorError at the value's line: for a 5,000-digit
    number (Python will neither read nor print it), `!!int x`, the 45th of a month, `!!bool maybe`."""

    def construct_value(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            value = construct(loader, node)
            if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
                raise ValueError(what)
            return value
        except (ValueError, KeyError, OverflowError):
            shown = node.value if len(node.value) <= 30 else node.value[:29] + "…"
            message = f"cannot read '{shown}' as {what}"
            raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from None

    return construct_value


def _with_lines(base: type[Any], name: str) -> type[Any]:
    """A subclass of the safe loader `base` that builds `YamlMap` and `YamlList` with line numbers."""
    loader: type[Any] = type(name, (base,), {"__doc__": "A safe loader that builds YamlMap and YamlList."})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    safe = yaml.constructor.SafeConstructor
    for kind, construct, what in (
        ("int", safe.construct_yaml_int, "a whole number"),
        ("float", safe.construct_yaml_float, "a number"),
        ("bool", safe.construct_yaml_bool, "true or false"),
        ("timestamp", safe.construct_yaml_timestamp, "a date"),
    ):
        loader.add_constructor(f"tag:yaml.org,2002:{kind}", _readable(construct, what))
    return loader


def c_loader() -> type[Any] | None:
    """The line loader on libyaml's parser (about ten times faster), or None without libyaml."""
    base = getattr(yaml, "CSafeLoader", None)
    return None if base is None else _with_lines(base, "CLineLoader")


PURE_LOADER = _with_lines(yaml.SafeLoader, "PureLineLoader")
C_LOADER = c_loader()
_PURE_ONLY = ("\t", "\ufeff")  # libyaml reads "a\tb" and a byte-order mark mid-file; the pure parser refuses


def read_with(loader_class: type[Any], text: str) -> Any:
    """The data in `text`, read by `loader_class`; PyYAML's own errors propagate, and aliases
    that expand too far are a ConstructorError."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _ANCHOR.search(text):
            _check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Parse YAML text safely; raise YamlSyntaxError with a line number when it is broken.

    Good text is read by libyaml. Broken text (rare) is read again by the pure-Python parser, so
    the message and line are the same with or without libyaml. So is text with a tab or a
    byte-order mark in it, which libyaml accepts in places where the pure parser does not.
    """
    if C_LOADER is not None and not any(char in text for char in _PURE_ONLY):
        with suppress(Exception):
            return read_with(C_LOADER, text)
    try:
        return read_with(PURE_LOADER, text)
    except yaml.MarkedYAMLError as exc:
        mark = _start_of_mistake(exc)
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        if mark is not None and mark is exc.context_mark and exc.context:
            opened = exc.context.removeprefix("while ")
            problem = f"{problem} ({opened} that starts here)"
        return _raise(line, problem)
    except yaml.YAMLError as exc:
        return _raise(1, str(exc))
    except RecursionError:
        return _raise(1, "the file is nested too deeply to read")


def _start_of_mistake(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The mark where the broken thing starts.

    An unclosed quote, key or bracket (`while scanning ...`, `while parsing a flow ...`) is
    noticed far below it, often at the end of the file: its context mark is where it opens.
    Other parser errors have the whole enclosing block as context, so the problem mark, where
    the unexpected token is, is the better line.
    """
    context = exc.context or ""
    if exc.context_mark is not None and ("scanning" in context or "flow" in context):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _raise(line: int, message: str) -> Any:
    raise YamlSyntaxError(line, f"YAML syntax error: {message}")
