"""Raw steps -> a graph of nodes: expands scale follow-ups, `repeat` blocks and `call`s.

Steps are compiled back to front, so each one knows where "the step below" leads.
Every reference (questions, steps, flows) is resolved here, once, at load time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.bank_loader import compile_or_report, parse_followups
from bot.expressions import Compare, Expr, ExpressionError, ListOf, Literal, Name, parse
from bot.flow_steps import RawFlow, RawStep
from bot.model import (
    END,
    AskNode,
    Choice,
    EndNode,
    Followup,
    Item,
    Node,
    Question,
    ReflectNode,
    SayNode,
    SetNode,
    Text,
    Transition,
)
from bot.prompt_text import compile_text
from bot.schema import Report, did_you_mean

FOR_SOMEONE = "for_someone"
FOR_SOMEONE_QUESTION = Question(
    id="builtin.for_someone",
    type="choice",
    text=compile_text("Who are we thinking about today?"),
    why="So I can word the questions the right way for you.",
    practice_note="Sets the wording: the person, or someone they care for.",
    technique="about_me",
    section="none",
    skippable=False,
    choices=(Choice("me", "Me"), Choice("someone", "Someone I care for")),
)
FOLLOWUP_WHY = "Small, concrete details help you and others see what is already working."
FOLLOWUP_NOTE = "Solution-focused scaling follow-up: it builds on the number the person gave."


@dataclass
class _Compiler:
    raw: RawFlow
    report: Report
    questions: Mapping[str, Question]
    flows: Mapping[str, RawFlow]
    nodes: dict[str, Node] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def add(self, node: Node) -> None:
        if node.id in self.nodes:
            self.report.add(node.line, "steps", f"duplicate step id '{node.id}' (first on line {self.lines[node.id]})")
            return
        self.nodes[node.id] = node
        self.lines[node.id] = node.line

    def block(
        self,
        steps: list[RawStep],
        follow: str,
        *,
        end: str,
        scope: tuple[tuple[str, Any], ...] = (),
        when: Expr | None = None,
        item: Item | None = None,
        suffix: str = "",
        calls: tuple[str, ...] = (),
    ) -> str:
        """Compile `steps` so the last leads to `follow`; return the first node's id."""
        local = {s.id for s in steps}
        aliases = tuple(sorted((sid, sid + suffix) for sid in local)) if suffix else ()
        target = follow
        for step in reversed(steps):
            ctx = dict(scope=scope, when=when, otherwise=follow, item=item, aliases=aliases)
            default = [Transition(target)]
            nxt = self.transitions(step, local, suffix, end) if step.next is not None else default
            node_id = step.id + suffix
            if step.kind == "ask":
                target = self.ask(step, node_id, nxt, ctx)
            elif step.kind == "say":
                text = self.text(step.value, step, "say")
                if text is not None:
                    self.add(SayNode(node_id, step.line, tuple(nxt), text=text, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "reflect":
                text = self.text(step.value, step, "reflect")
                if text is not None:
                    of = (
                        str(step.entry.get("of", "")) + suffix
                        if str(step.entry.get("of", "")) in local
                        else str(step.entry.get("of", ""))
                    )
                    self.add(ReflectNode(node_id, step.line, tuple(nxt), text=text, of=of, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "set":
                values = tuple((str(k), v) for k, v in step.value.items())
                self.add(SetNode(node_id, step.line, tuple(nxt), values=values, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "end":
                text = self.text(step.value, step, "end") if step.value else None
                if end == END:
                    self.add(EndNode(node_id, step.line, (), text=text, **ctx))  # type: ignore[arg-type]
                elif text is not None:
                    self.add(SayNode(node_id, step.line, (Transition(end),), text=text, **ctx))  # type: ignore[arg-type]
                else:
                    self.add(SetNode(node_id, step.line, (Transition(end),), **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "repeat":
                target = self.repeat(step, target if step.next is None else self._single(nxt, step), ctx, end, calls)
            elif step.kind == "call":
                target = self.call(step, target if step.next is None else self._single(nxt, step), ctx, calls)
        return target

    def _single(self, nxt: list[Transition], step: RawStep) -> str:
        if len(nxt) != 1 or nxt[0].condition is not None:
            self.report.add(step.line, step.where, f"a {step.kind} step's next must be one step id")
        return nxt[0].target if nxt else END

    def transitions(self, step: RawStep, local: set[str], suffix: str, end: str) -> list[Transition]:
        result = []
        for branch in step.next or []:
            target = branch.target
            target = end if target == END else (target + suffix if target in local else target)
            condition = None
            if branch.condition is not None:
                try:
                    condition = parse(branch.condition)
                except ExpressionError as exc:
                    self.report.add(branch.line, f"{step.where}.next", f"condition '{branch.condition}': {exc}")
            result.append(Transition(target, condition, branch.condition or ""))
        return result

    def text(self, source: object, step: RawStep, key: str) -> Text | None:
        if not isinstance(source, str | int | float) or source == "":
            self.report.add(step.entry.line_of(key), f"{step.where}.{key}", "needs some text")
            return None
        return compile_or_report(str(source), step.entry.line_of(key), f"{step.where}.{key}", self.report)

    def ask(self, step: RawStep, node_id: str, nxt: list[Transition], ctx: dict[str, Any]) -> str:
        question = self.questions.get(step.value)
        if question is None:
            self.report.add(
                step.entry.line_of("ask"),
                f"{step.where}.ask",
                f"unknown question '{step.value}'{did_you_mean(step.value, self.questions)}",
            )
            return nxt[0].target if nxt else END
        overrides: dict[str, Any] = {}
        for key in ("why", "hint", "section", "skippable"):
            if key in step.entry:
                overrides[key] = step.entry[key]
        if "followups" in step.entry and question.type == "scale":
            overrides["followups"] = parse_followups(step.entry, step.where, self.report, None)
        if overrides:
            question = _replace(question, overrides)
        texts = {k: self.text(step.entry[k], step, k) if k in step.entry else None for k in ("text", "carer_text")}
        followups = question.followups if question.type == "scale" else ()
        chain = nxt
        for kind, wording in reversed(followups):
            fid = f"{node_id}.{kind}"
            fq = Question(
                id=f"{question.id}.{kind}",
                text=wording or compile_text(kind),
                type="text",
                why=FOLLOWUP_WHY,
                practice_note=FOLLOWUP_NOTE,
                technique="scaling",
                section=question.section,
            )
            self.add(
                AskNode(
                    fid, step.line, tuple(chain), question=fq, text=wording, followup=Followup(kind, node_id), **ctx
                )
            )
            chain = [Transition(fid)]
        self.add(
            AskNode(
                node_id, step.line, tuple(chain), question=question, text=texts["text"], carer_text=texts["carer_text"],
                **ctx,
            )
        )
        return node_id

    def repeat(self, step: RawStep, follow: str, ctx: dict[str, Any], end: str, calls: tuple[str, ...]) -> str:
        spec = step.value if isinstance(step.value, Mapping) else {}
        source = str(spec.get("for_each", ""))
        var = str(spec.get("as", "item"))
        raw_ask = _find_step(self.raw.steps, source)
        question = self.questions.get(raw_ask.value) if raw_ask is not None else None
        if question is None or question.type != "multi":
            self.report.add(
                step.entry.line_of("repeat"),
                f"{step.where}.repeat.for_each",
                f"'{source}' must be the id of a multi-choice ask step in this flow"
                + did_you_mean(source, [s.id for s in self.raw.steps]),
            )
            return follow
        target = follow
        for choice in reversed(question.choices):
            guard = Compare("in", Literal(choice.id), Name(source))
            scope = ctx["scope"] + ((var, choice.id),)
            target = self.block(
                step.body,
                target,
                end=end,
                scope=scope,
                when=guard,
                item=Item(var, choice.id, choice.text),
                suffix=f".{choice.id}",
                calls=calls,
            )
        return target

    def call(self, step: RawStep, follow: str, ctx: dict[str, Any], calls: tuple[str, ...]) -> str:
        callee = self.flows.get(step.value)
        if callee is None:
            self.report.add(
                step.entry.line_of("call"),
                f"{step.where}.call",
                f"unknown flow or sequence '{step.value}'{did_you_mean(step.value, self.flows)}",
            )
            return follow
        if callee.id in calls or callee.id == self.raw.id:
            self.report.add(
                step.entry.line_of("call"),
                f"{step.where}.call",
                f"'{callee.id}' calls itself in a loop ({' -> '.join((*calls, callee.id))})",
            )
            return follow
        params = step.entry.get("with") or {}
        if not isinstance(params, Mapping):
            self.report.add(step.entry.line_of("with"), f"{step.where}.with", "must be a mapping of names to values")
            params = {}
        self.sources.append(callee.text)
        scope = ctx["scope"] + tuple((str(k), v) for k, v in params.items())
        return self.block(
            callee.steps, follow, end=follow, scope=scope, when=ctx["when"], item=ctx["item"], calls=(*calls, callee.id)
        )


def _find_step(steps: list[RawStep], step_id: str) -> RawStep | None:
    for step in steps:
        if step.id == step_id:
            return step
        found = _find_step(step.body, step_id)
        if found is not None:
            return found
    return None


def _replace(question: Question, overrides: dict[str, Any]) -> Question:
    from dataclasses import replace

    return replace(question, **overrides)


def compile_flow(
    raw: RawFlow, questions: Mapping[str, Question], flows: Mapping[str, RawFlow], report: Report
) -> tuple[str, dict[str, Node], str]:
    """Compile one flow; return (start node id, nodes, content hash)."""
    compiler = _Compiler(raw, report, questions, flows)
    start = compiler.block(raw.steps, END, end=END)
    if raw.data.get("offer_carer_wording"):
        compiler.add(AskNode(FOR_SOMEONE, raw.data.line, (Transition(start),), question=FOR_SOMEONE_QUESTION))
        start = FOR_SOMEONE
    digest = hashlib.sha256("\n".join([raw.text, *compiler.sources]).encode()).hexdigest()[:16]
    return start, compiler.nodes, digest


__all__ = ["FOR_SOMEONE", "compile_flow", "ListOf"]
