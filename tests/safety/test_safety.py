"""The safety net's patterns on the labelled set, tricky cases, resources and the reply text.

The patterns were tuned on the labelled batches above the thirteenth, so their figures there are
in-sample (the first-sight figures are in docs/safety-benchmark.md). These tests run the patterns
alone; the classifier and the combined net are tested in test_classifier.py and test_context.py.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from safety_data import ALL_ITEMS, LABELLED, PATTERN_ITEMS, PATTERNS_ONLY

from bot.errors import ConfigError
from bot.safety.help import RESOURCES_ENV, help_text, load_resources, safety_message
from bot.safety.risk import CATEGORIES, SafetyCheck, check_safety, load_safety_rules, normalise
from bot.safety.train import ITEM_KEYS

RAW = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))


def _patterns(text: str, practice: bool = False) -> SafetyCheck:
    return check_safety(text, practice=practice, model=PATTERNS_ONLY)


# ---------------------------------------------------------------- the labelled set


def test_safety_labelled_set_is_big_and_well_formed() -> None:
    assert len(RAW) >= 1700
    texts = [item["text"] for item in RAW]
    assert len(set(texts)) == len(texts), "a phrase appears twice"
    for item in RAW:
        assert {"text", "risk", "category"} <= set(item) <= ITEM_KEYS, item
        assert isinstance(item["risk"], bool)
        assert (item["category"] in CATEGORIES) if item["risk"] else item["category"] is None, item
        assert item["category"] == (item.get("categories") or [item["category"]])[0], item
        assert item.get("mode", "person") in ("person", "practice"), item
    counts = {c: sum(i.category == c for i in ALL_ITEMS) for c in CATEGORIES}
    assert min(counts.values()) >= 80
    assert sum(not i.risk for i in ALL_ITEMS) >= 700
    assert sum(i.practice for i in ALL_ITEMS) >= 30
    assert sum(len(i.categories) > 1 for i in ALL_ITEMS) >= 5


def test_safety_pattern_recall_on_the_set_they_were_tuned_on_is_at_least_98_percent() -> None:
    risky = [i for i in PATTERN_ITEMS if i.risk]
    missed = [i.text for i in risky if not _patterns(i.text, i.practice).risk]
    recall = 1 - len(missed) / len(risky)
    assert recall >= 0.98, f"recall {recall:.1%}; missed: {missed}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_safety_pattern_precision_per_category_is_at_least_90_percent(category: str) -> None:
    said = [i for i in PATTERN_ITEMS if _patterns(i.text, i.practice).category == category]
    wrong = [i.text for i in said if i.category != category]
    precision = 1 - len(wrong) / len(said)
    assert precision >= 0.90, f"{category} precision {precision:.1%}; wrongly given: {wrong}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_safety_pattern_recall_per_category_is_at_least_98_percent(category: str) -> None:
    mine = [i for i in PATTERN_ITEMS if i.category == category]
    missed = [i.text for i in mine if category not in _patterns(i.text, i.practice).categories]
    assert len(missed) <= 0.02 * len(mine), missed  # recall at least 98%


def test_safety_patterns_signpost_few_of_the_safe_messages_written_for_the_classifier() -> None:
    """The thirteenth batch's safe messages (denials, other senses, past events, hard days, practice
    questions) were written to look like risks; after the context rules the patterns signpost few."""
    safe = [i for i in ALL_ITEMS[len(PATTERN_ITEMS):] if not i.risk]
    signposted = [i.text for i in safe if _patterns(i.text, i.practice).band == "signpost"]
    assert len(safe) >= 150
    assert len(signposted) <= 0.05 * len(safe), signposted


# ---------------------------------------------------------------- tricky cases, one by one


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # idioms
        ("I'd kill for a cup of tea", None),
        ("this form is killing me", None),
        ("My knee is killing me", None),
        ("I'm dying to see my grandson", None),
        ("My mum will kill me if I'm late", None),
        ("I'm killing myself laughing", None),
        # negation: a carer's denial is fine, and so is a clear denial of self-harm (issue 13)
        ("I would never hurt him", None),
        ("My son has never hit me", None),
        ("I'm not going to hurt myself", None),
        ("I'm not going to hurt myself, but I think about it", "suicide_self_harm"),
        ("I'm not sure, but I think my son is taking my money", "abuse_neglect"),
        ("He doesn't drink, and he hits me", "abuse_neglect"),
        # past tense
        ("I tried to end it last year", "suicide_self_harm"),
        ("I fell last year and broke my wrist", None),
        # third person
        ("my mum says she wants to die", "suicide_self_harm"),
        ("The care worker slapped my dad", "abuse_neglect"),
        # typos, casing, apostrophes, stretched letters
        ("I WANT TO DIEEEE", "suicide_self_harm"),
        ("i want to kill myslef", "suicide_self_harm"),
        ("im feeling sucidal", "suicide_self_harm"),
        ("I\u2019m at breaking point", "carer_breaking_point"),
        ("i cnat do this anymore", "carer_breaking_point"),
        # end-of-life wishes and ordinary life
        ("I want to die at home, not in hospital", None),
        ("I can't go on holiday this year", None),
        ("I can't get up the stairs without help", None),
        ("I'm exhausted", None),
        # danger now
        ("Mum has fallen and can't get up", "immediate_danger"),
        ("He has a knife and he's shouting", "immediate_danger"),
        ("He's hitting me right now", "immediate_danger"),
        # a practitioner drafting a question is not a disclosure; a person asking the coach is
        ("Do you ever think about harming yourself?", None),
        ("Do you think I should just kill myself?", "suicide_self_harm"),
        # indirect ideation: a wish or relief and one's own death or absence in the same clause
        ("I just want it all to stop", "suicide_self_harm"),
        ("It would be a relief not to be here", "suicide_self_harm"),
        ("I feel like a burden to everyone, they'd cope fine without me", "suicide_self_harm"),
        ("I've been saving my tablets up for a while now", "suicide_self_harm"),
        ("I've been putting tablets aside just in case", "suicide_self_harm"),
        ("I don't plan on being around for it", "suicide_self_harm"),
        ("If it wasn't for the dog I'd have ended it by now", "suicide_self_harm"),
        # ... but not death as a point in time, a denial of feeling a burden or hopeless, or a film
        ("Before I die I want to see the sea again", None),
        ("I'm not a burden, whatever she says", None),
        ("I don't feel hopeless, just tired", None),
        ("We watched a film about a man who killed himself, it was sad", None),
        ("I take all my tablets with breakfast", None),
        # carers: fear of what they might do, and the 0 to 10 scale's own label quoted back
        ("I could shake her", "carer_breaking_point"),
        ("I'm scared I'll lose it with him", "carer_breaking_point"),
        ("I'm one more bad night away from walking out", "carer_breaking_point"),
        ("I can't go on like this", "carer_breaking_point"),
        ("Between 'I can't go on like this' and managing, probably a 6", None),
        ("I have to push her wheelchair up the hill to the shops", None),
        ("I was at breaking point last year but counselling really helped", None),
        # abuse in plain words, and everyday look-alikes
        ("my son takes my pension every week and leaves me with nothing", "abuse_neglect"),
        ("She locks me in when she goes to work", "abuse_neglect"),
        ("I'm frightened of him when he drinks", "abuse_neglect"),
        ("My partner has taken my car keys and my phone so I can't leave", "abuse_neglect"),
        ("She keeps her own money and does her own banking", None),
        ("I don't feel safe on the bus since my fall", None),
        ("My mum was neglected as a child but she had a good life after", None),
        ("Our neighbour threatened to call the police about the noise from next door", None),
        # danger now, and a handbag that is only lost
        ("He's got a knife", "immediate_danger"),
        ("Mum's on the floor and she won't answer me", "immediate_danger"),
        ("he's just swallowed a whole strip of his heart pills", "immediate_danger"),
        ("Mum gets cross and shouts when she can't find her handbag", None),
        ("He lives on the first floor", None),
        ("Every night I pray I won't wake up", "suicide_self_harm"),
        ("I've been researching ways to go peacefully", "suicide_self_harm"),
        ("my husband passed away peacefully at home last spring", None),
        ("I'm ready to go when the taxi comes", None),
        ("I want out of this contract with the care agency", None),
        ("He threatens to ring my sister if I don't make tea, it's a joke between us", None),
    ],
)
def test_safety_tricky_case(text: str, category: str | None) -> None:
    assert _patterns(text).category == category


def test_safety_check_reports_every_category_with_the_most_urgent_first() -> None:
    check = _patterns("He's hitting me right now and I want to die")
    assert check.risk
    assert check.category == "immediate_danger"
    assert set(check.categories) >= {"immediate_danger", "suicide_self_harm", "abuse_neglect"}
    assert list(check.categories) == sorted(check.categories, key=CATEGORIES.index)


def test_safety_a_single_reassurance_does_not_cancel_a_risk_in_the_same_message() -> None:
    assert _patterns("I'm fine. I just want to end my life.").category == "suicide_self_harm"


def test_safety_to_json_has_risk_band_categories_and_what_fired() -> None:
    assert _patterns("I want to die").to_json() == {
        "risk": True, "band": "signpost", "category": "suicide_self_harm", "categories": ["suicide_self_harm"],
        "fired": "patterns",
    }
    assert check_safety("Lovely weather").to_json() == {"risk": False, "band": "none", "category": None,
                                                         "categories": [], "fired": None}


def test_safety_empty_and_odd_text_is_not_a_risk() -> None:
    for text in ("", "   ", "!!!", "\U0001f600", "1234"):
        assert check_safety(text) == SafetyCheck(risk=False, category=None, categories=())


def test_safety_normalise_flattens_quotes_case_and_contractions() -> None:
    rules = load_safety_rules()
    assert normalise("I\u2019M NOT   going. He\u2019ll do it!", rules) == "im not going . he will do it ."
    assert normalise("I do not know, I cannot", rules) == "i dont know , i cant"
    assert normalise("self-harm", rules) == "self harm"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_safety_check_never_fails_on_any_text(text: str) -> None:
    check = check_safety(text)
    assert check.risk == (check.category is not None) == bool(check.categories)


@pytest.mark.parametrize(
    "text",
    [
        "my husband is lovely and the carers are kind but the forms are long ",
        "I would never hurt him. ",  # every match is found and then cancelled
        "my son my son the carer the carer ",
        "wish i was ",
    ],
)
def test_safety_long_message_is_checked_quickly(text: str) -> None:
    long_text = (text * 400)[:4000]
    _patterns(long_text)  # warm the cache
    started = time.perf_counter()
    check = _patterns(long_text)
    assert not check.risk
    assert time.perf_counter() - started < 0.5


def test_safety_check_does_not_log_the_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        check_safety("my secret words about wanting to die")
    assert "secret words" not in caplog.text


# ---------------------------------------------------------------- rules files


def _rules_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "patterns.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_safety_rules_can_come_from_another_file(tmp_path: Path) -> None:
    path = _rules_file(tmp_path, """
terms: {thing: '(?:gerbil|hamster)'}
negation: {cues: [not], window: 3}
exceptions: ['\\bhamster wheel\\b']
categories:
  immediate_danger:
    patterns: ['\\bmy <thing> escaped\\b']
""")
    rules = load_safety_rules(path)
    assert check_safety("My gerbil escaped!", rules, model=PATTERNS_ONLY).category == "immediate_danger"
    assert not check_safety("my gerbil has not escaped", rules, model=PATTERNS_ONLY).risk
    assert not check_safety("I want to die", rules, model=PATTERNS_ONLY).risk


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("categories:\n  danger:\n    patterns: ['x']\n", "unknown category 'danger'"),
        ("categories:\n  abuse_neglect:\n    patterns: ['(unclosed']\n", "bad pattern"),
        ("categories:\n  abuse_neglect:\n    patterns: ['<nothing>']\n", "unknown term <nothing>"),
        ("categories: [\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_safety_bad_rules_file_is_a_config_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_safety_rules(_rules_file(tmp_path, body))


# ---------------------------------------------------------------- resources


def test_safety_default_resources_are_the_uk_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RESOURCES_ENV, raising=False)
    resources = load_resources()
    assert resources.emergency.number == "999"
    assert resources.samaritans.number == "116 123"
    assert resources.nhs_111.number == "111"
    assert "option 2" in resources.nhs_111.line()
    assert resources.shout.number == "85258"
    assert "SHOUT" in resources.shout.line()
    assert resources.safeguarding.number is None
    assert "council" in resources.safeguarding.line()


def _resources_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "resources.yaml"
    path.write_text(body, encoding="utf-8")
    return path


LOCAL = """
safeguarding:
  name: Westshire Council adult safeguarding
  number: "0300 123 4567"
extra:
  - name: Hourglass
    number: "0808 808 8141"
    categories: [abuse_neglect]
"""


def test_safety_resources_override_from_a_file(tmp_path: Path) -> None:
    resources = load_resources(_resources_file(tmp_path, LOCAL))
    assert resources.safeguarding.line().startswith("Westshire Council adult safeguarding: call 0300 123 4567")
    assert resources.samaritans.number == "116 123"  # untouched defaults stay
    assert [r.name for r in resources.extra] == ["Hourglass"]


def test_safety_resources_override_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RESOURCES_ENV, str(_resources_file(tmp_path, LOCAL)))
    assert load_resources().safeguarding.number == "0300 123 4567"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("samaritans:\n  number: none\n", "has no digits"),
        ("samaritans:\n  number: null\n", "number is missing"),
        ("helplines: []\n", "unknown key 'helplines'"),
        ("shout:\n  nmber: '1'\n", "unknown key 'nmber'"),
        ("safeguarding:\n  when_unset: ''\n", "give a number, or when_unset"),
        ("extra:\n  - name: X\n    number: '1'\n    categories: [danger]\n", "categories must be"),
        ("extra: {}\n", "extra must be a list"),
        ("emergency: [999]\n", "expected a mapping"),
        ("emergency:\n  name: [a]\n", "name must be text"),
        ("emergency: {\n", "not valid YAML"),
    ],
)
def test_safety_bad_resources_file_is_a_config_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_resources(_resources_file(tmp_path, body))


def test_safety_missing_resources_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_resources(tmp_path / "nowhere.yaml")


# ---------------------------------------------------------------- what the person sees


@pytest.fixture
def uk(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(RESOURCES_ENV, raising=False)
    return load_resources()


@pytest.mark.parametrize("category", CATEGORIES)
def test_safety_message_gives_numbers_and_a_way_to_pause(category: str, uk) -> None:
    message = safety_message(SafetyCheck(True, category, (category,)), uk)
    assert "999" in message
    assert "computer program" in message
    assert "pause" in message and "carry on" in message
    assert message.rstrip().endswith("Type /help to see these numbers again.")
    assert "<" not in message and "&" not in message  # plain text: the channel escapes
    assert len(message) < 1200


def test_safety_message_first_line_fits_the_category(uk) -> None:
    first = {c: safety_message(SafetyCheck(True, c, (c,)), uk).splitlines()[0] for c in CATEGORIES}
    assert len(set(first.values())) == len(CATEGORIES)
    assert "999" in first["immediate_danger"]
    assert "hurt" in first["abuse_neglect"]
    assert "Caring" in first["carer_breaking_point"]


def test_safety_message_for_suicide_lists_the_helplines(uk) -> None:
    message = safety_message(check_safety("I want to end my life"), uk)
    for number in ("999", "116 123", "111", "option 2", "85258"):
        assert number in message
    assert message.index("999") < message.index("116 123")


def test_safety_message_for_abuse_names_the_safeguarding_line(tmp_path: Path) -> None:
    resources = load_resources(_resources_file(tmp_path, LOCAL))
    message = safety_message(check_safety("My son hits me"), resources)
    assert "0300 123 4567" in message
    assert "Hourglass" in message
    assert "Hourglass" not in safety_message(check_safety("I'm at breaking point"), resources)


def test_safety_message_without_a_local_number_gives_a_generic_route(uk) -> None:
    message = safety_message(check_safety("My son hits me"), uk)
    assert "adult safeguarding" in message
    assert "101" in message


def test_help_text_lists_every_resource(tmp_path: Path) -> None:
    text = help_text(load_resources(_resources_file(tmp_path, LOCAL)))
    for number in ("999", "116 123", "111", "85258", "0300 123 4567", "0808 808 8141"):
        assert number in text
    assert "not an emergency service" in text
