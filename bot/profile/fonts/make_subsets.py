"""Rebuild the font files in this folder from Debian's font packages (run by hand, never at run time).

    apt-get install fonts-dejavu-core fonts-noto-core fonts-noto-cjk
    python bot/profile/fonts/make_subsets.py

Each Noto font keeps only its own script (Latin comes from DejaVu Sans), without hinting (a PDF
viewer does not need it), with every OpenType layout feature the shaper uses. DejaVu Sans loses
its Arabic letters, so Arabic and Urdu always come from Noto Naskh Arabic, which has the Urdu
letters too. Chinese keeps the 3,755 characters of GB 2312 level 1 (simplified, everyday) and
the 5,401 of Big5 level 1 (traditional, everyday), 6,816 in all, without layout features
(Chinese set across a page needs none; they would double the file); a rarer character prints as
a box with a note saying so (bot/profile/fonts.py). Licences: LICENSE.txt and OFL.txt.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC = 2  # the face in the collection: Noto Sans CJK SC
JOINERS = "200C-200D,25CC"  # zero-width (non-)joiner; the dotted circle shapers draw for a lone mark
SCRIPTS = {
    "NotoSansBengali": "0980-09FF,0964-0965,1CD0-1CFF,A8F1," + JOINERS,
    "NotoSansDevanagari": "0900-097F,A8E0-A8FF,1CD0-1CFF," + JOINERS,
    "NotoSansGurmukhi": "0A00-0A7F,0964-0965," + JOINERS,
    "NotoSansTamil": "0B80-0BFF,0964-0965," + JOINERS,
    "NotoNaskhArabic": "0600-06FF,0750-077F,08A0-08FF,FB50-FDFF,FE70-FEFF,200E-200F," + JOINERS,
}
ARABIC = {*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900), *range(0xFB50, 0xFE00),
          *range(0xFE70, 0xFF00)}
CJK_EXTRA = "3000-303F,FF01-FF5E,2018-2019,201C-201D,2026,00B7"


def _codes(ranges: str) -> set[int]:
    found: set[int] = set()
    for part in ranges.split(","):
        low, _, high = part.partition("-")
        found.update(range(int(low, 16), int(high or low, 16) + 1))
    return found


def _everyday_chinese() -> set[int]:
    found: set[int] = set()
    for codec, rows, cells in (("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
                               ("big5", range(0xA4, 0xC7), range(0x40, 0xFF))):
        for row in rows:
            for cell in cells:
                try:
                    found.update(ord(c) for c in bytes([row, cell]).decode(codec))
                except UnicodeDecodeError:
                    continue
    return found


def _subset(source: Path, target: Path, codes: set[int], *, hinting: bool, index: int = 0, layout: bool = True) -> None:
    options = subset.Options()
    options.layout_features = ["*"] if layout else []
    options.hinting = hinting
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, licence
    options.font_number = index
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.name}: {target.stat().st_size:,} bytes")


def main() -> None:
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        source = DEJAVU / f"{name}.ttf"
        with subset.load_font(str(source), subset.Options()) as font:
            keep = set(font.getBestCmap()) - ARABIC
        _subset(source, HERE / f"{name}.ttf", keep, hinting=True)
    for name, ranges in SCRIPTS.items():
        _subset(NOTO / f"{name}-Regular.ttf", HERE / f"{name}-Regular.ttf", _codes(ranges), hinting=False)
    TTCollection(str(CJK))  # fails early if the collection is missing
    _subset(CJK, HERE / "NotoSansCJKsc-Everyday.otf", _everyday_chinese() | _codes(CJK_EXTRA), hinting=False,
            index=CJK_SC, layout=False)


if __name__ == "__main__":
    main()
