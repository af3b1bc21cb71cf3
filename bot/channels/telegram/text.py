"""Text for Telegram without Telegram: split long messages where it reads best, and turn HTML
back into plain text. Lengths are counted as Telegram counts them, in UTF-16 units."""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096  # Telegram's limit for a message, after entity parsing
_TAG = re.compile(r"<[^>]*>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Plain text in pieces Telegram accepts: at paragraph breaks, else lines, else words."""
    pieces: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        end = _fitting(rest, limit)
        window = rest[:end]
        cut = end
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > 0 and at >= end // 3:
                cut = at
                break
        piece, rest = rest[:cut].rstrip(), rest[cut:].strip()
        if piece:
            pieces.append(piece)
    if rest:
        pieces.append(rest)
    return pieces


def split_html(markup: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Ready HTML in pieces under `limit` (as Telegram counts: the text after the tags), at
    paragraph breaks; a paragraph too long on its own is sent as escaped plain text."""
    chunks: list[str] = []
    current: list[str] = []
    for paragraph in markup.strip().split("\n\n"):
        if utf16_len(html_to_text(paragraph)) > limit:
            if current:
                chunks.append("\n\n".join(current))
                current = []
            chunks += [html.escape(piece) for piece in split_text(html_to_text(paragraph), limit)]
            continue
        if current and utf16_len(html_to_text("\n\n".join([*current, paragraph]))) > limit:
            chunks.append("\n\n".join(current))
            current = []
        current.append(paragraph)
    if current:
        chunks.append("\n\n".join(current))
    return [chunk for chunk in chunks if html_to_text(chunk).strip()]


def html_to_text(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)
