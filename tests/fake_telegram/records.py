"""What the fake server remembers: chats, messages (with their current text and keyboard),
callback queries, API calls and injected faults."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


class ApiError(Exception):
    """A Bot API error reply: HTTP status, Telegram's description, optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Upload:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass
class ChatMessage:
    """One message in a chat as the person sees it now (after edits), from either side."""

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str  # text | document | photo | sticker | voice | location | contact | service
    raw: dict  # the Telegram Message object as currently shown
    text: str = ""  # plain text as displayed (bot: after entity parsing; user: as typed)
    source: str = ""  # for bot messages: what was sent (e.g. the HTML)
    entities: list = field(default_factory=list)
    keyboard: list = field(default_factory=list)  # inline keyboard rows of raw button dicts
    caption: str = ""
    upload: Upload | None = None
    history: list[str] = field(default_factory=list)  # earlier texts, oldest first
    deleted: bool = False

    @property
    def buttons(self) -> list[list[str]]:
        return [[b["text"] for b in row] for row in self.keyboard]

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    def data_for(self, label_or_data: str) -> str:
        """The callback_data of the button with this label (or this data)."""
        for row in self.keyboard:
            for button in row:
                if label_or_data in (button["text"], button.get("callback_data")):
                    if "callback_data" not in button:
                        raise AssertionError(f"button {button['text']!r} is a link, not a callback button")
                    return button["callback_data"]
        raise AssertionError(f"no button {label_or_data!r} on message {self.message_id}: {self.buttons}")

    @property
    def edited(self) -> bool:
        return bool(self.history)

    def snapshot(self) -> dict:
        return copy.deepcopy(self.raw)

    def __str__(self) -> str:
        who = "bot" if self.from_bot else "user"
        body = self.text or self.caption or f"<{self.kind}>"
        if self.upload:
            body = f"[{self.kind} {self.upload.filename}] {body}"
        keys = f"  {self.buttons}" if self.keyboard else ""
        return f"#{self.message_id} {who}: {body}{keys}"


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup | channel
    title: str = ""
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False

    def as_json(self, user: dict | None = None) -> dict:
        if self.type == "private" and user is not None:
            return {"id": self.id, "type": "private", "first_name": user["first_name"]}
        return {"id": self.id, "type": self.type, "title": self.title or "A group"}


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created: float
    answered: bool = False
    answer_text: str | None = None
    answered_after: float | None = None


@dataclass
class Call:
    """One Bot API request and how the fake answered it."""

    method: str
    params: dict
    files: dict[str, Upload]
    status: int = 200
    description: str = ""
    injected: bool = False
    result: object = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class Fault:
    method: str  # a Bot API method name, or "*" for any but getUpdates
    status: int | None = None
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False
    times: int = 1
