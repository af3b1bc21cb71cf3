"""A chart of the person's "how things are" scales: per area, where I am now and one step up.
Rulers and good-enough targets are not on it (the documents draw them as what they are).

Our own simple design (a horizontal bar on a numbered track per area), not the Outcomes Star.
"""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from bot.profile.fonts import BOLD, REGULAR, drawable, font_path
from bot.profile.structure import Profile, Scale

WIDTH = 1200
TOP = 150  # title and legend
BOTTOM = 30
LEFT, RIGHT = 60, 60
INK = "#1a1a1a"
NOW = "#1f4e79"
STEP = "#9dc3e6"
TRACK = "#e8e8e8"
LABEL_CHARS = 62  # per line, at most two lines
LABEL_LINE, CHANGE_LINE, BAR, TICKS, GAP = 34, 30, 44, 34, 26
THEM = "Them: "


def render_chart_png(profile: Profile) -> bytes | None:
    """A PNG of the profile's scales, or None when there are none."""
    rows = [
        (_label(scale, section.about_them), scale)
        for section in profile.sections
        for scale in section.scales
        if scale.kind == "now"
    ]
    if not rows:
        return None
    heights = [_height(lines, scale) for lines, scale in rows]
    image = Image.new("RGB", (WIDTH, TOP + sum(heights) + BOTTOM), "white")
    draw = ImageDraw.Draw(image)
    fonts = {
        "title": ImageFont.truetype(str(font_path(BOLD)), 40),
        "bold": ImageFont.truetype(str(font_path(BOLD)), 26),
        "small": ImageFont.truetype(str(font_path(REGULAR)), 22),
    }
    draw.text((LEFT, 30), "Where I am now, and one step up", font=fonts["title"], fill=INK)
    _legend(draw, fonts["small"])
    top = TOP
    for (lines, scale), height in zip(rows, heights, strict=True):
        _row(draw, lines, scale, top, fonts)
        top += height
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _label(scale: Scale, about_them: bool) -> list[str]:
    text = (THEM if about_them else "") + " ".join(drawable(scale.label).split())
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder=" …")]
    return lines


def _height(lines: list[str], scale: Scale) -> int:
    return LABEL_LINE * len(lines) + (CHANGE_LINE if scale.change else 0) + 10 + BAR + TICKS + GAP


def _legend(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont) -> None:
    y = 95
    draw.rectangle((LEFT, y, LEFT + 30, y + 24), fill=NOW)
    draw.text((LEFT + 40, y), "Where I am now", font=font, fill=INK)
    x = LEFT + 260
    draw.rectangle((x, y, x + 30, y + 24), fill=STEP, outline=NOW, width=2)
    draw.text((x + 40, y), "One step up", font=font, fill=INK)


def _row(
    draw: ImageDraw.ImageDraw, lines: list[str], scale: Scale, top: int, fonts: dict[str, ImageFont.FreeTypeFont]
) -> None:
    y = top
    for line in lines:
        draw.text((LEFT, y), line, font=fonts["bold"], fill=INK)
        y += LABEL_LINE
    if scale.change:
        draw.text((LEFT, y), f"Over time: {scale.change}", font=fonts["small"], fill=INK)
        y += CHANGE_LINE
    span = max(scale.maximum - scale.minimum, 1)
    x0, x1 = LEFT, WIDTH - RIGHT - 80
    y0, y1 = y + 10, y + 10 + BAR

    def x_at(n: int) -> float:
        return x0 + (x1 - x0) * (min(max(n, scale.minimum), scale.maximum) - scale.minimum) / span

    draw.rectangle((x0, y0, x1, y1), fill=TRACK)
    if scale.one_up is not None:
        draw.rectangle((x_at(scale.score), y0, x_at(scale.one_up), y1), fill=STEP, outline=NOW, width=2)
    if scale.score > scale.minimum:
        draw.rectangle((x0, y0, x_at(scale.score), y1), fill=NOW)
    draw.text((x1 + 16, y0 + 6), f"{scale.score}", font=fonts["bold"], fill=INK)
    for n in range(scale.minimum, scale.maximum + 1):
        x = x_at(n)
        draw.line((x, y1, x, y1 + 6), fill=INK, width=1)
        draw.text((x, y1 + 8), str(n), font=fonts["small"], fill=INK, anchor="ma")
