"""Walking a compiled flow: the values conditions and text see, what comes next, the words of
a question and progress. The half of an engine step that does not depend on what the person
did (that half is `bot.engine.step`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import bot.engine.parsing as parsing
import bot.engine.speech as speech
from bot.content.builtin import COPING_BAND, FOR_SOMEONE, SUMMARY_CHECK
from bot.content.conditions import evaluate
from bot.content.model import END, AskNode, EndNode, Flow, Node, Question, ReflectNode, SayNode, SetNode, SummaryNode
from bot.engine.prompts import build_prompt, followup_text, for_someone, question_words
from bot.engine.state import FINISHED, Answer, Record, Reply, SessionState, Turn

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
        """Answers as woven into text: the words shown, without a closing full stop. A skipped answer
        is left out, so it reads "(not answered)" and `{% if x %}` is false for it."""
        shown = {k: speech.woven(a.display) for k, a in self.state.answers.items() if not a.skipped}
        values: dict[str, Any] = dict(shown)
        values.update(self.state.values)
        values[FOR_SOMEONE] = for_someone(self.state)
        values["name"] = shown.get("name", "")
        if node is not None:
            values.update(dict(node.scope))
            if node.item is not None:
                values[node.item.var] = node.item.text.lower()
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
                pending.append(speech.render(node.text, self.text_values(node)))
            elif isinstance(node, SetNode):
                self.state.values.update(dict(node.values))
            elif isinstance(node, EndNode):
                if node.text is not None:
                    pending.append(speech.render(node.text, self.text_values(node)))
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
                    if isinstance(node, AskNode) and node.followup is not None and node.followup.kind == "coping":
                        self.acknowledge(self.flow.nodes[node.followup.of])  # acknowledge first, then ask
                    self.state.node = node.id
                    self.state.attempts, self.state.phase, self.state.picked = 0, "", []
                    self.ask_current()
                    return
            target = self.next_of(node)
        self.say("Something went wrong in this conversation's steps. Your answers are saved.")
        self.finish()

    def applies(self, node: Node) -> bool:
        """Follow-ups depend on the number given; a reflection needs its answer, a summary one of its
        answers; "what instead?" needs a hope said as something stopping."""
        if isinstance(node, ReflectNode):
            return self.given(node.of) is not None
        if isinstance(node, SummaryNode):
            return any(self.given(answer_id) is not None for answer_id, _ in node.items)
        if isinstance(node, AskNode) and node.instead_of is not None:
            hope = self.given(node.instead_of)
            return hope is not None and parsing.is_absence(str(hope.value))
        if isinstance(node, AskNode) and node.followup is not None:
            scale = self.given(node.followup.of)
            if scale is None or not isinstance(scale.value, int):
                return False
            return self.followup_applies(node, scale.value)
        return True

    def given(self, answer_id: str) -> Answer | None:
        """The answer to `answer_id`, unless there is none or it was skipped."""
        answer = self.state.answers.get(answer_id)
        return answer if answer is not None and not answer.skipped else None

    def followup_applies(self, node: AskNode, n: int) -> bool:
        """Which follow-ups a number asks. Near the bottom (0 to 2), the coping question comes first and
        takes the place of "what makes it n and not lower?" and of a next step. Compared with last
        time, "what has made the difference?" takes the place of "and not lower?" unless the number
        fell, and at the bottom an unchanged number asks only the coping question (ask one)."""
        assert node.followup is not None
        question = self.scale_question(node)
        low = f"{node.followup.of}.coping" in self.flow.nodes and n <= question.min + COPING_BAND
        last = self.state.earlier.get(question.id)
        since = f"{node.followup.of}.since_last" in self.flow.nodes and isinstance(last, int | float)
        kind = node.followup.kind
        if kind == "coping":
            return low
        if kind == "since_last":
            return since and not (low and n == last)
        if kind == "not_lower":
            return not low and not (since and n >= last)  # type: ignore[operator]
        if kind == "next_step":
            return not low and n < question.max
        return True

    def acknowledge(self, node: Node) -> None:
        """Say one of the node's acknowledgements, varied from the last ones said."""
        if not isinstance(node, AskNode):
            return
        line = speech.pick(node.question.acknowledge or (), self.state.acks)
        if line is not None:
            self.say(speech.render(line, self.text_values(node)))

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
            if isinstance(node, AskNode | ReflectNode | SummaryNode) and (
                target == start or target not in self.state.answers
            ):
                count += 1 if self.likely_asked(node) else 0
            target = self.next_of(node)
        return count

    def likely_asked(self, node: Node) -> bool:
        if isinstance(node, SummaryNode):
            return any(answer_id in self.state.answers for answer_id, _ in node.items) or not self.state.answers
        if isinstance(node, AskNode) and node.instead_of is not None:
            return self.applies(node)
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
            self.say(speech.render(self.flow.closing, self.text_values(None)))

    # ----- asking -----

    def node_words(self, node: Node) -> str:
        values = self.text_values(node)
        if isinstance(node, ReflectNode):
            return speech.render(node.text, values)
        if isinstance(node, SummaryNode):
            return self.summary_words(node, values)
        assert isinstance(node, AskNode)
        if node.followup is not None:
            scale = self.state.answers[node.followup.of]
            question = self.scale_question(node)
            values["n"] = scale.value
            values["last"] = self.state.earlier.get(question.id, "")
            return speech.render(followup_text(node, int(scale.value), question.min, question.max), values)
        return speech.tidy(question_words(node, self.state, values))

    def summary_words(self, node: SummaryNode, values: dict[str, Any]) -> str:
        """The opening words, then each answer given under what it is called, then the check."""
        lines = [speech.render(node.text, values).rstrip(":") + ":"]
        for answer_id, label in node.items:
            answer = self.given(answer_id)
            if answer is not None:
                lines.append(f"• {label}: {speech.shortened(answer.display)}")
        return "\n".join(lines) + "\n\n" + SUMMARY_CHECK

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
