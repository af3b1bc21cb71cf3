"""The profile as plain text (terminal) and as Markdown, from templates."""

from __future__ import annotations

from bot.profile.structure import Profile
from bot.profile.templates import render


def render_text(profile: Profile) -> str:
    """The profile for the person's own screen, my notes included."""
    return render("profile.txt", profile=profile)


def render_markdown(profile: Profile, *, notes: bool = False) -> str:
    """The profile as a Markdown file to keep or share: my notes only if `notes`."""
    return render("profile.md", profile=profile, notes=notes)
