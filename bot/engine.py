"""The pure flow engine: (flow, state, what the person said) -> (new state, what to say).

No I/O, no clock (`today` is passed in), no telegram, no sqlite. Answers go out as `Record`s
for the caller to store durably before the replies are sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot import answer_parsing as parsing
from bot.dates import describe_date
from bot.expressions import evaluate
from bot.flow_compiler import FOR_SOMEONE
from bot.interpret import interpret
from bot.model import END, AskNode, EndNode, Flow, Node, Question, ReflectNode, SayNode, SetNode
from bot.prompt_text import NOT_ANSWERED
from bot.prompts import build_prompt, followup_text, for_someone, question_words
from bot.session import ACTIVE, FINISHED, PAUSED, Answer, Record, Reply, SessionState, Turn

COMMANDS = ("back", "skip", "pause", "resume", "why", "repeat")
MAX_WALK = 10_000


@dataclass(frozen=True)
class Event:
    """What the person did: typed `text`, tapped `value` on `node_id`, or a `command`."""

    kind: str  # text | pick | command | edit
    text: str = ""
    node_id: str | None = None
    value: str | None = None


def text(said: str) -> Event:
    return Event("text", text=said)


def pick(node_id: str, value: str) -> Event:
    return Event("pick", node_id=node_id, value=value)


def command(name: str) -> Event:
    return Event("command", value=name)


def edit(node_id: str) -> Event:
    return Event("edit", node_id=node_id)


def begin(flow: Flow, *, earlier: dict[str, Any] | None = None, name: str | None = None) -> Turn:
    """Start a flow: its intro, then the first question."""
    state = SessionState(flow.id, flow.content_hash, None, earlier=dict(earlier or {}), name=name)
    run = _Run(flow, state, date.min)
    if flow.intro is not None:
        run.say(flow.intro.render(run.text_values(None)))
    run.walk(flow.start)
    return run.turn()


def handle(flow: Flow, state: SessionState, event: Event, *, today: date) -> Turn:
    """Apply one event; never raises for anything a person can send."""
    run = _Run(flow, state.copy(), today)
    run.apply(event)
    return run.turn()


def ask_again(flow: Flow, state: SessionState) -> Turn:
    """The current question again (after a pause, a restart of the bot, or coming back)."""
    run = _Run(flow, state.copy(), date.min)
    if run.state.status == PAUSED:
        run.state.status = ACTIVE
    run.ask_current()
    return run.turn()


def adopt(flow: Flow, state: SessionState) -> tuple[SessionState, str | None]:
    """Carry an unfinished session over to a changed flow file; say so if its step is gone."""
    if state.flow_hash == flow.content_hash:
        return state, None
    state = state.copy()
    state.flow_hash = flow.content_hash
    state.path = [n for n in state.path if n in flow.nodes]
    if state.node is None or state.node in flow.nodes:
        return state, None
    state.phase, state.picked, state.attempts = "", [], 0
    run = _Run(flow, state, date.min)
    run.walk(flow.start)
    note = (
        "This conversation has been updated since you were last here. "
        "I have kept your answers and moved you to the next question."
    )
    return run.state, note


def words_of(flow: Flow, state: SessionState, node_id: str) -> str:
    """The words a question was asked in, as the person saw them."""
    node = flow.nodes.get(node_id)
    return _Run(flow, state.copy(), date.min).node_words(node) if node is not None else ""


def revise(flow: Flow, state: SessionState, node_id: str, said: str, *, today: date) -> Turn | None:
    """Take an edited message as the new answer to the latest question, when that is safe.

    Only the most recent answer can be revised this way, and only if the new answer keeps
    the conversation on the same path; otherwise None (the person can use /back or /review).
    """
    node = flow.nodes.get(node_id)
    if not state.path or state.path[-1] != node_id or not isinstance(node, AskNode):
        return None
    if node.question.type in ("list", "multi") or node.followup is not None:
        return None
    run = _Run(flow, state.copy(), today)
    outcome = interpret(node.question, said, today=today)
    if outcome.answer is None:
        return None
    before = run.next_of(node)
    run.state.answers[node_id] = outcome.answer
    if run.next_of(node) != before:
        return None
    run.store(outcome.answer, node_id)
    run.say(f"I've updated your answer to: {outcome.answer.display}")
    return run.turn()


class _Run:
    """One engine step in progress: a working copy of the state plus what to say and store."""

    def __init__(self, flow: Flow, state: SessionState, today: date) -> None:
        self.flow, self.state, self.today = flow, state, today
        self.replies: list[Reply] = []
        self.records: list[Record] = []

    def turn(self) -> Turn:
        return Turn(self.state, tuple(self.replies), tuple(self.records))

    def say(self, words: str) -> None:
        if words.strip():
            self.replies.append(Reply(words.strip()))

    # ----- values seen by conditions and by text -----

    def condition_values(self, node: Node | None) -> dict[str, Any]:
        values: dict[str, Any] = {k: a.value for k, a in self.state.answers.items()}
        values.update(self.state.values)
        values[FOR_SOMEONE] = for_someone(self.state)
        if node is not None:
            values.update(dict(node.scope))
            self.alias(node, values, {k: a.value for k, a in self.state.answers.items()})
        return values

    @staticmethod
    def alias(node: Node, values: dict[str, Any], answers: Mapping[str, Any]) -> None:
        """Inside a repeat, a step's own id means this pass's answer."""
        for local, real in node.aliases:
            if real in answers:
                values[local] = answers[real]
            else:
                values.pop(local, None)

    def text_values(self, node: Node | None) -> dict[str, Any]:
        values: dict[str, Any] = {
            k: (a.display if not a.skipped else NOT_ANSWERED) for k, a in self.state.answers.items()
        }
        values.update(self.state.values)
        values[FOR_SOMEONE] = for_someone(self.state)
        name = self.state.answers.get("name")
        values["name"] = name.display if name and not name.skipped else (self.state.name or "")
        if node is not None:
            values.update(dict(node.scope))
            if node.item is not None:
                values[node.item.var] = node.item.text.lower()
            shown = {k: (a.display if not a.skipped else NOT_ANSWERED) for k, a in self.state.answers.items()}
            self.alias(node, values, shown)
        return values

    # ----- moving through the graph -----

    def next_of(self, node: Node) -> str:
        if node.next and node.next[0].condition is None:
            return node.next[0].target  # the common case: no branch to decide
        values = self.condition_values(node)
        skipped = {k for k, a in self.state.answers.items() if a.skipped}
        skipped |= {local for local, real in node.aliases if real in skipped}
        for transition in node.next:
            if transition.condition is None or evaluate(transition.condition, values, frozenset(skipped)):
                return transition.target
        return END

    def walk(self, target: str) -> None:
        """Go forward from `target` to the next unanswered question (or the end)."""
        pending: list[str] = []
        seen: set[str] = set()
        for _ in range(MAX_WALK):
            if target == END or target not in self.flow.nodes:
                self.replies.extend(Reply(p) for p in pending)
                self.finish()
                return
            node = self.flow.nodes[target]
            if node.when is not None and not evaluate(node.when, self.condition_values(node)):
                target = node.otherwise
                continue
            if isinstance(node, SayNode):
                pending.append(node.text.render(self.text_values(node)))
            elif isinstance(node, SetNode):
                self.state.values.update(dict(node.values))
            elif isinstance(node, EndNode):
                if node.text is not None:
                    pending.append(node.text.render(self.text_values(node)))
                self.replies.extend(Reply(p) for p in pending if p.strip())
                self.finish()
                return
            elif self.applies(node):
                if node.id in self.state.answers and node.id not in seen:
                    seen.add(node.id)
                    self.push_path(node.id)
                    pending.clear()
                else:
                    self.replies.extend(Reply(p) for p in pending if p.strip())
                    self.state.node = node.id
                    self.state.attempts, self.state.phase, self.state.picked = 0, "", []
                    self.ask_current()
                    return
            target = self.next_of(node)
        self.say("Something went wrong in this conversation's steps. Your answers are saved.")
        self.finish()

    def applies(self, node: Node) -> bool:
        """Follow-ups depend on the number given; a reflection needs its answer."""
        if isinstance(node, ReflectNode):
            answer = self.state.answers.get(node.of)
            return answer is not None and not answer.skipped
        if isinstance(node, AskNode) and node.followup is not None:
            scale = self.state.answers.get(node.followup.of)
            if scale is None or scale.skipped or not isinstance(scale.value, int):
                return False
            question = self.scale_question(node)
            if node.followup.kind == "next_step":
                return scale.value < question.max
            if node.followup.kind == "since_last":
                return question.id in self.state.earlier
        return True

    def questions_left(self, start: str) -> int:
        """Questions likely still to come from `start` (counting it), for "Question 3 of about 8".

        Guards and branches are decided on what is known now; where the answer is still to
        come, the path a missing answer takes. So the figure firms up as the person answers.
        """
        count, target, seen = 0, start, set[str]()
        while target != END and target in self.flow.nodes and target not in seen and len(seen) < MAX_WALK:
            seen.add(target)
            node = self.flow.nodes[target]
            if node.when is not None and not evaluate(node.when, self.condition_values(node)):
                target = node.otherwise
                continue
            if isinstance(node, AskNode | ReflectNode) and (target == start or target not in self.state.answers):
                count += 1 if self.likely_asked(node) else 0
            target = self.next_of(node)
        return count

    def likely_asked(self, node: Node) -> bool:
        if isinstance(node, AskNode) and node.followup is not None:
            if node.followup.of in self.state.answers:
                return self.applies(node)
            return node.followup.kind != "since_last" or self.scale_question(node).id in self.state.earlier
        return True

    def scale_question(self, node: AskNode) -> Question:
        assert node.followup is not None
        scale = self.flow.nodes[node.followup.of]
        assert isinstance(scale, AskNode)
        return scale.question

    def push_path(self, node_id: str) -> None:
        if not self.state.path or self.state.path[-1] != node_id:
            self.state.path.append(node_id)

    def finish(self) -> None:
        if self.state.node is not None:
            self.push_path(self.state.node)
        self.state.node = None
        self.state.status = FINISHED
        if self.flow.closing is not None:
            self.say(self.flow.closing.render(self.text_values(None)))

    # ----- asking -----

    def node_words(self, node: Node) -> str:
        values = self.text_values(node)
        if isinstance(node, ReflectNode):
            return node.text.render(values)
        assert isinstance(node, AskNode)
        if node.followup is not None:
            scale = self.state.answers[node.followup.of]
            question = self.scale_question(node)
            values["n"] = scale.value
            values["last"] = self.state.earlier.get(question.id, "")
            return followup_text(node, int(scale.value), question.min, question.max).render(values)
        return question_words(node, self.state, values)

    def ask_current(self, prefix: str | None = None) -> None:
        node_id = self.state.node
        if node_id is None:
            self.say("This conversation is finished.")
            return
        node = self.flow.nodes[node_id]
        done = len([n for n in self.state.path if n != node_id])
        words = self.node_words(node)
        if prefix:
            words = f"{prefix}\n\n{words}"
        prompt = build_prompt(
            self.flow,
            self.state,
            node,
            words,
            done=done,
            can_back=bool(self.state.path and self.state.path[-1] != node_id or len(self.state.path) > 1),
            left=self.questions_left(node_id),
        )
        self.replies.append(Reply(prompt=prompt))

    # ----- events -----

    def apply(self, event: Event) -> None:
        if self.state.status == FINISHED and event.kind != "edit":
            self.say(
                "This conversation is finished. Type /menu to start another, or /summary to see what you have written."
            )
            return
        if event.kind == "command":
            self.command(event.value or "")
        elif event.kind == "edit":
            self.change(event.node_id or "")
        elif self.state.status == PAUSED:
            self.state.status = ACTIVE
            self.answer(event)
        else:
            self.answer(event)

    def command(self, name: str) -> None:
        if name == "pause":
            self.state.status = PAUSED
            self.say("Paused. Your answers are saved. Type /resume whenever you are ready.")
        elif name in ("resume", "repeat"):
            self.state.status = ACTIVE
            self.ask_current()
        elif name == "why":
            node = self.flow.nodes.get(self.state.node or "")
            why = node.question.why if isinstance(node, AskNode) else None
            self.say(why or "This helps you say what matters, in your own words.")
        elif name == "skip":
            self.skip()
        elif name == "back":
            self.back()
        else:
            self.say(f"I don't know the command /{name}. Type /help to see what you can do.")

    def skip(self) -> None:
        node = self.flow.nodes.get(self.state.node or "")
        if isinstance(node, AskNode) and not node.question.skippable:
            self.ask_current("This one I need an answer to, so I can word things right.")
            return
        if isinstance(node, AskNode) and node.question.type == "list" and self.current_list():
            self.state.phase = ""
            self.advance()
            return
        self.store(Answer(None, "", "skipped", skipped=True))
        self.advance()

    def back(self) -> None:
        earlier = [n for n in self.state.path if n != self.state.node]
        if not earlier:
            self.ask_current("This is the first question, so there is nothing to go back to.")
            return
        previous = earlier[-1]
        self.state.path = earlier[:-1]
        self.state.node, self.state.phase, self.state.picked, self.state.attempts = previous, "", [], 0
        current = self.state.answers.get(previous)
        note = f"Going back. You said: {current.display}" if current else "Going back."
        self.ask_current(note)

    def change(self, node_id: str) -> None:
        """Re-ask an earlier answer; later questions keep theirs unless the path changes."""
        if node_id not in self.flow.nodes or node_id not in self.state.answers:
            self.say("I couldn't find that answer to change.")
            self.ask_current()
            return
        if node_id in self.state.path:
            self.state.path = self.state.path[: self.state.path.index(node_id)]
        self.state.status = ACTIVE
        self.state.node, self.state.phase, self.state.picked, self.state.attempts = node_id, "", [], 0
        self.ask_current("Let's change this one.")

    def advance(self) -> None:
        node = self.flow.nodes[self.state.node or ""]
        if self.flow.show_practice_notes and isinstance(node, AskNode) and node.question.practice_note:
            self.say(f"Practice note: {node.question.practice_note}")
        self.push_path(node.id)
        self.state.phase, self.state.picked, self.state.attempts = "", [], 0
        self.walk(self.next_of(node))

    def store(self, answer: Answer, node_id: str | None = None) -> None:
        node_id = node_id or self.state.node or ""
        before = self.state.answers.get(node_id)
        self.state.answers[node_id] = answer
        node = self.flow.nodes.get(node_id)
        if before is not None and before.value != answer.value:
            self.forget_followups(node_id)
        question_id = node.question.id if isinstance(node, AskNode) else f"reflect.{node_id}"
        asked = self.node_words(node) if node is not None else ""
        self.records.append(Record(node_id, answer, question_id, asked))

    def forget_followups(self, scale_id: str) -> None:
        """A new number makes the old follow-ups wrong ("a 6 and not lower"): ask them again.

        Their earlier answers stay in storage as history; only the live state forgets them.
        """
        for other in self.flow.nodes.values():
            if isinstance(other, AskNode) and other.followup is not None and other.followup.of == scale_id:
                self.state.answers.pop(other.id, None)
                if other.id in self.state.path:
                    self.state.path.remove(other.id)

    def reask(self, message: str) -> None:
        node = self.flow.nodes[self.state.node or ""]
        question = node.question if isinstance(node, AskNode) else None
        self.state.attempts += 1
        if question is not None and self.state.attempts > question.max_reasks and question.skippable:
            if question.on_max_reasks == "keep_text" and self.last_text:
                self.store(Answer(self.last_text, self.last_text, self.last_text))
                self.say("I've kept what you wrote, in your own words.")
            else:
                self.store(Answer(None, self.last_text, "skipped", skipped=True))
                self.say("Let's leave that one for now. You can come back to it with /review.")
            self.advance()
            return
        custom = question.reask if question is not None else None
        self.ask_current(custom or message)

    last_text = ""

    # ----- answers -----

    def current_list(self) -> list[str]:
        answer = self.state.answers.get(self.state.node or "")
        return list(answer.value) if answer and isinstance(answer.value, list) and self.state.phase == "listing" else []

    def answer(self, event: Event) -> None:
        node_id = self.state.node
        if node_id is None:
            self.say("This conversation is finished.")
            return
        node = self.flow.nodes[node_id]
        if event.kind == "pick" and event.node_id != node_id:
            self.ask_current("That button was for an earlier question, so I haven't used it.")
            return
        said = event.text if event.kind == "text" else (event.value or "")
        self.last_text = said.strip()
        if event.kind == "text" and (isinstance(node, ReflectNode) or self.state.phase == "other_text"):
            if said.strip().startswith("/"):
                self.ask_current("That looks like a command I don't know. Type /help to see them, "
                                 "or just type your answer.")
                return
            if parsing.is_skip(said):
                self.skip()
                return
        if self.state.phase == "reflect_fix" and isinstance(node, ReflectNode):
            if event.kind == "pick" or not said.strip():
                self.ask_current()
                return
            self.store(Answer(said.strip(), said.strip(), said.strip()), node.of)
            self.store(Answer(True, said.strip(), "Changed in your own words"))
            self.advance()
            return
        if isinstance(node, ReflectNode):
            verdict = parsing.parse_yes_no(said) if event.kind == "text" else said == "yes"
            if event.kind == "text" and verdict is None:
                verdict = False if said.strip() else None
                if verdict is False:  # they typed their own version straight away
                    self.store(Answer(said.strip(), said.strip(), said.strip()), node.of)
                    self.store(Answer(True, said.strip(), "Changed in your own words"))
                    self.advance()
                    return
            if verdict:
                self.store(Answer(True, said, "Yes"))
                self.advance()
            else:
                self.state.phase = "reflect_fix"
                self.ask_current()
            return
        assert isinstance(node, AskNode)
        self.answer_question(node, event, said)

    def answer_question(self, node: AskNode, event: Event, said: str) -> None:
        q = node.question
        if self.state.phase == "other_text":
            if event.kind == "pick" or not said.strip():
                self.ask_current()
                return
            words = said.strip()
            if q.type == "multi":
                ids = [*self.state.picked, "other"]
                shown = ", ".join([q.choice_text(i) for i in self.state.picked] + [words])
                self.store(Answer(ids, words, shown))
            else:
                self.store(Answer("other", words, words))
            self.advance()
            return
        if event.kind == "pick":
            self.tapped(node, said)
            return
        outcome = interpret(q, said, today=self.today, items=self.current_list())
        if outcome.skip:
            self.store(Answer(None, said, "skipped", skipped=True))
            self.advance()
        elif outcome.reask is not None:
            self.reask(outcome.reask)
        elif outcome.answer is not None:
            self.store(outcome.answer)
            if outcome.more:
                self.state.phase = "listing"
                self.ask_more(q)
            else:
                self.advance()

    def ask_more(self, q: Question) -> None:
        node = self.flow.nodes[self.state.node or ""]
        prompt = build_prompt(
            self.flow, self.state, node, q.more_text or "Anything else?", done=len(self.state.path), can_back=False,
            left=self.questions_left(node.id),
        )
        self.replies.append(Reply(prompt=replace(prompt, hint='Or say "that\'s all".')))

    def tapped(self, node: AskNode, value: str) -> None:
        q = node.question
        if value == "other" and q.other:
            self.state.phase = "other_text"
            self.ask_current()
            return
        if q.type == "multi":
            if value == "done":
                if not self.state.picked:
                    self.ask_current("Pick at least one, or tap Skip.")
                    return
                ids = [c.id for c in q.choices if c.id in self.state.picked]
                self.store(Answer(ids, ", ".join(ids), ", ".join(q.choice_text(i) for i in ids)))
                self.advance()
            elif any(c.id == value for c in q.choices):
                picked = self.state.picked
                self.state.picked = [p for p in picked if p != value] if value in picked else [*picked, value]
                self.ask_current()
            else:
                self.ask_current("That button doesn't fit this question.")
            return
        if q.type == "list" and value == "done":
            items = self.current_list()
            if items:
                self.advance()
            else:
                self.skip()
            return
        if q.type == "choice" and any(c.id == value for c in q.choices):
            self.store(Answer(value, q.choice_text(value), q.choice_text(value)))
            self.advance()
            return
        outcome = interpret(q, value, today=self.today)
        if outcome.answer is not None and q.type in ("scale", "yes_no"):
            self.store(outcome.answer)
            self.advance()
        else:
            self.ask_current("That button doesn't fit this question.")


def display_value(question: Question, value: Any) -> str:
    """How a stored value reads to the person."""
    if value is None:
        return "skipped"
    if question.type == "choice":
        return question.choice_text(str(value))
    if question.type == "multi" and isinstance(value, list):
        return ", ".join(question.choice_text(v) for v in value)
    if question.type == "yes_no":
        return "Yes" if value else "No"
    if question.type == "date":
        try:
            return describe_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
