"""The fonts shipped in bot/profile/fonts, and what to do with a character none of them has.

DejaVu Sans (without its Arabic) draws Latin with every accent (Welsh ŵ ŷ, Polish ł ź), Greek,
Cyrillic and Hebrew; Noto subsets draw Bengali, Devanagari (Hindi), Gurmukhi (Punjabi), Tamil,
Arabic and Urdu (Naskh) and everyday Chinese, simplified and traditional. The PDF shapes text
(uharfbuzz), so joined and reordered scripts print as typed. make_subsets.py rebuilds the files;
LICENSE.txt and OFL.txt are their licences.

A letter, mark or digit no font has prints as a box (□) and the PDF says so; emoji and other
symbols no font has are left out (they are not words).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from fontTools.ttLib import TTFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
# family -> file, tried in this order for a character the main font lacks
FALLBACKS = {
    "NotoBengali": "NotoSansBengali-Regular.ttf",
    "NotoDevanagari": "NotoSansDevanagari-Regular.ttf",
    "NotoGurmukhi": "NotoSansGurmukhi-Regular.ttf",
    "NotoTamil": "NotoSansTamil-Regular.ttf",
    "NotoNaskhArabic": "NotoNaskhArabic-Regular.ttf",
    "NotoChinese": "NotoSansCJKsc-Everyday.otf",
}
BOX = "\u25a1"
KEEP = {"\n", "\u200c", "\u200d"}  # line breaks; the joiners that shaping needs


@cache
def font_path(name: str) -> Path:
    with as_file(files("bot.profile") / "fonts" / name) as path:
        return Path(path)


@cache
def _codes(*names: str) -> frozenset[int]:
    """The characters every one of `names` can draw (one name: that font's)."""
    codes: set[int] | None = None
    for name in names:
        with TTFont(str(font_path(name)), lazy=True) as font:
            found = set(font.getBestCmap() or {})
        codes = found if codes is None else codes & found
    return frozenset(codes or ())


@cache
def _printable_codes() -> frozenset[int]:
    codes = set(_codes(REGULAR, BOLD))
    for name in FALLBACKS.values():
        codes |= _codes(name)
    return frozenset(codes)


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def printable(text: str) -> tuple[str, bool]:
    """`text` as the PDF can print it, and whether any letter had to become a box."""
    known = _printable_codes()
    out = []
    lost = False
    for char in text.replace("\t", "    "):
        if ord(char) in known or char in KEEP:
            out.append(char)
        elif _is_word_character(char):
            out.append(BOX)
            lost = True
    return "".join(out), lost


def drawable(text: str) -> str:
    """`text` with only what DejaVu Sans draws (the chart, drawn without shaping, uses it alone):
    a letter it lacks becomes a box, emoji and other symbols are left out."""
    known = _codes(REGULAR, BOLD)
    return "".join(
        char if ord(char) in known or char == "\n" else BOX
        for char in text.replace("\t", "    ")
        if ord(char) in known or char == "\n" or _is_word_character(char)
    )
