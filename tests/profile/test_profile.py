"""The profile: which answers show and where, and md / chat HTML / JSON against reviewed snapshots.

Three people answer whole flows through the real coach (tests/profile/people.py): Margaret, 82,
whose son manages her money; Helen, who cares for her husband with early-onset dementia; Kasia,
34, with MS and depression. Each does one flow twice and starts one again with /restart.
To rewrite the snapshots after a deliberate change: UPDATE_SNAPSHOTS=1 pytest tests/profile,
then read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.profile import (
    Profile,
    ProfileAnswer,
    build_profile,
    meeting_card,
    meeting_card_html,
    render_chart_png,
    render_chat_html,
    render_json,
    render_markdown,
    render_text,
)
from bot.profile.wording import AREAS

TESTS = Path(__file__).resolve().parents[1]
SNAPSHOTS = TESTS / "snapshots" / "profile"
TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


def load(name: str) -> tuple[list[ProfileAnswer], str | None, datetime]:
    """A fixed answer set from tests/data/profile_<name>.yaml; answers are a minute apart in each session."""
    data = yaml.safe_load((TESTS / "data" / f"profile_{name}.yaml").read_text(encoding="utf-8"))
    sessions: dict[str, dict[str, Any]] = data["sessions"]
    counts: dict[str, int] = {}
    answers = []
    for raw in data["answers"]:
        session = sessions[raw["session"]]
        counts[raw["session"]] = counts.get(raw["session"], 0) + 1
        kind = raw.get("type", "text")
        answers.append(
            ProfileAnswer(
                key=f"{raw['session']}:{raw['step']}",
                session_id=raw["session"],
                flow_id=session["flow_id"],
                flow_title=session["flow_title"],
                audience=session["audience"],
                for_someone=session.get("for_someone", False),
                step_id=raw["step"],
                question_id=raw["question_id"],
                question_text=raw["question"],
                type=kind,
                section=raw.get("section", "scales" if kind == "scale" else None),
                technique=raw.get("technique"),
                value=raw.get("value", raw["display"]),
                display=raw["display"],
                answered_at=session["at"] + timedelta(minutes=counts[raw["session"]]),
                item=raw.get("item"),
                followup=raw.get("followup"),
                followup_of=raw.get("followup_of"),
                scale_min=0 if kind == "scale" else None,
                scale_max=10 if kind == "scale" else None,
                min_label=raw.get("min_label"),
                max_label=raw.get("max_label"),
                hidden=raw.get("hidden", False),
                card=raw.get("card"),
                history=tuple((words, at) for words, at in raw.get("history", ())),
            )
        )
    return answers, data["name"], data["now"]


def profile_of(name: str):
    answers, person, now = load(name)
    return build_profile(answers, name=person, now=now)


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


def check_telegram_html(chunk: str) -> None:
    """Only Telegram's tags, properly nested, and no bare < or & from person text (how long a message
    may be is the channel's concern: tests/channels/test_telegram_text.py)."""
    stack: list[str] = []
    for tag in re.finditer(r"<(/?)([a-z]+)[^>]*>", chunk):
        closing, name = tag.group(1), tag.group(2)
        assert name in TELEGRAM_TAGS, name
        if closing:
            assert stack and stack.pop() == name, chunk[: tag.end()][-200:]
        else:
            stack.append(name)
    assert not stack, stack
    bare = re.sub(r"<[^>]*>|&(lt|gt|amp|quot|#\d+);", "", chunk)
    assert "<" not in bare and ">" not in bare and "&" not in bare


def snapshot_json(profile: Profile) -> str:
    """The JSON export with session ids (random) as s1, s2, ... in the order they first appear."""
    text = render_json(profile)
    for number, session in enumerate(dict.fromkeys(a.session_id for a in profile.answers), start=1):
        text = text.replace(session, f"s{number}")
    return text



PEOPLE = ("margaret", "helen", "kasia")  # tests/profile/people.py; this module is also loaded on its own


@pytest.fixture
def people(content, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Margaret, Helen and Kasia, each having answered whole flows (lived once per test run)."""
    from people import lived_people  # here, so tests/channels/test_telegram_text.py can load this module alone

    return lived_people(content, tmp_path_factory)

@pytest.mark.parametrize("name", PEOPLE)
def test_profile_of_a_person_who_answered_whole_flows_matches_its_snapshots(people, name: str) -> None:
    profile = people[name].profile
    check_snapshot(f"{name}.md", render_markdown(profile))
    check_snapshot(f"{name}.txt", render_text(profile))
    chat = render_chat_html(profile)
    check_telegram_html(chat)
    check_snapshot(f"{name}.chat.html", chat + "\n")
    check_snapshot(f"{name}.json", snapshot_json(profile))
    check_snapshot(f"{name}.card.txt", meeting_card(profile))
    check_snapshot(f"{name}.card.html", meeting_card_html(profile))


def test_profile_hostile_matches_snapshots() -> None:
    profile = profile_of("hostile")
    check_snapshot("hostile.md", render_markdown(profile))
    check_snapshot("hostile.txt", render_text(profile))
    chat = render_chat_html(profile)
    check_telegram_html(chat)
    check_snapshot("hostile.chat.html", chat + "\n")
    check_snapshot("hostile.json", render_json(profile))


def documents(profile: Profile) -> dict[str, str]:
    """Every document a person can hand over or read, as text."""
    return {"md": render_markdown(profile), "txt": render_text(profile), "chat": render_chat_html(profile)}


def test_profile_front_page_comes_first_in_the_persons_words(people) -> None:
    margaret = people["margaret"].profile
    assert [p.title for p in margaret.front] == [
        "What matters most to me", "My best hopes", "A good day", "What is hard for me now",
        "What I want from the meeting",
    ]
    text = render_text(margaret)
    assert text.index("What matters most to me") < text.index("My day-to-day life, area by area")
    hard = next(p for p in margaret.front if p.title == "What is hard for me now")
    assert ("Washing and keeping clean", "Help or reminding needed; pain, upset or worry; takes much longer") in [
        (line.label, line.words) for line in hard.lines]
    assert "lay there for an hour until Joan came" in hard.lines[1].words
    for part in margaret.front:
        assert not any(line.words.rstrip().endswith("?") for line in part.lines), part.title


def test_profile_one_answer_per_question_the_latest_from_runs_kept(people) -> None:
    margaret = people["margaret"]
    for name, words in documents(margaret.profile).items():
        assert "I would sleep better." not in words, name  # best hopes, first run: answered again since
        assert "Getting up without my back seizing." not in words, name
        assert "I don't like to make a fuss" not in words, name  # the run she started again
        assert "Nothing much, really." not in words, name
        assert words.count("I would get back to the garden.") == 1, name
        assert words.count("Up and dressed by nine, out in the garden, and tea with Joan.") == 1, name
    exported = render_json(margaret.profile)
    assert "I don't like to make a fuss" in exported and "I would sleep better." in exported
    data = json.loads(exported)
    abandoned = [a for a in data["answers"] if a["abandoned"]]
    assert {a["answer"] for a in abandoned} >= {"I don't like to make a fuss. Most days are fine."}
    kasia = documents(people["kasia"].profile)["txt"]
    assert "Whatever." not in kasia and "Plainly. Give me time" in kasia


def test_profile_areas_talked_about_have_their_tests_and_the_rest_say_not_yet(people) -> None:
    expected = {
        "margaret": (False, {"washing", "dressing", "moving", "money"}),
        "helen": (True, {"washing", "food", "health"}),
        "kasia": (False, {"food", "washing", "work", "out"}),
    }
    for name, (about_them, talked) in expected.items():
        [section] = [s for s in people[name].profile.sections if s.id == "areas" and s.about_them == about_them]
        assert [a.id for a in section.areas] == list(AREAS)
        assert {a.id for a in section.areas if a.talked_about} == talked, name
        for area in section.areas:
            assert bool(area.tests) == area.talked_about, (name, area.id)
            assert bool(area.how_often) == area.talked_about, (name, area.id)
        for words in documents(people[name].profile).values():
            assert "Not talked about yet" in words
            for area in section.areas:
                assert area.title in words
    washing = next(a for s in people["helen"].profile.sections for a in s.areas if a.id == "washing")
    assert washing.tests == (
        "They can't do this without help or reminding.",
        "It causes them pain, upset or worry.",
        "It is not safe: they or someone else could get hurt.",
    )


def test_profile_help_from_family_is_a_need_that_someone_is_meeting(people) -> None:
    margaret = people["margaret"].profile
    [help_met] = [s for s in margaret.sections if s.id == "help_met"]
    entries = [(e.question, e.answer) for g in help_met.groups for e in g.entries]
    assert entries[0] == ("Needs met by family or friends now",
                          "David does my shopping every Sunday, and sorts my bills. Joan looks in most days.")
    assert ("Can they keep it up?", "It works, but it is hard for them") in entries
    titles = [s.id for s in margaret.sections]
    assert titles.index("areas") < titles.index("help_met") < titles.index("admired" if "admired" in titles
                                                                              else "meeting")
    money = next(a for a in margaret.sections[0].areas if a.id == "money")
    assert money.tests == ("I can't do this without help or reminding.",)  # David's help does not erase the need


def test_profile_scales_by_kind(people) -> None:
    kasia = people["kasia"].profile
    scales = {s.label: s for s in kasia.scales}
    overall = next(s for s in scales.values() if s.key and "overall" in s.question.lower())
    assert overall.kind == "now" and overall.score == 4 and overall.one_up == 5
    assert "4 on 25 November" not in (overall.change or "") and overall.change and overall.change.endswith("4 now")
    [target] = [s for s in kasia.scales if s.kind == "target"]
    assert (target.score, target.one_up) == (5, None)
    assert kasia.notes is not None
    [ruler] = [s for s in kasia.notes.scales if "one small step" in s.question]
    assert ruler.kind == "ruler" and ruler.score == 5 and [e.answer for e in ruler.followups] == ["I went to Ola's.",
                                                                         "Knowing there is a seat on the bus."]
    text = render_text(kasia)
    assert "One step up: 6" not in text and "Good enough for now: 5 out of 10" in text
    assert "0 ─────●───── 10" in text
    helen = people["helen"].profile
    [carer_help] = [s for s in helen.sections if s.id == "carer_help"]
    assert [(s.kind, s.score) for s in carer_help.scales] == [("ruler", 9)]


def test_profile_my_notes_are_apart_and_out_of_shared_files(people) -> None:
    for name in PEOPLE:
        profile = people[name].profile
        assert profile.notes is not None
        private = [e.answer for g in profile.notes.groups for e in g.entries]
        assert private
        markdown = render_markdown(profile)
        for words in private:
            assert words in render_text(profile) and words in render_chat_html(profile).replace("&#39;", "'")
            assert words not in markdown, (name, words)
            assert words in render_markdown(profile, notes=True)
    kasia = render_markdown(people["kasia"].profile)
    assert "How low I get" not in kasia and "How sure do you feel" not in kasia


def test_profile_card_holds_the_hard_to_say_note_only_when_chosen(people) -> None:
    margaret, kasia, helen = (people[n].profile for n in ("margaret", "kasia", "helen"))
    assert margaret.card.hard_to_say == ("I have wet myself twice when I couldn't get to the toilet in time.",)
    assert "Things I find hard to say out loud" in meeting_card(margaret)
    for profile in (kasia, helen):
        assert profile.card.hard_to_say == ()
        assert "hard to say out loud" not in meeting_card(profile) + meeting_card_html(profile)
    assert "How low I get" not in meeting_card(kasia)
    for profile in (margaret, kasia, helen):
        notes = {e.answer for g in profile.notes.groups for e in g.entries} if profile.notes else set()
        for line in profile.card.matters + profile.card.hardest + profile.card.questions:
            assert line not in notes


def test_profile_never_prints_instructions_or_the_name_question(people) -> None:
    for name in PEOPLE:
        for kind, words in documents(people[name].profile).items():
            for instruction in ("Pick any", "tap Done", "You could write it here", "one thing at a time",
                                "What would you like me to call you?", "Which parts of daily life"):
                assert instruction not in words, (name, kind, instruction)


def test_profile_carer_version_follows_the_carers_shape(people) -> None:
    helen = people["helen"].profile
    assert helen.carer and helen.subtitle
    assert [p.title for p in helen.front][:4] == ["My best hopes", "My caring role", "What is hard for me now",
                                                  "What would help me"]
    mine = [s.title for s in helen.sections if not s.about_them]
    assert mine[:4] == ["My caring role", "What I am willing and able to keep doing", "My own wellbeing",
                        "What would help me"]
    theirs = [s.title for s in helen.sections if s.about_them]
    assert theirs[0] == "Their day-to-day life, area by area"
    assert "Help they get now: needs that someone is meeting" in theirs
    [role] = [s for s in helen.sections if s.id == "caring_role"]
    [tasks] = [e for g in role.groups for e in g.entries if e.items]
    assert len(tasks.items) == 7 and tasks.items[-1] == "Getting up to him at night"
    [willing] = [s for s in helen.sections if s.id == "willing_able"]
    by_task = {g.item: [e.answer for e in g.entries] for g in willing.groups if g.item}
    assert by_task == {
        "Washing, dressing or the toilet": ["I'll keep on, with more help"],
        "Help at night": ["I'd rather someone else did it"],
        "Medicines and health": ["I'm happy to keep doing it"],
        "Money, bills and letters": ["I'm happy to keep doing it"],
    }


def test_profile_points_to_help_only_in_the_persons_own_views(people) -> None:
    from bot.profile import build_profile

    profile = build_profile(people["margaret"].profile.answers, now=people["margaret"].profile.generated_at,
                            support=True)
    assert profile.support and profile.support in render_text(profile)
    assert html.escape(profile.support).replace("&#x27;", "&#39;") in render_chat_html(profile)
    assert profile.support not in render_markdown(profile, notes=True)
    assert people["margaret"].profile.support is None


def test_profile_hostile_text_is_escaped_and_never_evaluated() -> None:
    profile = profile_of("hostile")
    html = render_chat_html(profile) + meeting_card_html(profile)
    assert "<script>" not in html and "<u>under" not in html and "<b>Bob" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; {{ 7*7 }}" in html
    assert "49" not in html and "49" not in render_text(profile) and "49" not in render_markdown(profile)
    assert "{{ config }}" in render_text(profile)
    markdown = render_markdown(profile)
    assert "\\<script\\>" in markdown and "> \\# not a heading" in markdown and "\\[link\\]" in markdown


def test_profile_empty_gives_a_kind_message() -> None:
    profile = build_profile([], now=datetime.fromisoformat("2026-11-23T10:00:00+00:00"))
    assert profile.empty
    text = render_text(profile)
    assert "nothing in your profile yet" in text and "not an assessment" in text
    assert "nothing in your profile yet" in render_chat_html(profile)
    assert json.loads(render_json(profile))["sections"] == []
    assert "Nothing yet" in meeting_card_html(profile)


def test_profile_name_is_the_latest_given_and_heads_the_document(people) -> None:
    answers, now = people["kasia"].profile.answers, people["kasia"].profile.generated_at
    assert build_profile(answers, now=now).name == "Kasia"
    assert "Name: Kasia" in render_markdown(build_profile(answers, name="  ", now=now))
    assert "Name: Kasia W" in render_markdown(build_profile(answers, name="Kasia W", now=now))
    unnamed = [a for a in answers if not a.question_id.endswith(".name")]
    assert "Name:" not in render_markdown(build_profile(unnamed, now=now))


@pytest.mark.parametrize("section", ["practice", "none"])
def test_profile_leaves_out_practice_and_sectionless_answers_even_scales(people, section: str) -> None:
    answers, now = people["kasia"].profile.answers, people["kasia"].profile.generated_at
    moved = [dataclasses.replace(a, section=section, private=False) if a.type == "scale" or a.followup_of else a
             for a in answers]
    profile = build_profile(moved, now=now)
    assert not profile.scales and (profile.notes is None or not profile.notes.scales)
    assert render_chart_png(profile) is None
