"""The practitioner line checker: the contract, good practice that is not a fault, substitution and
minimising, better versions that keep the need, and the labelled set's figures."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from bot.cli import main as coach
from bot.practice import checker as question_check
from bot.practice.checker import FORMS, ISSUE_CODES, QuestionVerdict, check_question, format_verdict
from bot.practice.clauses import normal
from bot.practice.learned import CodeModel
from bot.practice.rewrites import keeps_need, need_of

LABELLED = Path(__file__).resolve().parents[1] / "data" / "practitioner_questions.yaml"
ITEMS = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["lines"]


def test_labelled_set_is_big_enough_and_consistent() -> None:
    assert len(ITEMS) >= 500
    assert len({item["text"] for item in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert set(item) <= {"text", "open", "form", "codes", "holdout"}, item["text"]
        assert set(item["codes"]) <= set(ISSUE_CODES) and item["form"] in FORMS, item["text"]
        if "closed" in item["codes"]:
            assert not item["open"] and item["form"] == "question", item["text"]
        if item["form"] != "question":  # open means an open question
            assert not item["open"], item["text"]
    assert all(sum(code in item["codes"] for item in ITEMS) >= 12 for code in ISSUE_CODES)
    assert all(sum(item["form"] == form for item in ITEMS) >= 8 for form in FORMS)


def test_open_and_form_are_at_least_95_percent_right_on_the_development_set() -> None:
    verdicts = [check_question(item["text"]) for item in ITEMS]
    assert sum(v.open == i["open"] for v, i in zip(verdicts, ITEMS, strict=True)) / len(ITEMS) >= 0.95
    assert sum(v.form == i["form"] for v, i in zip(verdicts, ITEMS, strict=True)) / len(ITEMS) >= 0.95


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_each_issue_code_has_85_percent_precision_and_recall_on_the_development_set(code: str) -> None:
    tp = fp = fn = 0
    for item in ITEMS:
        got = code in check_question(item["text"]).codes
        wanted = code in item["codes"]
        tp += got and wanted
        fp += got and not wanted
        fn += wanted and not got
    assert tp / (tp + fp) >= 0.85, f"{code} precision {tp}/{tp + fp}"
    assert tp / (tp + fn) >= 0.85, f"{code} recall {tp}/{tp + fn}"


def test_good_practice_lines_in_the_development_set_are_not_flagged() -> None:
    good = [i for i in ITEMS if not i["codes"] and (i["form"] in ("reflection", "summary", "consent")
                                                    or (i["form"] == "question" and not i["open"]))]
    assert len(good) >= 50
    flagged = [i["text"] for i in good if check_question(i["text"]).issues]
    assert flagged == []


@pytest.mark.parametrize(("text", "is_open", "form", "codes"), [
    # the practice educator's examples from issue 16
    ("Who could help you with that instead of paid carers?", True, "question", ("substitution",)),
    ("It sounds like the nights are the hardest part.", False, "reflection", ()),
    ("Could your daughter pop in more often?", False, "question", ("substitution",)),  # the steer, not closed
    # a statement said as a question leads; "covered by your son" presumes unpaid help fills the need
    # a need treated as met by unpaid help: minimising, and (the guide: a line can be both; writers R to T
    # label "so that's covered" by family both ways) substitution as well
    ("So that's covered by your son then?", False, "question", ("closed", "leading", "substitution", "minimising")),
    ("Is it OK if I ask about your finances?", False, "consent", ()),
    ("Are you willing and able to keep caring for him?", False, "question", ()),
    ("How often does he get up in the night?", False, "question", ()),
    ("What can't you do any more?", True, "question", ("deficit",)),
    ("So, the nights are hard, Pauline helps on Thursdays, and you'd like one full night's sleep a week. "
     "Have I got that right?", False, "summary", ()),
    ("Do you feel safe at home?", False, "question", ()),
    # the rules carried over from issue 6
    ("Do you have family nearby?", False, "question", ("closed",)),
    ("What's the problem?", True, "question", ("deficit",)),
    ("You seem to be coping fine with meals?", False, "question", ("closed", "leading", "minimising")),
    ("Why don't you use a shower seat?", True, "question", ("leading", "why")),
    ("On a scale of 1-10, why aren't you higher?", True, "question", ("why", "scaling_direction")),
    ("What puts you at 4 and not 0?", True, "question", ()),
    ("Can you tell me about your week?", True, "question", ()),
    ("Could you tell me if you have anyone to call on?", False, "question", ("closed",)),
    ("Who helps, and what do they do?", True, "question", ("double",)),
    ("How does the service user access the community?", True, "question", ("jargon",)),
    ("It must be really hard, isn't it?", False, "question", ("closed", "leading")),
    # not every mention of family is substitution
    ("How is it for Karen, doing the big shop every Sunday?", True, "question", ()),
    ("What would happen if Pauline couldn't come on a Thursday?", True, "question", ()),
    ("What would your neighbour say you do well?", True, "question", ()),
    ("What can't your husband do for himself?", True, "question", ("deficit",)),
    # the writers split on lines like it (blind_b: leading and minimising; blind_a and blind_c mostly
    # minimising alone): minimising names the steer, so the learned model's leading is not added on top
    # (held out, that took leading precision from 89% to 95% with no loss of recall)
    ("You're managing really well.", False, "reflection", ("minimising",)),
])
def test_named_cases(text: str, is_open: bool, form: str, codes: tuple[str, ...]) -> None:
    verdict = check_question(text)
    assert (verdict.open, verdict.form, verdict.codes) == (is_open, form, codes)


@pytest.mark.parametrize(("text", "deliberate"), [
    ("Is it OK if I ask about your finances?", "consent"),
    ("Have I got that right?", "check"),
    ("How many nights a week is he up more than twice?", "frequency"),
    ("Do you want to carry on being his main carer?", "willing_able"),
    ("Has anyone taken money from you without asking?", "safety"),
    ("Is he safe to be left on his own for an hour?", "safety"),
])
def test_questions_closed_on_purpose_say_why_and_are_not_flagged(text: str, deliberate: str) -> None:
    verdict = check_question(text)
    assert (verdict.open, verdict.deliberate, verdict.codes) == (False, deliberate, ())


def test_to_json_is_exactly_the_contract() -> None:
    data = check_question("Your sister lives nearby, so she could pop in, couldn't she?").to_json()
    assert set(data) == {"open", "form", "issues"}
    assert (data["open"], data["form"]) == (False, "question")
    assert [i["code"] for i in data["issues"]] == ["closed", "leading", "substitution"]
    for issue in data["issues"]:
        assert set(issue) == {"code", "explanation", "better"} and issue["explanation"] and issue["better"]
    assert json.loads(json.dumps(data)) == data


def test_the_command_line_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert coach(["check-question", "So that's covered by your son then?", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == check_question("So that's covered by your son then?").to_json()
    assert {"closed", "minimising"} <= {i["code"] for i in printed["issues"]}


@pytest.mark.parametrize("code", ["substitution", "minimising"])
def test_substitution_and_minimising_are_explained_with_the_care_act(code: str) -> None:
    explanation = question_check.load_rules().raw["explanations"][code]
    assert "Care Act" in explanation
    assert "need met by a carer is still a need" in explanation
    assert "entitled to their own assessment" in explanation


@pytest.mark.parametrize(("text", "better"), [
    ("What can't you do any more?", "What has got harder for you lately?"),
    ("Who could do your shopping instead of a carer?", "What help with your shopping would work best for you?"),
    ("It's only the odd bad night, then?", "What are the nights like on a harder day?"),
    ("Why did you stop going to the allotment?", "What led you to stop going to the allotment?"),
    ("How is your mobility?", "How are you getting about?"),
    ("Why aren't you higher than a 4?", "What puts you at 4 and not lower?"),
    ("Who helps, and what do they do?", "Who helps?"),
])
def test_better_versions_keep_the_need(text: str, better: str) -> None:
    assert check_question(text).issues[-1].better == better


def test_every_flagged_line_gets_better_versions_that_pass_and_keep_the_need() -> None:
    rules = question_check.load_rules()
    kept = total = 0
    for item in ITEMS:
        verdict = check_question(item["text"])
        if not verdict.issues:
            assert verdict.suggestions == ()
            continue
        assert len(verdict.suggestions) in (1, 2), item["text"]
        for issue in verdict.issues:
            again = check_question(issue.better)
            assert issue.better and not again.issues, (item["text"], issue.code, issue.better)
            need = need_of(normal(item["text"]), rules)
            if need and issue.code in ("substitution", "minimising", "deficit"):
                total += 1
                kept += keeps_need(issue.better, need, rules)
    # One line misses since the learned codes: "What are the biggest problems with his behaviour?" (the model
    # reads "his behaviour" itself as deficit, so every rewrite naming it is flagged and a clean one is chosen).
    assert total >= 30 and kept >= total - 1


def test_the_need_is_the_lines_own_words_when_it_says_them() -> None:
    rules = question_check.load_rules()
    assert need_of(normal("Your son lives close, so he can do the bins, can't he?"), rules) == "the bins"
    assert need_of(normal("Could your wife do a bit more at bedtime?"), rules) == "the nights"
    assert need_of(normal("Who could help you with that instead of paid carers?"), rules) == "that"
    assert need_of(normal("What matters most to you?"), rules) == ""


def test_verdict_is_frozen() -> None:
    verdict = check_question("What helps?")
    with pytest.raises(AttributeError):
        verdict.open = False  # type: ignore[misc]
    assert isinstance(verdict, QuestionVerdict)


@pytest.mark.parametrize(("text", "start"), [
    ("Do you have family nearby?", "A closed question."),
    ("What helps on the hardest days?", "An open question, and nothing I would change."),
    ("It sounds like the nights are the hardest part.", "A reflection:"),
    ("Is it OK if I ask about your finances?", "Asking consent:"),
    ("How often does that happen?", "A closed question on purpose:"),
])
def test_format_verdict_says_what_the_line_is(text: str, start: str) -> None:
    assert format_verdict(check_question(text)).startswith(start)


def test_format_verdict_is_plain_text_with_explanations_and_rewrites() -> None:
    text = format_verdict(check_question("Could your daughter pop in more often?"))
    assert "Care Act" in text and "You could try:" in text
    assert "<" not in text and "&" not in text


def test_empty_text_is_closed_rather_than_an_error() -> None:
    verdict = check_question("   ")
    assert (verdict.open, verdict.codes) == (False, ("closed",))


def test_curly_apostrophes_are_read_like_straight_ones() -> None:
    assert check_question("Why don\u2019t you use a shower seat?").codes == ("leading", "why")


def test_the_word_lists_come_from_the_rules_file() -> None:
    raw = copy.deepcopy(question_check.load_rules().raw)
    raw["jargon"].append("wellness journey")
    raw["unpaid"].append("the milkman")
    rules = question_check.Rules.from_dict(raw)
    alone = CodeModel(None)  # the rules' own word lists, without the model's say
    assert "jargon" in question_check.examine("How is your wellness journey going?", rules, alone)[1]
    assert "jargon" not in question_check.examine("How is your wellness journey going?", model=CodeModel(None))[1]
    assert "substitution" in question_check.examine("Could the milkman pop in more often?", rules, alone)[1]
