"""The profile as files: the PDF (pages, order, headings kept with their text, every script a person
types), the chart PNG, a very long answer.

Text is read back with PDFium (pypdfium2), which puts right-to-left text in reading order. How the
chat HTML is split into Telegram messages is tested in tests/channels/test_telegram_text.py."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
from people import PEOPLE, Lived, lived_people
from PIL import Image
from pypdf import PdfReader
from test_profile import load

from bot.profile import Profile, build_profile, render_chart_png, render_pdf
from bot.profile.chart import BAR, TOP, WIDTH
from bot.profile.wording import LOST_LETTERS, TITLES

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
FOOTER = re.compile(r"Page \d+ of \d+$")
MOST_PAGES = 7  # a full profile: front page, the detail, the meeting card


def pages(data: bytes) -> list[list[str]]:
    """Each page's lines of text, without the running footer."""
    assert data.startswith(b"%PDF-")
    document = pdfium.PdfDocument(data)
    found = []
    for page in document:
        text = page.get_textpage().get_text_range()
        found.append([line.strip() for line in text.splitlines() if line.strip() and not FOOTER.search(line)])
    return found


def pdf_text(data: bytes) -> str:
    """All the text in order; control characters dropped (a shaped glyph with no character of its own,
    such as the second half of a Tamil vowel sign, reads back as one)."""
    text = "\n".join(line for page in pages(data) for line in page)
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c == "\n")


def squash(text: str) -> str:
    return " ".join(text.split())


def in_order(text: str, words: list[str]) -> None:
    at = 0
    for word in words:
        found = text.find(word, at)
        assert found >= 0, f"{word!r} missing or out of order after {text[max(0, at - 80):at]!r}"
        at = found + len(word)



@pytest.fixture
def people(content, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lived]:  # type: ignore[no-untyped-def]
    """Margaret, Helen and Kasia, each having answered whole flows (lived once per test run)."""
    return lived_people(content, tmp_path_factory)

@pytest.mark.parametrize("name", PEOPLE)
def test_profile_pdf_of_a_whole_profile_fits_a_few_pages_front_page_first(people, name: str) -> None:
    profile: Profile = people[name].profile
    data = render_pdf(profile)
    assert PdfReader(io.BytesIO(data)).pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    found = pages(data)
    assert len(found) <= MOST_PAGES, len(found)
    first = squash(" ".join(found[0]))
    for part in profile.front:
        assert part.title in first, part.title
    assert "area by area" not in first
    assert squash(" ".join(found[-1])).startswith("My meeting card")


@pytest.mark.parametrize("name", PEOPLE)
def test_profile_pdf_never_leaves_a_heading_at_the_foot_of_a_page(people, name: str) -> None:
    profile: Profile = people[name].profile
    headings = {title for pair in TITLES.values() for title in pair}
    headings |= {area.title for s in profile.sections for area in s.areas}
    headings |= {e.question for s in profile.sections for g in s.groups for e in g.entries}
    for number, lines in enumerate(pages(render_pdf(profile)), start=1):
        assert lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]!r}"


def test_profile_pdf_holds_margarets_words_in_order(people) -> None:
    text = squash(pdf_text(render_pdf(people["margaret"].profile)))
    in_order(text, [
        "What matters most to me", "Staying in my own home",
        "What is hard for me now", "lay there for an hour until Joan came",
        "My day-to-day life, area by area", "Washing and keeping clean",
        "I can't do this without help or reminding.", "My feet and my back. I can't reach.",
        "Money, bills and letters", "David does all my money now.",
        "Not talked about yet", "Food and drink",
        "Help I get now: needs that someone is meeting", "Needs met by family or friends now",
        "David does my shopping every Sunday",
        "Where I am now", "3 out of 10", "Over time: 4 on 23 November, 3 now",
        "For the meeting", "My meeting card", "Things I find hard to say out loud",
        "I have wet myself twice", "not an assessment",
    ])


def test_profile_pdf_leaves_my_notes_out_unless_chosen(people) -> None:
    kasia: Profile = people["kasia"].profile
    assert kasia.notes is not None
    private = [e.answer for g in kasia.notes.groups for e in g.entries]
    shared = squash(pdf_text(render_pdf(kasia)))
    with_notes = squash(pdf_text(render_pdf(kasia, notes=True)))
    for words in private:
        assert squash(words) not in shared
        assert squash(words) in with_notes
    assert "My notes, just for me" in with_notes and "My notes" not in shared


SCRIPTS = [
    ("Urdu", "میری بیٹی ہر ہفتے آتی ہے اور کھانا بناتی ہے"),
    ("Bengali", "আমার মেয়ে প্রতি সপ্তাহে আসে এবং রান্না করে"),
    ("Punjabi", "ਮੇਰੀ ਧੀ ਹਰ ਹਫ਼ਤੇ ਆਉਂਦੀ ਹੈ ਅਤੇ ਖਾਣਾ ਬਣਾਉਂਦੀ ਹੈ"),
    ("Tamil", "என் மகள் ஒவ்வொரு வாரமும் வந்து சமைக்கிறாள்"),
    ("Hindi", "मेरी बेटी हर हफ़्ते आती है और खाना बनाती है"),
    ("Chinese", "我女兒每個星期都來幫我做飯。我女儿每个星期都来"),
    ("Polish", "Córka przychodzi co tydzień i gotuje. Źdźbło, łąka, żółw."),
]


def test_profile_pdf_prints_every_script_a_person_types_in_order(people) -> None:
    answers = list(people["margaret"].profile.answers)
    targets = [a for a in answers if a.question_id == "people.who_helps" and not a.abandoned]
    assert targets
    words = "\n".join(f"{language}: {text}" for language, text in SCRIPTS)
    changed = [dataclasses.replace(a, display=words) if a in targets else a for a in answers]
    data = render_pdf(build_profile(changed, now=NOW))
    text = pdf_text(data)
    assert LOST_LETTERS[:30] not in squash(text)
    expected = [word for _, line in SCRIPTS for word in f"{line}".split()]
    in_order(text, [w for w in expected if not re.fullmatch(r"\W+", w)])


def test_profile_pdf_says_so_when_a_letter_cannot_be_printed_and_drops_only_emoji(people) -> None:
    answers = list(people["kasia"].profile.answers)
    rare = "𠀋 Ge'ez ሰላም, Thai สวัสดี 😀👍🏽, café"
    changed = [dataclasses.replace(a, display=rare) if a.question_id == "people.who_helps" else a for a in answers]
    text = squash(pdf_text(render_pdf(build_profile(changed, now=NOW))))
    assert LOST_LETTERS[:40] in text
    assert "Ge'ez □□□, Thai □□□□□□" in text and "café" in text
    assert "👍" not in text  # no font has it: left out, as a symbol and not a word
    plain = squash(pdf_text(render_pdf(people["kasia"].profile)))
    assert LOST_LETTERS[:40] not in plain


def test_profile_pdf_is_left_aligned(people) -> None:
    """No line is spread to both edges (which opens gaps between words): the PDF never sets word
    or character spacing, which is how justified text is drawn, and long paragraphs end ragged."""
    data = render_pdf(people["helen"].profile)
    streams = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages)
    assert re.search(rb"[1-9][0-9.]* T[wc]\b", streams) is None
    assert b" Tw" not in streams or re.search(rb"(?<![0-9.])0(\.0+)? Tw", streams)


def chart_size(profile: Profile) -> tuple[int, int]:
    png = render_chart_png(profile)
    assert png is not None and png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.format == "PNG" and image.mode == "RGB"
        return image.size


def test_profile_chart_png_has_a_row_per_how_things_are_scale(people) -> None:
    kasia: Profile = people["kasia"].profile
    now_scales = [s for s in kasia.scales if s.kind == "now"]
    width, height = chart_size(kasia)
    assert width == WIDTH and TOP + len(now_scales) * BAR < height < 2000
    assert len(now_scales) == 3 and all(s.kind != "now" for s in kasia.scales if s not in now_scales)


def test_profile_chart_is_none_without_scales(people) -> None:
    answers = [a for a in people["margaret"].profile.answers if a.type != "scale"]
    assert render_chart_png(build_profile(answers, now=NOW)) is None


def test_profile_pdf_of_an_empty_profile_is_kind() -> None:
    text = pdf_text(render_pdf(build_profile([], now=NOW)))
    assert "nothing in your profile yet" in squash(text)
    assert "My meeting card" not in text


def test_profile_pdf_takes_a_very_long_answer() -> None:
    answers, name, now = load("hostile")
    long = "x" * 3_000 + " " + "Mae'n anodd weithiau. " * 320
    changed = [dataclasses.replace(a, display=long) if a.key == "h1:a1" else a for a in answers]
    data = render_pdf(build_profile(changed, name=name, now=now))
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
    assert squash(pdf_text(data)).count("Mae'n anodd weithiau.") == 320
