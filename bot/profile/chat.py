"""The profile as Telegram HTML: one document, the person's words autoescaped.

Only the tags Telegram supports (b, i, u, blockquote); sections are separated by a blank line.
How long a message may be is the channel's business: the Telegram channel splits the document
when it sends it, with tags balanced in each message and at section breaks where it can."""

from __future__ import annotations

from bot.profile.structure import Profile
from bot.profile.templates import render


def render_chat_html(profile: Profile) -> str:
    """The whole profile as one Telegram HTML document."""
    return render("chat.html", profile=profile).strip("\n")
