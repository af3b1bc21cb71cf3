"""The "what matters to me" profile: built from the person's answers, rendered in every format.

    answers -> build_profile -> Profile -> render_text | render_chat_html | render_markdown
                                           | render_json | render_pdf | render_chart_png
                                           | meeting_card | meeting_card_html

Modules, one concept each: answers (the input contract), structure (what a profile holds),
wording (our fixed titles, labels and footer), current (one answer per question, the latest),
entries, front (the front page), areas (day-to-day life area by area), scales (by kind),
build (answers -> profile), card (the meeting card), templates (the Jinja2 environment), text,
chat (Telegram HTML, one document), data (JSON), fonts, chart (PNG), typeset (the PDF's page, type and
measuring) and pdf (its layout). The person's words
are carried exactly; nothing is reworded. docs/profile.md describes the document.
"""

from __future__ import annotations

from bot.profile.answers import ProfileAnswer
from bot.profile.build import build_profile
from bot.profile.card import meeting_card, meeting_card_html
from bot.profile.chart import render_chart_png
from bot.profile.chat import render_chat_html
from bot.profile.data import render_json
from bot.profile.pdf import render_pdf
from bot.profile.structure import Area, Card, Entry, Group, Line, Part, Profile, Scale, Score, Section
from bot.profile.text import render_markdown, render_text

__all__ = [
    "Area",
    "Card",
    "Entry",
    "Group",
    "Line",
    "Part",
    "Profile",
    "ProfileAnswer",
    "Scale",
    "Score",
    "Section",
    "build_profile",
    "meeting_card",
    "meeting_card_html",
    "render_chart_png",
    "render_chat_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "render_text",
]
