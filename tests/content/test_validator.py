"""The validator: one broken fixture per rule (tests/data/broken/) with its exact message lines.

Each fixture is checked the way `coach validate FILE` checks it: merged with a question bank
(here the small one in tests/data/engine/banks, so these tests do not depend on the shipped
content) and an empty flows folder. Paths are relative to the repository root, as a flow
author would type them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.telegram.limits import CONTENT
from bot.content.loader import load_content
from bot.content.model import SECTIONS
from bot.conversation import buttons
from bot.errors import ContentError, Problem

ROOT = Path(__file__).resolve().parents[2]
BROKEN = Path("tests/data/broken")
BANKS = Path("tests/data/engine/banks")
COACH = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def problems_in(tmp_path: Path, *names: str) -> tuple[Problem, ...]:
    flows = tmp_path / "no_flows"
    flows.mkdir(exist_ok=True)
    with pytest.raises(ContentError) as caught:
        load_content(BANKS, flows, [BROKEN / name for name in names], limits=CONTENT)
    return caught.value.problems


def lines(tmp_path: Path, name: str) -> list[str]:
    return [str(p) for p in problems_in(tmp_path, name)]


def at(name: str, *messages: str) -> list[str]:
    """Expected lines for one fixture: each message is 'LINE: where: what'."""
    return [f"{BROKEN / name}:{m}" for m in messages]


RULES = [
    pytest.param(
        "yaml_indent.yaml",
        at("yaml_indent.yaml", "6: YAML syntax error: mapping values are not allowed here"),
        id="yaml-syntax",
    ),
    pytest.param(
        "unknown_key.yaml",
        at("unknown_key.yaml", "7: steps[0]: unknown key 'nex' (did you mean 'next'?)"),
        id="unknown-key-nex",
    ),
    pytest.param(
        "unknown_flow_key.yaml",
        at(
            "unknown_flow_key.yaml",
            "4: unknown key 'descripton' (did you mean 'description'?)",
            "7: steps[1]: a step needs one of: ask, say, reflect, summary, set, repeat, call, end "
            "(did you mean 'say'?)",
        ),
        id="unknown-key-top-level-and-step-kind",
    ),
    pytest.param(
        "unknown_bank_key.yaml",
        at("unknown_bank_key.yaml", "10: questions[0]: unknown key 'skipable' (did you mean 'skippable'?)"),
        id="unknown-key-in-bank",
    ),
    pytest.param(
        "wrong_type.yaml",
        at(
            "wrong_type.yaml",
            "4: minutes: must be a whole number, not text",
            "5: offer_carer_wording: must be true or false, not text",
            "7: steps[0].ask: must be text naming what to ask, not a list",
        ),
        id="wrong-type-flow",
    ),
    pytest.param(
        "wrong_type_bank.yaml",
        at(
            "wrong_type_bank.yaml",
            "11: questions[0].max: must be a whole number, not text",
            "12: questions[0].skippable: must be true or false, not text",
            "13: questions[0].max_reasks: must be a whole number, not a list",
            "21: questions[1].choices: must be a list, not text",
        ),
        id="wrong-type-bank",
    ),
    pytest.param(
        "step_override_types.yaml",
        at(
            "step_override_types.yaml",
            "6: steps[0].skippable: must be true or false, not text",
            "7: steps[0].section: unknown value 'nowhere' (use one of: " + ", ".join(SECTIONS) + ")",
            "8: steps[0].why: must be text, not a list",
        ),
        id="wrong-type-step-override",
    ),
    pytest.param(
        "wrong_type_top_level.yaml",
        at(
            "wrong_type_top_level.yaml",
            "3: audience: unknown value 'everyone' (use one of: person, carer, practitioner)",
        ),
        id="unknown-value-audience",
    ),
    pytest.param(
        "unknown_value_bank.yaml",
        # an unknown type must not hide the other mistakes in the same question
        at(
            "unknown_value_bank.yaml",
            "5: questions[0].type: unknown value 'scael' (did you mean 'scale'?)",
            "9: questions[0].technique: unknown value 'scalling' (did you mean 'scaling'?)",
            "10: questions[0].section: unknown value 'scale' (did you mean 'scales'?)",
        ),
        id="unknown-value-bank",
    ),
    pytest.param(
        "card_value.yaml",
        at(
            "card_value.yaml",
            "11: questions[0].card: unknown value 'hardst' (did you mean 'hardest'?)",
            "19: questions[1].card: unknown value '3' (use one of: matters, hardest, questions, hard_to_say)",
            "27: questions[2]: unknown key 'crad' (did you mean 'card'?)",
        ),
        id="card-tag-in-bank",
    ),
    pytest.param(
        "card_and_order.yaml",
        at(
            "card_and_order.yaml",
            "4: order: must be a whole number, not text",
            "5: end_with_card: must be true or false, not text",
        ),
        id="wrong-type-order-and-end-with-card",
    ),
    pytest.param(
        "card_and_order_keys.yaml",
        at(
            "card_and_order_keys.yaml",
            "4: unknown key 'oder' (did you mean 'order'?)",
            "5: unknown key 'end_with_crad' (did you mean 'end_with_card'?)",
        ),
        id="unknown-key-order-and-end-with-card",
    ),
    pytest.param(
        "choices_shape.yaml",
        at(
            "choices_shape.yaml",
            "4: questions[0]: missing required field 'choices'",
            "18: questions[1].choices: needs at least two choices",
            "29: questions[2].choices[1]: duplicate choice id 'home'",
            "31: questions[2].choices[2]: choice id 'Out-Side' is not a valid id (use lower_case_words)",
        ),
        id="choices-shape",
    ),
    pytest.param(
        "not_a_mapping.yaml",
        at("not_a_mapping.yaml", "2: must be a mapping of keys, not a list"),
        id="wrong-type-whole-file",
    ),
    pytest.param(
        "empty.yaml",
        at("empty.yaml", "1: must be a mapping of keys, not empty"),
        id="empty-file",
    ),
    pytest.param(
        "missing_required.yaml",
        at(
            "missing_required.yaml",
            "2: missing required field 'audience'",
            "2: missing required field 'title'",
        ),
        id="missing-required-flow",
    ),
    pytest.param(
        "missing_required_bank.yaml",
        at(
            "missing_required_bank.yaml",
            "4: questions[0]: missing required field 'practice_note'",
            "4: questions[0]: missing required field 'why'",
        ),
        id="missing-required-bank",
    ),
    pytest.param(
        "duplicate_question_id.yaml",
        at("duplicate_question_id.yaml", "11: questions[1].id: duplicate id 'name' (first on line 4)"),
        id="duplicate-question-id",
    ),
    pytest.param(
        "duplicate_step_id.yaml",
        # the second `note` (line 7) is the duplicate; the first (line 5) stays, so `pets` is reachable
        at("duplicate_step_id.yaml", "7: steps: duplicate step id 'note' (first on line 5)"),
        id="duplicate-step-id",
    ),
    pytest.param(
        "unknown_question.yaml",
        at("unknown_question.yaml", "6: steps[1].ask: unknown question 'eng.moood' (did you mean 'eng.mood'?)"),
        id="unknown-question",
    ),
    pytest.param(
        "unknown_step.yaml",
        at(
            "unknown_step.yaml",
            "5: step 'note': dead end: from here the flow can never finish",
            "5: step 'note': next step 'pet' does not exist (did you mean 'pets'?)",
            "7: step 'pets': unreachable: no step leads here",
        ),
        id="unknown-step",
    ),
    pytest.param(
        "unknown_flow.yaml",
        at("unknown_flow.yaml", "5: steps[0].call: unknown flow or sequence 'some_sequence'"),
        id="unknown-flow",
    ),
    pytest.param(
        "unknown_reflect.yaml",
        at(
            "unknown_reflect.yaml",
            "6: step 'reflect_notes': reflect 'of: notes' is not an answer in this flow (did you mean 'note'?)",
        ),
        id="unknown-reflect-answer",
    ),
    pytest.param(
        "unknown_repeat.yaml",
        # 'often' is a choice, not a multi: suggesting 'often' back is no help
        at("unknown_repeat.yaml", "6: steps[1].repeat.for_each: 'often' must be the id of a multi-choice ask step "
           "in this flow (it is a choice question)"),
        id="unknown-repeat-source",
    ),
    pytest.param(
        "unreachable.yaml",
        at("unreachable.yaml", "7: step 'lonely': unreachable: no step leads here"),
        id="unreachable-step",
    ),
    pytest.param(
        "dead_end.yaml",
        at(
            "dead_end.yaml",
            "7: steps[0].next: dead end: add a final '- else: STEP' for when no condition is true",
            "10: step 'pets': unreachable: no step leads here",
            "11: step 'low_one': dead end: from here the flow can never finish",
            "13: step 'low_two': dead end: from here the flow can never finish",
        ),
        id="dead-end",
    ),
    pytest.param(
        "step_shape.yaml",
        at(
            "step_shape.yaml",
            "5: steps[0]: a step has one kind, but this has ask, say",
            "9: steps[1].next[0]: 'else' must be the last option",
        ),
        id="step-shape",
    ),
    pytest.param(
        "unknown_answer.yaml",
        at(
            "unknown_answer.yaml",
            "8: step 'mood': condition 'moood <= 3': 'moood' is not an answer or value in this flow "
            "(did you mean 'mood'?)",
        ),
        id="condition-unknown-answer",
    ),
    pytest.param(
        "condition_type.yaml",
        at(
            "condition_type.yaml",
            "9: step 'mood': condition 'mood == 'high'': 'mood' is a scale answer, so compare it with a number",
            "14: step 'often': condition 'often == 'sometimes'': 'sometimes' is not an option of 'often' "
            "(options: most_days, weekly, rarely)",
            "19: step 'areas': condition 'areas == 'meals'': 'areas' holds several options: "
            "write \"'option' in areas\"",
            "24: step 'pets': condition 'pets == 3': 'pets' is a yes/no answer, so compare it with true or false",
        ),
        id="condition-wrong-type",
    ),
    pytest.param(
        "bad_condition.yaml",
        at(
            "bad_condition.yaml",
            "7: steps[0].next: condition 'pets = true': I can't read '= true'",
            "9: steps[0].next: condition '__import__('os')': unknown test '__import__' (use answered or skipped)",
        ),
        id="condition-does-not-parse",
    ),
    pytest.param(
        "template_syntax.yaml",
        # one mistake, one line: no knock-on "next step 'template_syntax_say_2' does not exist" or dead end
        at(
            "template_syntax.yaml",
            "6: steps[1].say: template does not compile: unexpected end of template, "
            "expected 'end of print statement'.",
        ),
        id="template-does-not-compile",
    ),
    pytest.param(
        "template_unknown.yaml",
        at(
            "template_unknown.yaml",
            "6: step 'template_unknown_say_2'.text: text uses 'nte', which is not an answer or value "
            "(did you mean 'note'?)",
            "7: step 'pets'.text: text uses 'nickname', which is not an answer or value",
        ),
        id="template-unknown-name",
    ),
    pytest.param(
        "template_not_allowed.yaml",
        at(
            "template_not_allowed.yaml",
            "6: steps[1].say: template does not compile: a {% for %} loop is not allowed in content text",
            "7: steps[2].say: template does not compile: '*' is not allowed in content text "
            "(only + or - a number, as in {{ n + 1 }})",
            "8: steps[3].say: template does not compile: {% include %} is not allowed in content text",
            "9: steps[4].say: template does not compile: attribute and item access (x.y, x[0]) is not allowed "
            "in content text",
            "10: steps[5].say: template does not compile: the filter 'center' is not allowed in content text "
            "(use capitalize, default, lower, title, trim, upper)",
        ),
        id="template-not-allowed",
    ),
    pytest.param(
        "template_fails_when_shown.yaml",
        at(
            "template_fails_when_shown.yaml",
            "6: step 'template_fails_when_shown_say_2'.text: text fails when shown: "
            "can only concatenate str (not \"int\") to str",
            "7: step 'template_fails_when_shown_say_3'.text: text fails when shown: 'n' is undefined",
            "8: step 'template_fails_when_shown_say_4'.text: text fails when shown before earlier answers are given: "
            "'count' is undefined",
            "10: step 'mood.one_up'.text: text fails when shown before earlier answers are given: "
            "'>' not supported between instances of 'int' and 'str'",
        ),
        id="template-fails-with-sample-values",
    ),
    pytest.param(
        "alias_bomb.yaml",
        at("alias_bomb.yaml", "8: YAML syntax error: aliases (*name) expand to more than 100,000 repeated items "
           "and characters"),
        id="yaml-alias-bomb",
    ),
    pytest.param(
        "condition_limits.yaml",
        at(
            "condition_limits.yaml",
            "7: steps[0].next: condition 'mood > " + "9" * 52 + "…': "
            "the number 9999999999… is too long",
            "9: steps[0].next: condition '" + "(" * 59 + "…': "
            "the condition is too long",
            "11: steps[0].next: condition '" + "(" * 30 + "mood > 1" + ")" * 21 + "…': "
            "the condition is nested too deeply",
        ),
        id="condition-limits",
    ),
    pytest.param(
        "set_value_type.yaml",
        at(
            "set_value_type.yaml",
            "6: steps[0].set.when: must be text, a number, true/false, empty, or a list or mapping of those, not date",
            "7: steps[0].set.blob: must be text, a number, true/false, empty, or a list or mapping of those, not bytes",
            "8: steps[0].set.tags: must be text, a number, true/false, empty, or a list or mapping of those, not set",
        ),
        id="set-value-that-cannot-be-saved",
    ),
    pytest.param(
        "repeat_bomb.yaml",
        at(
            "repeat_bomb.yaml",
            "4: steps: the flow expands to more than 10,000 steps (a repeat inside a repeat runs its steps once "
            "for each option of both)",
        ),
        id="repeats-inside-repeats-past-the-limit",
    ),
    pytest.param(
        "scale_range.yaml",
        at(
            "scale_range.yaml",
            "12: questions[0].max: max (0) must be more than min (10)",
            "21: questions[1].max: max (5) must be more than min (5)",
            "29: questions[2]: 'min_label' only applies to other question types, not 'text'",
        ),
        id="scale-range",
    ),
    pytest.param(
        "too_long_bank.yaml",
        at("too_long_bank.yaml", "6: questions[0].text: is 4097 characters; Telegram allows 4096"),
        id="too-long-bank-text",
    ),
    pytest.param(
        "too_long.yaml",
        at("too_long.yaml", "6: steps[1].say: is 4097 characters; Telegram allows 4096"),
        id="too-long-say",
    ),
    pytest.param(
        "too_long_ask_text.yaml",
        at("too_long_ask_text.yaml", "6: steps[0].text: is 4097 characters; Telegram allows 4096"),
        id="too-long-ask-text",
    ),
    pytest.param(
        "too_long_reflect_and_end.yaml",
        at(
            "too_long_reflect_and_end.yaml",
            "6: steps[1].reflect: is 4097 characters; Telegram allows 4096",
            "8: steps[2].end: is 4097 characters; Telegram allows 4096",
        ),
        id="too-long-reflect-and-end",
    ),
    pytest.param(
        "unknown_question_no_knock_on.yaml",
        # the step leading to it and the condition on its answer are not reported as well
        at(
            "unknown_question_no_knock_on.yaml",
            "7: steps[1].ask: unknown question 'eng.moood' (did you mean 'eng.mood'?)",
        ),
        id="unknown-question-no-knock-on",
    ),
    pytest.param(
        "repeat_mistake_once.yaml",
        # once, not once per option; and `next: each_area` (the repeat step's own id) is fine
        at(
            "repeat_mistake_once.yaml",
            "12: step 'each_area_say_1'.text: text uses 'bogus', which is not an answer or value",
        ),
        id="repeat-mistake-once",
    ),
    pytest.param(
        "listening.yaml",
        at(
            "listening.yaml",
            "8: step 'listening_summary_1': summary 'of: wory' is not an answer in this flow (did you mean 'worry'?)",
            "13: steps[1].of: needs at least one answer to hand back",
            "15: steps[2].instead: both this question and the one asked instead must be text questions",
            "19: steps[3].acknowledge: must be true, false, a line or a list of lines, not a number",
            "20: step 'calm'.acknowledge[0]: text uses 'nobody', which is not an answer or value",
            "24: step 'what_else': a 'what else?' question needs a reflection or a summary just before it, or the "
            "person's words in its own text, so it is never asked bare",
        ),
        id="listening-summary-instead-acknowledge-what-else",
    ),
    pytest.param(
        "listening_shape.yaml",
        at(
            "listening_shape.yaml",
            "6: steps[0].of: needs a mapping of the answers to hand back, each with what to call it: "
            "{best_hopes: your best hope}",
            "9: steps[1].instead: unknown question 'eng.hope_instaed' (did you mean 'eng.hope_instead'?)",
            "11: steps[2].instead: must name a question, not a list",
        ),
        id="listening-shape",
    ),
    pytest.param(
        "button_data.yaml",
        # the id on line 12 is 40 characters: exactly 64 bytes of button data, allowed
        at(
            "button_data.yaml",
            "14: questions[0].choices[1]: choice id 'somewhere_with_a_really_very_long_name_xy' makes button data "
            "over 64 bytes",
        ),
        id="button-data-over-64-bytes",
    ),
]


@pytest.mark.parametrize(("fixture", "expected"), RULES)
def test_each_rule_has_its_exact_message(tmp_path: Path, fixture: str, expected: list[str]) -> None:
    assert lines(tmp_path, fixture) == expected


SEVERAL = at(
    "several_mistakes.yaml",
    "6: steps[0].ask: unknown question 'eng.moood' (did you mean 'eng.mood'?)",
    "8: steps[1]: unknown key 'nex' (did you mean 'next'?)",
    "9: step 'several_mistakes_say_3'.text: text uses 'nme', which is not an answer or value",
    "10: step 'mood': next step 'petz' does not exist (did you mean 'pets'?)",
    "13: step 'mood': condition 'mood == 'high'': 'mood' is a scale answer, so compare it with a number",
    "17: step 'reflect_nots': reflect 'of: nots' is not an answer in this flow (did you mean 'note'?)",
)


def test_a_file_with_several_mistakes_lists_them_all_in_line_order(tmp_path: Path) -> None:
    problems = problems_in(tmp_path, "several_mistakes.yaml")
    assert [str(p) for p in problems] == SEVERAL
    assert list(problems) == sorted(problems, key=lambda p: (p.file, p.line))


def test_several_files_are_reported_together_sorted_by_file_and_line(tmp_path: Path) -> None:
    names = ["unreachable.yaml", "duplicate_question_id.yaml", "unknown_key.yaml", "scale_range.yaml"]
    problems = problems_in(tmp_path, *names)
    assert {p.file for p in problems} == {str(BROKEN / n) for n in names}
    assert [(p.file, p.line) for p in problems] == sorted((p.file, p.line) for p in problems)
    assert len(problems) == 1 + 1 + 1 + 3


def test_content_error_message_is_every_line(tmp_path: Path) -> None:
    flows = tmp_path / "no_flows"
    flows.mkdir()
    with pytest.raises(ContentError) as caught:
        load_content(BANKS, flows, [BROKEN / "several_mistakes.yaml"], limits=CONTENT)
    assert str(caught.value).splitlines() == SEVERAL


def test_problem_format() -> None:
    assert str(Problem("flows/a.yaml", 3, "steps[0]", "oops")) == "flows/a.yaml:3: steps[0]: oops"
    assert str(Problem("flows/a.yaml", 1, "", "oops")) == "flows/a.yaml:1: oops"


# ---------------------------------------------------------------- lines that point at the mistake


def test_bug_yaml_syntax_error_points_at_the_line_with_the_mistake(tmp_path: Path) -> None:
    """The unclosed quote is on line 7, though YAML only notices it at the end of the file (line 9)."""
    (problem,) = problems_in(tmp_path, "yaml_syntax.yaml")
    assert problem.message.startswith("YAML syntax error:")
    assert problem.line == 7


def test_bug_condition_problems_point_at_the_condition_line(tmp_path: Path) -> None:
    """Type and name problems in a condition are reported at its `if:` line, as parse errors are."""
    found = {(p.line, p.message.split(":", 1)[0]) for p in problems_in(tmp_path, "condition_type.yaml")}
    assert found == {
        (9, "condition 'mood == 'high''"),
        (14, "condition 'often == 'sometimes''"),
        (19, "condition 'areas == 'meals''"),
        (24, "condition 'pets == 3'"),
    }


# ---------------------------------------------------------------- limits match the channels


def test_the_longest_allowed_choice_id_fits_the_answer_buttons_the_bot_builds() -> None:
    """The longest choice id the validator allows makes real button data of exactly 64 bytes, at the
    longest session id and node tag: it fits, and one byte more would not."""
    session, node = "f" * 12, "a_very_long_step_id_that_does_not_matter.with_a_suffix"
    assert len(buttons.node_tag(node)) == 8  # the longest tag
    longest_ok = "x" * (CONTENT.button_data_bytes - CONTENT.choice_overhead_bytes)
    assert len(buttons.answer(session, node, longest_ok).encode()) == CONTENT.button_data_bytes
    assert (CONTENT.channel, CONTENT.button_data_bytes, CONTENT.text_chars) == ("Telegram", 64, 4096)


@pytest.mark.parametrize(
    "fixture",
    ["too_long_bank.yaml", "too_long.yaml", "too_long_ask_text.yaml", "too_long_reflect_and_end.yaml",
     "button_data.yaml"],
)
def test_without_limits_lengths_are_not_problems(tmp_path: Path, fixture: str) -> None:
    flows = tmp_path / "no_flows"
    flows.mkdir()
    content = load_content(BANKS, flows, [BROKEN / fixture])
    assert content.flows or content.questions


# ---------------------------------------------------------------- shipped content and the command


def test_shipped_content_validates() -> None:
    content = load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)
    assert content.flows and content.questions


def test_engine_test_content_validates() -> None:
    content = load_content(BANKS, ROOT / "tests" / "data" / "engine" / "flows", limits=CONTENT)
    assert "branch" in content.flows


def _coach(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "TELEGRAM_"))}
    return subprocess.run(
        [*COACH, *args], cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=60
    )


def test_coach_validate_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    env = {"COACH_BANKS_DIR": str(BANKS), "COACH_FLOWS_DIR": str(tmp_path / "flows")}
    result = _coach("validate", str(BROKEN / "several_mistakes.yaml"), env=env)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [*SEVERAL, f"{len(SEVERAL)} problem(s) found."]


def test_coach_validate_a_broken_bank_with_the_shipped_content() -> None:
    result = _coach("validate", str(BROKEN / "scale_range.yaml"))
    assert result.returncode == 1, result.stderr
    expected = lines_for_scale_range()
    assert result.stdout.splitlines() == [*expected, f"{len(expected)} problem(s) found."]


def lines_for_scale_range() -> list[str]:
    (param,) = [p for p in RULES if p.id == "scale-range"]
    return list(param.values[1])  # type: ignore[arg-type]


def test_coach_validate_shipped_content_is_one_line_and_exits_0() -> None:
    result = _coach("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"All good: \d+ questions and \d+ flows checked, no problems\.\n", result.stdout)


def test_coach_validate_a_good_extra_file_exits_0() -> None:
    result = _coach("validate", "flows/example.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("\n") == 1


def test_bug_names_in_intro_closing_and_end_text_are_checked(tmp_path: Path) -> None:
    """Intro, closing and `end:` text are checked for unknown names, like ask/say/reflect texts."""
    flows = tmp_path / "no_flows"
    flows.mkdir()
    try:
        load_content(BANKS, flows, [BROKEN / "template_unknown_intro.yaml"], limits=CONTENT)
        found: list[tuple[int, str]] = []
    except ContentError as caught:
        found = [(p.line, p.message) for p in caught.problems]
    assert found == [
        (4, "text uses 'nickname', which is not an answer or value"),
        (5, "text uses 'nickname', which is not an answer or value"),
        (8, "text uses 'nme', which is not an answer or value"),
    ]


# ---------------------------------------------------------------- one mistake, one problem


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems_with_flows(flows: Path) -> list[str]:
    try:
        load_content(BANKS, flows, limits=CONTENT)
    except ContentError as caught:
        return [f"{Path(p.file).relative_to(flows)}:{p.line}: {p.where}: {p.message}" for p in caught.problems]
    return []


def test_a_mistake_in_a_sequence_is_reported_once_in_its_own_file(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    _write(flows, "caller.yaml", "title: Caller\naudience: person\nsteps:\n  - ask: eng.note\n    next: outro\n"
           "  - say: Never said.\n  - call: outro\n    id: outro\n")
    _write(flows / "sequences", "outro.yaml", "title: Outro\nsteps:\n  - say: \"Bye {{ nickname }}\"\n"
           "  - say: \"Broken {{ x \"\n")
    assert _problems_with_flows(flows) == [
        "caller.yaml:6: step 'caller_say_2': unreachable: no step leads here",
        "sequences/outro.yaml:3: step 'outro_say_1'.text: text uses 'nickname', which is not an answer or value",
        "sequences/outro.yaml:4: steps[1].say: template does not compile: unexpected end of template, "
        "expected 'end of print statement'.",
    ]


def test_calling_a_sequence_twice_is_a_duplicate_step_id_at_the_second_call(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    _write(flows, "caller.yaml", "title: Caller\naudience: person\nsteps:\n  - call: outro\n  - call: outro\n")
    _write(flows / "sequences", "outro.yaml", "title: Outro\nsteps:\n  - ask: eng.note\n")
    assert _problems_with_flows(flows) == ["caller.yaml:5: steps: duplicate step id 'note' (first on line 4)"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: x\nsteps: [a, b\naudience: person\n", 2),  # an unclosed bracket: where it opens
        ("title: x\nsteps:\n  - ask: a\n bad: b\n", 4),  # a badly indented key: that key
        ("title: 'x\naudience: person\n\n", 1),  # an unclosed quote: where it opens
    ],
)
def test_yaml_syntax_errors_point_at_where_the_mistake_starts(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, "flow.yaml", text)
    flows = tmp_path / "no_flows"
    flows.mkdir()
    with pytest.raises(ContentError) as caught:
        load_content(BANKS, flows, [path], limits=CONTENT)
    assert [p.line for p in caught.value.problems] == [line]


def test_next_n_is_not_a_value_text_can_use(tmp_path: Path) -> None:
    """Nothing ever sets `next_n`: a text using it would always show "(not answered)"."""
    flows = tmp_path / "flows"
    _write(flows, "flow.yaml", "title: T\naudience: person\nsteps:\n  - ask: eng.mood\n  - say: 'Up to {{ next_n }}'\n")
    assert _problems_with_flows(flows) == [
        "flow.yaml:5: step 'flow_say_2'.text: text uses 'next_n', which is not an answer or value"
    ]
