"""Text for Telegram without Telegram: split long messages where they read best, and turn HTML
back into plain text. Lengths are counted as Telegram counts them, in UTF-16 units, against
`limits.TEXT_CHARS`.

`split_text` cuts plain text at paragraph breaks, else lines, else words.

`split_html` is the channel's only HTML splitter. Each piece is measured as HTML (tags and
entities included, never less than what Telegram counts after parsing them) and has balanced
tags: a tag open at a split is closed at the end of one message and opened again at the start of
the next. Entities (`&amp;`) are never cut. It takes the best kind of break in the second half of
a message (else anywhere): between sections (a blank line outside any tag), between lines outside
any tag, at a line break inside a tag, then between words; a word longer than 64 characters is
cut.
"""

from __future__ import annotations

import html
import re

from bot.channels.telegram.limits import TEXT_CHARS

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # `<3` or `a < b` is text, not a tag
_TOKEN = re.compile(r"</?[A-Za-z][^<>]*>|&#?\w+;|\n|[^<&\n]+|[<&]")
_PIECE = re.compile(r"\S+[^\S\n]*|[^\S\n]+")
_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_WORD = 64  # longest piece a word is cut to, so that every message can hold at least one piece
_SECTION, _LINE, _INNER_LINE, _WORD_BREAK = 4, 3, 2, 1


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_CHARS) -> list[str]:
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


def split_html(markup: str, limit: int = TEXT_CHARS) -> list[str]:
    """Ready Telegram HTML in messages of at most `limit` UTF-16 units, each with balanced tags.

    Raises ValueError if `limit` cannot hold the tags open at a split plus one piece of text."""
    atoms = _atoms(markup.strip("\n"))
    chunks: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(atoms):
        end, stack_after = _fill(atoms, i, stack, limit)
        chunk = "".join(stack) + "".join(atoms[i:end]) + _closers(stack_after)
        if _TAG.sub("", chunk).strip():
            chunks.append(chunk.strip("\n"))
        stack, i = stack_after, end
        while i < len(atoms) and atoms[i] == "\n" and not stack:
            i += 1
    return chunks


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


def _atoms(markup: str) -> list[str]:
    """Tags, entities, line breaks and words (each with its trailing spaces): never split further."""
    atoms: list[str] = []
    for token in _TOKEN.findall(markup):
        if token.startswith(("<", "&")) and len(token) > 1 or token == "\n":
            atoms.append(token)
            continue
        for piece in _PIECE.findall(token):
            atoms += [piece[k : k + _WORD] for k in range(0, len(piece), _WORD)]
    return atoms


def _apply(stack: list[str], atom: str) -> list[str]:
    """The open tags after `atom`."""
    if not atom.startswith("<") or len(atom) < 3:
        return stack
    found = _NAME.match(atom)
    if found is None:
        return stack
    if atom.startswith("</"):
        names = [_name(tag) for tag in stack]
        if found.group(1) in names:
            cut = len(names) - 1 - names[::-1].index(found.group(1))
            return stack[:cut]
        return stack
    return [*stack, atom]


def _name(tag: str) -> str:
    found = _NAME.match(tag)
    assert found is not None  # only tags _NAME matches are ever pushed
    return found.group(1)


def _closers(stack: list[str]) -> str:
    return "".join(f"</{_name(tag)}>" for tag in reversed(stack))


def _fill(atoms: list[str], start: int, opened: list[str], limit: int) -> tuple[int, list[str]]:
    """How far one message starting at `start` reaches, and the tags open where it ends."""
    size = utf16_len("".join(opened))
    stack = opened
    best: dict[int, tuple[int, list[str], int]] = {}  # priority -> the furthest break of that kind
    j = start
    while j < len(atoms):
        after = _apply(stack, atoms[j])
        grown = size + utf16_len(atoms[j])
        if grown + utf16_len(_closers(after)) > limit:
            break
        size, stack, j = grown, after, j + 1
        priority = _priority(atoms, j - 1, stack)
        if priority:
            best[priority] = (j, stack, size)
    if j == len(atoms):
        return j, stack
    if j == start:
        raise ValueError(f"a message limit of {limit} cannot hold one piece of the text")
    if not best:
        return j, stack
    # The best kind of break in the second half of the message, else the best kind anywhere.
    late = [p for p, (_, _, at) in best.items() if at >= limit // 2]
    chosen = best[max(late or best)]
    return chosen[0], chosen[1]


def _priority(atoms: list[str], index: int, stack: list[str]) -> int:
    """How good a break after atoms[index] is (0: not a break)."""
    atom = atoms[index]
    if atom == "\n":
        if stack:
            return _INNER_LINE
        return _SECTION if index > 0 and atoms[index - 1] == "\n" else _LINE
    if atom[-1:].isspace():
        return _WORD_BREAK
    return 0
