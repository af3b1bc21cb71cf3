"""Splitting for Telegram: plain text, and ready HTML (the profile) with tags balanced in each message.

Every HTML piece must pass the fake server's strict parser (tests/fake_telegram/html.py), keep within
Telegram's limit both as sent and as counted after parsing, and the pieces together must hold the
same words in the same order.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from fake_telegram import parse_html, utf16_len

from bot.channels.telegram.channel import html_pieces
from bot.channels.telegram.limits import TEXT_CHARS
from bot.channels.telegram.text import html_to_text, split_html, split_text
from bot.conversation.chat import Outgoing
from bot.profile import Profile, build_profile, render_chat_html

TESTS = Path(__file__).resolve().parents[1]
TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


def profile_data() -> ModuleType:
    """tests/profile/test_profile.py, for its fixed answer sets (its folder is on sys.path only
    when pytest collects it)."""
    spec = importlib.util.spec_from_file_location("profile_answer_sets", TESTS / "profile" / "test_profile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def profile_with_answer(name: str, key: str, words: str) -> Profile:
    answers, person, now = profile_data().load(name)
    changed = [dataclasses.replace(a, display=words) if a.key == key else a for a in answers]
    return build_profile(changed, name=person, now=now)


def check_piece(piece: str, limit: int = TEXT_CHARS) -> str:
    """One message as the channel sends it: within `limit` as HTML and after parsing, only Telegram's
    tags and properly nested, no bare <, > or & from person text. Returns what the person sees."""
    assert utf16_len(piece) <= limit
    shown, _ = parse_html(piece)  # the fake's strict parser: raises on anything Telegram would refuse
    assert 0 < utf16_len(shown) <= limit
    stack: list[str] = []
    for tag in re.finditer(r"<(/?)([a-z]+)[^>]*>", piece):
        closing, name = tag.group(1), tag.group(2)
        assert name in TELEGRAM_TAGS, name
        if closing:
            assert stack and stack.pop() == name, piece[: tag.end()][-200:]
        else:
            stack.append(name)
    assert not stack, stack
    bare = re.sub(r"<[^>]*>|&(lt|gt|amp|quot|#\d+);", "", piece)
    assert "<" not in bare and ">" not in bare and "&" not in bare
    return shown


def words(markup: str) -> list[str]:
    return parse_html(markup)[0].split()


# ----- plain text -----


def test_split_text_respects_the_limit_and_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {n}. " + "word " * 300 for n in range(10))
    pieces = split_text(text)
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in pieces)
    assert all(p.startswith("Paragraph") for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert split_text("😀" * 5000) == ["😀" * 2048, "😀" * 2048, "😀" * 904]
    assert split_text("   ") == []


# ----- HTML -----


def test_split_html_keeps_tags_within_pieces() -> None:
    markup = "\n\n".join(f"<b>Part {n}</b>\n" + "x &amp; y " * 400 for n in range(6))
    pieces = split_html(markup)
    assert len(pieces) > 1
    assert all(p.count("<b>") == p.count("</b>") for p in pieces)
    # An over-long bold paragraph stays bold: closed at the split and opened again (the old channel
    # splitter sent it as plain text, ["a" * 4096, "a" * 904]). 4032 = 63 pieces of 64 letters, the
    # most that fit in 4096 with "<b>" and "</b>".
    assert split_html("<b>" + "a" * 5000 + "</b>") == ["<b>" + "a" * 4032 + "</b>", "<b>" + "a" * 968 + "</b>"]


def test_split_html_sends_a_short_message_as_it_is() -> None:
    markup = '<b>Your profile</b>\n\n<i>words &amp; more</i>\n<a href="https://example.org/?a=1&amp;b=2">a link</a>'
    assert split_html("\n" + markup + "\n\n") == [markup]
    assert split_html("<b></b>\n\n") == []


def test_split_html_raises_when_the_limit_cannot_hold_a_piece() -> None:
    with pytest.raises(ValueError, match="cannot hold one piece"):
        split_html("<b>" + "x" * 100 + "</b>", limit=8)


def test_html_to_text_leaves_text_that_only_looks_like_a_tag() -> None:
    assert html_to_text("<b>Fish &amp; chips <3</b>") == "Fish & chips <3"
    assert html_to_text("a < b and c > d, <i>e</i>") == "a < b and c > d, e"


def test_a_message_whose_tags_cannot_be_split_is_sent_as_its_words() -> None:
    link = '<a href="https://example.org/' + "x" * 5000 + '">the link</a> and more'
    assert html_pieces(Outgoing(text="plain", html=link)) == ["the link and more"]
    assert html_pieces(Outgoing(text="Fish & chips <3")) == ["Fish &amp; chips &lt;3"]


def test_long_word_without_spaces_still_splits() -> None:
    chunks = split_html("<b>Title</b>\n\n<blockquote>" + "x" * 10_000 + "</blockquote>")
    assert "".join(re.sub(r"<[^>]*>", "", c) for c in chunks) == "Title" + "x" * 10_000
    for chunk in chunks:
        check_piece(chunk)


@pytest.mark.parametrize("limit", [200, 500, 4096])
def test_split_keeps_every_character_and_balanced_tags(limit: int) -> None:
    answer = "word &amp; ŷ 😀 "  # the emoji is two UTF-16 units, as Telegram counts
    html = "\n\n".join(
        f"<b><u>Section {n}</u></b>\n<i>Question {n}?</i>\n<blockquote>{answer * (n * 20)}</blockquote>"
        for n in range(1, 12)
    )
    chunks = split_html(html, limit)
    for chunk in chunks:
        check_piece(chunk, limit)
    visible = "".join(re.sub(r"<[^>]*>|\s", "", c) for c in chunks)
    assert visible == re.sub(r"<[^>]*>|\s", "", html)


def test_split_prefers_section_boundaries() -> None:
    sections = [f"<b>Section {n}</b>\n" + "\n".join(f"line {k} of {n}" for k in range(200)) for n in range(3)]
    chunks = split_html("\n\n".join(sections))
    assert [c.splitlines()[0] for c in chunks] == ["<b>Section 0</b>", "<b>Section 1</b>", "<b>Section 2</b>"]


# ----- the profile as the channel sends it -----


@pytest.mark.parametrize("name", ["person", "carer", "hostile"])
def test_profile_fits_in_one_message(name: str) -> None:
    answers, person, now = profile_data().load(name)
    chat = render_chat_html(build_profile(answers, name=person, now=now))
    assert split_html(chat) == [chat]
    check_piece(chat)


def test_empty_profile_is_one_message() -> None:
    chat = render_chat_html(build_profile([], now=profile_data().load("person")[2]))
    [piece] = split_html(chat)
    assert "nothing in your profile yet" in check_piece(piece)


def test_profile_long_answer_splits_into_valid_chunks() -> None:
    long = ("Mae'n anodd <b> & ŵ " * 700)[:10_000]
    chat = render_chat_html(profile_with_answer("hostile", "h1:a1", long))
    chunks = split_html(chat)
    assert len(chunks) >= 3
    for chunk in chunks:
        check_piece(chunk)
    text = "".join(re.sub(r"<[^>]*>", "", chunk) for chunk in chunks)
    assert text.count("Mae&#39;n anodd &lt;b&gt; &amp; ŵ") == long.count("Mae'n anodd <b> & ŵ")


@pytest.mark.parametrize("long", [
    "x" * 10_000,
    "😀 word &amp; " * 1500,
    "\n".join(f"line {k} <i> & " for k in range(900)),
    "x" * 3_000 + " " + "Mae'n anodd weithiau. " * 320,
], ids=["one-word", "emoji", "lines", "mixed"])
@pytest.mark.parametrize("name", ["person", "carer"])
def test_profile_pieces_hold_the_same_words_in_the_same_order(name: str, long: str) -> None:
    answers, person, now = profile_data().load(name)
    changed = [dataclasses.replace(a, display=long) if i % 3 == 0 else a for i, a in enumerate(answers)]
    chat = render_chat_html(build_profile(changed, name=person, now=now))
    chunks = split_html(chat)
    assert len(chunks) > 1
    shown = [check_piece(chunk) for chunk in chunks]
    assert "".join("".join(piece.split()) for piece in shown) == "".join(words(chat))  # every character, in order
    if max(len(word) for word in long.split()) <= 64:  # longer words may be cut between two messages
        assert [word for piece in shown for word in piece.split()] == words(chat)
