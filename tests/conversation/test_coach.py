"""The shared conversation layer, as both channels drive it: commands, taps, resuming, editing."""

from __future__ import annotations

from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach

P = "tg:1"


def say(coach: Coach, text: str, **kw: str) -> Response:
    return coach.handle(P, Incoming("text", text=text, **kw))


def cmd(coach: Coach, name: str, arg: str = "") -> Response:
    return coach.handle(P, Incoming("command", command=name, arg=arg))


def tap(coach: Coach, data: str, key: str | None = None) -> Response:
    return coach.handle(P, Incoming("tap", data=data, key=key))


def texts(response: Response) -> str:
    return "\n".join(m.text for m in response.messages)


def button(response: Response, label: str) -> str:
    for message in response.messages:
        for row in message.buttons:
            for b in row:
                if b.label == label or b.label.endswith(label):
                    return b.data
    raise AssertionError(f"no button {label!r} in {[b.label for m in response.messages for r in m.buttons for b in r]}")


def start_example(coach: Coach) -> Response:
    cmd(coach, "start")
    return tap(coach, "f:example")


def test_start_welcomes_and_offers_flows_grouped_by_audience(coach: Coach) -> None:
    response = cmd(coach, "start")
    assert "not an assessment" in texts(response)
    assert "For me" in texts(response)
    assert button(response, "A two-minute taster") == "f:example"


def test_deep_link_opens_a_flow_and_a_second_link_resumes_it(coach: Coach) -> None:
    first = cmd(coach, "start", "example")
    assert "Who are we thinking about today?" in texts(first)
    tap(coach, button(first, "Me"))
    again = cmd(coach, "start", "example")
    assert "Welcome back" in texts(again) and "What would you like me to call you?" in texts(again)


def test_a_tap_answers_edits_the_question_and_moves_on(coach: Coach) -> None:
    first = start_example(coach)
    response = tap(coach, button(first, "Me"), key="cb1")
    assert response.ack == "Saved"
    assert response.edit is not None and response.edit.endswith("✓ Me")
    assert "What would you like me to call you?" in texts(response)


def test_scale_buttons_sit_on_two_rows_with_controls(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    say(coach, "To stay at home")
    response = say(coach, "yes")
    question = response.messages[-1]
    assert question.is_question and [len(row) for row in question.buttons[:2]] == [6, 5]
    assert [b.label for b in question.buttons[-1]] == ["Back", "Skip", "Why am I asked this?"]
    assert all(len(b.data.encode()) <= 64 for row in question.buttons for b in row)


def test_a_double_tap_records_once_and_a_stale_tap_offers_a_change(coach: Coach) -> None:
    first = start_example(coach)
    me = button(first, "Me")
    tap(coach, me, key="a")
    again = tap(coach, me, key="b")
    assert again.ack == "Already saved" and not again.messages
    someone = button(first, "Someone I care for")
    stale = tap(coach, someone, key="c")
    assert "earlier question" in texts(stale)
    assert button(stale, "Change that answer").startswith("r:c:")
    assert [a.answer.display for a in coach.storage.answers(P)] == ["Me"]


def test_a_repeated_delivery_is_handled_once(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam", key="u1")
    repeated = say(coach, "Sam", key="u1")  # delivered again after a crash: maybe its reply never went
    assert repeated.ack == "Already saved"
    assert "best hopes" in texts(repeated)  # so the question it led to is shown again
    assert len([a for a in coach.storage.answers(P) if a.answer.display == "Sam"]) == 1


def test_commands_are_never_stored_as_answers(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    for name in ("help", "why", "privacy", "pause", "resume"):
        cmd(coach, name)
    assert [a.answer.display for a in coach.storage.answers(P)] == ["Me"]


def test_a_non_text_message_gets_a_kind_reply_and_the_question_again(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    response = coach.handle(P, Incoming("other", text="sticker"))
    assert "typed" in texts(response)
    assert "What would you like me to call you?" in texts(response)


def test_editing_the_latest_answer_updates_it(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sma", ref="m1")
    response = coach.handle(P, Incoming("edit", text="Sam", ref="m1"))
    assert "updated your answer to: Sam" in texts(response)
    [name] = [a for a in coach.storage.answers(P) if a.node_id == "name"]
    assert name.answer.display == "Sam" and name.history[0][0].display == "Sma"
    say(coach, "To stay at home", ref="m2")
    older = coach.handle(P, Incoming("edit", text="Samuel", ref="m1"))
    assert "left your saved answers as they were" in texts(older)


def test_coming_back_after_hours_is_greeted_and_nothing_is_assumed(coach: Coach, clock) -> None:  # type: ignore[no-untyped-def]
    tap(coach, button(start_example(coach), "Me"))
    clock.advance(hours=30)
    response = say(coach, "hello again")
    assert "Welcome back" in texts(response) and "What would you like me to call you?" in texts(response)
    assert not [a for a in coach.storage.answers(P) if a.node_id == "name"]
    assert "best hopes" in texts(say(coach, "Sam")).lower()  # the very next message answers as usual


def test_after_a_long_gap_the_message_can_still_be_kept_as_the_answer(coach: Coach, clock) -> None:  # type: ignore[no-untyped-def]
    tap(coach, button(start_example(coach), "Me"))
    clock.advance(days=3)
    kept = tap(coach, button(say(coach, "Sam"), "Use what I just wrote as my answer"))
    assert "best hopes" in texts(kept).lower()
    assert [a.answer.display for a in coach.storage.answers(P) if a.node_id == "name"] == ["Sam"]


def test_review_change_hide_and_delete(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    say(coach, "A quiet garden")
    listing = cmd(coach, "review")
    view = tap(coach, button(listing, "A quiet garden"))
    hidden = tap(coach, button(view, "Hide from my draft"))
    assert "Hidden" in texts(hidden)
    assert "A quiet garden" not in texts(cmd(coach, "summary"))
    change = tap(coach, button(view, "Change it"))
    assert "best hopes" in texts(change).lower()
    say(coach, "A busy garden")
    [hopes] = [a for a in coach.storage.answers(P) if a.node_id == "best_hopes"]
    assert hopes.answer.display == "A busy garden" and hopes.history[0][0].display == "A quiet garden"
    deleted = tap(coach, button(tap(coach, button(cmd(coach, "review"), "A busy garden")), "Delete it"))
    assert "Deleted" in texts(deleted)
    assert not [a for a in coach.storage.answers(P) if a.node_id == "best_hopes"]


def test_delete_everything_after_confirming(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    ask = cmd(coach, "delete")
    assert "can't be undone" in texts(ask)
    kept = tap(coach, button(ask, "No, keep my answers"))
    assert "Nothing has been deleted" in texts(kept) and coach.storage.answers(P)
    gone = tap(coach, button(ask, "Yes, erase everything"))
    assert "erased" in texts(gone) and coach.storage.answers(P) == [] and coach.storage.sessions(P) == []


def test_export_gives_a_file_and_all_data_as_json(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    import io

    from pypdf import PdfReader

    say(coach, "To keep my allotment going")
    files = [m.attachment for m in cmd(coach, "export").messages if m.attachment]
    assert files[0].filename.endswith(".pdf")
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(files[0].content)).pages)
    assert "To keep my allotment going" in pdf_text
    [md] = [m.attachment for m in cmd(coach, "export", "md").messages if m.attachment]
    assert "To keep my allotment going" in md.content.decode()
    [data] = [m.attachment for m in cmd(coach, "export", "json").messages if m.attachment]
    assert data.filename.endswith(".json") and b'"Sam"' in data.content


def test_a_storage_failure_is_told_kindly_and_nothing_crashes(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    coach.storage.db.execute("PRAGMA query_only = ON")
    failed = say(coach, "Sam")
    assert "couldn't save that" in texts(failed)
    coach.storage.db.execute("PRAGMA query_only = OFF")
    assert "best hopes" in texts(say(coach, "Sam")).lower()


def test_restart_begins_the_flow_again_and_keeps_earlier_answers(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    response = cmd(coach, "restart")
    assert "Starting again" in texts(response) and "Who are we thinking about today?" in texts(response)
    assert len(coach.storage.sessions(P)) == 2
    assert any(a.answer.display == "Sam" for a in coach.storage.answers(P))


def test_a_risky_message_mid_flow_gets_signposting_at_once_and_is_not_saved(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    response = say(coach, "I want to end my life")
    assert "Samaritans" in texts(response) and "116 123" in texts(response) and "999" in texts(response)
    assert not [a for a in coach.storage.answers(P) if a.node_id == "name"]
    left_out = tap(coach, button(response, "No, leave it out"))
    assert "What would you like me to call you?" in texts(left_out)
    assert "Samaritans" in texts(say(coach, "I want to end my life"))  # "I'm fine" never silences it
    assert "best hopes" in texts(say(coach, "Sam")).lower()


def test_the_person_can_choose_to_keep_a_risky_message_as_their_answer(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    response = say(coach, "Honestly some days I feel like ending it all")
    kept = tap(coach, button(response, "Yes, keep it as my answer"))
    [hopes] = [a for a in coach.storage.answers(P) if a.node_id == "best_hopes"]
    assert hopes.answer.display == "Honestly some days I feel like ending it all"
    assert "Is that right?" in texts(kept)


def test_help_shows_the_resources_at_any_time(coach: Coach) -> None:
    assert "116 123" in texts(cmd(coach, "help"))


def test_pause_from_the_safety_message(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    paused = tap(coach, button(say(coach, "he hits me when I ask for help"), "Pause for now"))
    assert "Paused" in texts(paused)


def test_not_quite_on_a_reflection_closes_its_buttons(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    reflection = say(coach, "To stay at home")
    response = tap(coach, button(reflection, "Not quite"))
    assert response.edit == "So your best hope is: To stay at home. Is that right?\n\n✓ Not quite"
    assert "How would you put it, in your own words?" in texts(response)


def test_nothing_the_person_writes_reaches_the_logs(coach: Coach, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.DEBUG)
    tap(coach, button(start_example(coach), "Me"))
    for words in ("Sam Secretname", "I want to end my life", "my hidden hope words"):
        say(coach, words)
    coach.storage.db.execute("PRAGMA query_only = ON")
    say(coach, "words while the disk is full")
    coach.storage.db.execute("PRAGMA query_only = OFF")
    assert caplog.records  # the coach did log (a safety event, a storage failure) ...
    for words in ("Secretname", "end my life", "hidden hope", "disk is full"):
        assert words not in caplog.text  # ... but never what the person wrote


def test_chit_chat_is_never_stored_as_an_answer(coach: Coach) -> None:
    tap(coach, button(start_example(coach), "Me"))
    hello = say(coach, "Hello!")
    assert "Whenever you're ready" in texts(hello) and "What would you like me to call you?" in texts(hello)
    assert "You're welcome" in texts(say(coach, "thanks"))
    assert not [a for a in coach.storage.answers(P) if a.node_id == "name"]
    say(coach, "Sam")
    assert [a.answer.display for a in coach.storage.answers(P) if a.node_id == "name"] == ["Sam"]


def test_the_card_quotes_a_hard_day_from_the_questions_card_tag(coach: Coach) -> None:
    """The bank tags example.hard_day `card: hardest`; the drafts carry the tag to the meeting card."""
    tap(coach, button(start_example(coach), "Me"))
    for words in ("Sam", "To stay at home", "yes", "3", "My cat", "Walking to the shop"):
        say(coach, words)
    assert "What is a hard day like?" in texts(say(coach, "Most days"))
    say(coach, "I can't get dressed until lunchtime")
    card = texts(cmd(coach, "card"))
    hardest = card.split("hardest", 1)[1].split("My questions", 1)[0]
    assert "I can't get dressed until lunchtime" in hardest


def test_all_my_data_holds_every_answer_once(coach: Coach) -> None:
    """The JSON export: the profile's answers, plus every other stored answer (a skip, the check of a
    reflection, who the answers are about), each exactly once."""
    import json

    tap(coach, button(start_example(coach), "Me"))
    say(coach, "Sam")
    cmd(coach, "skip")
    [data] = [m.attachment for m in cmd(coach, "export", "json").messages if m.attachment]
    exported = json.loads(data.content)
    keys = [a["key"] for a in exported["answers"]] + [str(a["id"]) for a in exported["other_answers"]]
    assert sorted(keys) == sorted(str(a.id) for a in coach.storage.answers(P))
    assert {a["step"] for a in exported["other_answers"]} == {"for_someone", "best_hopes"}
    assert [a["skipped"] for a in exported["other_answers"] if a["step"] == "best_hopes"] == [True]
