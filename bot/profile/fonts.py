"""The vendored DejaVu Sans fonts (bot/profile/fonts), and dropping characters they cannot draw.

DejaVu Sans covers Latin (accents, Welsh ŵ ŷ), Greek, Cyrillic and common symbols; emoji and
other characters outside it are dropped from the PDF and chart so the files never break.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from fontTools.ttLib import TTFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


@cache
def font_path(name: str) -> Path:
    with as_file(files("bot.profile") / "fonts" / name) as path:
        return Path(path)


@cache
def _drawable() -> frozenset[int]:
    codes: set[int] = set()
    for name in (REGULAR, BOLD):
        with TTFont(str(font_path(name)), lazy=True) as font:
            codes_in = font.getBestCmap() or {}
        codes = set(codes_in) if not codes else codes & set(codes_in)
    return frozenset(codes)


def drawable(text: str) -> str:
    """`text` without the characters the fonts lack (most emoji, skin tones, variation selectors)."""
    known = _drawable()
    return "".join(c for c in text.replace("\t", "    ") if ord(c) in known or c == "\n")
