"""Profile rendering: chat HTML, PDF and chart PNG for a realistic profile, each beside a floor.

The realistic person answered several shipped flows with the scripted person (benchmarks/scripted.py),
stored encrypted as in production; the profile is built from storage the way /summary and /export do.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.scripted import run_flow
from bot.channels.telegram.limits import CONTENT
from bot.channels.telegram.text import split_html
from bot.content.loader import load_content
from bot.conversation.drafts import person_profile, read_person
from bot.engine.state import Record
from bot.profile import build_profile, render_chart_png, render_chat_html, render_pdf
from bot.profile.fonts import REGULAR, font_path
from bot.profile.structure import Profile
from bot.store.encryption import load_cipher
from bot.store.storage import Storage, now_utc

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ["about_me", "best_hopes", "where_now", "my_week"]
PERSON = "tg:1"


def best_time(work: Callable[[], Any], repeats: int) -> float:
    """Seconds for one call: the best of `repeats`, since noise only ever slows things down."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def realistic_profile(tmp: Path) -> tuple[Profile, int]:
    """A person who answered FLOWS; returns their profile and how many answers it holds."""
    content = load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)
    storage = Storage(tmp / "coach.db", cipher=load_cipher(None, tmp / "coach.key"))
    for flow_id in FLOWS:
        state, _ = run_flow(content.flows[flow_id])
        records = [Record(node, answer, node, "A question?") for node, answer in state.answers.items()]
        session = storage.create_session(PERSON, state)
        storage.save_turn(PERSON, session, state, records)
    profile = person_profile(read_person(storage, PERSON), content, now_utc())
    answers = sum(len(g.entries) for s in profile.sections for g in s.groups) + sum(
        len(s.scales) for s in profile.sections)
    storage.close()
    return profile, answers


def one_line_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("Body", "", str(font_path(REGULAR)))
    pdf.set_font("Body", size=12)
    pdf.add_page()
    pdf.cell(text="What matters to me")
    return bytes(pdf.output())


def blank_png(height: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1200, height), "white")
    ImageDraw.Draw(image).text((60, 30), "Where I am now", font=ImageFont.truetype(str(font_path(REGULAR)), 40),
                                fill="#1a1a1a")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        profile, answers = realistic_profile(Path(tmp))
    empty = build_profile([], now=profile.generated_at)
    chart = render_chart_png(profile)
    assert chart is not None, "the realistic profile should have scales to chart"
    from PIL import Image

    height = Image.open(io.BytesIO(chart)).height
    who = f"{len(FLOWS)} flows answered, {answers} answers and scales"
    chat = best_time(lambda: split_html(render_chat_html(profile)), 20)
    chat_floor = best_time(lambda: split_html(render_chat_html(empty)), 20)
    pdf = best_time(lambda: render_pdf(profile), 5)
    pdf_floor = best_time(one_line_pdf, 5)
    png = best_time(lambda: render_chart_png(profile), 5)
    png_floor = best_time(lambda: blank_png(height), 5)
    return [
        (f"Profile as chat HTML, split into Telegram messages ({who})",
         f"{_ms(chat)}; empty profile {_ms(chat_floor)}, ratio {chat / chat_floor:.1f}x"),
        (f"Profile as PDF ({who}; includes drawing the chart)",
         f"{_ms(pdf)} ({len(render_pdf(profile)) // 1024} KB); fpdf2 one-line PDF with the same font "
         f"{_ms(pdf_floor)}, ratio {pdf / pdf_floor:.1f}x"),
        (f"Profile chart PNG ({who}; 1200x{height})",
         f"{_ms(png)} ({len(chart) // 1024} KB); blank 1200x{height} PNG with one line of text {_ms(png_floor)}, "
         f"ratio {png / png_floor:.1f}x"),
    ]


if __name__ == "__main__":
    for what, result in run():
        print(f"{what}: {result}")
