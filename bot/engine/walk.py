"""Walking a compiled flow: the values conditions and text see, what comes next, the words of
a question and progress. The half of an engine step that does not depend on what the person
did (that half is `bot.engine.step`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.content.builtin import FOR_SOMEONE
from bot.content.conditions import evaluate
from bot.content.model import END, AskNode, EndNode, Flow, Node, Question, ReflectNode, SayNode, SetNode
from bot.content.text import NOT_ANSWERED
from bot.engine.prompts import build_prompt, followup_text, for_someone, question_words
from bot.engine.state import FINISHED, Record, Reply, SessionState, Turn

MAX_WALK = 10_000


class FlowWalk:
    """One engine step in progress: a working copy of the state plus what to say and store.

    This half knows where the person is: the values conditions and text see, what comes next,
    how a question is worded, and saving an answer. `answering.Step` adds what the person did."""

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
        values["name"] = name.display if name and not name.skipped else ""
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
