"""The practitioner question checker: the aims on the labelled set, named cases, JSON and text."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from bot.practice import checker as question_check
from bot.practice.checker import ISSUE_CODES, QuestionVerdict, check_question, format_verdict

LABELLED = Path(__file__).resolve().parents[1] / "data" / "practitioner_questions.yaml"
ITEMS = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["questions"]


def test_labelled_set_is_big_enough_and_consistent() -> None:
    assert len(ITEMS) >= 220
    assert len({item["q"] for item in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert set(item["issues"]) <= set(ISSUE_CODES), item["q"]
        assert ("closed" in item["issues"]) == (not item["open"]), item["q"]
    assert sum(1 for item in ITEMS if not item["issues"]) >= 60
    assert all(sum(code in item["issues"] for item in ITEMS) >= 15 for code in ISSUE_CODES)


def test_open_or_closed_is_at_least_95_percent_right() -> None:
    right = sum(check_question(item["q"]).open == item["open"] for item in ITEMS)
    assert right / len(ITEMS) >= 0.95


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_each_issue_code_has_85_percent_precision_and_recall(code: str) -> None:
    tp = fp = fn = 0
    for item in ITEMS:
        got = code in check_question(item["q"]).codes
        wanted = code in item["issues"]
        tp += got and wanted
        fp += got and not wanted
        fn += wanted and not got
    assert tp / (tp + fp) >= 0.85, f"{code} precision {tp}/{tp + fp}"
    assert tp / (tp + fn) >= 0.85, f"{code} recall {tp}/{tp + fn}"


@pytest.mark.parametrize(("text", "is_open", "codes"), [
    ("Do you have family nearby?", False, ("closed",)),
    ("What's the problem?", True, ("deficit",)),
    ("You seem to be coping fine with meals?", False, ("closed", "leading")),
    ("Why don't you use a shower seat?", True, ("leading", "why")),
    ("On a scale of 1-10, why aren't you higher?", True, ("why", "scaling_direction")),
    ("What puts you at 4 and not 0?", True, ()),
    ("Why are you at 6 and not a lower number, like 2?", True, ()),
    ("Can you tell me about your week?", True, ()),
    ("Could you tell me if you have anyone to call on?", False, ("closed",)),
    ("When does the pain ease off a little?", True, ()),
    ("How many times a week does your son visit?", False, ("closed",)),
    ("Who helps, and what do they do?", True, ("double",)),
    ("How does the service user access the community?", True, ("jargon",)),
    ("Would you like a referral to the OT?", False, ("closed", "jargon")),
    ("When is the problem less of a problem?", True, ()),
    ("It must be really hard, isn't it?", False, ("closed", "leading")),
    ("Tell me about a time recently when things went a bit better.", True, ()),
])
def test_named_cases(text: str, is_open: bool, codes: tuple[str, ...]) -> None:
    verdict = check_question(text)
    assert (verdict.open, verdict.codes) == (is_open, codes)


def test_the_family_example_from_the_issue_is_rewritten_as_in_the_issue() -> None:
    assert check_question("Do you have family nearby?").suggestions[0] == "Who are the people who matter most to you?"


@pytest.mark.parametrize(("text", "expected"), [
    ("Why did you stop going to the allotment?", "What led you to stop going to the allotment?"),
    ("How do you manage your personal care?", "How do you manage your washing and dressing?"),
    ("Why aren't you higher than a 4?", "What puts you at 4 and not lower?"),
    ("Who helps, and what do they do?", "Who helps?"),
])
def test_rewrites_keep_the_intent(text: str, expected: str) -> None:
    assert check_question(text).suggestions[0] == expected


def test_every_flagged_question_gets_one_or_two_rewrites_that_pass_the_checker() -> None:
    for item in ITEMS:
        verdict = check_question(item["q"])
        if not verdict.issues:
            assert verdict.suggestions == ()
            continue
        assert len(verdict.suggestions) in (1, 2), item["q"]
        for suggestion in verdict.suggestions:
            again = check_question(suggestion)
            assert again.open and not again.issues, (item["q"], suggestion, again.codes)


def test_every_explanation_is_one_short_sentence() -> None:
    for code in ISSUE_CODES:
        explanation = question_check.load_rules().raw["explanations"][code]
        assert explanation.endswith(".") and explanation.count(". ") == 0 and len(explanation.split()) <= 30


def test_to_json_has_the_documented_shape() -> None:
    data = check_question("Why don't you use a shower seat?").to_json()
    assert set(data) == {"open", "issues", "suggestions"}
    assert data["open"] is True
    assert [i["code"] for i in data["issues"]] == ["leading", "why"]
    assert all(set(i) == {"code", "explanation"} and i["explanation"] for i in data["issues"])
    assert isinstance(data["suggestions"], list) and 1 <= len(data["suggestions"]) <= 2
    assert json.loads(json.dumps(data)) == data


def test_verdict_is_frozen() -> None:
    verdict = check_question("What helps?")
    with pytest.raises(AttributeError):
        verdict.open = False  # type: ignore[misc]
    assert isinstance(verdict, QuestionVerdict)


def test_format_verdict_is_plain_text_with_explanations_and_rewrites() -> None:
    text = format_verdict(check_question("Do you have family nearby?"))
    assert text.startswith("A closed question.")
    assert "yes, no or a single fact" in text
    assert "• Who are the people who matter most to you?" in text
    assert "<" not in text and "&" not in text


def test_format_verdict_for_a_good_question_says_so() -> None:
    assert "nothing I would change" in format_verdict(check_question("What helps on the hardest days?"))


def test_empty_text_is_closed_rather_than_an_error() -> None:
    assert check_question("   ").open is False


def test_curly_apostrophes_are_read_like_straight_ones() -> None:
    assert check_question("Why don\u2019t you use a shower seat?").codes == ("leading", "why")


def test_the_word_lists_come_from_the_rules_file() -> None:
    raw = copy.deepcopy(question_check.load_rules().raw)
    raw["jargon"].append("wellness journey")
    rules = question_check.Rules.from_dict(raw)
    assert "jargon" in question_check._examine("How is your wellness journey going?", rules)[1]
    assert "jargon" not in check_question("How is your wellness journey going?").codes
