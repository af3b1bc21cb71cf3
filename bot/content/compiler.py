"""Raw steps -> a graph of nodes: expands scale follow-ups, `repeat` blocks and `call`s.

Steps are compiled back to front, so each one knows where "the step below" leads.
Every reference (questions, steps, flows) is resolved here, once, at load time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.content.asked import followup_question, step_question
from bot.content.banks import compile_or_report
from bot.content.builtin import (
    FOR_SOMEONE,
    FOR_SOMEONE_QUESTION,
    PLACEHOLDER_TEXT,
    UNKNOWN_QUESTION,
    default_acknowledgement,
)
from bot.content.conditions import Compare, Expr, ExpressionError, Literal, Name, parse
from bot.content.model import (
    END,
    FOLLOWUPS,
    AskNode,
    EndNode,
    Followup,
    Item,
    Node,
    Question,
    ReflectNode,
    SayNode,
    SetNode,
    SummaryNode,
    Text,
    Transition,
)
from bot.content.report import Report, did_you_mean, shortened
from bot.content.steps import RawFlow, RawStep, all_steps, find_step, unique_steps
from bot.content.yaml_lines import YamlMap

MAX_STEPS = 10_000  # in one flow once expanded; the longest shipped flow has a few hundred
TOO_MANY_STEPS = (
    f"the flow expands to more than {MAX_STEPS:,} steps (a repeat inside a repeat runs its steps once for each "
    "option of both)"
)


@dataclass
class _Compiler:
    raw: RawFlow
    report: Report
    questions: Mapping[str, Question]
    flows: Mapping[str, RawFlow]
    nodes: dict[str, Node] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    # (node id, index in node.next) -> the line of that transition's `if:`
    condition_lines: dict[tuple[str, int], int] = field(default_factory=dict)
    # id(transition) -> (that transition, kept alive so its id is never reused; its `if:` line)
    _branch_lines: dict[int, tuple[Transition, int]] = field(default_factory=dict)
    # a `repeat` or `call` step makes no node of its own: its id -> the first node it leads to
    entries: dict[str, str] = field(default_factory=dict)
    # nodes inlined from a called sequence -> the line of the outermost `call` in this file
    foreign: dict[str, int] = field(default_factory=dict)
    _call_line: int | None = None
    _flow_report: Report = field(init=False)

    def __post_init__(self) -> None:
        self._flow_report = self.report

    def add(self, node: Node) -> None:
        line = node.line if self._call_line is None else self._call_line
        if node.id in self.nodes:
            # duplicates in the file are dropped before compiling (see `unique_steps`); this is a
            # last guard, e.g. for a sequence called inside a repeat
            self._flow_report.add(line, "steps", f"duplicate step id '{node.id}' (first on line {self.lines[node.id]})")
            return
        self.nodes[node.id] = node
        self.lines[node.id] = line
        if self._call_line is not None:
            self.foreign[node.id] = self._call_line
        for index, transition in enumerate(node.next):
            if id(transition) in self._branch_lines:
                self.condition_lines[(node.id, index)] = self._branch_lines[id(transition)][1]

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
        steps = unique_steps(steps, calls, self.flows, self.raw.id, self.report)
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
                text = self.text(step.value, step, "say") or PLACEHOLDER_TEXT
                self.add(SayNode(node_id, step.line, tuple(nxt), text=text, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "reflect":
                text = self.text(step.value, step, "reflect") or PLACEHOLDER_TEXT
                of = str(step.entry.get("of", ""))
                of = of + suffix if of in local else of
                self.add(ReflectNode(node_id, step.line, tuple(nxt), text=text, of=of, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "summary":
                text = self.text(step.value, step, "summary") or PLACEHOLDER_TEXT
                items = self.summary_items(step, local, suffix)
                self.add(SummaryNode(node_id, step.line, tuple(nxt), text=text, items=items, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "set":
                values = tuple((str(k), v) for k, v in step.value.items())
                self.add(SetNode(node_id, step.line, tuple(nxt), values=values, **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "end":
                end_text = (self.text(step.value, step, "end") or PLACEHOLDER_TEXT) if step.value else None
                if end == END:
                    self.add(EndNode(node_id, step.line, (), text=end_text, **ctx))  # type: ignore[arg-type]
                elif end_text is not None:
                    self.add(SayNode(node_id, step.line, (Transition(end),), text=end_text, **ctx))  # type: ignore[arg-type]
                else:
                    self.add(SetNode(node_id, step.line, (Transition(end),), **ctx))  # type: ignore[arg-type]
                target = node_id
            elif step.kind == "repeat":
                target = self.repeat(step, target if step.next is None else self._single(nxt, step), ctx, end, calls)
                self.entries[node_id] = target
            elif step.kind == "call":
                target = self.call(step, target if step.next is None else self._single(nxt, step), ctx, calls)
                self.entries[node_id] = target
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
                    message = f"condition '{shortened(branch.condition)}': {exc}"
                    self.report.add(branch.line, f"{step.where}.next", message)
            transition = Transition(target, condition, branch.condition or "")
            if condition is not None:
                self._branch_lines[id(transition)] = (transition, branch.line)
            result.append(transition)
        return result

    def text(self, source: object, step: RawStep, key: str) -> Text | None:
        if not isinstance(source, str | int | float) or source == "":
            self.report.add(step.entry.line_of(key), f"{step.where}.{key}", "needs some text")
            return None
        text = str(source)
        self.report.check_length(text, step.entry.line_of(key), f"{step.where}.{key}")
        return compile_or_report(text, step.entry.line_of(key), f"{step.where}.{key}", self.report)

    def summary_items(self, step: RawStep, local: set[str], suffix: str) -> tuple[tuple[str, str], ...]:
        """A summary's answers and what each is called (an id inside the same repeat means this pass's)."""
        of = step.entry.get("of")
        if not isinstance(of, YamlMap):
            return ()  # reported when the step was read
        if not of:
            self.report.add(step.entry.line_of("of"), f"{step.where}.of", "needs at least one answer to hand back")
        items = []
        for answer_id, label in of.items():
            if not isinstance(label, str) or not label.strip():
                self.report.add(of.line_of(answer_id), f"{step.where}.of.{answer_id}", "needs what to call this answer")
                continue
            answer_id = str(answer_id)
            self.report.check_choice_id(answer_id + suffix, of.line_of(answer_id), f"{step.where}.of.{answer_id}")
            items.append((answer_id + suffix if answer_id in local else answer_id, label.strip()))
        return tuple(items)

    def ask(self, step: RawStep, node_id: str, nxt: list[Transition], ctx: dict[str, Any]) -> str:
        question = step_question(step, self.questions, self.report)
        texts = {k: self.text(step.entry[k], step, k) if k in step.entry else None for k in ("text", "carer_text")}
        followups = sorted(question.followups, key=lambda f: FOLLOWUPS.index(f[0])) if question.type == "scale" else []
        chain = nxt
        instead = self.instead(step, question, node_id, chain, ctx)
        if instead is not None:
            chain = [Transition(instead)]
        for kind, wording in reversed(followups):
            fid = f"{node_id}.{kind}"
            fq = followup_question(question, kind, wording)
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

    def instead(
        self, step: RawStep, question: Question, node_id: str, after: list[Transition], ctx: dict[str, Any]
    ) -> str | None:
        """`instead: bank.question`: asked next only when the answer says what should stop (a hope
        said as an absence), to ask what the person would like there instead. Its node id is the
        question's own id (for this pass of a repeat)."""
        wanted = step.entry.get("instead")
        if not isinstance(wanted, str):
            return None
        found = self.questions.get(wanted)
        line, where = step.entry.line_of("instead"), f"{step.where}.instead"
        if found is None:
            self.report.add(line, where, f"unknown question '{wanted}'{did_you_mean(wanted, self.questions)}")
            return None
        if question.type != "text" or found.type != "text":
            self.report.add(line, where, "both this question and the one asked instead must be text questions")
            return None
        if "section" in step.entry:
            found = replace(found, section=question.section)  # practice answers stay practice answers
        if found.acknowledge is None:
            found = replace(found, acknowledge=default_acknowledgement(found))
        suffix = node_id[len(step.id) :]
        instead_id = wanted.rsplit(".", 1)[-1] + suffix
        self.add(AskNode(instead_id, step.line, tuple(after), question=found, instead_of=node_id, **ctx))
        return instead_id

    def repeat(self, step: RawStep, follow: str, ctx: dict[str, Any], end: str, calls: tuple[str, ...]) -> str:
        spec = step.value if isinstance(step.value, Mapping) else {}
        source = str(spec.get("for_each", ""))
        var = str(spec.get("as", "item"))
        raw_ask = find_step(self.raw.steps, source)
        if raw_ask is not None and raw_ask.kind != "ask":
            raw_ask = None
        question = self.questions.get(raw_ask.value, UNKNOWN_QUESTION) if raw_ask is not None else None
        if question is UNKNOWN_QUESTION:
            return follow  # the ask's unknown question is reported already
        if question is None or question.type != "multi":
            if question is not None:
                hint = f" (it is a {question.type.replace('_', '/')} question)"
            else:
                asks = [s.id for s in all_steps(self.raw.steps) if s.kind == "ask"]
                hint = did_you_mean(source, asks)
            self.report.add(
                step.entry.line_of("repeat"),
                f"{step.where}.repeat.for_each",
                f"'{source}' must be the id of a multi-choice ask step in this flow{hint}",
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
        # the called file reports its own problems when it is checked on its own
        saved, outer = self.report, self._call_line
        self.report = Report(callee.file, limits=saved.limits)
        if outer is None:
            self._call_line = step.entry.line_of("call")
        try:
            return self.block(
                callee.steps, follow, end=follow, scope=scope, when=ctx["when"], item=ctx["item"],
                calls=(*calls, callee.id),
            )
        finally:
            self.report, self._call_line = saved, outer

    def expanded(self, steps: list[RawStep], calls: tuple[str, ...] = ()) -> int:
        """How many steps `steps` make once repeats and calls are expanded; it stops counting past
        MAX_STEPS, so a repeat inside a repeat inside a repeat ... is never expanded to find out."""
        total = 0
        for step in steps:
            if step.kind == "repeat":
                spec = step.value if isinstance(step.value, Mapping) else {}
                source = find_step(self.raw.steps, str(spec.get("for_each", "")))
                question = self.questions.get(source.value) if source is not None and source.kind == "ask" else None
                total += max(len(question.choices) if question else 1, 1) * self.expanded(step.body, calls)
            elif step.kind == "call" and step.value in self.flows and step.value not in (*calls, self.raw.id):
                total += self.expanded(self.flows[step.value].steps, (*calls, step.value))
            else:
                total += 1
            if total > MAX_STEPS:
                break
        return total

    def resolve_entries(self) -> None:
        """Point `next: ID` of a repeat or call step at the first node it leads to."""

        def resolve(target: str) -> str:
            seen: set[str] = set()
            while target not in self.nodes and target in self.entries and target not in seen:
                seen.add(target)
                target = self.entries[target]
            return target

        for node_id, node in list(self.nodes.items()):
            new_next = tuple(
                t if resolve(t.target) == t.target else replace(t, target=resolve(t.target)) for t in node.next
            )
            otherwise = resolve(node.otherwise)
            if new_next != node.next or otherwise != node.otherwise:
                self.nodes[node_id] = replace(node, next=new_next, otherwise=otherwise)


@dataclass(frozen=True)
class CompiledFlow:
    start: str
    nodes: dict[str, Node]
    digest: str
    condition_lines: dict[tuple[str, int], int]  # (node id, index in next) -> line of its `if:`
    foreign: dict[str, int]  # nodes from a called sequence -> the line of the call


def compile_flow(
    raw: RawFlow, questions: Mapping[str, Question], flows: Mapping[str, RawFlow], report: Report
) -> CompiledFlow:
    """Compile one flow: its start node id, nodes, content hash and the lines of its conditions."""
    compiler = _Compiler(raw, report, questions, flows)
    if compiler.expanded(raw.steps) > MAX_STEPS:
        report.add(raw.data.line_of("steps"), "steps", TOO_MANY_STEPS)
        return CompiledFlow(END, {}, hashlib.sha256(raw.text.encode()).hexdigest()[:16], {}, {})
    start = compiler.block(raw.steps, END, end=END)
    if raw.data.get("offer_carer_wording"):
        compiler.add(AskNode(FOR_SOMEONE, raw.data.line, (Transition(start),), question=FOR_SOMEONE_QUESTION))
        start = FOR_SOMEONE
    compiler.resolve_entries()
    digest = hashlib.sha256("\n".join([raw.text, *compiler.sources]).encode()).hexdigest()[:16]
    return CompiledFlow(start, compiler.nodes, digest, compiler.condition_lines, compiler.foreign)


__all__ = ["CompiledFlow", "compile_flow"]
