"""The profile as Telegram HTML messages, each within Telegram's limit and each with balanced tags.

Splitting takes the best kind of break in the second half of a message (else anywhere): between
sections (a blank line outside any tag), between lines outside any tag, at a line break inside a
tag, then between words. A tag open at a split is closed at the end of one message and opened
again at the start of the next. Entities (&amp;) are never cut."""

from __future__ import annotations

import re

from bot.profile.structure import Profile
from bot.profile.templates import render

LIMIT = 4096  # Telegram's message limit; lengths are counted in UTF-16 units, as Telegram counts them
_WORD = 64  # longest piece a word is cut to, so that every message can hold at least one piece
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n|[^<&\n]+|[<&]")
_PIECE = re.compile(r"\S+[^\S\n]*|[^\S\n]+")
_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
_SECTION, _LINE, _INNER_LINE, _WORD_BREAK = 4, 3, 2, 1


def render_chat_html(profile: Profile) -> list[str]:
    """The profile as Telegram HTML messages, in order."""
    return split_html(render("chat.html", profile=profile))


def split_html(html: str, limit: int = LIMIT) -> list[str]:
    atoms = _atoms(html.strip("\n"))
    chunks: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(atoms):
        end, stack_after = _fill(atoms, i, stack, limit)
        chunk = "".join(stack) + "".join(atoms[i:end]) + _closers(stack_after)
        if _TAGS.sub("", chunk).strip():
            chunks.append(chunk.strip("\n"))
        stack, i = stack_after, end
        while i < len(atoms) and atoms[i] == "\n" and not stack:
            i += 1
    return chunks


_TAGS = re.compile(r"<[^>]*>")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _atoms(html: str) -> list[str]:
    atoms: list[str] = []
    for token in _TOKEN.findall(html):
        if token.startswith(("<", "&")) and len(token) > 1 or token == "\n":
            atoms.append(token)
            continue
        for piece in _PIECE.findall(token):
            atoms += [piece[k : k + _WORD] for k in range(0, len(piece), _WORD)]
    return atoms


def _apply(stack: list[str], atom: str) -> list[str]:
    if not atom.startswith("<") or len(atom) < 3:
        return stack
    found = _NAME.match(atom)
    if found is None:
        return stack
    if atom.startswith("</"):
        names = [_NAME.match(tag).group(1) for tag in stack]  # type: ignore[union-attr]
        if found.group(1) in names:
            cut = len(names) - 1 - names[::-1].index(found.group(1))
            return stack[:cut]
        return stack
    return [*stack, atom]


def _closers(stack: list[str]) -> str:
    return "".join(f"</{_NAME.match(tag).group(1)}>" for tag in reversed(stack))  # type: ignore[union-attr]


def _fill(atoms: list[str], start: int, opened: list[str], limit: int) -> tuple[int, list[str]]:
    """How far one message starting at `start` reaches, and the tags open where it ends."""
    size = _units("".join(opened))
    stack = opened
    best: dict[int, tuple[int, list[str], int]] = {}  # priority -> the furthest break of that kind
    j = start
    while j < len(atoms):
        after = _apply(stack, atoms[j])
        grown = size + _units(atoms[j])
        if grown + _units(_closers(after)) > limit:
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
    atom = atoms[index]
    if atom == "\n":
        if stack:
            return _INNER_LINE
        return _SECTION if index > 0 and atoms[index - 1] == "\n" else _LINE
    if atom[-1:].isspace():
        return _WORD_BREAK
    return 0
