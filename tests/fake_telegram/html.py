"""Telegram's HTML parse mode, strictly: the supported tags, entities and error messages.

`parse_html(text)` returns the plain text a person sees and its entities (offsets in UTF-16
units, as Telegram counts), or raises `EntityError` with Telegram's wording. It is stricter than
Telegram in one way on purpose: a bare `&` that does not start an entity is rejected, so output
that forgot `html.escape` fails in tests rather than sometimes in production.
"""

from __future__ import annotations

import re

ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


class EntityError(ValueError):
    """The text is not valid Telegram HTML; `str()` is Telegram's description after 'can't parse entities: '."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _unescape(source: str, value: str, start: int) -> str:
    out: list[str] = []
    pos = 0
    while True:
        amp = value.find("&", pos)
        if amp < 0:
            out.append(value[pos:])
            return "".join(out)
        out.append(value[pos:amp])
        match = _ENTITY.match(value, amp)
        if not match:
            raise EntityError(f"Unsupported HTML entity at byte offset {_offset(source, start + amp)}")
        decimal, hexa, name = match.groups()
        if name is not None:
            if name not in NAMED:
                raise EntityError(f"Unsupported HTML entity \"&{name};\" at byte offset {_offset(source, start + amp)}")
            out.append(NAMED[name])
        else:
            code = int(decimal) if decimal is not None else int(hexa, 16)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise EntityError(f"Invalid character code at byte offset {_offset(source, start + amp)}")
            out.append(chr(code))
        pos = match.end()


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Plain text and entities for `source` in HTML parse mode."""
    plain: list[str] = []
    length = 0  # UTF-16 length of plain so far
    stack: list[tuple[str, int, dict]] = []  # tag, start offset, entity
    entities: list[dict] = []
    pos = 0
    while pos < len(source):
        lt = source.find("<", pos)
        chunk_end = len(source) if lt < 0 else lt
        if chunk_end > pos:
            text = _unescape(source, source[pos:chunk_end], pos)
            plain.append(text)
            length += utf16_len(text)
        if lt < 0:
            break
        match = _TAG.match(source, lt)
        if not match:
            after = source[lt + 1 : lt + 2]
            if after == "/" or after.isalpha():
                raise EntityError(f"Unclosed start tag at byte offset {_offset(source, lt)}")
            raise EntityError(f"Unexpected end of name token at byte offset {_offset(source, lt + 1)}")
        closing, name, attrs, _ = match.groups()
        name = name.lower()
        if closing:
            if not stack:
                raise EntityError(f"Unexpected end tag at byte offset {_offset(source, lt)}")
            open_name, start, entity = stack.pop()
            if open_name != name:
                raise EntityError(f"Unmatched end tag at byte offset {_offset(source, lt)}, "
                                  f"expected \"</{open_name}>\", found \"</{name}>\"")
            if length > start and entity["type"] != "text_link_empty":
                entity.update(offset=start, length=length - start)
                entities.append(entity)
        else:
            if name not in ENTITY_TYPES:
                raise EntityError(f"Unsupported start tag \"{name}\" at byte offset {_offset(source, lt)}")
            entity = _entity(source, name, attrs, lt)
            stack.append((name, length, entity))
        pos = match.end()
    if stack:
        raise EntityError(f"Can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def _entity(source: str, name: str, attrs: str, at: int) -> dict:
    values = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
              for m in _ATTR.finditer(attrs or "")}
    entity: dict = {"type": ENTITY_TYPES[name]}
    if name == "span":
        if values.get("class") != "tg-spoiler":
            raise EntityError(f"Unsupported start tag \"span\" at byte offset {_offset(source, at)}")
    elif name == "a":
        href = _unescape(source, values.get("href", ""), at)
        if not href:
            entity["type"] = "text_link_empty"
        entity["url"] = href
    elif name == "tg-emoji":
        if not values.get("emoji-id", "").isdigit():
            raise EntityError("Custom emoji entity must contain a valid custom emoji identifier")
        entity["custom_emoji_id"] = values["emoji-id"]
    elif name == "blockquote" and "expandable" in values:
        entity["type"] = "expandable_blockquote"
    return entity

