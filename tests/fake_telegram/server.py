"""A fake Telegram Bot API server on 127.0.0.1 that is as strict as Telegram.

    async with FakeTelegram() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url)...
        alex = server.user(1001)
        alex.send_text("/start")
        reply = await alex.wait_for_text("Hello")

It speaks the wire format PTB uses (form or multipart bodies, JSON answers), checks HTML,
lengths, callback data and edits the way Telegram does, and can inject 429s, 5xx, slow
answers and dropped connections. The chat itself is driven through `FakeUser` (users.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, ClientSession, ClientTimeout, web

from .html import EntityError, parse_html, utf16_len
from .records import ApiError, Call, CallbackQuery, Chat, ChatMessage, Fault, Upload

log = logging.getLogger(__name__)

TOKEN = "123456:TEST-token_for-the-fake-server"
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class FakeTelegram:
    """The server: start it (or `async with`), point PTB at `base_url`, drive it with `user()`."""

    def __init__(self, token: str = TOKEN, *, username: str = "what_matters_test_bot",
                 callback_timeout: float = 15.0) -> None:
        self.token, self.username, self.callback_timeout = token, username, callback_timeout
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "What Matters Coach",
                         "username": username, "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, dict] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.calls: list[Call] = []
        self.actions: list[tuple[int, str]] = []
        self.commands: list[dict] = []
        self.faults: list[Fault] = []
        self.webhook: dict | None = None
        self.webhook_deliveries: list[int] = []
        self.busy_checks: list[Callable[[], bool]] = []  # e.g. "the bot is still handling an update"
        self.port = 0
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._fetched_upto = 0  # highest update_id handed out
        self._poll_generation = 0
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._webhook_task: asyncio.Task | None = None
        self._uploads: dict[str, Upload] = {}
        self._methods: dict[str, Callable[[dict, dict[str, Upload]], Awaitable[Any]]] = {
            "getMe": self._get_me, "getUpdates": self._get_updates, "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands, "deleteMyCommands": self._delete_my_commands,
            "deleteWebhook": self._delete_webhook, "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info, "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text, "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback_query, "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document, "sendPhoto": self._send_photo,
            "deleteMessage": self._delete_message, "getFile": self._get_file, "close": self._ok, "logOut": self._ok,
        }

    # ----- lifecycle -----

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 2**20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def close(self) -> None:
        self._closing = True
        self._touch()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give PTB's `base_url` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ----- the person's side -----

    def user(self, user_id: int, first_name: str = "Alex", *, chat_id: int | None = None,
             chat_type: str = "private", title: str = "") -> Any:
        """A person (in their private chat unless `chat_id`/`chat_type` say a group)."""
        from .users import FakeUser

        self.users.setdefault(user_id, {"id": user_id, "is_bot": False, "first_name": first_name,
                                        "language_code": "en"})
        chat_id = user_id if chat_id is None else chat_id
        if chat_id not in self.chats:
            self.chats[chat_id] = Chat(chat_id, chat_type, title)
        return FakeUser(self, user_id, chat_id)

    def push_update(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self._update_ids), kind: payload}
        self._updates.append(update)
        self._touch()
        return update

    def add_message(self, chat_id: int, *, from_bot: bool, kind: str, raw: dict, text: str = "",
                    **extra: Any) -> ChatMessage:
        chat = self.chats[chat_id]
        message_id = chat.next_message_id
        chat.next_message_id += 1
        raw = {"message_id": message_id, "date": int(time.time()), **raw}
        message = ChatMessage(chat_id, message_id, from_bot, kind, raw, text=text, **extra)
        chat.messages[message_id] = message
        self._touch()
        return message

    def new_callback(self, user_id: int, message: ChatMessage, data: str) -> CallbackQuery:
        query = CallbackQuery(str(next(self._callback_ids) * 7919), user_id, message.chat_id, message.message_id,
                              data, created=time.monotonic())
        self.callbacks[query.id] = query
        return query

    def transcript(self, chat_id: int) -> list[ChatMessage]:
        chat = self.chats.get(chat_id)
        return [m for m in chat.messages.values() if not m.deleted] if chat else []

    def block(self, user_id: int) -> None:
        """The person blocks the bot: sends to their chat get 403."""
        self.chats[user_id].blocked = True

    # ----- faults -----

    def fail(self, method: str, status: int = 500, description: str = "", *, retry_after: int | None = None,
             times: int = 1) -> None:
        """The next `times` calls of `method` get this error (429 with `retry_after` for flood waits)."""
        if not description:
            description = {429: f"Too Many Requests: retry after {retry_after or 1}", 500: "Internal Server Error",
                           502: "Bad Gateway", 403: "Forbidden: bot was blocked by the user"}.get(status, "Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        self.faults.append(Fault(method, status, description, retry_after, times=times))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        self.faults.append(Fault(method, delay=seconds, times=times))

    def drop(self, method: str, *, times: int = 1) -> None:
        """Close the connection without answering."""
        self.faults.append(Fault(method, drop=True, times=times))

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method or (fault.method == "*" and method != "getUpdates"):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    # ----- waiting -----

    def _touch(self) -> None:
        self._last_activity = time.monotonic()
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "") -> Any:
        """Wait until `predicate()` is truthy and return its value; fail with the transcripts."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}\n{self.dump()}")
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), min(remaining, 0.05))
            except TimeoutError:
                pass

    async def settle(self, quiet: float = 0.1, timeout: float = 10.0) -> None:
        """Wait until every update was fetched, no `busy_checks` says busy, and the bot has sent
        nothing for `quiet` seconds."""

        def settled() -> bool:
            fetched = all(u["update_id"] <= self._fetched_upto for u in self._updates) if self.webhook is None \
                else not self._updates
            if not fetched or self._inflight or any(busy() for busy in self.busy_checks):
                return False
            return time.monotonic() - self._last_activity >= quiet

        await self.wait_for(settled, timeout, "the bot to settle")

    def errors(self) -> list[Call]:
        """API calls Telegram would have refused (injected faults excluded)."""
        return [c for c in self.calls if not c.ok and not c.injected and not _superseded_poll(c)]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def unanswered_callbacks(self) -> list[CallbackQuery]:
        return [q for q in self.callbacks.values() if not q.answered]

    def dump(self) -> str:
        lines = []
        for chat in self.chats.values():
            lines.append(f"chat {chat.id} ({chat.type}):")
            lines += [f"  {m}" for m in self.transcript(chat.id)]
        lines += [f"error: {c.method} {c.status} {c.description}" for c in self.errors()]
        return "\n".join(lines)

    # ----- HTTP -----

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(path[len("/file/bot"):])
        if not path.startswith("/bot") or "/" not in path[4:]:
            return _error_response(ApiError(404, "Not Found"))
        token, _, method = path[4:].partition("/")
        if token != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        handler = self._methods.get(method) or self._methods.get(
            next((m for m in self._methods if m.lower() == method.lower()), ""))
        params, files = await _read_params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        if handler is None:
            call.status, call.description = 404, "Not Found"
            return _error_response(ApiError(404, "Not Found"))
        busy = method != "getUpdates"
        if busy:
            self._inflight += 1
        try:
            fault = self._take_fault(method)
            if fault is not None:
                call.injected = True
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.drop:
                    call.status, call.description = 0, "dropped"
                    if request.transport is not None:
                        request.transport.abort()
                    return web.Response(status=500)
                if fault.status:
                    extra = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
                    error = ApiError(fault.status, fault.description, extra)
                    call.status, call.description = error.code, error.description
                    return _error_response(error)
                call.injected = False
            try:
                result = await handler(params, files)
            except ApiError as error:
                call.status, call.description = error.code, error.description
                return _error_response(error)
            call.result = result
            return web.json_response({"ok": True, "result": result})
        finally:
            if busy:
                self._inflight -= 1
                self._touch()

    def _download(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        upload = self._uploads.get(file_path)
        if token != self.token or upload is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=upload.content, content_type=upload.mime_type)

    # ----- methods -----

    async def _ok(self, params: dict, files: dict) -> bool:
        return True

    async def _get_me(self, params: dict, files: dict) -> dict:
        return dict(self.bot_user)

    async def _get_updates(self, params: dict, files: dict) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset, timeout = _int(params, "offset", 0), float(params.get("timeout") or 0)
        limit = min(max(_int(params, "limit", 100), 1), 100)
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._touch()
        deadline = time.monotonic() + timeout
        while True:
            pending = self._updates[:limit]
            if pending:
                self._fetched_upto = max(self._fetched_upto, pending[-1]["update_id"])
                return json.loads(json.dumps(pending))
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")
            remaining = deadline - time.monotonic()
            if self._closing or remaining <= 0:
                return []
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    async def _set_my_commands(self, params: dict, files: dict) -> bool:
        commands = _json(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands" if isinstance(commands, list)
                           else "Bad Request: commands must be an array")
        for command in commands:
            if not _COMMAND.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: command description is empty")
        self.commands = commands
        return True

    async def _get_my_commands(self, params: dict, files: dict) -> list[dict]:
        return list(self.commands)

    async def _delete_my_commands(self, params: dict, files: dict) -> bool:
        self.commands = []
        return True

    async def _delete_webhook(self, params: dict, files: dict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates") == "true":
            self._updates.clear()
        return True

    async def _set_webhook(self, params: dict, files: dict) -> bool:
        url = params.get("url", "")
        if not url:
            return await self._delete_webhook(params, files)
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates") == "true":
            self._updates.clear()
        self.webhook = {"url": url, "secret_token": secret}
        if self._webhook_task is None:
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        self._touch()
        return True

    async def _get_webhook_info(self, params: dict, files: dict) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _deliver_webhooks(self) -> None:
        """Push updates to the webhook in order, retrying until the bot answers 200."""
        if self._client is None:
            self._client = ClientSession(timeout=ClientTimeout(total=10))
        while not self._closing:
            if self.webhook is None or not self._updates:
                event = self._changed
                try:
                    await asyncio.wait_for(event.wait(), 0.5)
                except TimeoutError:
                    pass
                continue
            update = self._updates[0]
            headers = {"Content-Type": "application/json"}
            if self.webhook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
            self._inflight += 1
            try:
                async with self._client.post(self.webhook["url"], data=json.dumps(update), headers=headers) as reply:
                    status = reply.status
            except Exception:  # the bot's server is not up yet: try again
                status = 0
            finally:
                self._inflight -= 1
            self.webhook_deliveries.append(status)
            if status == 200 and self._updates and self._updates[0] is update:
                self._updates.pop(0)
                self._touch()
            elif status != 200:
                await asyncio.sleep(0.1)

    def _chat(self, params: dict) -> Chat:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        try:
            chat = self.chats.get(int(raw))
        except ValueError:
            chat = None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _bot_message(self, chat: Chat, params: dict, verb: str) -> ChatMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        message = chat.messages.get(_int(params, "message_id", 0))
        if message is None or message.deleted:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        if not message.from_bot:
            raise ApiError(400, f"Bad Request: message can't be {verb}ed")
        return message

    def _reply(self, chat: Chat, message: ChatMessage) -> dict:
        result = json.loads(json.dumps(message.raw))
        result["chat"] = chat.as_json(self.users.get(chat.id))
        return result

    async def _send_message(self, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        text, entities = _text(params, "text", limit=4096, too_long="Bad Request: message is too long")
        keyboard = _keyboard(params)
        raw = {"from": self.bot_user, "chat": chat.as_json(self.users.get(chat.id)), "text": text}
        if entities:
            raw["entities"] = entities
        if keyboard:
            raw["reply_markup"] = {"inline_keyboard": keyboard}
        message = self.add_message(chat.id, from_bot=True, kind="text", raw=raw, text=text,
                                   source=params.get("text", ""), entities=entities, keyboard=keyboard)
        return self._reply(chat, message)

    async def _edit_message_text(self, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        message = self._bot_message(chat, params, "edit")
        if message.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = _text(params, "text", limit=4096, too_long="Bad Request: MESSAGE_TOO_LONG")
        keyboard = _keyboard(params)
        if (text, entities, keyboard) == (message.text, message.entities, message.keyboard):
            raise ApiError(400, NOT_MODIFIED)
        message.history.append(message.text)
        message.text, message.entities, message.keyboard = text, entities, keyboard
        message.source = params.get("text", "")
        message.raw.update(text=text, edit_date=int(time.time()))
        _set_optional(message.raw, "entities", entities)
        _set_optional(message.raw, "reply_markup", {"inline_keyboard": keyboard} if keyboard else None)
        self._touch()
        return self._reply(chat, message)

    async def _edit_reply_markup(self, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        message = self._bot_message(chat, params, "edit")
        keyboard = _keyboard(params)
        if keyboard == message.keyboard:
            raise ApiError(400, NOT_MODIFIED)
        message.keyboard = keyboard
        message.raw["edit_date"] = int(time.time())
        _set_optional(message.raw, "reply_markup", {"inline_keyboard": keyboard} if keyboard else None)
        self._touch()
        return self._reply(chat, message)

    async def _answer_callback_query(self, params: dict, files: dict) -> bool:
        query = self.callbacks.get(params.get("callback_query_id", ""))
        now = time.monotonic()
        if query is None or query.answered or now - query.created > self.callback_timeout:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.answered, query.answer_text, query.answered_after = True, text, now - query.created
        return True

    async def _send_chat_action(self, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        action = params.get("action", "")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.actions.append((chat.id, action))
        return True

    async def _send_document(self, params: dict, files: dict) -> dict:
        return self._send_file(params, files, "document")

    async def _send_photo(self, params: dict, files: dict) -> dict:
        return self._send_file(params, files, "photo")

    def _send_file(self, params: dict, files: dict[str, Upload], kind: str) -> dict:
        chat = self._chat(params)
        upload = files.get(kind)
        if upload is None:
            if params.get(kind) in self._uploads:
                upload = self._uploads[params[kind]]
            else:
                raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if not upload.content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if kind == "photo":
            if not upload.content.startswith(IMAGE_MAGIC) and upload.content[8:12] != b"WEBP":
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if len(upload.content) > 10 * 2**20:
                raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
        caption, entities = _text(params, "caption", limit=1024, too_long="Bad Request: message caption is too long",
                                  required=False)
        file_id = f"{kind}-{len(self._uploads) + 1}"
        self._uploads[file_id] = upload
        if kind == "photo":
            media: Any = [{"file_id": file_id, "file_unique_id": file_id, "width": 90, "height": 90,
                           "file_size": len(upload.content)}]
        else:
            media = {"file_id": file_id, "file_unique_id": file_id, "file_name": upload.filename,
                     "mime_type": upload.mime_type, "file_size": len(upload.content)}
        raw: dict = {"from": self.bot_user, "chat": chat.as_json(self.users.get(chat.id)), kind: media}
        if caption:
            raw["caption"] = caption
        if entities:
            raw["caption_entities"] = entities
        keyboard = _keyboard(params)
        if keyboard:
            raw["reply_markup"] = {"inline_keyboard": keyboard}
        message = self.add_message(chat.id, from_bot=True, kind=kind, raw=raw, caption=caption, upload=upload,
                                   keyboard=keyboard, source=params.get("caption", ""))
        return self._reply(chat, message)

    async def _delete_message(self, params: dict, files: dict) -> bool:
        chat = self._chat(params)
        message = chat.messages.get(_int(params, "message_id", 0))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        self._touch()
        return True

    async def _get_file(self, params: dict, files: dict) -> dict:
        file_id = params.get("file_id", "")
        upload = self._uploads.get(file_id)
        if upload is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(upload.content),
                "file_path": file_id}

    def register_upload(self, file_id: str, upload: Upload) -> None:
        """Make a file the person sends downloadable through getFile."""
        self._uploads[file_id] = upload


# ----- helpers -----


async def _read_params(request: web.Request) -> tuple[dict[str, str], dict[str, Upload]]:
    params: dict[str, str] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                content = bytes(await part.read())
                mime = part.headers.get("Content-Type", "application/octet-stream")
                files[part.name] = Upload(part.filename, content, mime)
            else:
                params[part.name] = await part.text()
    elif request.content_type == "application/json":
        body = await request.json()
        params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items() if v is not None})
    elif request.can_read_body:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params, files


def _superseded_poll(call: Call) -> bool:
    """A long poll ended by the next one (PTB cancels its poll on stop, then confirms the offset)."""
    return call.method == "getUpdates" and call.status == 409 and "terminated by other" in call.description


def _error_response(error: ApiError) -> web.Response:
    body: dict = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.code)


def _int(params: dict, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ApiError(400, f"Bad Request: invalid {name} specified") from exc


def _json(params: dict, name: str) -> Any:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from exc


def _text(params: dict, name: str, *, limit: int, too_long: str, required: bool = True) -> tuple[str, list]:
    source = params.get(name)
    if source is None or source == "":
        if required:
            raise ApiError(400, "Bad Request: message text is empty")
        return "", []
    mode = (params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(source)
        except EntityError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
    elif mode in ("", "markdown", "markdownv2"):
        text, entities = source, []
    else:
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    if required and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > limit:
        raise ApiError(400, too_long)
    return text, entities


def _keyboard(params: dict) -> list:
    markup = _json(params, "reply_markup")
    if not markup or "inline_keyboard" not in markup:
        return []
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array "
                            "of Arrays")
    if sum(len(r) for r in rows) > 100:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode("utf-8"))
                if not 1 <= size <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            elif "url" in button:
                if not str(button["url"]).startswith(("https://", "http://", "tg://")):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            elif not any(k in button for k in ("switch_inline_query", "switch_inline_query_current_chat",
                                               "web_app", "login_url", "pay", "copy_text", "callback_game")):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    return [row for row in rows if row]


def _set_optional(raw: dict, key: str, value: Any) -> None:
    if value:
        raw[key] = value
    else:
        raw.pop(key, None)
