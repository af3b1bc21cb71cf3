"""The profile as an A4 PDF (fpdf2): clear headings, large type, the chart, and the meeting card.

Laid out in code rather than from a template: fpdf2 draws text at positions, and its HTML subset
cannot size type or keep headings with their text. The wording comes from the same Profile as
the templates, and every string passes through `drawable` so missing glyphs (emoji) are dropped.
"""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from bot.profile.chart import render_chart_png
from bot.profile.fonts import BOLD, REGULAR, drawable, font_path
from bot.profile.structure import Entry, Profile, Scale

FAMILY = "DejaVu"
MARGIN = 18  # mm
INK = (26, 26, 26)
MUTED = (80, 80, 80)
ACCENT = (31, 78, 121)
QUESTION_PT, ANSWER_PT, HEADING_PT, TITLE_PT = 12, 14, 19, 26


class _Document(FPDF):
    footer_line = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 9)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.footer_line}   Page {self.page_no()} of {{nb}}", align="C")


def render_pdf(profile: Profile) -> bytes:
    """The profile as PDF bytes."""
    pdf = _Document(format="A4")
    pdf.footer_line = drawable(profile.footer[0])
    pdf.add_font(FAMILY, "", str(font_path(REGULAR)))
    pdf.add_font(FAMILY, "B", str(font_path(BOLD)))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(profile.title)
    pdf.set_creator("What Matters Coach")
    pdf.set_lang("en-GB")
    pdf.set_creation_date(profile.generated_at)
    pdf.add_page()
    _heading(pdf, profile)
    if profile.empty:
        _para(pdf, profile.empty_message, ANSWER_PT)
    chart = render_chart_png(profile)
    for section in profile.sections:
        _section_title(pdf, section.title, _chart_height(pdf, chart) if section.scales and chart else 0)
        for group in section.groups:
            if group.item:
                _keep(pdf, 30)
                _para(pdf, group.item, ANSWER_PT + 1, bold=True, colour=ACCENT, gap=2)
            for entry in group.entries:
                _entry(pdf, entry)
        if section.scales and chart is not None:
            _chart(pdf, chart)
        for scale in section.scales:
            _scale(pdf, scale)
        for note in section.notes:
            _para(pdf, f"Remember: {note}", QUESTION_PT, colour=MUTED, gap=1)
    if not profile.empty:
        _card(pdf, profile)
    pdf.ln(6)
    for line in profile.footer:
        _para(pdf, line, QUESTION_PT, colour=MUTED, gap=1)
    return bytes(pdf.output())


def _para(
    pdf: FPDF,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = INK,
    gap: float = 3,
    indent: float = 0,
) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, drawable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _keep(pdf: FPDF, room: float) -> None:
    """Start a new page rather than leave a heading at the foot of one."""
    if pdf.get_y() > pdf.h - pdf.b_margin - room:
        pdf.add_page()


def _heading(pdf: FPDF, profile: Profile) -> None:
    _para(pdf, profile.title, TITLE_PT, bold=True, colour=ACCENT, gap=2)
    if profile.subtitle:
        _para(pdf, profile.subtitle, ANSWER_PT, colour=MUTED, gap=1)
    if profile.name:
        _para(pdf, f"Name: {profile.name}", ANSWER_PT + 2, bold=True, gap=1)
    _para(pdf, f"Draft of {profile.drafted}", QUESTION_PT, colour=MUTED, gap=4)


def _section_title(pdf: FPDF, title: str, then: float = 0) -> None:
    _keep(pdf, 45 + then)
    pdf.ln(4)
    pdf.start_section(drawable(title))
    _para(pdf, title, HEADING_PT, bold=True, colour=ACCENT, gap=0)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(5)


def _entry(pdf: FPDF, entry: Entry, indent: float = 0) -> None:
    _keep(pdf, 25)
    _para(pdf, entry.question, QUESTION_PT, bold=True, colour=MUTED, gap=1, indent=indent)
    if entry.items:
        for item in entry.items:
            _para(pdf, f"•  {item}", ANSWER_PT, gap=1, indent=indent + 4)
        pdf.ln(3)
    else:
        _para(pdf, entry.answer, ANSWER_PT, gap=4, indent=indent + 4)


def _chart_height(pdf: FPDF, png: bytes) -> float:
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    return (pdf.w - pdf.l_margin - pdf.r_margin) * height / width


def _chart(pdf: FPDF, png: bytes) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width)
    pdf.ln(4)


def _scale(pdf: FPDF, scale: Scale) -> None:
    _keep(pdf, 40)
    _para(pdf, scale.label, ANSWER_PT + 1, bold=True, colour=ACCENT, gap=1)
    if scale.label != scale.question:
        _para(pdf, scale.question, QUESTION_PT, colour=MUTED, gap=1)
    lines = [f"Now: {scale.score} out of {scale.maximum}"]
    if scale.min_label and scale.max_label:
        lines.append(f"({scale.minimum} = {scale.min_label}, {scale.maximum} = {scale.max_label})")
    if scale.change:
        lines.append(f"Over time: {scale.change}")
    if scale.one_up is not None:
        lines.append(f"One step up: {scale.one_up}")
    for line in lines:
        _para(pdf, line, ANSWER_PT, gap=1, indent=4)
    pdf.ln(2)
    for entry in scale.followups:
        _entry(pdf, entry, indent=4)


def _card(pdf: FPDF, profile: Profile) -> None:
    card = profile.card
    if not (card.matters or card.hardest or card.questions):
        return
    pdf.add_page()
    pdf.start_section("My meeting card")
    _para(pdf, "My meeting card", TITLE_PT, bold=True, colour=ACCENT, gap=2)
    if card.meeting_date:
        _para(pdf, f"Meeting: {card.meeting_date}", ANSWER_PT, gap=3)
    for title, lines in (
        ("What matters most to me", card.matters),
        ("What is hardest", card.hardest),
        ("My questions for the meeting", card.questions),
    ):
        _para(pdf, title, HEADING_PT - 2, bold=True, colour=ACCENT, gap=2)
        for number, line in enumerate(lines, start=1):
            _para(pdf, f"{number}.  {line}", ANSWER_PT, gap=2, indent=4)
        if not lines:
            _para(pdf, "Nothing yet", ANSWER_PT, colour=MUTED, gap=2, indent=4)
        pdf.ln(3)
