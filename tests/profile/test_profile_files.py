"""The profile as files: the PDF's text under the right headings, the chart PNG, a very long answer.

How the chat HTML is split into Telegram messages is tested in tests/channels/test_telegram_text.py."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image
from pypdf import PdfReader
from test_profile import load

from bot.profile import build_profile, render_chart_png, render_pdf
from bot.profile.chart import BAR, TOP, WIDTH

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    """All pages' text in order, without the running footer ("... Page 2 of 7") that splits sentences."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    return "\n".join(line for line in lines if not re.search(r"Page \d+ of \d+$", line))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_profile_pdf_holds_the_persons_words_under_the_right_headings() -> None:
    answers, name, now = load("person")
    data = render_pdf(build_profile(answers, name=name, now=now))
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    text = squash(pdf_text(data))
    assert "Name: Ann" in text
    order = [
        "About me",
        "My daughter Siân, and my neighbour Gwŷn.",
        "What matters to me",
        "To get to my allotment on Sundays.",
        "Seeing my grandson",
        "Day-to-day life",
        "Getting dressed",
        "Buttons and socks. It takes me forty minutes.",
        "Worries",
        "Falling at night when nobody is here.",
        "Where I am now",
        "Getting out",
        "Over time: 4 in March, 6 now",
        "Getting to the allotment on my own.",
        "For the meeting",
        "Will I have to pay?",
        "My meeting card",
        "not an assessment",
    ]
    at = 0
    for words in order:
        found = text.find(words, at)
        assert found >= 0, f"{words!r} missing or out of order"
        at = found + len(words)
    assert "keep to myself" not in text


def test_profile_pdf_embeds_the_chart() -> None:
    answers, name, now = load("person")
    reader = PdfReader(io.BytesIO(render_pdf(build_profile(answers, name=name, now=now))))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size[0] == WIDTH


def test_profile_pdf_renders_welsh_letters_and_drops_emoji() -> None:
    answers, _, now = load("person")
    words = "Dw i'n hoffi'r ŵyr a'r ŷd 😀👍🏽 — café, naïve, Łódź, ½ & <b>"
    changed = [dataclasses.replace(a, display=words) if a.key == "s2:thanked_for" else a for a in answers]
    changed = [dataclasses.replace(a, item="Mynd allan 🚶‍♀️ ŵ") if a.item == "Getting out" else a for a in changed]
    text = pdf_text(render_pdf(build_profile(changed, name="Siôn 🌟", now=now)))
    assert "Name: Siôn" in text and "Mynd allan" in text
    assert "Dw i'n hoffi'r ŵyr a'r ŷd" in text
    assert "— café, naïve, Łódź, ½ & <b>" in text
    assert "👍" not in text and "🚶" not in text


def test_profile_pdf_of_an_empty_profile_is_kind() -> None:
    text = pdf_text(render_pdf(build_profile([], now=NOW)))
    assert "nothing in your profile yet" in squash(text)
    assert "My meeting card" not in text


def chart_size(answers) -> tuple[int, int]:
    png = render_chart_png(build_profile(answers, now=NOW))
    assert png is not None and png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.format == "PNG" and image.mode == "RGB"
        return image.size


def test_profile_chart_png_has_a_row_per_scale() -> None:
    answers, _, _ = load("person")
    width, height = chart_size(answers)
    assert width == WIDTH and TOP + 2 * BAR < height < 1000
    one_scale = [a for a in answers if a.step_id != "managing_now"]
    assert chart_size(one_scale)[0] == WIDTH and chart_size(one_scale)[1] < height


def test_profile_chart_is_none_without_scales() -> None:
    answers, name, now = load("person")
    no_scales = [a for a in answers if a.type != "scale"]
    assert render_chart_png(build_profile(no_scales, name=name, now=now)) is None


def test_profile_pdf_takes_a_very_long_answer() -> None:
    answers, name, now = load("hostile")
    long = "x" * 3_000 + " " + "Mae'n anodd weithiau. " * 320
    changed = [dataclasses.replace(a, display=long) if a.key == "h1:a1" else a for a in answers]
    data = render_pdf(build_profile(changed, name=name, now=now))
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
    text = squash(pdf_text(data))
    assert text.count("Mae'n anodd weithiau.") == 320
