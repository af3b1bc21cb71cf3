"""What the person did, applied to a flow walk: answers, taps, commands, back, skip, change.

The other half of an engine step (`bot.engine.walk` knows where the person is). Pure, like the engine.
"""

from __future__ import annotations

from dataclasses import replace

import bot.engine.parsing as parsing
from bot.content.model import AskNode, Choice, Question, ReflectNode, SummaryNode
from bot.engine.interpret import interpret
from bot.engine.prompts import build_prompt
from bot.engine.state import ACTIVE, FINISHED, PAUSED, REFLECTION, Answer, Event, Record, Reply
from bot.engine.walk import FlowWalk


class Step(FlowWalk):
    """One engine step: a flow walk plus the person's event applied to it."""

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
        if self.shared_something(node):
            self.acknowledge(node)
        self.push_path(node.id)
        self.state.phase, self.state.picked, self.state.attempts = "", [], 0
        self.walk(self.next_of(node))

    def shared_something(self, node: object) -> bool:
        """Whether the answer just given shares something to acknowledge (a scale's acknowledgement
        comes before its coping question instead; "nothing" or a skip needs none)."""
        if not isinstance(node, AskNode) or node.followup is not None or node.question.type == "scale":
            return False
        answer = self.given(node.id)
        return answer is not None and not parsing.is_nothing(answer.display)

    def store(self, answer: Answer, node_id: str | None = None) -> None:
        node_id = node_id or self.state.node or ""
        before = self.state.answers.get(node_id)
        self.state.answers[node_id] = answer
        node = self.flow.nodes.get(node_id)
        if before is not None and before.value != answer.value:
            self.forget_followups(node_id)
        question_id = node.question.id if isinstance(node, AskNode) else f"{REFLECTION}{node_id}"
        asked = self.node_words(node) if node is not None else ""
        self.records.append(Record(node_id, answer, question_id, asked))

    def forget_followups(self, scale_id: str) -> None:
        """A new number makes the old follow-ups wrong ("a 6 and not lower"): ask them again. So does a
        new hope for "what would you like instead?".

        Their earlier answers stay in storage as history; only the live state forgets them.
        """
        for other in self.flow.nodes.values():
            if isinstance(other, AskNode) and scale_id in (other.followup.of if other.followup else None,
                                                           other.instead_of):
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
        if event.kind == "text" and (isinstance(node, ReflectNode | SummaryNode) or self.state.phase == "other_text"):
            if said.strip().startswith("/"):
                self.ask_current("That looks like a command I don't know. Type /help to see them, "
                                 "or just type your answer.")
                return
            if parsing.is_skip(said):
                self.skip()
                return
        if isinstance(node, SummaryNode):
            self.summary_answer(node, event, said)
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

    def summary_answer(self, node: SummaryNode, event: Event, said: str) -> None:
        """Yes confirms the summary; "change something" lists its answers, and picking one asks it
        again (then the summary comes back with the new words)."""
        items = [(answer_id, label) for answer_id, label in node.items if self.given(answer_id) is not None]
        if event.kind == "pick":
            verdict: bool | None = said == "yes" if said in ("yes", "no") else None
            chosen = next((answer_id for answer_id, _ in items if answer_id == said), None)
        else:
            verdict = parsing.parse_yes_no(said)
            found = parsing.parse_choice(said, [Choice(answer_id, label) for answer_id, label in items])
            chosen = found.id if found is not None and self.state.phase == "summary_fix" else None
        if verdict:
            self.store(Answer(True, said, "Yes"))
            self.advance()
        elif chosen is not None:
            self.change(chosen)
        else:
            self.state.phase = "summary_fix"
            self.ask_current()

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
