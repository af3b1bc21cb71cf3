"""The profile as an A4 PDF (fpdf2): a front page, then the detail, then the meeting card.

Laid out in code rather than from a template: fpdf2 draws text at positions, and its HTML subset
cannot size type or keep headings with their text. Text is left-aligned and shaped (uharfbuzz),
so every script a person types prints joined and in order; a heading is measured together with
what follows it and moves to the next page with it. The person's words are larger, in dark ink,
with a bar beside them; our labels are smaller and grey.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.profile.fonts import printable
from bot.profile.structure import Area, Entry, Line, Profile, Scale, Section
from bot.profile.typeset import (
    ACCENT,
    BAR,
    FAMILY,
    FRONT_PT,
    HEADING_PT,
    INK,
    LABEL_PT,
    MUTED,
    TITLE_PT,
    TRACK,
    WORDS_PT,
    Document,
    height,
    keep,
    label,
    ln,
    new_document,
    para,
    words,
)
from bot.profile.wording import CARD_HARD_TO_SAY, HOW_OFTEN, LOST_LETTERS, NOT_TALKED_ABOUT, NOTES_INCLUDED


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


def _render(profile: Profile, notes: bool, *, lost: bool) -> Document:
    pdf = new_document(profile)
    pdf.add_page()
    _heading(pdf, profile)
    if lost:
        para(pdf, LOST_LETTERS, LABEL_PT, bold=True, gap=4)
    if profile.empty:
        words(pdf, profile.empty_message, FRONT_PT)
    size = _front_size(pdf, profile)
    for part in profile.front:
        keep(pdf, _front_part, pdf, part.title, part.lines[:1], size)
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
        para(pdf, line, LABEL_PT, colour=MUTED, gap=1)
    return pdf


def _heading(pdf: Document, profile: Profile) -> None:
    para(pdf, profile.title, TITLE_PT, bold=True, colour=ACCENT, gap=1)
    if profile.subtitle:
        para(pdf, profile.subtitle, WORDS_PT, colour=MUTED, gap=1)
    if profile.name:
        para(pdf, profile.name, FRONT_PT + 2, bold=True, gap=1)
    para(pdf, f"Draft of {profile.drafted}", LABEL_PT, colour=MUTED, gap=5)


def _front_size(pdf: Document, profile: Profile) -> float:
    """The largest type, from FRONT_PT down, at which the front page fits on one page (measured)."""
    for size in (FRONT_PT, FRONT_PT - 1, FRONT_PT - 2):
        if sum(height(pdf, _front_part, pdf, p.title, p.lines, size) for p in profile.front) <= (
            pdf.page_break_trigger - pdf.get_y()
        ):
            return size
    return WORDS_PT


def _front_part(pdf: Document, title: str, lines: tuple[Line, ...], size: float = FRONT_PT) -> None:
    para(pdf, title, size + 2, bold=True, colour=ACCENT, gap=1.2)
    for line in lines:
        if line.label:
            label(pdf, line.label)
        if line.items:
            words(pdf, "\n".join(f"•  {item}" for item in line.items), size)
        else:
            words(pdf, line.words, size)
    ln(pdf, 1.5)


def _section_title(pdf: Document, title: str) -> None:
    ln(pdf, 2)
    if not pdf.measuring:
        pdf.start_section(pdf.text_of(title))
    para(pdf, title, HEADING_PT, bold=True, colour=ACCENT, gap=0)
    if not pdf.measuring:
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    ln(pdf, 3.5)


def _section(pdf: Document, section: Section, *, new_page: bool = False, intro: str | None = None) -> None:
    if new_page:
        pdf.add_page()
    else:
        keep(pdf, _section_start, pdf, section)
    _section_title(pdf, section.title)
    if intro:
        para(pdf, intro, LABEL_PT, colour=MUTED, gap=2)
    talked = [area for area in section.areas if area.talked_about]
    for area in talked:
        keep(pdf, _area_head, pdf, area)
        _area(pdf, area)
    silent = [area.title for area in section.areas if not area.talked_about]
    if silent:
        keep(pdf, _not_talked_about, pdf, silent[:2])
        _not_talked_about(pdf, silent)
    for group in section.groups:
        if group.item:
            keep(pdf, _group_start, pdf, group.item, group.entries[0])
            _item(pdf, group.item)
        for entry in group.entries:
            keep(pdf, _entry, pdf, entry, short=True)
            _entry(pdf, entry)
    for scale in section.scales:
        keep(pdf, _scale_head, pdf, scale)
        _scale(pdf, scale)
    for note in section.notes:
        para(pdf, f"Remember: {note}", LABEL_PT, colour=MUTED, gap=1)


def _section_start(pdf: Document, section: Section) -> None:
    """A section's title and the start of its first block (what must not be split from it)."""
    _section_title(pdf, section.title)
    if any(area.talked_about for area in section.areas):
        _area_head(pdf, next(area for area in section.areas if area.talked_about))
    elif section.groups:
        _entry(pdf, section.groups[0].entries[0], short=True)
    elif section.scales:
        _scale_head(pdf, section.scales[0])


def _group_start(pdf: Document, item: str, entry: Entry) -> None:
    _item(pdf, item)
    _entry(pdf, entry, short=True)


def _item(pdf: Document, item: str) -> None:
    para(pdf, item, WORDS_PT + 1, bold=True, colour=ACCENT, gap=1.5)


def _entry(pdf: Document, entry: Entry, indent: float = 0, short: bool = False) -> None:
    """A label and the words; `short` draws only the first lines (to measure what must stay together)."""
    label(pdf, entry.question, indent)
    if entry.items:
        words(pdf, "\n".join(f"•  {item}" for item in (entry.items[:2] if short else entry.items)), indent=indent)
    else:
        words(pdf, entry.answer[:160] if short else entry.answer, indent=indent)


def _area_head(pdf: Document, area: Area) -> None:
    _item(pdf, area.title)
    for test in area.tests[:2]:
        para(pdf, f"✓  {test}", WORDS_PT, gap=0.8, indent=2)


def _area(pdf: Document, area: Area) -> None:
    _item(pdf, area.title)
    for test in area.tests:
        para(pdf, f"✓  {test}", WORDS_PT, gap=0.8, indent=2)
    if area.how_often:
        para(pdf, f"{HOW_OFTEN[0]}: {area.how_often}", WORDS_PT, gap=1.5, indent=2)
    elif area.tests:
        ln(pdf, 1.5)
    for entry in area.entries:
        keep(pdf, _entry, pdf, entry, indent=2, short=True)
        _entry(pdf, entry, indent=2)
    ln(pdf, 2)


def _not_talked_about(pdf: Document, titles: list[str]) -> None:
    _item(pdf, NOT_TALKED_ABOUT.rstrip("."))
    para(pdf, ";  ".join(titles), WORDS_PT, colour=MUTED, gap=3, indent=2)


def _scale_head(pdf: Document, scale: Scale) -> None:
    _item(pdf, scale.label)
    if scale.label != scale.question:
        label(pdf, scale.question)
    _track(pdf, scale)


def _scale(pdf: Document, scale: Scale) -> None:
    _scale_head(pdf, scale)
    if scale.change:
        para(pdf, f"Over time: {scale.change}", WORDS_PT, gap=1.5, indent=2)
    for entry in scale.followups:
        keep(pdf, _entry, pdf, entry, indent=2, short=True)
        _entry(pdf, entry, indent=2)
    ln(pdf, 2)


def _track(pdf: Document, scale: Scale) -> None:
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


def _track_notes(pdf: Document, scale: Scale) -> None:
    notes = []
    if scale.min_label and scale.max_label:
        notes.append(f"{scale.minimum} = {scale.min_label},  {scale.maximum} = {scale.max_label}")
    if scale.one_up is not None:
        notes.append(f"one step up would be {scale.one_up}")
    if notes:
        para(pdf, ";  ".join(notes), LABEL_PT - 0.5, colour=MUTED, gap=1.5, indent=2)


def _card(pdf: Document, profile: Profile) -> None:
    card = profile.card
    if not (card.matters or card.hardest or card.questions or card.hard_to_say):
        return
    pdf.add_page()
    pdf.start_section("My meeting card")
    para(pdf, "My meeting card", TITLE_PT, bold=True, colour=ACCENT, gap=2)
    if profile.name:
        para(pdf, profile.name, FRONT_PT, bold=True, gap=1)
    if card.meeting_date:
        para(pdf, f"Meeting: {card.meeting_date}", WORDS_PT, gap=3)
    parts = [
        ("What matters most to me", card.matters),
        ("What is hardest", card.hardest),
        ("My questions for the meeting", card.questions),
    ]
    if card.hard_to_say:
        parts.append((CARD_HARD_TO_SAY, card.hard_to_say))
    for title, lines in parts:
        keep(pdf, _card_part, pdf, title, lines[:1])
        _card_part(pdf, title, lines)


def _card_part(pdf: Document, title: str, lines: tuple[str, ...]) -> None:
    para(pdf, title, HEADING_PT - 2, bold=True, colour=ACCENT, gap=1.5)
    for number, line in enumerate(lines, start=1):
        words(pdf, f"{number}.  {line}", FRONT_PT - 1)
    if not lines:
        para(pdf, "Nothing yet", WORDS_PT, colour=MUTED, gap=2, indent=4)
    ln(pdf, 2)
