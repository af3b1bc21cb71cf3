"""A small, safe condition language for flow branches (never Python eval).

expr     := or_expr
or_expr  := and_expr ("or" and_expr)*
and_expr := not_expr ("and" not_expr)*
not_expr := "not" not_expr | compare
compare  := atom (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") atom)?
atom     := NUMBER | STRING | true | false | none | NAME | NAME "(" NAME ")"
          | "[" atom ("," atom)* "]" | "(" expr ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FUNCTIONS = ("answered", "skipped")
# Bounds that keep parsing, checking and evaluating small (every walk of a condition recurses):
# a branch test is a few words, never thousands.
MAX_TOKENS = 200
MAX_DEPTH = 20  # brackets, lists and `not`s inside one another
MAX_NUMBER_CHARS = 15
_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|<=|>=|<|>)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<punct>[()\[\],]))"
)


class ExpressionError(ValueError):
    """The condition text could not be parsed."""


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class ListOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Logic:
    op: str  # "and" | "or"
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class Test:
    function: str
    name: str


Expr = Literal | Name | ListOf | Compare | Logic | Not | Test


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        if len(tokens) == MAX_TOKENS:
            raise ExpressionError("the condition is too long")
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"I can't read {text[position:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the condition is nested too deeply")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the condition ends too early")
        if value is not None and token[1] != value:
            raise ExpressionError(f"expected {value!r} but found {token[1]!r}")
        self.index += 1
        return token

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[1] == value

    def parse(self) -> Expr:
        expr = self.or_expr()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return expr

    def or_expr(self) -> Expr:
        left = self.and_expr()
        while self.at("or"):
            self.take()
            left = Logic("or", left, self.and_expr())
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.at("and"):
            self.take()
            left = Logic("and", left, self.not_expr())
        return left

    def not_expr(self) -> Expr:
        if self.at("not"):
            self.take()
            self.deeper()
            operand = self.not_expr()
            self.depth -= 1
            return Not(operand)
        return self.compare()

    def compare(self) -> Expr:
        left = self.atom()
        token = self.peek()
        if token is None:
            return left
        if token[0] == "op" or token[1] == "in":
            self.take()
            return Compare(token[1], left, self.atom())
        if token[1] == "not" and self.index + 1 < len(self.tokens):
            if self.tokens[self.index + 1][1] == "in":
                self.index += 2
                return Compare("not in", left, self.atom())
        return left

    def atom(self) -> Expr:
        kind, value = self.take()
        if kind == "num":
            if len(value) > MAX_NUMBER_CHARS:
                raise ExpressionError(f"the number {value[:10]}… is too long")
            return Literal(float(value) if "." in value else int(value))
        if kind == "str":
            return Literal(value[1:-1])
        if value in ("(", "["):
            self.deeper()
            inner = self.bracketed(value)
            self.depth -= 1
            return inner
        if kind == "name":
            lowered = value.lower()
            if lowered in ("true", "yes"):
                return Literal(True)
            if lowered in ("false", "no"):
                return Literal(False)
            if lowered in ("none", "null"):
                return Literal(None)
            if value in ("and", "or", "not", "in"):
                raise ExpressionError(f"'{value}' needs something before it")
            if self.at("("):
                if value not in FUNCTIONS:
                    raise ExpressionError(f"unknown test '{value}' (use {' or '.join(FUNCTIONS)})")
                self.take("(")
                kind2, arg = self.take()
                if kind2 != "name":
                    raise ExpressionError(f"{value}() takes an answer id")
                self.take(")")
                return Test(value, arg)
            return Name(value)
        raise ExpressionError(f"unexpected {value!r}")

    def bracketed(self, opening: str) -> Expr:
        if opening == "(":
            inner = self.or_expr()
            self.take(")")
            return inner
        items = [self.atom()]
        while self.at(","):
            self.take()
            items.append(self.atom())
        self.take("]")
        return ListOf(tuple(items))


def parse(text: str) -> Expr:
    """Parse a condition; raise ExpressionError with a plain message when it is wrong."""
    if not text or not str(text).strip():
        raise ExpressionError("the condition is empty")
    return _Parser(str(text)).parse()


def names_in(expr: Expr) -> set[str]:
    """Every answer or value name the condition reads."""
    match expr:
        case Name(name):
            return {name}
        case Test(_, name):
            return {name}
        case ListOf(items):
            return set().union(*(names_in(i) for i in items))
        case Compare(_, left, right) | Logic(_, left, right):
            return names_in(left) | names_in(right)
        case Not(operand):
            return names_in(operand)
    return set()


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(expr: Expr, values: Mapping[str, Any], skipped: frozenset[str] = frozenset()) -> Any:
    """Evaluate against answer values; missing or mismatched values make a comparison false."""
    match expr:
        case Literal(value):
            return value
        case Name(name):
            return values.get(name)
        case ListOf(items):
            return [evaluate(i, values, skipped) for i in items]
        case Test("answered", name):
            return values.get(name) is not None
        case Test(_, name):
            return name in skipped
        case Not(operand):
            return not evaluate(operand, values, skipped)
        case Logic("and", left, right):
            return bool(evaluate(left, values, skipped)) and bool(evaluate(right, values, skipped))
        case Logic(_, left, right):
            return bool(evaluate(left, values, skipped)) or bool(evaluate(right, values, skipped))
        case Compare(op, left, right):
            return _compare(op, evaluate(left, values, skipped), evaluate(right, values, skipped))
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op in ("in", "not in"):
        inside = isinstance(right, list | tuple | set | str) and left is not None and left in right
        return inside if op == "in" else not inside
    if left is None or right is None:
        return False
    try:
        return _ORDER[op](left, right)
    except TypeError:
        return False
