"""The profile: which answers show and where, and md / chat HTML / JSON against reviewed snapshots.

To rewrite the snapshots after a deliberate change: UPDATE_SNAPSHOTS=1 pytest tests/test_profile.py,
then read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.profile import (
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


@pytest.mark.parametrize("name", ["person", "carer", "hostile"])
def test_profile_matches_snapshots(name: str) -> None:
    profile = profile_of(name)
    check_snapshot(f"{name}.md", render_markdown(profile))
    check_snapshot(f"{name}.txt", render_text(profile))
    chat = render_chat_html(profile)
    check_telegram_html(chat)
    check_snapshot(f"{name}.chat.html", chat + "\n")
    check_snapshot(f"{name}.json", render_json(profile))
    check_snapshot(f"{name}.card.txt", meeting_card(profile))
    check_snapshot(f"{name}.card.html", meeting_card_html(profile))


def test_profile_sections_follow_the_issue_order_and_only_where_answered() -> None:
    titles = [s.title for s in profile_of("person").sections]
    assert titles == [
        "About me",
        "What people like and admire about me",
        "What matters to me",
        "A good day and a hard day",
        "Day-to-day life",
        "How my wellbeing is affected",
        "People and support around me",
        "What I've tried",
        "Worries",
        "How best to support me",
        "Where I am now",
        "For the meeting",
    ]


def test_profile_quotes_the_persons_words_exactly() -> None:
    answers, name, now = load("person")
    text = render_text(build_profile(answers, name=name, now=now))
    for answer in answers:
        # March's follow-ups are superseded by November's (they stay in the JSON); one follows a hidden scale.
        superseded = answer.followup_of is not None and (answer.session_id == "s1" or answer.step_id.startswith("feel"))
        if not answer.hidden and answer.section != "none" and answer.type not in ("list", "scale") and not superseded:
            for line in answer.display.splitlines():
                assert line in text


def test_profile_leaves_out_hidden_answers_and_their_followups() -> None:
    profile = profile_of("person")
    for rendered in (render_text(profile), render_markdown(profile), render_chat_html(profile)):
        assert "keep to myself" not in rendered
        assert "hidden scale" not in rendered
        assert "How safe do you feel" not in rendered
        assert "belongs to no section" not in rendered


def test_profile_json_keeps_every_answer_marked_hidden_or_not() -> None:
    data = json.loads(render_json(profile_of("person"), extra={"sessions": [{"id": "s1"}]}))
    hidden = {a["key"] for a in data["answers"] if a["hidden"]}
    assert hidden == {"s2:secret", "s4:feel_safe"}
    assert data["sessions"] == [{"id": "s1"}]
    shown = json.dumps(data["sections"])
    assert "keep to myself" not in shown


def test_profile_json_refuses_an_extra_key_that_replaces_its_own() -> None:
    with pytest.raises(ValueError, match="answers"):
        render_json(profile_of("person"), extra={"answers": []})


def test_profile_shows_the_latest_version_of_a_changed_answer() -> None:
    profile = profile_of("person")
    text = render_text(profile)
    assert "To get to my allotment on Sundays." in text
    assert "To get out more." not in text
    entry = next(e for s in profile.sections for g in s.groups for e in g.entries if e.key == "s2:best_hopes")
    assert [words for words, _ in entry.history] == ["To get out more."]


def test_profile_shows_earlier_scores_of_a_repeated_scale() -> None:
    scale = next(s for s in profile_of("person").scales if s.label == "Getting out")
    assert (scale.score, scale.change, scale.one_up) == (6, "4 in March, 6 now", 7)
    assert [e.answer for e in scale.followups] == [
        "The community bus. I go every Tuesday now.",
        "Getting to the allotment on my own.",
    ]


def test_profile_scale_at_the_top_has_no_step_up() -> None:
    scale = next(s for s in profile_of("person").scales if s.score == 10)
    assert scale.one_up is None
    assert "One step up" not in render_text(build_profile([], now=scale.answered_at))


def test_profile_carer_version_has_my_caring_role_and_their_sections() -> None:
    profile = profile_of("carer")
    assert profile.carer and profile.subtitle
    titles = [s.title for s in profile.sections]
    assert titles == [
        "What matters to them",
        "Their good days and hard days",
        "Where I am now",
        "Where they are now",
        "For the meeting",
        "My caring role and me",
    ]
    assert "Name:" not in render_text(profile)


def test_profile_meeting_card_picks_three_of_each_in_the_persons_words() -> None:
    card = profile_of("person").card
    assert card.matters == ("Seeing my grandson", "My allotment", "Staying in my own home")
    assert card.hardest == (
        "Getting out: The step at my front door & the hill.",
        "Getting dressed: Buttons and socks. It takes me forty minutes.",
        "My hips hurt and I can't get out of the chair. I stay in my dressing gown all day.",
    )
    assert card.questions == ("Will I have to pay?", "Can Siân be with me?")
    assert card.meeting_date == "2 December 2026"


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


def test_profile_name_only_if_given() -> None:
    answers, _, now = load("person")
    assert "Name:" not in render_markdown(build_profile(answers, name="  ", now=now))
    assert "Name: Ann" in render_markdown(build_profile(answers, name="Ann", now=now))


@pytest.mark.parametrize("section", ["practice", "none"])
def test_profile_leaves_out_practice_and_sectionless_answers_even_scales(section: str) -> None:
    answers, name, now = load("person")
    moved = [dataclasses.replace(a, section=section) if a.type == "scale" or a.followup_of else a for a in answers]
    profile = build_profile(moved, name=name, now=now)
    assert "Where I am now" not in [s.title for s in profile.sections]
    assert render_chart_png(profile) is None
