"""Typesetting for the profile's PDF: the page, its fonts and colours, and the few ways text is set
(the person's words with a bar, our grey labels, plain paragraphs), each able to measure instead of
draw so a heading can be kept with what follows it (`keep`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from bot.profile.fonts import BOLD, FALLBACKS, REGULAR, font_path, printable
from bot.profile.structure import Profile

FAMILY = "DejaVu"
MARGIN = 18  # mm
INK = (20, 20, 20)
MUTED = (85, 85, 85)
ACCENT = (31, 78, 121)
BAR = (157, 195, 230)
TRACK = (230, 230, 230)
LABEL_PT, WORDS_PT, FRONT_PT, HEADING_PT, TITLE_PT = 9, 11, 13, 16, 24
LINE = 0.45  # line height per point of type, in mm


class Document(FPDF):
    footer_line = ""
    measuring = False  # drawing nothing, adding up the height it would take (see keep)
    measured = 0.0

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_line}   Page {self.page_no()} of {{nb}}", align="L")

    def text_of(self, text: str) -> str:
        return printable(text)[0]


def new_document(profile: Profile) -> Document:
    pdf = Document(format="A4")
    pdf.footer_line = printable(profile.footer[0])[0]
    pdf.add_font(FAMILY, "", str(font_path(REGULAR)))
    pdf.add_font(FAMILY, "B", str(font_path(BOLD)))
    for family, name in FALLBACKS.items():
        pdf.add_font(family, "", str(font_path(name)))
    pdf.set_fallback_fonts(list(FALLBACKS), exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(profile.title)
    pdf.set_creator("What Matters Coach")
    pdf.set_lang("en-GB")
    pdf.set_creation_date(profile.generated_at)
    return pdf


def para(
    pdf: Document,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = INK,
    gap: float = 2,
    indent: float = 0,
    bar: bool = False,
) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_draw_color(*BAR)
    pdf.set_line_width(0.9)
    pdf.set_x(pdf.l_margin + indent)
    if pdf.measuring:
        height = pdf.multi_cell(
            0, size * LINE, pdf.text_of(text), align="L", padding=(0, 0, 0, 3) if bar else 0,
            dry_run=True, output=MethodReturnValue.HEIGHT,
        )
        pdf.measured += float(height)  # type: ignore[arg-type]  # output=HEIGHT returns the height alone
    else:
        pdf.multi_cell(
            0, size * LINE, pdf.text_of(text), align="L", border="L" if bar else 0,
            padding=(0, 0, 0, 3) if bar else 0, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )
    ln(pdf, gap)


def ln(pdf: Document, height: float) -> None:
    if pdf.measuring:
        pdf.measured += height
    else:
        pdf.ln(height)


def words(pdf: Document, text: str, size: float = WORDS_PT, indent: float = 0) -> None:
    """The person's own words: larger, dark, with a bar beside them."""
    para(pdf, text, size, indent=indent, bar=True, gap=2.5)


def label(pdf: Document, text: str, indent: float = 0) -> None:
    """Our label for the words that follow: smaller, grey."""
    para(pdf, text, LABEL_PT, bold=True, colour=MUTED, gap=0.8, indent=indent)


def keep(pdf: Document, draw: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """Start a new page when what `draw(*args, **kwargs)` would draw (a heading and the start of
    what it heads) does not fit on this one: measured (fpdf2 sizes each paragraph), not guessed."""
    if height(pdf, draw, *args, **kwargs) > pdf.page_break_trigger - pdf.get_y():
        pdf.add_page()


def height(pdf: Document, draw: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    """How tall what `draw(*args, **kwargs)` draws would be, drawing nothing."""
    pdf.measuring, pdf.measured = True, 0.0
    try:
        draw(*args, **kwargs)
    finally:
        pdf.measuring = False
    return pdf.measured
