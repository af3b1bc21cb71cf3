"""The checker's rules from the blind_a tuning round (issue 16), on lines written for these tests:
scaling questions (the number is closed on purpose; which way the scale runs), forms (consent about
who is present or contacting someone, information and normalising statements, recaps), and the kinds
of substitution, minimising, deficit, double and jargon a practice educator would recognise. These test
the rules, so the learned codes are off here (tests/practice/test_learned.py covers them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import bot.practice.checker as checker_module
from bot.practice.checker import check_question, format_verdict
from bot.practice.learned import CodeModel


@pytest.fixture(autouse=True)
def rules_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(checker_module, "shipped_code_model", lambda: CodeModel(None))
    checker_module._check.cache_clear()
    checker_module._codes_of.cache_clear()
    yield
    checker_module._check.cache_clear()
    checker_module._codes_of.cache_clear()


@pytest.mark.parametrize(("text", "is_open", "deliberate", "codes"), [
    ("Where would you put yourself today, out of 10?", False, "scale", ("scaling_direction",)),
    ("On a scale of 0 to 10, where 0 is the worst it has been and 10 is how you'd want it to be, where are you now?",
     False, "scale", ()),
    ("How confident are you, 0 to 10, that you could ask for a break?", False, "scale", ()),
    ("Out of 10, how lonely do you feel?", False, "scale", ("scaling_direction",)),
    ("Where would your son put you on that scale?", False, "scale", ()),
    ("You were a 6 and now you're a 4 - why has it gone down?", True, "", ("why", "scaling_direction")),
    ("What puts you at 4 and not lower?", True, "", ()),
    ("Out of 10, where are you, and what would one point higher look like?", True, "", ("double",)),
])
def test_scaling_questions(text: str, is_open: bool, deliberate: str, codes: tuple[str, ...]) -> None:
    verdict = check_question(text)
    assert (verdict.open, verdict.deliberate, verdict.codes) == (is_open, deliberate, codes)


def test_a_scale_without_its_ends_gets_a_better_version_that_says_them() -> None:
    better = check_question("Out of 10, how's your week been?").issues[0].better
    assert "where 0 is" in better and "10 is how you'd want it" in better
    assert not check_question(better).issues
    assert format_verdict(check_question(better)).startswith("A scaling question: a number answers it")


@pytest.mark.parametrize(("text", "is_open", "form"), [
    ("Would you like your wife to stay for this part?", False, "consent"),
    ("Would you like me to ask the district nurse to call?", False, "consent"),
    ("Could you talk me through your evenings, if that's OK?", True, "question"),
    ("You can say no to any of this.", False, "statement"),
    ("It's completely normal to feel worn out.", False, "statement"),
    ("Just to recap: the nights are hard, Sundays are lonely and you'd like a break, right?", False, "summary"),
    ("So you cook, your son shops, and the neighbour does the bins.", False, "summary"),
    ("It sounds like, with the stairs and the bath and the long nights, you're worn out.", False, "reflection"),
    ("Which parts of the day drag the most?", True, "question"),
    ("Roughly how many nights a week are you up with him?", False, "question"),
])
def test_forms(text: str, is_open: bool, form: str) -> None:
    verdict = check_question(text)
    assert (verdict.open, verdict.form) == (is_open, form)
    assert "closed" not in verdict.codes


@pytest.mark.parametrize(("text", "codes"), [
    # substitution: an unpaid helper presumed, however it is put
    ("What's stopping you from asking your nephew to help?", ("leading", "substitution")),
    ("There's a day centre run by volunteers that could fill his afternoons.", ("substitution",)),
    ("Since your brother's retired, could he do the hospital runs?", ("substitution",)),  # the steer, not closed
    ("Surely it's nicer having your son help than a care worker?", ("closed", "leading", "substitution")),
    ("You'd rather it wasn't always your daughter. Have I got that right?", ()),
    ("What would happen if your husband couldn't do the nights any more?", ()),
    # minimising: normalised, recorded as met, narrowed, or the good times made the whole story
    ("That's normal for someone with arthritis, isn't it?", ("closed", "leading", "minimising")),
    ("I'll note that your husband is managing the meals.", ("minimising",)),
    ("We can take the bathing off the list, your daughter does that.", ("minimising",)),
    ("So it's really only the stairs he needs help with?", ("closed", "leading", "minimising")),
    ("You manage fine most of the time though, don't you?", ("closed", "leading", "minimising")),
    ("Could you do a bit more so she doesn't need a care call?", ("substitution",)),  # the steer, not closed
    # deficit, double and jargon
    ("So basically the trouble is he can't cope and he can't manage the stairs.", ("deficit",)),
    ("Tell me the hardest bit and the best bit of your week.", ("double",)),
    ("Stop me if I've got it wrong, but how do the mornings go?", ()),
    ("Given the problems with your knees, how do you get up the stairs?", ()),
    ("Is he under section 2?", ("closed", "jargon")),
    ("Does she have capacity to decide where to live?", ("closed", "jargon")),
    ("Would you agree to me telling your GP, your son and the pharmacy?", ("double",)),
])
def test_issue_codes(text: str, codes: tuple[str, ...]) -> None:
    assert check_question(text).codes == codes
