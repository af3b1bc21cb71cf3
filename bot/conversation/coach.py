"""The one code path both channels share: what the person sent -> engine -> storage -> replies.

Channels turn their input into an `Incoming` and show each `Outgoing`; everything else
(menus, commands, resuming, stale buttons, saving) happens here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import engine
from bot.content.model import AUDIENCE_LABELS, AUDIENCES, Content, Flow
from bot.conversation import buttons, review, safety_net
from bot.conversation import wording as messages
from bot.conversation.chat import Attachment, Button, Incoming, Outgoing, Response
from bot.conversation.flood import MAX_MESSAGE_CHARS, FloodGate, clip
from bot.conversation.keyboards import question_message
from bot.conversation.practice_mode import practice_extension
from bot.engine.state import FINISHED, SessionState, Turn
from bot.errors import StorageError
from bot.safety.help import Resources, help_text, load_resources
from bot.store.storage import Storage, now_utc

__all__ = ["COMMANDS", "Attachment", "Button", "Coach", "Incoming", "Outgoing", "Response"]

log = logging.getLogger(__name__)
COMMANDS = (
    ("start", "Begin, or see the conversations"),
    ("menu", "Choose a conversation"),
    ("resume", "Carry on where you left off"),
    ("back", "Go back one question"),
    ("skip", "Skip this question"),
    ("pause", "Stop for now; your answers are saved"),
    ("review", "See and change your answers"),
    ("summary", "See your draft in your own words"),
    ("export", "Get your draft as a file"),
    ("delete", "Erase everything about you"),
    ("privacy", "How your answers are kept"),
    ("practice", "Practise asking questions (for practitioners)"),
    ("help", "What you can do, and where to get help"),
)
COME_BACK_AFTER = timedelta(hours=6)
Extension = Callable[["Coach", str, Incoming, Response], bool]


class Coach:
    """Holds the content and the storage; `handle` is the whole conversation."""

    def __init__(self, content: Content, storage: Storage, *, clock: Callable[[], datetime] = now_utc,
                 retention_days: int = 180, resources: Resources | None = None) -> None:
        self.content, self.storage, self.clock = content, storage, clock
        self.retention_days = retention_days
        self.resources = resources or load_resources()
        self.commands = COMMANDS
        self.extensions: list[Extension] = [practice_extension]
        self.flood: FloodGate | None = None  # the Telegram channel turns flood control on
        self._slowed: set[str] = set()

    # ----- entry point -----

    def handle(self, person: str, incoming: Incoming) -> Response:
        response = Response()
        if self.flood is not None and not self.flood.allow(person, self.clock().timestamp()):
            response.ack = "Slow down a little"
            if person not in self._slowed:  # say it once per burst, not to every message
                self._slowed.add(person)
                response.say(messages.SLOW_DOWN)
            return response
        self._slowed.discard(person)
        if incoming.kind in ("text", "edit"):
            text, cut = clip(incoming.text)
            if cut:
                response.say(messages.TOO_LONG.format(limit=f"{MAX_MESSAGE_CHARS:,}"))
                incoming = Incoming(incoming.kind, text=text, key=incoming.key, ref=incoming.ref)
        try:
            if incoming.key and self.storage.was_processed(person, incoming.key):
                log.info("skipped a repeated delivery")
                response.ack = "Already saved"
                return response
            self._route(person, incoming, response)
        except StorageError:
            log.exception("storage failed")
            return Response([Outgoing(text=messages.SAVE_FAILED)], ack="Not saved, please try again")
        return response

    def _route(self, person: str, incoming: Incoming, response: Response) -> None:
        if safety_net.intercept(self, person, incoming, response, self.resources):
            return
        for extension in self.extensions:
            if extension(self, person, incoming, response):
                return
        if incoming.kind == "command":
            self.command(person, incoming.command, incoming.arg, response, incoming.key)
        elif incoming.kind == "tap":
            self.tap(person, incoming.data, response, incoming.key)
        elif incoming.kind == "edit":
            self.edited(person, incoming, response)
        elif incoming.kind == "other":
            response.say(messages.NOT_TEXT)
            self.repeat_question(person, response)
        else:
            self.typed(person, incoming, response)

    # ----- settings helpers -----

    def settings(self, person: str) -> dict:
        return self.storage.settings(person)

    def update_settings(self, person: str, **changes: object) -> None:
        settings = self.settings(person)
        settings.update(changes)
        self.storage.save_settings(person, settings, self.clock())

    def current(self, person: str) -> tuple[str, Flow, SessionState] | None:
        session_id = str(self.settings(person).get("session") or "")
        found = self.storage.session(session_id) if session_id else None
        if not found:
            return None
        row, state = found
        flow = self.content.flows.get(row["flow_id"])
        if flow is None:
            return None
        return session_id, flow, state

    # ----- commands -----

    def command(self, person: str, name: str, arg: str, response: Response, key: str | None = None) -> None:
        if name == "start":
            self.start(person, arg, response)
        elif name == "menu":
            self.menu(response)
        elif name == "help":
            response.say(messages.HELP)
            response.say(help_text(self.resources))
        elif name == "privacy":
            response.say(messages.PRIVACY.format(days=self.retention_days))
        elif name == "resume":
            self.resume(person, response)
        elif name == "restart":
            found = self.current(person)
            if found:
                response.say(messages.RESTARTED)
                self.begin(person, found[1], response)
            else:
                self.menu(response)
        elif name == "delete":
            response.say(messages.DELETE_ASK, (Button("Yes, erase everything", "d:yes"),
                                               Button("No, keep my answers", "d:no")))
        elif name == "review":
            review.review(self, person, arg, response)
        elif name == "summary":
            review.summary(self, person, arg, response)
        elif name == "export":
            review.export(self, person, arg, response)
        elif name == "card":
            review.card(self, person, arg, response)
        elif name in ("back", "skip", "pause", "why"):
            self.step(person, engine.command(name), response, key)
        else:
            response.say(f"I don't know /{name}. Type /help to see what you can do.")

    def start(self, person: str, arg: str, response: Response) -> None:
        first_time = not self.settings(person).get("welcomed")
        flow = self.content.flows.get(arg)
        if first_time:  # the notice, then a first question or the menu: answering is the choice to go on
            self.update_settings(person, welcomed=True)
            response.say(messages.WELCOME.format(days=self.retention_days))
        found = self.current(person)
        unfinished = found if found and found[2].status != FINISHED else None
        if flow is not None and flow.listed:
            if unfinished and unfinished[1].id == flow.id:
                response.say(messages.WELCOME_BACK.format(title=flow.title) + " Let's carry on from there.")
                self.resume(person, response)
            else:
                self.begin(person, flow, response)
            return
        if not first_time:
            response.say(messages.HELLO_AGAIN)
        if unfinished:
            self.offer_resume(unfinished, response)
            return
        self.menu(response)

    def menu(self, response: Response) -> None:
        rows: list[tuple[Button, ...]] = []
        lines = [messages.MENU_INTRO]
        for audience in AUDIENCES:
            flows = sorted((f for f in self.content.listed_flows() if f.audience == audience),
                           key=lambda f: f.id == "example")
            if not flows:
                continue
            lines.append(f"\n{AUDIENCE_LABELS[audience]}")
            for flow in flows:
                lines.append(f"• {flow.title} (about {flow.minutes} minutes): {flow.description}")
                rows.append((Button(flow.title, f"f:{flow.id}"),))
        response.say("\n".join(lines), *rows)

    def offer_resume(self, found: tuple[str, Flow, SessionState], response: Response) -> None:
        _, flow, _ = found
        response.say(messages.WELCOME_BACK.format(title=flow.title),
                     (Button("Carry on", "m:go"), Button("Start it again", f"m:new:{flow.id}")),
                     (Button("Choose something else", "m:menu"),))

    def resume(self, person: str, response: Response) -> None:
        found = self.current(person)
        if not found or found[2].status == FINISHED:
            response.say(messages.NOTHING_TO_RESUME)
            return
        session_id, flow, state = found
        state, note = engine.adopt(flow, state)
        if note:
            response.say(note)
        turn = engine.ask_again(flow, state)
        self.save(person, session_id, turn, None)
        self.emit(person, turn, session_id, response, was_finished=False)

    def repeat_question(self, person: str, response: Response) -> None:
        found = self.current(person)
        if found and found[2].status != FINISHED and found[2].node:
            session_id, flow, state = found
            self.emit(person, engine.ask_again(flow, state), session_id, response, was_finished=False)

    def begin(self, person: str, flow: Flow, response: Response) -> None:
        turn = engine.begin(flow, earlier=self.earlier_scores(person, flow))
        session_id = self.storage.create_session(person, turn.state, turn.records, now=self.clock())
        self.update_settings(person, session=session_id)
        self.emit(person, turn, session_id, response, was_finished=False)

    def earlier_scores(self, person: str, flow: Flow) -> dict[str, object]:
        """The last score given to each of this flow's scale questions in earlier sessions."""
        wanted = {n.question.id for n in flow.asks() if n.question.type == "scale"}
        latest: dict[str, object] = {}
        for stored in self.storage.answers(person):
            if stored.question_id in wanted and not stored.answer.skipped:
                latest[stored.question_id] = stored.answer.value
        return latest

    # ----- answers -----

    def typed(self, person: str, incoming: Incoming, response: Response) -> None:
        found = self.current(person)
        if not found or found[2].status == FINISHED:
            if not self.settings(person).get("welcomed"):
                self.start(person, "", response)
                return
            response.say(messages.NOT_IN_A_CONVERSATION)
            self.menu(response)
            return
        row = self.storage.session(found[0])
        if row and self.clock() - datetime.fromisoformat(row[0]["updated_at"]) > COME_BACK_AFTER:
            self.welcome_back(person, found, incoming, response)
            return
        self.step(person, engine.text(incoming.text), response, incoming.key, ref=incoming.ref)

    def welcome_back(self, person: str, found: tuple[str, Flow, SessionState], incoming: Incoming,
                     response: Response) -> None:
        """Back after hours or days: say where they were; their message is kept, not assumed an answer."""
        session_id, flow, state = found
        self.update_settings(person, **{safety_net.HELD: incoming.text})
        response.say(messages.WELCOME_BACK.format(title=flow.title) + " " + messages.WHERE_YOU_WERE,
                     (Button("Use what I just wrote as my answer", "s:keep"),),
                     (Button("Start it again", f"m:new:{flow.id}"), Button("Choose something else", "m:menu")))
        self.storage.save_turn(person, session_id, state, (), now=self.clock(), message_key=incoming.key)
        self.repeat_question(person, response)

    def edited(self, person: str, incoming: Incoming, response: Response) -> None:
        """An edited message: update the latest answer if it came from that message."""
        found = self.current(person)
        if found and incoming.ref and found[2].last_ref == incoming.ref and found[2].path:
            session_id, flow, state = found
            turn = engine.revise(flow, state, state.path[-1], incoming.text, today=self.clock().date())
            if turn is not None:
                self.save(person, session_id, turn, incoming.key)
                self.emit(person, turn, session_id, response, was_finished=True)
                return
        response.say(messages.EDIT_LEFT_ALONE)

    def step(self, person: str, event: engine.Event, response: Response, key: str | None,
             ref: str | None = None) -> None:
        found = self.current(person)
        if not found:
            response.say(messages.NOTHING_TO_RESUME)
            return
        session_id, flow, state = found
        state, note = engine.adopt(flow, state)
        if note:
            response.say(note)
        turn = engine.handle(flow, state, event, today=self.clock().date())
        if turn.records and event.kind == "text":
            turn.state.last_ref = ref
        self.save(person, session_id, turn, key)
        if turn.records:
            last = turn.records[-1]
            response.ack = "Saved"
            response.edit = f"{last.asked}\n\n✓ {last.answer.display}"
        elif event.kind == "pick" and turn.state.phase in ("reflect_fix", "other_text") and state.node:
            chosen = "Not quite" if turn.state.phase == "reflect_fix" else "Something else"
            response.edit = f"{engine.words_of(flow, state, state.node)}\n\n✓ {chosen}"
        self.emit(person, turn, session_id, response, was_finished=state.status == FINISHED)

    def save(self, person: str, session_id: str, turn: Turn, key: str | None) -> None:
        """Commit the answers and the new state (durably) before anything is sent."""
        self.storage.save_turn(person, session_id, turn.state, turn.records, now=self.clock(), message_key=key)

    def emit(self, person: str, turn: Turn, session_id: str, response: Response, *, was_finished: bool) -> None:
        for reply in turn.replies:
            if reply.prompt is not None:
                response.messages.append(question_message(reply.prompt, session_id))
            elif reply.text.strip():
                response.say(reply.text)
        if turn.state.status == FINISHED and not was_finished:
            review.end_of_flow(self, person, session_id, response)

    # ----- taps -----

    def tap(self, person: str, data: str, response: Response, key: str | None) -> None:
        tap = buttons.decode(data)
        if tap.kind == "a":
            self.answer_tap(person, tap.parts, response, key)
        elif tap.kind == "f" and tap.parts and tap.parts[0] in self.content.flows:
            self.begin(person, self.content.flows[tap.parts[0]], response)
        elif tap.kind == "m":
            self.menu_tap(person, tap.parts, response)
        elif tap.kind == "d":
            if tap.parts == ("yes",):
                self.storage.delete_person(person)
                response.say(messages.DELETED)
            else:
                response.say(messages.KEPT)
        elif tap.kind == "r":
            review.tap(self, person, tap.parts, response)
        elif tap.kind == "s" and tap.parts:
            safety_net.tap(self, person, tap.parts[0], response)
        else:
            response.ack = "That button no longer works"
            response.say(messages.OLD_BUTTON)

    def menu_tap(self, person: str, parts: tuple[str, ...], response: Response) -> None:
        if parts[:1] == ("go",):
            self.resume(person, response)
        elif parts[:1] == ("new",) and len(parts) > 1 and parts[1] in self.content.flows:
            self.begin(person, self.content.flows[parts[1]], response)
        else:
            self.menu(response)

    def answer_tap(self, person: str, parts: tuple[str, ...], response: Response, key: str | None) -> None:
        session_id, tag, value = parts
        found = self.current(person)
        if found and found[0] == session_id and found[2].node and buttons.node_tag(found[2].node) == tag:
            node_id = found[2].node
            if value.startswith("~"):
                self.step(person, engine.command(value[1:]), response, key)
            else:
                self.step(person, engine.pick(node_id, value), response, key)
            return
        self.stale_tap(person, session_id, tag, value, response)

    def stale_tap(self, person: str, session_id: str, tag: str, value: str, response: Response) -> None:
        """A button from an earlier question: never record it; offer to change that answer."""
        for stored in self.storage.answers(person):
            if stored.session_id == session_id and buttons.node_tag(stored.node_id) == tag:
                if str(stored.answer.value) == value or value.startswith("~"):
                    response.ack = "Already saved"
                    return
                response.ack = "That was an earlier question"
                response.say(messages.STALE_TAP.format(question=_short(stored.asked)),
                             (Button("Change that answer", f"r:c:{stored.id}"), Button("Carry on", "m:go")))
                return
        response.ack = "That button is from an earlier conversation"
        response.say(messages.OLD_BUTTON)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
