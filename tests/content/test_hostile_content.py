"""Fuzzing the validator: random and hostile files only ever load or list their problems.

Whatever a content author writes, `load_content` returns `Content` or raises `ContentError` with
line-numbered problems: never another exception, never a hang. Each example is a small file,
so the deadline (far above the few milliseconds one takes) only catches a runaway.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram.limits import CONTENT
from bot.content.banks import ALL_TYPE_KEYS, COMMON_KEYS
from bot.content.loader import load_content
from bot.content.steps import FLOW_KEYS, STEP_KINDS
from bot.content.text import MAX_RENDER_CHARS, TemplateSyntaxError, compile_text
from bot.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TEMPLATE_PIECES = [
    "{{ note }}",
    "{{ name }}",
    "{{ n + 1 }}",
    "{{ mood + 1 }}",
    "{% if n > last %}",
    "{% elif n %}",
    "{% else %}",
    "{% endif %}",
    "{% for x in note %}",
    "{% endfor %}",
    "{{ note.__class__ }}",
    "{{ 'x' * 3000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% include 'a' %}",
    "{% set x = 1 %}",
    "{{ note|center(999999999) }}",
    "{{ note|lower }}",
    "{{ note[0] }}",
    "{{ range(99) }}",
    "{{ " + "(" * 3000,
    ")" * 3000 + " }}",
    "9" * 5000,
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{% raw %}",
    "{% endraw %}",
    "{{ -note }}",
    "{{ 'a' if note else 1 }}",
    "{{ count }}",
    "text ",
]
CONDITION_PIECES = [
    "mood",
    "note",
    "pets",
    "count",
    ">",
    "<=",
    "==",
    "in",
    "not",
    "and",
    "or",
    "(",
    ")",
    "[",
    "]",
    ",",
    "3",
    "'x'",
    "9" * 5000,
    "(" * 3000,
    ")" * 3000,
    "not " * 3000,
    "answered(",
    "skipped(note)",
    "true",
    "__import__",
]
KEYS = sorted(
    {
        *FLOW_KEYS,
        *STEP_KINDS,
        *COMMON_KEYS,
        *ALL_TYPE_KEYS,
        "if",
        "then",
        "else",
        "for_each",
        "as",
        "of",
        "questions",
        "id",
        "next",
        "with",
        "<<",
    }
)


def _joined(pieces: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map(" ".join)


TEMPLATES = _joined(TEMPLATE_PIECES, 6)
CONDITIONS = _joined(CONDITION_PIECES, 8)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(KEYS),
    st.sampled_from(["eng.note", "eng.mood", "eng.areas", "note", "mood", "end", "count"]),
    TEMPLATES,
    CONDITIONS,
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)
BRANCH = st.fixed_dictionaries({"if": CONDITIONS, "then": st.sampled_from(["note", "mood", "end", "nowhere"])})
STEP = st.one_of(
    st.fixed_dictionaries(
        {"ask": st.sampled_from(["eng.note", "eng.mood", "eng.areas", "eng.pets"])},
        optional={
            "id": st.sampled_from(["note", "mood", "n"]),
            "text": TEMPLATES,
            "next": st.lists(BRANCH, max_size=3),
            "followups": DATA,
        },
    ),
    st.fixed_dictionaries({"say": TEMPLATES}, optional={"next": DATA}),
    st.fixed_dictionaries({"reflect": TEMPLATES, "of": st.sampled_from(["note", "mood"])}),
    st.fixed_dictionaries({"set": st.dictionaries(st.sampled_from(["count", "note"]), DATA, max_size=2)}),
    st.fixed_dictionaries({"repeat": DATA}),
    st.fixed_dictionaries({"end": TEMPLATES}),
    st.dictionaries(st.sampled_from(KEYS), DATA, max_size=3),
)
FLOW = st.fixed_dictionaries(
    {"steps": st.lists(STEP, max_size=6)},
    optional={
        "title": SCALARS,
        "audience": st.sampled_from(["person", "carer", "x"]),
        "intro": TEMPLATES,
        "closing": TEMPLATES,
        "description": DATA,
        "minutes": SCALARS,
    },
)
QUESTION = st.fixed_dictionaries(
    {"id": st.sampled_from(["q", "r", "Bad id"]), "type": st.sampled_from(["text", "scale", "multi", "nope"])},
    optional={
        "text": TEMPLATES,
        "carer_text": TEMPLATES,
        "why": SCALARS,
        "practice_note": SCALARS,
        "technique": SCALARS,
        "section": SCALARS,
        "choices": DATA,
        "followups": DATA,
        "max": SCALARS,
    },
)
BANK = st.fixed_dictionaries({"title": SCALARS, "questions": st.lists(QUESTION, max_size=3)})


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


YAML_PIECES = [
    "title: x",
    "audience: person",
    "steps:",
    "  - ask: eng.note",
    "  - say: '{{ note }}'",
    "a: &a [x, x, x]",
    "b: &b [*a, *a, *a, *a]",
    "c: [*b, *b, *b, *b, *b, *b]",
    "description: *b",
    "  - set: {count: *b}",
    "<<: *a",
    "x: !!binary aGk=",
    "y: !!set {a}",
    "when: 2024-13-45",
    "big: " + "9" * 5000,
    "n: !!int x",
    "f: !!float x",
    "b: !!bool maybe",
    "h: 0x" + "f" * 5000,
    "  - set: {when: 2024-01-01, blob: !!binary aGk=}",
    "[" * 200,
    "]",
    "{",
    "'",
    '"',
    "\t",
    "- ",
    "? [a]",
    ": b",
    "&x",
    "*x",
    "!!python/object:os.system",
    "%YAML 1.1",
    "---",
    "...",
]
FILE_TEXT = st.one_of(
    FLOW.map(_dump),
    BANK.map(_dump),
    DATA.map(_dump),
    st.lists(st.sampled_from(YAML_PIECES), max_size=12).map("\n".join),
    st.text(max_size=200),
)


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("question_banks")
    for bank in (ROOT / "tests" / "data" / "engine" / "banks").glob("*.yaml"):
        shutil.copy(bank, folder)
    return folder


def _load_or_problems(banks: Path, flows: Path, extra: list[Path]) -> None:
    try:
        load_content(banks, flows, extra, limits=CONTENT)
    except ContentError as caught:
        assert caught.problems
        assert all(p.line >= 1 and p.message for p in caught.problems)


@FUZZ
@given(flow=FILE_TEXT, bank=FILE_TEXT)
def test_any_flow_or_bank_file_loads_or_lists_its_problems(banks: Path, tmp_path: Path, flow: str, bank: str) -> None:
    flows = tmp_path / "flows"
    (flows / "sequences").mkdir(parents=True, exist_ok=True)
    (flows / "fuzz.yaml").write_text(flow, encoding="utf-8")
    (flows / "sequences" / "fuzz_seq.yaml").write_text(flow, encoding="utf-8")
    extra_bank = tmp_path / "question_banks" / "fuzz.yaml"
    extra_bank.parent.mkdir(exist_ok=True)
    extra_bank.write_text(bank, encoding="utf-8")
    _load_or_problems(banks, flows, [extra_bank])


@FUZZ
@given(
    source=st.one_of(TEMPLATES, st.text(max_size=60)),
    values=st.dictionaries(
        st.sampled_from(["note", "n", "last", "name", "count", "mood"]),
        SCALARS | st.text(min_size=4000, max_size=4000),
        max_size=6,
    ),
)
def test_a_template_compiles_or_is_refused_and_showing_it_never_fails(source: str, values: dict[str, object]) -> None:
    try:
        text = compile_text(source)
    except TemplateSyntaxError as refused:
        assert refused.message and refused.lineno >= 1
        return
    shown = text.render(values)
    assert isinstance(shown, str) and len(shown) <= MAX_RENDER_CHARS
