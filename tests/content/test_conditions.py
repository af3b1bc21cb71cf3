"""Unit tables for the condition language: parsing, evaluation, names read, and that nothing is eval'd."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path
from typing import Any

import pytest

from bot.content import conditions as expressions
from bot.content.conditions import Compare, ExpressionError, Literal, Logic, Name, Not, evaluate, names_in, parse

VALUES: dict[str, Any] = {
    "managing": 3,
    "often": "rarely",
    "areas": ["meals", "evenings"],
    "pets": True,
    "alone": False,
    "name": "Sam",
    "hard_part.food": "cooking",
}
SKIPPED = frozenset({"worries"})


@pytest.mark.parametrize(
    ("condition", "result"),
    [
        ("managing <= 3", True),
        ("managing<=3", True),
        ("managing < 3", False),
        ("managing == 3", True),
        ("managing != 3", False),
        ("managing > 2", True),
        ("managing >= 4", False),
        ("managing >= -1", True),
        ("1.5 < managing", True),
        ("managing in [1, 2, 3]", True),
        ("managing not in [1, 2, 3]", False),
        ("often == 'rarely'", True),
        ('often == "rarely"', True),
        ("often != 'weekly'", True),
        ("often in ['rarely', 'weekly']", True),
        ("'meals' in areas", True),
        ("'mornings' in areas", False),
        ("'mornings' not in areas", True),
        ("pets", True),
        ("not pets", False),
        ("not not pets", True),
        ("pets == true", True),
        ("pets == yes", True),
        ("alone == false", True),
        ("alone == no", True),
        ("name == 'Sam'", True),
        ("hard_part.food == 'cooking'", True),
        ("managing > 2 and often == 'rarely'", True),
        ("managing > 5 and often == 'rarely'", False),
        ("managing > 5 or pets", True),
        ("managing > 5 or alone", False),
        ("(managing <= 3 or pets) and not (often == 'weekly')", True),
        ("not managing > 5 and pets", True),  # not binds tighter than and
        ("alone and pets or pets", True),  # and binds tighter than or
        ("answered(managing)", True),
        ("answered(alone)", True),  # a 'no' is an answer
        ("answered(missing)", False),
        ("skipped(worries)", True),
        ("skipped(managing)", False),
        ("not answered(missing)", True),
        # missing or mismatched values make a comparison false, never an error
        ("missing > 3", False),
        ("missing < 3", False),
        ("missing == none", True),
        ("often > 3", False),
        ("managing >= 'a'", False),
        ("'x' in missing", False),
        ("'x' not in missing", True),
        ("missing in areas", False),
    ],
)
def test_evaluate(condition: str, result: bool) -> None:
    assert evaluate(parse(condition), VALUES, SKIPPED) is result


@pytest.mark.parametrize(
    ("condition", "tree"),
    [
        ("managing <= 3", Compare("<=", Name("managing"), Literal(3))),
        ("'a' not in areas", Compare("not in", Literal("a"), Name("areas"))),
        ("not pets", Not(Name("pets"))),
        ("a or b and c", Logic("or", Name("a"), Logic("and", Name("b"), Name("c")))),
        ("skipped(x)", expressions.Test("skipped", "x")),
        ("x == 1.5", Compare("==", Name("x"), Literal(1.5))),
        ("x == null", Compare("==", Name("x"), Literal(None))),
    ],
)
def test_parse_tree(condition: str, tree: expressions.Expr) -> None:
    assert parse(condition) == tree


@pytest.mark.parametrize(
    ("condition", "names"),
    [
        ("managing <= 3", {"managing"}),
        ("'meals' in areas and not skipped(worries)", {"areas", "worries"}),
        ("x in [a, 1, b]", {"x", "a", "b"}),
        ("(p or q) and answered(r)", {"p", "q", "r"}),
        ("1 == 1", set()),
        ("hard_part.food == 'x'", {"hard_part.food"}),
    ],
)
def test_names_in(condition: str, names: set[str]) -> None:
    assert names_in(parse(condition)) == names


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("", "the condition is empty"),
        ("   ", "the condition is empty"),
        ("managing <=", "the condition ends too early"),
        ("(managing", "the condition ends too early"),
        ("[1, 2", "the condition ends too early"),
        ("not", "the condition ends too early"),
        ("and managing", "'and' needs something before it"),
        ("managing <= 3 extra", "unexpected 'extra'"),
        ("answered(x) )", "unexpected ')'"),
        ("managing = 3", "I can't read '= 3'"),
        ("managing === 3", "I can't read '= 3'"),
        ("1 +1", "I can't read '+1'"),
        ("%", "I can't read '%'"),
        ("answered('x')", "answered() takes an answer id"),
        ("len(areas)", "unknown test 'len' (use answered or skipped)"),
        # Python is never run: these are parse errors, not calls
        ("__import__('os')", "unknown test '__import__' (use answered or skipped)"),
        ("open('/etc/passwd')", "unknown test 'open' (use answered or skipped)"),
        ("os.system('true')", "unknown test 'os.system' (use answered or skipped)"),
        ("__import__('os').system('true')", "I can't read \".system('true')\""),
        ("lambda: 1", "I can't read ': 1'"),
        ("managing.__class__.__mro__ ; 1", "I can't read '; 1'"),
    ],
)
def test_parse_errors(condition: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(condition)
    assert str(caught.value) == message


def test_nothing_is_ever_evaluated_as_python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Python code was run")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    marker = tmp_path / "ran"
    attacks = [
        f"__import__('os').system('touch {marker}')",
        f"answered(x) or __import__('os').system('touch {marker}')",
        f"'{marker}' in open('{marker}')",
        "().__class__.__bases__[0].__subclasses__()",
    ]
    for attack in attacks:
        with pytest.raises(ExpressionError):
            parse(attack)
    for condition in ("managing <= 3 and 'meals' in areas", "not skipped(worries)", "managing.__class__ == 1"):
        evaluate(parse(condition), VALUES, SKIPPED)
    assert not marker.exists()


def test_a_dotted_name_is_only_looked_up_never_an_attribute() -> None:
    assert evaluate(parse("managing.__class__ == none"), VALUES) is True
    assert evaluate(parse("name.upper == none"), VALUES) is True


def test_the_module_has_no_eval_exec_or_compile() -> None:
    tree = ast.parse(Path(expressions.__file__).read_text(encoding="utf-8"))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("managing > " + "9" * 5000, "the number 9999999999… is too long"),
        ("managing > -" + "1" * 20, "the number -111111111… is too long"),
        ("(" * 10_000 + "managing > 1" + ")" * 10_000, "the condition is too long"),
        ("(" * 30 + "managing > 1" + ")" * 30, "the condition is nested too deeply"),
        ("not " * 30 + "pets", "the condition is nested too deeply"),
        ("managing in " + "[" * 30 + "1" + "]" * 30, "the condition is nested too deeply"),
        ("not " * 5000 + "pets", "the condition is too long"),
        (" or ".join(["managing > 1"] * 5000), "the condition is too long"),
        ("managing in [" + ", ".join(["1"] * 100_000) + "]", "the condition is too long"),
    ],
)
def test_huge_numbers_and_deep_nesting_are_parse_errors_not_crashes(condition: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(condition)
    assert str(caught.value) == message


def test_the_longest_and_deepest_allowed_conditions_still_work() -> None:
    deep = "(" * expressions.MAX_DEPTH + "managing <= 3" + ")" * expressions.MAX_DEPTH
    assert evaluate(parse(deep), VALUES) is True
    long = " or ".join(["managing > 5"] * (expressions.MAX_TOKENS // 4 - 1) + ["pets"])
    assert evaluate(parse(long), VALUES) is True
    assert names_in(parse(long)) == {"managing", "pets"}
    assert evaluate(parse("managing < " + "9" * 15), VALUES) is True
