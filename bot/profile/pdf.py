"""The profile as an A4 PDF (fpdf2): a front page, then the detail, then the meeting card.

Laid out in code rather than from a template: fpdf2 draws text at positions, and its HTML subset
cannot size type or keep headings with their text. Text is left-aligned and shaped (uharfbuzz),
so every script a person types prints joined and in order; a heading is measured together with
what follows it and moves to the next page with it. The person's words are larger, in dark ink,
with a bar beside them; our labels are smaller and grey.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from bot.profile.fonts import BOLD, FALLBACKS, REGULAR, font_path, printable
from bot.profile.structure import Area, Entry, Line, Profile, Scale, Section
from bot.profile.wording import CARD_HARD_TO_SAY, HOW_OFTEN, LOST_LETTERS, NOT_TALKED_ABOUT, NOTES_INCLUDED

FAMILY = "DejaVu"
MARGIN = 18  # mm
INK = (20, 20, 20)
MUTED = (85, 85, 85)
ACCENT = (31, 78, 121)
BAR = (157, 195, 230)
TRACK = (230, 230, 230)
LABEL_PT, WORDS_PT, FRONT_PT, HEADING_PT, TITLE_PT = 9, 11, 13, 16, 24
LINE = 0.45  # line height per point of type, in mm


class _Document(FPDF):
    footer_line = ""
    measuring = False  # drawing nothing, adding up the height it would take (see _keep)
    measured = 0.0

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_line}   Page {self.page_no()} of {{nb}}", align="L")

    def text_of(self, text: str) -> str:
        return printable(text)[0]


def render_pdf(profile: Profile, *, notes: bool = False) -> bytes:
    """The profile as PDF bytes; my notes only if `notes` (the file may be shared). When a letter
    cannot be printed, a note under the heading says so."""
    lost = any(printable(text)[1] for text in _texts(profile, notes))
    return bytes(_render(profile, notes, lost=lost).output())


def _texts(profile: Profile, notes: bool) -> Iterator[str]:
    """Every string the document prints that came from the person."""
    yield profile.name or ""
    for part in profile.front:
        for line in part.lines:
            yield line.words
            yield from line.items
    sections = [*profile.sections, *([profile.notes] if notes and profile.notes else [])]
    for section in sections:
        entries = [e for g in section.groups for e in g.entries]
        entries += [e for a in section.areas for e in a.entries]
        entries += [e for s in section.scales for e in s.followups]
        yield from (g.item or "" for g in section.groups)
        yield from (s.label for s in section.scales)
        yield from (a.how_often or "" for a in section.areas)
        for entry in entries:
            yield entry.answer
            yield from entry.items
    card = profile.card
    yield from (*card.matters, *card.hardest, *card.questions, *card.hard_to_say)


def _render(profile: Profile, notes: bool, *, lost: bool) -> _Document:
    pdf = _document(profile)
    pdf.add_page()
    _heading(pdf, profile)
    if lost:
        _para(pdf, LOST_LETTERS, LABEL_PT, bold=True, gap=4)
    if profile.empty:
        _words(pdf, profile.empty_message, FRONT_PT)
    size = _front_size(pdf, profile)
    for part in profile.front:
        _keep(pdf, _front_part, pdf, part.title, part.lines[:1], size)
        _front_part(pdf, part.title, part.lines, size)
    first = True
    for section in profile.sections:
        _section(pdf, section, new_page=first)
        first = False
    if notes and profile.notes is not None:
        _section(pdf, profile.notes, new_page=first, intro=NOTES_INCLUDED)
    if not profile.empty:
        _card(pdf, profile)
    pdf.ln(4)
    for line in profile.footer:
        _para(pdf, line, LABEL_PT, colour=MUTED, gap=1)
    return pdf


def _document(profile: Profile) -> _Document:
    pdf = _Document(format="A4")
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


def _para(
    pdf: _Document,
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
    _ln(pdf, gap)


def _ln(pdf: _Document, height: float) -> None:
    if pdf.measuring:
        pdf.measured += height
    else:
        pdf.ln(height)


def _words(pdf: _Document, text: str, size: float = WORDS_PT, indent: float = 0) -> None:
    """The person's own words: larger, dark, with a bar beside them."""
    _para(pdf, text, size, indent=indent, bar=True, gap=2.5)


def _label(pdf: _Document, text: str, indent: float = 0) -> None:
    """Our label for the words that follow: smaller, grey."""
    _para(pdf, text, LABEL_PT, bold=True, colour=MUTED, gap=0.8, indent=indent)


def _keep(pdf: _Document, draw: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """Start a new page when what `draw(*args, **kwargs)` would draw (a heading and the start of
    what it heads) does not fit on this one: measured (fpdf2 sizes each paragraph), not guessed."""
    if _height(pdf, draw, *args, **kwargs) > pdf.page_break_trigger - pdf.get_y():
        pdf.add_page()


def _height(pdf: _Document, draw: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    """How tall what `draw(*args, **kwargs)` draws would be, drawing nothing."""
    pdf.measuring, pdf.measured = True, 0.0
    try:
        draw(*args, **kwargs)
    finally:
        pdf.measuring = False
    return pdf.measured


def _heading(pdf: _Document, profile: Profile) -> None:
    _para(pdf, profile.title, TITLE_PT, bold=True, colour=ACCENT, gap=1)
    if profile.subtitle:
        _para(pdf, profile.subtitle, WORDS_PT, colour=MUTED, gap=1)
    if profile.name:
        _para(pdf, profile.name, FRONT_PT + 2, bold=True, gap=1)
    _para(pdf, f"Draft of {profile.drafted}", LABEL_PT, colour=MUTED, gap=5)


def _front_size(pdf: _Document, profile: Profile) -> float:
    """The largest type, from FRONT_PT down, at which the front page fits on one page (measured)."""
    for size in (FRONT_PT, FRONT_PT - 1, FRONT_PT - 2):
        if sum(_height(pdf, _front_part, pdf, p.title, p.lines, size) for p in profile.front) <= (
            pdf.page_break_trigger - pdf.get_y()
        ):
            return size
    return WORDS_PT


def _front_part(pdf: _Document, title: str, lines: tuple[Line, ...], size: float = FRONT_PT) -> None:
    _para(pdf, title, size + 2, bold=True, colour=ACCENT, gap=1.2)
    for line in lines:
        if line.label:
            _label(pdf, line.label)
        if line.items:
            _words(pdf, "\n".join(f"•  {item}" for item in line.items), size)
        else:
            _words(pdf, line.words, size)
    _ln(pdf, 1.5)


def _section_title(pdf: _Document, title: str) -> None:
    _ln(pdf, 2)
    if not pdf.measuring:
        pdf.start_section(pdf.text_of(title))
    _para(pdf, title, HEADING_PT, bold=True, colour=ACCENT, gap=0)
    if not pdf.measuring:
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    _ln(pdf, 3.5)


def _section(pdf: _Document, section: Section, *, new_page: bool = False, intro: str | None = None) -> None:
    if new_page:
        pdf.add_page()
    else:
        _keep(pdf, _section_start, pdf, section)
    _section_title(pdf, section.title)
    if intro:
        _para(pdf, intro, LABEL_PT, colour=MUTED, gap=2)
    talked = [area for area in section.areas if area.talked_about]
    for area in talked:
        _keep(pdf, _area_head, pdf, area)
        _area(pdf, area)
    silent = [area.title for area in section.areas if not area.talked_about]
    if silent:
        _keep(pdf, _not_talked_about, pdf, silent[:2])
        _not_talked_about(pdf, silent)
    for group in section.groups:
        if group.item:
            _keep(pdf, _group_start, pdf, group.item, group.entries[0])
            _item(pdf, group.item)
        for entry in group.entries:
            _keep(pdf, _entry, pdf, entry, short=True)
            _entry(pdf, entry)
    for scale in section.scales:
        _keep(pdf, _scale_head, pdf, scale)
        _scale(pdf, scale)
    for note in section.notes:
        _para(pdf, f"Remember: {note}", LABEL_PT, colour=MUTED, gap=1)


def _section_start(pdf: _Document, section: Section) -> None:
    """A section's title and the start of its first block (what must not be split from it)."""
    _section_title(pdf, section.title)
    if any(area.talked_about for area in section.areas):
        _area_head(pdf, next(area for area in section.areas if area.talked_about))
    elif section.groups:
        _entry(pdf, section.groups[0].entries[0], short=True)
    elif section.scales:
        _scale_head(pdf, section.scales[0])


def _group_start(pdf: _Document, item: str, entry: Entry) -> None:
    _item(pdf, item)
    _entry(pdf, entry, short=True)


def _item(pdf: _Document, item: str) -> None:
    _para(pdf, item, WORDS_PT + 1, bold=True, colour=ACCENT, gap=1.5)


def _entry(pdf: _Document, entry: Entry, indent: float = 0, short: bool = False) -> None:
    """A label and the words; `short` draws only the first lines (to measure what must stay together)."""
    _label(pdf, entry.question, indent)
    if entry.items:
        _words(pdf, "\n".join(f"•  {item}" for item in (entry.items[:2] if short else entry.items)), indent=indent)
    else:
        _words(pdf, entry.answer[:160] if short else entry.answer, indent=indent)


def _area_head(pdf: _Document, area: Area) -> None:
    _item(pdf, area.title)
    for test in area.tests[:2]:
        _para(pdf, f"✓  {test}", WORDS_PT, gap=0.8, indent=2)


def _area(pdf: _Document, area: Area) -> None:
    _item(pdf, area.title)
    for test in area.tests:
        _para(pdf, f"✓  {test}", WORDS_PT, gap=0.8, indent=2)
    if area.how_often:
        _para(pdf, f"{HOW_OFTEN[0]}: {area.how_often}", WORDS_PT, gap=1.5, indent=2)
    elif area.tests:
        _ln(pdf, 1.5)
    for entry in area.entries:
        _keep(pdf, _entry, pdf, entry, indent=2, short=True)
        _entry(pdf, entry, indent=2)
    _ln(pdf, 2)


def _not_talked_about(pdf: _Document, titles: list[str]) -> None:
    _item(pdf, NOT_TALKED_ABOUT.rstrip("."))
    _para(pdf, ";  ".join(titles), WORDS_PT, colour=MUTED, gap=3, indent=2)


def _scale_head(pdf: _Document, scale: Scale) -> None:
    _item(pdf, scale.label)
    if scale.label != scale.question:
        _label(pdf, scale.question)
    _track(pdf, scale)


def _scale(pdf: _Document, scale: Scale) -> None:
    _scale_head(pdf, scale)
    if scale.change:
        _para(pdf, f"Over time: {scale.change}", WORDS_PT, gap=1.5, indent=2)
    for entry in scale.followups:
        _keep(pdf, _entry, pdf, entry, indent=2, short=True)
        _entry(pdf, entry, indent=2)
    _ln(pdf, 2)


def _track(pdf: _Document, scale: Scale) -> None:
    """The scale drawn by kind: a filled bar with one step up outlined ("now"), a line with a dot
    ("ruler"), or a bar with a flag at the number that would be good enough ("target")."""
    left, width, top, high = pdf.l_margin + 2, 110.0, pdf.get_y() + 1, 6.0
    span = max(scale.maximum - scale.minimum, 1)
    if pdf.measuring:
        pdf.measured += 1 + high + 5.5
        _track_notes(pdf, scale)
        return

    def x_at(n: int) -> float:
        return left + width * (min(max(n, scale.minimum), scale.maximum) - scale.minimum) / span

    pdf.set_line_width(0.3)
    if scale.kind == "ruler":
        pdf.set_draw_color(*MUTED)
        pdf.line(left, top + high / 2, left + width, top + high / 2)
        pdf.set_fill_color(*ACCENT)
        pdf.ellipse(x_at(scale.score) - 2.2, top + high / 2 - 2.2, 4.4, 4.4, style="F")
    else:
        pdf.set_fill_color(*TRACK)
        pdf.rect(left, top, width, high, style="F")
        pdf.set_fill_color(*(BAR if scale.kind == "target" else ACCENT))
        if scale.score > scale.minimum:
            pdf.rect(left, top, x_at(scale.score) - left, high, style="F")
        if scale.one_up is not None:
            pdf.set_draw_color(*ACCENT)
            pdf.rect(x_at(scale.score), top, x_at(scale.one_up) - x_at(scale.score), high, style="D")
        if scale.kind == "target":
            pdf.set_draw_color(*ACCENT)
            pdf.set_line_width(0.8)
            pdf.line(x_at(scale.score), top - 1.5, x_at(scale.score), top + high + 1.5)
    pdf.set_font(FAMILY, "", 7.5)
    pdf.set_text_color(*MUTED)
    for n in range(scale.minimum, scale.maximum + 1):
        pdf.text(x_at(n) - (0.9 if n < 10 else 1.8), top + high + 4, str(n))
    pdf.set_font(FAMILY, "B", WORDS_PT)
    pdf.set_text_color(*INK)
    words = {"now": "{s} out of {m}", "ruler": "{s} out of {m}", "target": "Good enough: {s} out of {m}"}[scale.kind]
    pdf.text(left + width + 5, top + high - 1, words.format(s=scale.score, m=scale.maximum))
    pdf.set_y(top + high + 5.5)
    _track_notes(pdf, scale)


def _track_notes(pdf: _Document, scale: Scale) -> None:
    notes = []
    if scale.min_label and scale.max_label:
        notes.append(f"{scale.minimum} = {scale.min_label},  {scale.maximum} = {scale.max_label}")
    if scale.one_up is not None:
        notes.append(f"one step up would be {scale.one_up}")
    if notes:
        _para(pdf, ";  ".join(notes), LABEL_PT - 0.5, colour=MUTED, gap=1.5, indent=2)


def _card(pdf: _Document, profile: Profile) -> None:
    card = profile.card
    if not (card.matters or card.hardest or card.questions or card.hard_to_say):
        return
    pdf.add_page()
    pdf.start_section("My meeting card")
    _para(pdf, "My meeting card", TITLE_PT, bold=True, colour=ACCENT, gap=2)
    if profile.name:
        _para(pdf, profile.name, FRONT_PT, bold=True, gap=1)
    if card.meeting_date:
        _para(pdf, f"Meeting: {card.meeting_date}", WORDS_PT, gap=3)
    parts = [
        ("What matters most to me", card.matters),
        ("What is hardest", card.hardest),
        ("My questions for the meeting", card.questions),
    ]
    if card.hard_to_say:
        parts.append((CARD_HARD_TO_SAY, card.hard_to_say))
    for title, lines in parts:
        _keep(pdf, _card_part, pdf, title, lines[:1])
        _card_part(pdf, title, lines)


def _card_part(pdf: _Document, title: str, lines: tuple[str, ...]) -> None:
    _para(pdf, title, HEADING_PT - 2, bold=True, colour=ACCENT, gap=1.5)
    for number, line in enumerate(lines, start=1):
        _words(pdf, f"{number}.  {line}", FRONT_PT - 1)
    if not lines:
        _para(pdf, "Nothing yet", WORDS_PT, colour=MUTED, gap=2, indent=4)
    _ln(pdf, 2)
