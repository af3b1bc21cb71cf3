"""A person using Telegram against the fake server: type, tap, send stickers, edit, read the chat."""

from __future__ import annotations

import copy
import itertools
import time
from typing import TYPE_CHECKING

from .records import CallbackQuery, ChatMessage, Upload

if TYPE_CHECKING:
    from .server import FakeTelegram

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
_file_ids = itertools.count(1)


class FakeUser:
    """One person in one chat (their private chat, or a group they are in)."""

    def __init__(self, server: FakeTelegram, user_id: int, chat_id: int) -> None:
        self.server, self.id, self.chat_id = server, user_id, chat_id
        self._mark = server.chats[chat_id].next_message_id

    @property
    def info(self) -> dict:
        return self.server.users[self.id]

    def in_group(self, group_id: int = -1001, title: str = "Family group", kind: str = "group") -> FakeUser:
        """The same person writing in a group chat."""
        return self.server.user(self.id, self.info["first_name"], chat_id=group_id, chat_type=kind, title=title)

    # ----- sending -----

    def _send(self, kind: str, fields: dict, *, text: str = "", upload: Upload | None = None) -> ChatMessage:
        chat = self.server.chats[self.chat_id]
        self._mark = chat.next_message_id
        raw = {"from": dict(self.info), "chat": chat.as_json(self.info), **fields}
        message = self.server.add_message(self.chat_id, from_bot=False, kind=kind, raw=raw, text=text,
                                          upload=upload)
        self.server.push_update("message", copy.deepcopy(message.raw))
        return message

    def send_text(self, text: str) -> ChatMessage:
        """Type and send `text`; a leading /command is marked as Telegram clients do."""
        fields: dict = {"text": text}
        if text.startswith("/") and len(text) > 1:
            word = text.split(maxsplit=1)[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}]
        return self._send("text", fields, text=text)

    def send_command(self, name: str, arg: str = "") -> ChatMessage:
        return self.send_text(f"/{name} {arg}".strip())

    def send_sticker(self, emoji: str = "🙂") -> ChatMessage:
        file_id = f"sticker-{next(_file_ids)}"
        return self._send("sticker", {"sticker": {"file_id": file_id, "file_unique_id": file_id, "type": "regular",
                                                  "width": 512, "height": 512, "is_animated": False,
                                                  "is_video": False, "emoji": emoji}})

    def send_photo(self, caption: str = "") -> ChatMessage:
        file_id = f"userphoto-{next(_file_ids)}"
        self.server.register_upload(file_id, Upload("photo.png", PNG, "image/png"))
        fields: dict = {"photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1,
                                   "file_size": len(PNG)}]}
        if caption:
            fields["caption"] = caption
        return self._send("photo", fields, text=caption)

    def send_voice(self, seconds: int = 3) -> ChatMessage:
        file_id = f"voice-{next(_file_ids)}"
        return self._send("voice", {"voice": {"file_id": file_id, "file_unique_id": file_id, "duration": seconds,
                                              "mime_type": "audio/ogg", "file_size": 2048}})

    def send_location(self, latitude: float = 51.5, longitude: float = -0.12) -> ChatMessage:
        return self._send("location", {"location": {"latitude": latitude, "longitude": longitude}})

    def send_contact(self, phone: str = "+447700900123", first_name: str = "Sam") -> ChatMessage:
        return self._send("contact", {"contact": {"phone_number": phone, "first_name": first_name}})

    def send_document(self, filename: str = "notes.txt", content: bytes = b"my notes") -> ChatMessage:
        file_id = f"userdoc-{next(_file_ids)}"
        self.server.register_upload(file_id, Upload(filename, content, "text/plain"))
        return self._send("document", {"document": {"file_id": file_id, "file_unique_id": file_id,
                                                    "file_name": filename, "mime_type": "text/plain",
                                                    "file_size": len(content)}}, upload=Upload(filename, content))

    def edit(self, message: ChatMessage, new_text: str) -> ChatMessage:
        """Edit one of this person's earlier text messages."""
        assert not message.from_bot and message.kind == "text", "people can only edit their own text messages"
        self._mark = self.server.chats[self.chat_id].next_message_id
        message.history.append(message.text)
        message.text = new_text
        message.raw.update(text=new_text, edit_date=int(time.time()))
        self.server.push_update("edited_message", copy.deepcopy(message.raw))
        return message

    def tap(self, message: ChatMessage | int, button: str) -> CallbackQuery:
        """Tap the button with this label (or callback data) on the message as it is now."""
        found = self._find(message)
        return self.tap_data(found, found.data_for(button))

    def tap_data(self, message: ChatMessage | int, data: str) -> CallbackQuery:
        """A tap carrying `data` from `message` (e.g. a keyboard the client still shows)."""
        found = self._find(message)
        self._mark = self.server.chats[self.chat_id].next_message_id
        query = self.server.new_callback(self.id, found, data)
        raw = copy.deepcopy(found.raw)
        raw["chat"] = self.server.chats[self.chat_id].as_json(self.info)
        self.server.push_update("callback_query", {"id": query.id, "from": dict(self.info),
                                                   "chat_instance": f"ci{self.chat_id}", "message": raw,
                                                   "data": data})
        return query

    def _find(self, message: ChatMessage | int) -> ChatMessage:
        message_id = message if isinstance(message, int) else message.message_id
        found = self.server.chats[self.chat_id].messages.get(message_id)
        assert found is not None and not found.deleted, f"no message {message_id} in chat {self.chat_id}"
        return found

    # ----- reading -----

    def transcript(self) -> list[ChatMessage]:
        """The chat as this person sees it now: both sides, current text and keyboards."""
        return self.server.transcript(self.chat_id)

    def bot_messages(self) -> list[ChatMessage]:
        return [m for m in self.transcript() if m.from_bot]

    def replies(self) -> list[ChatMessage]:
        """Bot messages that arrived since this person last sent, tapped or edited something."""
        return [m for m in self.bot_messages() if m.message_id >= self._mark]

    def last_bot_message(self) -> ChatMessage:
        messages = self.bot_messages()
        assert messages, "the bot has not said anything"
        return messages[-1]

    def last_keyboard(self) -> ChatMessage:
        """The newest bot message that still has buttons."""
        found = [m for m in self.bot_messages() if m.keyboard]
        assert found, "no message with buttons"
        return found[-1]

    async def wait_for_text(self, fragment: str, timeout: float = 5.0) -> ChatMessage:
        """The first new bot message whose text (or caption) contains `fragment`."""

        def found() -> ChatMessage | None:
            return next((m for m in self.replies() if fragment in (m.text or m.caption)), None)

        return await self.server.wait_for(found, timeout, f"a reply containing {fragment!r}")

    async def wait_for_replies(self, quiet: float = 0.1, timeout: float = 10.0) -> list[ChatMessage]:
        """Everything the bot says in answer to the last action (waits until it goes quiet)."""
        await self.server.settle(quiet, timeout)
        return self.replies()

    def render(self) -> str:
        return "\n".join(str(m) for m in self.transcript())
