"""The fake Bot API is as strict as Telegram: proved with raw HTTP, no PTB involved."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from fake_telegram import PNG, TOKEN, EntityError, FakeTelegram, parse_html


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        fake.user(42)
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, server: FakeTelegram, method: str, token: str = TOKEN,
               **params: object) -> tuple[int, dict]:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with http.post(f"{server.url}/bot{token}/{method}", data=form) as reply:
        return reply.status, await reply.json()


async def send(http: aiohttp.ClientSession, server: FakeTelegram, text: str, **params: object) -> tuple[int, dict]:
    return await call(http, server, "sendMessage", chat_id=42, text=text, parse_mode="HTML", **params)


def keyboard(*data: str) -> dict:
    return {"inline_keyboard": [[{"text": f"b{i}", "callback_data": d} for i, d in enumerate(data)]]}


async def test_get_me_has_a_username(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "getMe")
    assert status == 200 and body["ok"] and body["result"]["username"] == server.username


async def test_wrong_token_is_401(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "getMe", token="1:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


async def test_unknown_method_is_404(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "sendTelepathy")
    assert status == 404 and body["description"] == "Not Found"


@pytest.mark.parametrize(("text", "error"), [
    ("<foo>x</foo>", "Unsupported start tag \"foo\" at byte offset 0"),
    ("<b>unclosed", "Can't find end tag corresponding to start tag \"b\""),
    ("a < b", "Unexpected end of name token at byte offset 3"),
    ("fish & chips", "Unsupported HTML entity at byte offset 5"),
    ("&nbsp;", "Unsupported HTML entity \"&nbsp;\" at byte offset 0"),
    ("</code>", "Unexpected end tag at byte offset 0"),
    ("<b><i>x</b></i>", "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""),
    ("<span>x</span>", "Unsupported start tag \"span\" at byte offset 0"),
    ("<script>alert(1)</script>", "Unsupported start tag \"script\" at byte offset 0"),
])
async def test_invalid_html_is_refused(server: FakeTelegram, http: aiohttp.ClientSession, text: str,
                                       error: str) -> None:
    status, body = await send(http, server, text)
    assert status == 400
    assert body["description"] == f"Bad Request: can't parse entities: {error}"


async def test_valid_html_gives_plain_text_and_entities(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await send(http, server, "<b>Hi</b> &lt;you&gt; &amp; <a href=\"https://x.org\">me</a> 😀<i>!</i>")
    assert status == 200
    message = body["result"]
    assert message["text"] == "Hi <you> & me 😀!"
    assert {"type": "bold", "offset": 0, "length": 2} in message["entities"]
    assert {"type": "italic", "offset": 16, "length": 1} in message["entities"]  # the emoji is 2 UTF-16 units


async def test_same_text_without_parse_mode_is_fine(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "sendMessage", chat_id=42, text="a < b & <foo>")
    assert status == 200 and body["result"]["text"] == "a < b & <foo>"


async def test_length_is_counted_after_entities(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    assert (await send(http, server, "&amp;" * 4096))[0] == 200  # 20,480 characters sent, 4096 shown
    status, body = await send(http, server, "x" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    assert (await send(http, server, "😀" * 2049))[0] == 400  # 4098 UTF-16 units
    status, body = await send(http, server, "<b> </b>")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_callback_data_over_64_bytes_is_refused(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    assert (await send(http, server, "ok", reply_markup=keyboard("x" * 64)))[0] == 200
    status, body = await send(http, server, "no", reply_markup=keyboard("é" * 33))
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, body = await send(http, server, "no", reply_markup=keyboard(""))
    assert status == 400


async def test_edits_not_modified_and_not_found(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    _, body = await send(http, server, "<b>Question</b>", reply_markup=keyboard("a:1"))
    message_id = body["result"]["message_id"]
    status, body = await call(http, server, "editMessageText", chat_id=42, message_id=message_id,
                              text="<b>Question</b>", parse_mode="HTML", reply_markup=keyboard("a:1"))
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    status, body = await call(http, server, "editMessageText", chat_id=42, message_id=message_id,
                              text="<b>Question</b>", parse_mode="HTML")  # no markup: the keyboard goes
    assert status == 200 and "reply_markup" not in body["result"]
    shown = server.transcript(42)[-1]
    assert (shown.text, shown.keyboard, shown.history) == ("Question", [], ["Question"])
    status, body = await call(http, server, "editMessageReplyMarkup", chat_id=42, message_id=message_id)
    assert status == 400 and "not modified" in body["description"]
    status, body = await call(http, server, "editMessageText", chat_id=42, message_id=999, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    status, body = await call(http, server, "deleteMessage", chat_id=42, message_id=999)
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")


async def test_unknown_chat_and_blocked_person(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, server, "sendMessage", chat_id=7, text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    server.block(42)
    status, body = await call(http, server, "sendMessage", chat_id=42, text="hi")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_callback_answers_once_and_not_too_late(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    _, body = await send(http, server, "Pick", reply_markup=keyboard("a:1", "a:2"))
    person = server.user(42)
    message = person.transcript()[-1]
    first = person.tap(message, "b0")
    assert (await call(http, server, "answerCallbackQuery", callback_query_id=first.id, text="Saved"))[0] == 200
    status, body = await call(http, server, "answerCallbackQuery", callback_query_id=first.id)
    assert (status, body["description"]) == (400, "Bad Request: query is too old and response timeout expired or "
                                                  "query ID is invalid")
    late = person.tap(message, "a:2")
    late.created = time.monotonic() - 60
    assert (await call(http, server, "answerCallbackQuery", callback_query_id=late.id))[0] == 400
    assert first.answer_text == "Saved"


async def test_get_updates_long_polls_and_confirms_offsets(server: FakeTelegram,
                                                           http: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    status, body = await call(http, server, "getUpdates", timeout=0.3)
    assert (status, body["result"]) == (200, []) and time.monotonic() - started >= 0.25
    person = server.user(42)
    waiting = asyncio.create_task(call(http, server, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    person.send_text("/start carer")
    _, body = await waiting
    [update] = body["result"]
    assert update["message"]["text"] == "/start carer"
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    _, again = await call(http, server, "getUpdates", timeout=0)
    assert again["result"] == [update]  # not confirmed yet
    _, after = await call(http, server, "getUpdates", offset=update["update_id"] + 1, timeout=0)
    assert after["result"] == []


async def test_a_second_poller_terminates_the_first(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    first = asyncio.create_task(call(http, server, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    await call(http, server, "getUpdates", timeout=0)
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]


async def test_multipart_document_and_photo(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", "42")
    form.add_field("caption", "Your <b>draft</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("document", b"# My draft\n", filename="draft.md", content_type="text/markdown")
    async with http.post(f"{server.url}/bot{TOKEN}/sendDocument", data=form) as reply:
        body = await reply.json()
    assert reply.status == 200 and body["result"]["document"]["file_name"] == "draft.md"
    sent = server.transcript(42)[-1]
    assert sent.upload is not None and sent.upload.content == b"# My draft\n" and sent.caption == "Your draft"
    for content, expected in ((PNG, 200), (b"not an image", 400)):
        form = aiohttp.FormData()
        form.add_field("chat_id", "42")
        form.add_field("photo", content, filename="p.png", content_type="image/png")
        async with http.post(f"{server.url}/bot{TOKEN}/sendPhoto", data=form) as reply:
            assert reply.status == expected


async def test_commands_and_chat_actions_are_checked(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    ok = [{"command": "start", "description": "Begin"}]
    assert (await call(http, server, "setMyCommands", commands=ok))[0] == 200
    assert server.commands == ok
    assert (await call(http, server, "setMyCommands", commands=[{"command": "Start!", "description": "x"}]))[0] == 400
    assert (await call(http, server, "sendChatAction", chat_id=42, action="typing"))[0] == 200
    assert (await call(http, server, "sendChatAction", chat_id=42, action="dancing"))[0] == 400
    assert server.actions == [(42, "typing")]


async def test_injected_faults(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    server.fail("sendMessage", 429, retry_after=3)
    status, body = await call(http, server, "sendMessage", chat_id=42, text="hi")
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    server.fail("sendMessage", 500)
    assert (await call(http, server, "sendMessage", chat_id=42, text="hi"))[0] == 500
    server.slow("getMe", 0.3)
    started = time.monotonic()
    assert (await call(http, server, "getMe"))[0] == 200 and time.monotonic() - started >= 0.3
    server.drop("getMe")
    with pytest.raises(aiohttp.ClientError):
        await call(http, server, "getMe")
    assert (await call(http, server, "sendMessage", chat_id=42, text="hi"))[0] == 200
    assert server.errors() == []  # injected faults are not the client's fault


async def test_transcript_reads_as_the_person_sees_it(server: FakeTelegram, http: aiohttp.ClientSession) -> None:
    person = server.user(42)
    person.send_text("hello")
    person.send_sticker()
    _, body = await send(http, server, "Question?", reply_markup=keyboard("a:1"))
    await call(http, server, "editMessageText", chat_id=42, message_id=body["result"]["message_id"],
               text="Question?\n\n✓ yes")
    group = person.in_group(-77)
    group.send_text("hi all")
    assert [str(m) for m in person.transcript()] == ["#1 user: hello", "#2 user: <sticker>",
                                                     "#3 bot: Question?\n\n✓ yes"]
    assert server.chats[-77].type == "group" and group.transcript()[0].text == "hi all"
    found = await server.wait_for(lambda: person.bot_messages(), timeout=1)
    assert found[0].edited


def test_parse_html_reports_like_telegram() -> None:
    assert parse_html("&#60;&#x3E;&quot;") == ("<>\"", [])
    with pytest.raises(EntityError, match="Unsupported start tag"):
        parse_html("<h1>Title</h1>")
