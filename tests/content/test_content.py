"""The shipped question banks and flows: they load, they are complete, and they read plainly.

These tests read the YAML as written (so every word a person or practitioner can see is checked)
and also drive each shipped flow through the real engine, answering as a person would, to show
that it finishes and that scale follow-ups use the number given.

Reading ease: Flesch reading ease (textstat) of at least 65 for every question, and 55 for every
"why". 60 to 70 is "plain English" on the Flesch scale; GOV.UK writes for a reading age of nine.
One-sentence questions can lose 20 points for a single long word ("volunteering"), so 65 is the
level our questions can all meet while still catching long, wordy ones. Syllables are counted
with Pyphen only (textstat's dictionary is downloaded at run time, which may not be possible),
so the score is the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import textstat
import yaml
from textstat.backend.counts import _count_syllables

from bot import engine
from bot.channels.telegram.limits import CONTENT
from bot.content.loader import load_content
from bot.content.model import AUDIENCES, SECTIONS, TECHNIQUES, AskNode, Content, Flow, SummaryNode
from bot.engine.state import FINISHED
from bot.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
BANKS = ROOT / "question_banks"
FLOWS = ROOT / "flows"
EXAMPLE = "example"  # the taster used by other tests; not part of the content set

REQUIRED_FLOWS = {
    "best_hopes": "person",
    "my_week": "person",
    "about_me": "person",
    "carer": "carer",
    "where_now": "person",
    "meeting": "person",
    "practice_rehearsal": "practitioner",
    "three_columns": "practitioner",
}
CARER_WORDING_FLOWS = {"best_hopes", "my_week", "about_me", "where_now", "meeting", "staying_safe", "strengths_people"}
PRACTICE_FLOWS = {"practice_rehearsal", "three_columns"}

MAX_WORDS = 25
QUESTION_EASE = 65.0
WHY_EASE = 55.0

# Jargon and deficit words that content may not use anywhere, practice notes included.
BANNED = [
    r"service users?",
    r"package of care",
    r"care packages?",
    r"eligibility",
    r"(in)?eligible",
    r"non-?compliant",
    r"non-?compliance",
    r"deficits?",
    r"clients?",
    r"interventions?",
    r"placements?",
    r"accessing the community",
    r"sufferers?",
    r"suffers? from",
    r"challenging behaviou?r",
    r"refused",
    r"non-?verbal",
    r"referrals?",
    r"pathways?",
    r"the cared-for",
]
BANNED_RE = re.compile(r"\b(" + "|".join(BANNED) + r")\b", re.IGNORECASE)
# Scaling from the top ("why not 10?", "why aren't you higher?") draws out deficits.
WHY_NOT_TOP = re.compile(
    r"\bwhy\b[^.?!]*(\bnot\b|n't\b)[^.?!]*\b(10|ten|higher|more)\b|\bwhy\b[^.?!]*\bonly\b[^.?!]*\d",
    re.IGNORECASE,
)
# Words that would suggest the coach decides what help someone gets.
DECIDES = re.compile(
    r"\b(you (will|would) (get|qualify)|you qualify|you don't need (help|support)|"
    r"no need for (help|support)|less (help|support) (is )?needed)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True, scope="module")
def _pyphen_syllables() -> Iterator[None]:
    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: None
    _count_syllables.count_syllables.cache_clear()
    yield
    _count_syllables.get_cmudict = original
    _count_syllables.count_syllables.cache_clear()


# ----- reading the YAML as written -------------------------------------------------------------


def bank_files() -> list[Path]:
    return sorted(p for p in BANKS.glob("*.yaml") if p.stem != EXAMPLE)


def flow_files() -> list[Path]:
    return sorted(p for p in FLOWS.rglob("*.yaml") if p.stem != EXAMPLE)


def raw_questions() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in bank_files():
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            found.append((f"{path.stem}.{q['id']}", q))
    return found


def strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a YAML value, with the key it sits under."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)


def ask_steps(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        if "ask" in step:
            yield step
        if "repeat" in step:
            yield from ask_steps(step["repeat"].get("steps", []))


def plain(text: str) -> str:
    """Template text as a reader sees it: a value counts as one word; tags disappear."""
    text = re.sub(r"\{\{.*?\}\}", "it", text)
    return re.sub(r"\{%.*?%\}", " ", text).strip()


def words(text: str) -> int:
    return len(plain(text).split())


def ease(text: str) -> float:
    return float(textstat.flesch_reading_ease(plain(text)))


def shown_texts() -> Iterator[tuple[str, str, str]]:
    """(where, kind, text) for every question and why a person sees: banks and flow overrides."""
    for qid, q in raw_questions():
        for key in ("text", "carer_text", "why"):
            if q.get(key):
                yield qid, key, q[key]
    for path in flow_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for step in ask_steps(data.get("steps", [])):
            for key in ("text", "carer_text", "why"):
                if step.get(key):
                    yield f"{path.stem}:{step['ask']}", key, step[key]


# ----- the content loads and is complete -------------------------------------------------------


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(BANKS, FLOWS, limits=CONTENT)  # raises ContentError listing every problem


def test_all_shipped_content_validates_and_is_big_enough(content: Content) -> None:
    shipped = [q for q in content.questions if not q.startswith(f"{EXAMPLE}.")]
    assert len(shipped) >= 130
    assert len([f for f, flow in content.flows.items() if f != EXAMPLE and flow.listed]) >= 8


def test_the_eight_flows_exist_for_the_three_audiences(content: Content) -> None:
    for flow_id, audience in REQUIRED_FLOWS.items():
        assert flow_id in content.flows, flow_id
        assert content.flows[flow_id].audience == audience, flow_id
    assert {content.flows[f].audience for f in REQUIRED_FLOWS} == set(AUDIENCES)


def test_flows_take_five_to_fifteen_minutes_and_use_the_right_options() -> None:
    for path in flow_files():
        if path.parent.name == "sequences":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert 5 <= data["minutes"] <= 15, path.stem
        if path.stem in CARER_WORDING_FLOWS:
            assert data.get("offer_carer_wording") is True, path.stem
        if path.stem in PRACTICE_FLOWS:
            assert data.get("show_practice_notes") is True, path.stem
            assert data["audience"] == "practitioner"


def test_only_the_meeting_flow_ends_with_the_meeting_card(content: Content) -> None:
    assert [f.id for f in content.flows.values() if f.end_with_card] == ["meeting"]


def test_the_taster_comes_last_in_the_menu_for_its_audience(content: Content) -> None:
    listed = [f.id for f in content.listed_flows() if f.audience == content.flows[EXAMPLE].audience]
    assert listed[-1] == EXAMPLE
    assert listed[:-1] == sorted(listed[:-1])


def test_listed_flows_go_by_order_then_file_name(tmp_path: Path) -> None:
    for name, order in [("a", None), ("b", 5), ("c", -1), ("d", None), ("e", 5)]:
        place = "" if order is None else f"order: {order}\n"
        text = f"title: {name}\naudience: person\n{place}steps:\n  - ask: example.hard_day\n"
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "sequences").mkdir()
    (tmp_path / "sequences" / "s.yaml").write_text("steps:\n  - ask: example.helps\n", encoding="utf-8")
    content = load_content(BANKS, tmp_path)
    assert [f.id for f in content.listed_flows()] == ["c", "a", "d", "b", "e"]
    assert [f.order for f in content.listed_flows()] == [-1, 0, 0, 5, 5]


def test_meeting_card_tags_mark_the_hardest_things_and_the_persons_own_questions(content: Content) -> None:
    tagged = {qid: q.card for qid, q in content.questions.items() if q.card is not None}
    assert tagged == {
        "daily_life.area_hardest": "hardest",
        "daily_life.area_what_happens": "hardest",  # the last time each part of daily life was hard
        "wales.area_barriers": "hardest",  # what gets in the way, in the Welsh "what matters" flow
        "daily_life.hard_day_real": "hardest",
        "daily_life.hard_day_starts": "hardest",
        "example.hard_day": "hardest",
        "meeting.own_questions": "questions",
        "meeting.hard_to_say": "hard_to_say",
        "meeting.hard_to_say_card": "hard_to_say",  # the person's choice: yes puts the note on the card
    }


def test_private_preparation_is_marked_private(content: Content) -> None:
    private = {qid for qid, q in content.questions.items() if q.private}
    assert private == {
        "carer.ask_help_confidence",
        "meeting.after_meeting",
        "meeting.at_best",
        "meeting.hard_to_say",
        "meeting.hard_to_say_card",
        "meeting.others_see",
        "meeting.speak_up",
        "scaling.confidence",
        "solution_focused.takeaway",
    }
    assert not any(q.private for qid, q in content.questions.items() if qid.startswith("daily_life."))


def test_the_hard_to_say_choice_is_asked_only_after_a_note(content: Content) -> None:
    flow = content.flows["meeting"]
    [note] = [n for n in flow.asks() if n.question.id == "meeting.hard_to_say"]
    assert [(t.condition_text, t.target) for t in note.next] == [
        ("answered(hard_to_say)", "hard_to_say_card"),
        ("", "who_with"),
    ]


@pytest.mark.parametrize(("value", "problem"), [
    ("yes please", "must be true or false, not text"),
    ("3", "must be true or false, not a number"),
])
def test_private_must_be_true_or_false(tmp_path: Path, value: str, problem: str) -> None:
    (tmp_path / "banks").mkdir()
    (tmp_path / "flows").mkdir()
    (tmp_path / "banks" / "b.yaml").write_text(
        "title: B\nquestions:\n  - id: q\n    type: text\n    text: What helps?\n    why: It helps.\n"
        f"    practice_note: A note.\n    technique: coping\n    section: meeting\n    private: {value}\n",
        encoding="utf-8",
    )
    (tmp_path / "flows" / "f.yaml").write_text("title: F\naudience: person\nsteps:\n  - ask: b.q\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(tmp_path / "banks", tmp_path / "flows")
    assert f"10: questions[0].private: {problem}" in str(raised.value)


def test_every_question_has_why_practice_note_technique_and_section(content: Content) -> None:
    for qid, q in content.questions.items():
        assert q.why.strip(), qid
        assert q.practice_note.strip(), qid
        assert q.technique in TECHNIQUES, qid
        assert q.section in SECTIONS, qid
    techniques = {q.technique for q in content.questions.values()}
    needed_techniques = (
        "best_hopes preferred_future miracle exception coping relationship what_else ears scaling confidence_ruler "
        "importance_ruler strengths assets four_tests frequency impact good_and_hard_days worries working_well "
        "needs_to_happen carer meeting_prep"
    ).split()
    for needed in needed_techniques:
        assert needed in techniques, needed


def test_choices_are_written_as_text_not_yaml_booleans() -> None:
    # Unquoted, YAML reads yes, no, on and off as true and false: a button would say "True".
    for qid, q in raw_questions():
        for choice in q.get("choices", []):
            values = [choice["id"], choice["text"]] if isinstance(choice, dict) else [choice]
            for value in values:
                assert isinstance(value, str), f"{qid}: quote {value!r}"


def test_a_step_that_rewords_a_question_rewords_its_carer_text_too(content: Content) -> None:
    # Otherwise carer wording would show the bank's carer text and lose the flow's own words.
    for path in flow_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("offer_carer_wording"):
            continue
        for step in ask_steps(data["steps"]):
            if "text" in step and content.questions[step["ask"]].carer_text is not None:
                assert "carer_text" in step, f"{path.stem}: {step['ask']}"


def test_scale_labels_read_right_in_carer_wording() -> None:
    # Labels are shown as written in both wordings, so a question with carer wording keeps them neutral.
    first_person = re.compile(r"\b(I|my|me)\b")
    for qid, q in raw_questions():
        if q["type"] == "scale" and q.get("carer_text"):
            for key in ("min_label", "max_label"):
                assert not first_person.search(q.get(key, "")), f"{qid} {key}: {q.get(key)}"


def test_practitioner_answers_never_go_into_a_profile(content: Content) -> None:
    for flow_id in PRACTICE_FLOWS:
        for node in content.flows[flow_id].asks():
            if node.followup is None and node.id != "for_someone":
                assert node.question.section in ("practice", "none"), f"{flow_id}: {node.id}"


# ----- plain English ---------------------------------------------------------------------------


def test_every_question_and_why_is_under_25_words() -> None:
    long = [f"{where} {key}: {text}" for where, key, text in shown_texts() if words(text) >= MAX_WORDS]
    assert not long, "\n".join(long)


def test_one_question_per_message() -> None:
    double = [f"{where} {key}: {text}" for where, key, text in shown_texts() if key != "why" and text.count("?") > 1]
    assert not double, "\n".join(double)


def test_questions_and_whys_are_easy_to_read() -> None:
    hard = []
    for where, key, text in shown_texts():
        level = WHY_EASE if key == "why" else QUESTION_EASE
        score = ease(text)
        if score < level:
            hard.append(f"{score:5.1f} {where} {key}: {text}")
    assert not hard, "\n".join(hard)


def test_the_reading_ease_check_would_catch_wordy_text() -> None:
    wordy = "Considering your circumstances, what additional assistance would facilitate independent living?"
    assert ease(wordy) < QUESTION_EASE
    assert ease("What would a good day look like?") >= QUESTION_EASE


def test_no_jargon_or_deficit_words_anywhere() -> None:
    found = []
    for path in [*bank_files(), *flow_files()]:
        for key, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            match = BANNED_RE.search(text)
            if match:
                found.append(f"{path.name} {key}: '{match.group(0)}' in {text!r}")
    assert not found, "\n".join(found)


def test_banned_list_catches_the_words_it_should() -> None:
    for sample in ("the service user said", "her care package", "Is he eligible?", "a deficit", "our client"):
        assert BANNED_RE.search(sample), sample
    assert not BANNED_RE.search("a replacement for help")


def test_no_why_not_ten_and_no_deciding_for_the_person() -> None:
    found = []
    for path in [*bank_files(), *flow_files()]:
        for key, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if key == "practice_note":  # notes name the pattern to avoid it
                continue
            if WHY_NOT_TOP.search(text) or DECIDES.search(text):
                found.append(f"{path.name} {key}: {text!r}")
    assert not found, "\n".join(found)
    assert WHY_NOT_TOP.search("Why not a 10?") and WHY_NOT_TOP.search("Why aren't you higher?")
    assert not WHY_NOT_TOP.search("What makes it a 4 and not lower?")


def test_no_licensed_form_names_in_what_people_see() -> None:
    licensed = re.compile(
        r"outcomes star|recovery star|carers star|this is me|signs of safety|three conversations", re.IGNORECASE
    )
    for path in [*bank_files(), *flow_files()]:
        for key, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if key != "practice_note":
                assert not licensed.search(text), f"{path.name} {key}: {text!r}"


# ----- scales, strengths and hard things -------------------------------------------------------


# A "good enough" number is a goal, not a position, so it has no follow-ups of its own.
GOAL_SCALES = {"scaling.good_enough"}


def test_scales_ask_their_follow_ups_and_where_now_compares(content: Content) -> None:
    for flow_id, flow in content.flows.items():
        for node in flow.asks():
            if node.question.type != "scale" or node.followup is not None or node.question.id in GOAL_SCALES:
                continue
            kinds = {k for k, _ in node.question.followups}
            if node.question.technique in ("scaling", "confidence_ruler", "importance_ruler"):
                assert "not_lower" in kinds, f"{flow_id}: {node.id}"
            if flow_id == "where_now" and node.question.technique == "scaling":
                assert "since_last" in kinds, f"where_now: {node.id} cannot compare with last time"


def test_every_person_and_carer_flow_asks_about_hard_things_as_well_as_strengths(content: Content) -> None:
    hard = {"worries", "good_and_hard_days", "four_tests", "frequency", "impact", "coping"}
    for flow_id, flow in content.flows.items():
        if flow.audience == "practitioner" or flow_id == EXAMPLE or not flow.listed:
            continue
        used = {n.question.technique for n in content.flows[flow_id].asks() if n.followup is None}
        assert used & hard, f"{flow_id} never asks about what is hard"


def test_my_week_asks_the_four_tests_how_often_and_what_it_stops(content: Content) -> None:
    flow = content.flows["my_week"]
    used = {n.question.technique for n in flow.asks()}
    assert {"four_tests", "frequency", "impact", "good_and_hard_days", "working_well", "exception"} <= used
    tests = next(n for n in flow.asks() if n.question.id == "daily_life.area_four_tests")
    labels = " ".join(c.text.lower() for c in tests.question.choices)
    for plain_test in ("help or reminding", "pain", "not safe", "much longer"):
        assert plain_test in labels


def test_relationships_and_work_have_four_tests_in_their_own_words(content: Content) -> None:
    flow = content.flows["my_week"]
    asked = {n.question.id: n.question for n in flow.asks()}
    for area in ("people", "work", "out", "money", "child", "health"):
        question = asked[f"daily_life.{area}_four_tests"]
        assert [c.id for c in question.choices] == ["help", "pain", "unsafe", "longer", "none"], area
    for area in ("people", "work"):
        labels = " ".join(c.text.lower() for c in asked[f"daily_life.{area}_four_tests"].choices)
        assert "takes much longer than it should" not in labels or "wears me out" in labels, area
    people = " ".join(c.text.lower() for c in asked["daily_life.people_four_tests"].choices)
    assert "much longer" not in people and "effort" in people


def test_my_week_asks_for_a_recent_example_and_how_long_in_each_area(content: Content) -> None:
    flow = content.flows["my_week"]
    tests = {"four_tests": "1, 4", "people_tests": "1, 4"}  # help, and takes longer (or more effort)
    said = "\n".join(walk(flow, by_node={"areas": "1, 7", **tests}))  # food and drink; family and friends
    assert "On a hard day, what happens with food and drink? Tell me about the last time." in said
    assert "On a hard day, what happens with family, friends and relationships? Tell me about the last time." in said
    assert said.count("about how long does it take now, compared with before?") == 1  # not for relationships
    assert "So for food and drink, you've told me:" in said


def test_carer_flow_covers_nights_health_sleep_willing_able_and_a_back_up_plan(content: Content) -> None:
    ids = {n.question.id for n in content.flows["carer"].asks()}
    topics = (
        "nights my_health sleep time_for_me work relationships willing able backup_plan what_would_help "
        "best_hopes good_week tasks task_willing other_caring other_caring_who young_carers meeting_questions"
    )
    for needed in topics.split():
        assert f"carer.{needed}" in ids, needed


def test_the_carer_flow_opens_with_the_carers_own_hopes_and_asks_willingness_task_by_task(content: Content) -> None:
    flow = content.flows["carer"]
    said = walk(flow, multi="1, 2")
    assert next(s for s in said if s.endswith("?")) == "What are your best hopes from this chat, for yourself?"
    joined = "\n".join(said)
    assert "Thinking about washing, dressing or the toilet, how do you feel about carrying on with it?" in joined
    assert "Thinking about help at night, how do you feel about carrying on with it?" in joined
    assert "Do you want to keep caring in the way you do now?" not in joined
    assert "Does anyone under 18 in your family help with the caring?" in joined


def test_a_carer_who_cannot_talk_freely_is_told_they_can_be_seen_alone(content: Content) -> None:
    said = "\n".join(walk(content.flows["carer"], by_node={"talk_freely": "no"}))
    assert "You can ask to be seen on your own" in said
    assert "\n".join(walk(content.flows["carer"])).count("You can ask to be seen on your own") == 0


def test_carers_get_their_own_meeting_questions(content: Content) -> None:
    mine = content.questions["carer.meeting_questions"]
    for_the_person = content.questions["meeting.carer_questions_pick"]
    for question in (mine, for_the_person):
        texts = [c.text for c in question.choices]
        assert "Can my carer have their own assessment?" not in texts
    assert "Can I have a carer's assessment of my own?" in [c.text for c in for_the_person.choices]
    as_carer = "\n".join(walk(content.flows["meeting"], carer=True, by_node={"carer_questions_pick": "1, 6"}))
    assert "Questions to ask: How will you decide what help they can get?, Can I have a carer's assessment" in as_carer
    as_person = "\n".join(walk(content.flows["meeting"], by_node={"questions_pick": "1"}))
    assert "Questions to ask: How will you decide what help I can get?" in as_person


def test_a_person_whose_helper_helps_a_lot_hears_about_a_carers_assessment(content: Content) -> None:
    flow = content.flows["my_week"]
    said = "\n".join(walk(flow))  # help every day, and it seems to work for them
    assert "can ask the council for a carer's assessment of their own" in said
    assert "As far as you can tell, how is helping you going for them?" in said
    seldom = "\n".join(walk(flow, by_node={"help_often": "4"}))  # now and then, and it works for them
    assert "carer's assessment of their own" not in seldom
    struggling = "\n".join(walk(flow, by_node={"help_often": "4", "help_can_last": "2"}))  # hard for them
    assert "carer's assessment of their own" in struggling


# ----- walking each flow as a person would -----------------------------------------------------


ANSWERS = {
    "scale": "2",
    "choice": "1",
    "multi": "1, 2",
    "yes_no": "yes",
    "date": "tomorrow",
    "reflect": "yes",
    "text": "Some honest words about it",
}


def walk(
    flow: Flow,
    *,
    carer: bool = False,
    earlier: dict[str, Any] | None = None,
    by_node: dict[str, str] | None = None,
    **by_kind: str,
) -> list[str]:
    """Answer every question until the flow ends; return everything the coach said.

    Each kind of question gets its answer from ANSWERS unless `by_kind` says otherwise (scale="5");
    `by_node` answers particular steps (inside a repeat, by the step's own id: {"four_tests": "4"}).
    """
    answers = {**ANSWERS, **by_kind}
    turn = engine.begin(flow, earlier=earlier)
    said: list[str] = []
    list_items = 0
    for _ in range(400):
        said += [r.text or (r.prompt.text if r.prompt else "") for r in turn.replies]
        if turn.state.status == FINISHED:
            return said
        prompt = next(r.prompt for r in reversed(turn.replies) if r.prompt is not None)
        step_id = prompt.node_id.split(".")[0]
        if prompt.node_id == "for_someone":
            reply = "2" if carer else "1"
        elif by_node and (prompt.node_id in by_node or step_id in by_node):
            reply = by_node.get(prompt.node_id, by_node.get(step_id, ""))
        elif prompt.kind == "list":
            list_items += 1
            reply = "that's all" if list_items % 2 == 0 else "One thing"
        else:
            reply = answers[prompt.kind]
        turn = engine.handle(flow, turn.state, engine.text(reply), today=date(2026, 11, 23))
    raise AssertionError(f"{flow.id} did not finish; last said: {said[-3:]}")


SHIPPED_FLOWS = sorted(p.stem for p in flow_files() if p.parent.name != "sequences")


@pytest.mark.parametrize("flow_id", SHIPPED_FLOWS)
def test_each_flow_finishes_and_scale_follow_ups_use_the_number(content: Content, flow_id: str) -> None:
    said = walk(content.flows[flow_id], scale="5")
    joined = "\n".join(said)
    assert "{{" not in joined and "{%" not in joined
    scales = [n for n in content.flows[flow_id].asks() if n.question.type == "scale" and n.followup is None]
    if any(dict(n.question.followups).keys() & {"not_lower"} for n in scales):
        assert re.search(r"a 5 and not (a )?lower", joined), "the follow-up should build on the number given"
    if any(dict(n.question.followups).keys() & {"one_up"} for n in scales):
        assert re.search(r"\b6\b", joined), "one point up from 5 is 6"
    asked = "\n".join(s for s in said if not s.startswith("Practice note:"))  # notes may name what to avoid
    assert not WHY_NOT_TOP.search(asked)


@pytest.mark.parametrize("flow_id", sorted(CARER_WORDING_FLOWS))
def test_carer_wording_talks_about_the_person_cared_for(content: Content, flow_id: str) -> None:
    me = "\n".join(walk(content.flows[flow_id]))
    them = "\n".join(walk(content.flows[flow_id], carer=True))
    changed = set(them.splitlines()) - set(me.splitlines())
    assert len(changed) >= 3, f"{flow_id}: carer wording changes too little: {changed}"
    assert any(re.search(r"\b(they|them|their|the person you care for)\b", line) for line in changed)


def test_where_now_compares_with_last_time(content: Content) -> None:
    flow = content.flows["where_now"]
    node = next(n for n in flow.asks() if n.question.id == "scaling.where_now" and n.followup is None)
    said = "\n".join(walk(flow, earlier={node.question.id: 5}))
    # The walk picks "Life overall" and scores 2: lower than last time, so it asks what got harder.
    assert "Last time you said 5. Now it's 2." in said
    assert "What has made it harder since then?" in said


def test_best_hopes_offers_the_miracle_question_only_as_a_choice(content: Content) -> None:
    flow = content.flows["best_hopes"]
    miracle = [n for n in flow.asks() if n.question.technique == "miracle"]
    assert miracle
    said = "\n".join(walk(flow))  # picks the first option: a good, ordinary day
    assert "Which way of picturing things would you like to try?" in said
    assert 'Here is a "what if" question' not in said
    assert "Picture a day when things go as well as they really could" in said


def test_meeting_flow_ends_with_a_meeting_card(content: Content) -> None:
    said = "\n".join(walk(content.flows["meeting"]))
    assert "MY MEETING CARD" in said
    assert "describe hard days, not just today" in said.lower()
    assert "copy" in said.lower()


# ----- a conversation that listens (issue 15) --------------------------------------------------

# Questions where a person shares something hard: a fall, a hard day, the hardest thing, a worry,
# a loss. Found by their words, plus those named here; each must be acknowledged.
HARD_WORDS = re.compile(
    r"\b(hard|hardest|harder|worr\w*|falls?|fell|lost|loss|lose|miss\w*|cost|stops? you|lonely|unsafe|pain|upset)\b",
    re.IGNORECASE,
)
HARD_BY_NAME = {
    "worries.fall_what_happened", "worries.alone_at_night", "carer.night_what", "carer.my_health",
    "carer.relationships", "daily_life.how_it_feels", "wales.area_barriers",
}
# Questions with those words that are not a hard thing shared, and why.
NOT_HARD = {
    "about_me.tell_upset": "how people can tell: guidance for supporters, not a hard thing shared",
    "daily_life.area_stops": "asked just after the last hard time in the same area, which is acknowledged",
    "people.someone_to_talk": "the answer is usually a person; 'no one' is asked about with care elsewhere",
    "practice.worried_col": "a practitioner's map, not a person sharing",
    "practice.worry_statement": "a practitioner's map, not a person sharing",
    "solution_focused.coping": "the question acknowledges first, in its own words",
    "solution_focused.exceptions": "asks about a time that went better",
    "strengths.come_through": "asks how the person got through: a strength",
    "worries.see_differently": "the person's own view of other people's worries",
    "worries.tell_if_unsafe": "who the person could tell",
}


def asked_questions(content: Content) -> dict[str, Any]:
    """Every question a shipped flow asks (not follow-ups), as compiled: acknowledgements resolved."""
    found: dict[str, Any] = {}
    for flow in content.flows.values():
        for node in flow.asks():
            if node.followup is None and node.id != "for_someone":
                found.setdefault(node.question.id, (node, flow.id))
    return found


def test_every_hard_thing_question_has_an_acknowledgement(content: Content) -> None:
    missing = []
    for qid, (node, flow_id) in asked_questions(content).items():
        words = " ".join(t.source for t in (node.text, node.question.text) if t is not None)
        hard = qid in HARD_BY_NAME or (node.question.type in ("text", "list") and HARD_WORDS.search(words))
        if hard and qid not in NOT_HARD and not node.question.acknowledge:
            missing.append(f"{flow_id}: {qid}: {words}")
    assert not missing, "\n".join(missing)
    assert set(NOT_HARD) <= set(asked_questions(content)), "a reason for a question no flow asks"


def test_acknowledgements_are_short_plain_and_free_of_risk_phrases(content: Content) -> None:
    from bot.safety import SafetyModel, check_safety

    lines = {line.source for node, _ in asked_questions(content).values() for line in node.question.acknowledge or ()}
    lines |= {line.source for flow in content.flows.values() for node in flow.asks()
              for line in node.question.acknowledge or ()}
    assert len(lines) >= 25
    patterns_only = SafetyModel(None)
    for line in lines:
        assert words(line) <= 20, line
        assert ease(line) >= WHY_EASE, line
        assert line.count("?") == 0, f"an acknowledgement is not a question: {line}"
        assert not check_safety(plain(line), model=patterns_only).risk, line
        assert not re.search(r"\b(amazing|brilliant|wonderful|so proud|well done)\b", line, re.IGNORECASE), line


def test_scale_labels_and_choices_are_free_of_risk_phrases(content: Content) -> None:
    from bot.safety import SafetyModel, check_safety

    patterns_only = SafetyModel(None)
    for qid, q in content.questions.items():
        for text in (q.min_label, q.max_label, *(c.text for c in q.choices)):
            if text:
                assert not check_safety(text, model=patterns_only).risk, f"{qid}: {text}"
    assert content.questions["scaling.caring_scale"].min_label == "finding it very hard"


def prompts_walked(flow: Flow, **kw: Any) -> list[tuple[str, str, str]]:
    """(node id, kind, words) for every question asked while walking the flow as `walk` does."""
    by_node = kw.pop("by_node", {})
    turn = engine.begin(flow)
    asked: list[tuple[str, str, str]] = []
    items = 0
    for _ in range(400):
        if turn.state.status == FINISHED:
            return asked
        prompt = next(r.prompt for r in reversed(turn.replies) if r.prompt is not None)
        asked.append((prompt.node_id, prompt.kind, prompt.text))
        step_id = prompt.node_id.split(".")[0]
        if prompt.node_id == "for_someone":
            reply = "1"
        elif prompt.node_id in by_node or step_id in by_node:
            reply = by_node.get(prompt.node_id, by_node.get(step_id, ""))
        elif prompt.kind == "list":
            items += 1
            reply = "that's all" if items % 2 == 0 else "One thing"
        else:
            reply = {**ANSWERS, **kw}[prompt.kind]
        turn = engine.handle(flow, turn.state, engine.text(reply), today=date(2026, 11, 23))
    raise AssertionError(f"{flow.id} did not finish")


# A "good enough" number is a goal and the rulers ask about confidence or importance: the coping
# route is for scales about how things are.
HOW_THINGS_ARE = ("scaling",)


@pytest.mark.parametrize("number", ["0", "1", "2"])
def test_every_how_things_are_scale_asks_a_coping_question_first_at_0_to_2(content: Content, number: str) -> None:
    everything = {"areas": "1, 2, 3, 4, 5, 6, 7, 8"}  # the check-in's areas: every scale it has
    reached: set[str] = set()
    for flow_id, flow in content.flows.items():
        asked = prompts_walked(flow, scale=number, by_node=everything)
        for (node_id, kind, _), after in zip(asked, asked[1:], strict=False):
            node = flow.nodes[node_id]
            if kind != "scale" or not isinstance(node, AskNode) or node.followup is not None:
                continue
            if node.question.technique not in HOW_THINGS_ARE or node.question.id in GOAL_SCALES:
                continue
            assert after[0] == f"{node_id}.coping", f"{flow_id}: {node_id} at {number} asks {after[2]!r} first"
            reached.add(node.question.id)
    how_things_are = {q.id for q in content.questions.values()
                      if q.type == "scale" and q.technique in HOW_THINGS_ARE and q.id not in GOAL_SCALES}
    asked_ids = set(asked_questions(content))
    assert how_things_are & asked_ids <= reached
    assert "scaling.spirits" in reached


def test_every_how_things_are_scale_in_a_bank_has_a_coping_follow_up(content: Content) -> None:
    for qid, q in content.questions.items():
        if q.type == "scale" and q.technique in HOW_THINGS_ARE and qid not in GOAL_SCALES:
            assert "coping" in dict(q.followups), qid
            assert q.acknowledge is None or q.acknowledge, f"{qid}: a low number is acknowledged first"


def test_no_bank_question_is_left_unused_without_a_reason(content: Content) -> None:
    asked = set(asked_questions(content))
    quiet = [qid for qid, q in content.questions.items()
             if qid not in asked and not q.unused and not qid.startswith(f"{EXAMPLE}.")]
    assert not quiet, "asked by no flow, and no reason recorded in the bank: " + ", ".join(quiet)
    stale = [qid for qid, q in content.questions.items() if q.unused and qid in asked]
    assert not stale, "a reason for being unused, but a flow asks it: " + ", ".join(stale)
    for qid in ("solution_focused.best_hopes_instead", "solution_focused.exception_different",
                "solution_focused.exception_more", "daily_life.area_what_happens", "carer.other_caring"):
        assert qid in asked, qid


@pytest.mark.parametrize("flow_id", SHIPPED_FLOWS)
@pytest.mark.parametrize("ending", [".", "..", "!", "?", "...", " "])
def test_reflections_and_summaries_never_double_punctuation(content: Content, flow_id: str, ending: str) -> None:
    said = "\n".join(walk(content.flows[flow_id], text=f"Some honest words{ending}"))
    assert "words.." not in said and "words?." not in said and "words!." not in said and "words ." not in said
    assert "Some honest words" in said or flow_id in ("example",)


def test_summaries_end_each_part_with_buttons_to_confirm_or_fix(content: Content) -> None:
    with_summaries = {
        f for f, flow in content.flows.items() if any(isinstance(n, SummaryNode) for n in flow.nodes.values())
    }
    assert {"best_hopes", "my_week", "carer", "about_me", "staying_safe", "strengths_people", "where_now",
            "what_matters_wales"} <= with_summaries
    said = "\n".join(walk(content.flows["best_hopes"]))
    assert "So far you've told me:\n• the best hope: Some honest words about it" in said
    assert said.count("Have I got that right?") >= 4  # the hope's reflection and three summaries


def test_an_absent_best_hope_asks_what_instead_in_the_opener_and_the_carer_flow(content: Content) -> None:
    for flow_id in ("best_hopes", "carer"):
        said = "\n".join(walk(content.flows[flow_id], by_node={"best_hopes": "Stop feeling like this."}))
        assert "If that went away, what would you like to be there instead?" in said, flow_id
        plain_hope = "\n".join(walk(content.flows[flow_id], by_node={"best_hopes": "To sleep through the night"}))
        assert "what would you like to be there instead?" not in plain_hope, flow_id
    said = "\n".join(walk(content.flows["best_hopes"], by_node={"best_hopes": "Stop feeling like this."}))
    assert "So what you'd like instead is: Some honest words about it. Have I got that right?" in said
    assert "Stop feeling like this.." not in said


def test_the_opener_uses_exceptions_and_what_else_follows_a_reflection(content: Content) -> None:
    said = "\n".join(walk(content.flows["best_hopes"]))
    for line in ("Think of a recent time when things were a little better. What was happening?",
                 "What was different about that time?", "What would help that happen a bit more often?",
                 "So it would mean: Some honest words about it. What else would be different"):
        assert line in said


def test_the_taster_asks_about_hard_days_whatever_the_score(content: Content) -> None:
    for number in ("1", "5", "9"):
        said = "\n".join(walk(content.flows[EXAMPLE], scale=number, choice="1"))
        assert "How often do you have hard days?" in said and "What is a hard day like?" in said, number


def test_the_welsh_what_matters_flow_names_the_conversation_and_follows_the_outcomes(content: Content) -> None:
    flow = content.flows["what_matters_wales"]
    assert flow.audience == "person" and flow.listed and flow.offer_carer_wording
    intro = flow.intro.source if flow.intro else ""
    assert '"what matters" conversation' in intro and "Welsh" in intro
    areas = " ".join(c.text.lower() for c in content.questions["wales.areas"].choices)
    for outcome in ("safe", "family", "community", "learning", "money", "work", "home", "say", "health", "child"):
        assert outcome in areas, outcome
    said = "\n".join(walk(flow, by_node={"areas": "1, 4"}))
    assert "Which language would you like your \"what matters\" conversation to be in?" in said
    assert "Thinking about family, friends and relationships, how are things at the moment?" in said
    assert "What gets in the way?" in said
    assert "you can ask the council to assess your needs" in said


def test_rehearsal_people_are_not_the_practice_mode_people(content: Content) -> None:
    from bot.practice import load_scenarios

    practice_mode = {scenario.name for scenario in load_scenarios().values()}
    rehearsal = {c.text.split(",")[0] for c in content.questions["practice.scenario"].choices if c.id != "own"}
    assert rehearsal and not rehearsal & practice_mode, rehearsal & practice_mode
