"""The profile as plain text (terminal) and as Markdown, from templates."""

from __future__ import annotations

from bot.profile.structure import Profile
from bot.profile.templates import render


def render_text(profile: Profile) -> str:
    return render("profile.txt", profile=profile)


def render_markdown(profile: Profile) -> str:
    return render("profile.md", profile=profile)
