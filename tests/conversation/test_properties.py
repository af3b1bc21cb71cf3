"""Properties under random input (hypothesis, derandomised so CI is stable).

- The engine, over every shipped flow, with random answers, commands, edits of earlier answers,
  restarts, taps on buttons from any earlier prompt and junk: never raises, never loses an answer
  (every Record it emits stays in the live state unless a later change legitimately replaces it),
  and back straight after a forward step returns to the question just answered.
- The whole coach (Coach.handle with SQLite) under random messages, commands and taps: always a
  reply, the saved state always matches the stored answers, and the profile always renders.
- The loader, fed random and mutated YAML: either content, or a ContentError whose problems
  each name one of the files and a line >= 1 in it; never any other exception.
- The Telegram channel (real PTB Application, fake Bot API server): nasty text always gets a
  reply and never a Bot API error.
"""

from __future__ import annotations

import functools
import random
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import current_session
from fake_telegram import FakeTelegram
from fake_telegram.harness import running_bot
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot import engine
from bot.channels.telegram.limits import CONTENT
from bot.content.loader import load_content
from bot.content.model import AskNode, Content, Flow
from bot.conversation import buttons, drafts
from bot.conversation.chat import Incoming, Response
from bot.conversation.coach import Coach
from bot.engine.state import ACTIVE, FINISHED, Answer, Prompt, SessionState, Turn
from bot.errors import ContentError
from bot.profile import render_text
from bot.store.storage import Storage, now_utc

pytestmark = pytest.mark.slow  # property tests under random input

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def shipped() -> Content:
    """Loaded here, not through the fixture, so hypothesis never tries to print the whole content."""
    return load_content(ROOT / "question_banks", ROOT / "flows", limits=CONTENT)

TODAY = date(2026, 11, 23)
PHASES = (Phase.explicit, Phase.generate, Phase.shrink)  # no slow "explain" phase on failure
FLOW_IDS = sorted(p.stem for p in [*(ROOT / "flows").glob("*.yaml"), *(ROOT / "flows" / "sequences").glob("*.yaml")])

NASTY = [
    "",
    " ",
    "\x00\x01\x02\x1b[31mred\x1b[0m\x7f",
    "\u202eevil right-to-left\u202c and \u200fRTL\u200e marks",
    "مرحبا بالعالم \u200f שלום",
    "🙂👨‍👩‍👧‍👦🏳️‍🌈 emoji 🔥" * 3,
    "<b>bold</b> <i>unclosed <a href='javascript:alert(1)'>x</a> &amp; &lt; &",
    "<script>alert('x')</script>",
    "{{ 7*7 }} {% for x in y %}{{ x }}{% endfor %} {# c #} ${name} %s {0} {name}",
    "{{ name }}",
    "/",
    "//",
    "/start",
    "/ start",
    "/back extra words",
    "yes",
    "no",
    "skip",
    "that's all",
    "7",
    "-3",
    "10000000000000000000000",
    "1, 2, 99",
    "next Tuesday",
    "31/02/2026",
    "\n\n\n",
    "\t tabbed \r\n line",
    "\ud7ff\ue000\uffff",
    "x" * 10_000,
    "word " * 2_500,
    "😀" * 3_000,
]
JUNK = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet="0123456789 ,-/.:", max_size=12),
)


# ----- the engine -----


def sensible(prompt: Prompt, n: int) -> engine.Event:
    """An answer that fits the prompt (varied by n), so random runs get deep into long flows."""
    if prompt.kind == "scale" and prompt.scale:
        low, high = prompt.scale
        return engine.text(str(low + n % (high - low + 1))) if n % 3 else engine.pick(prompt.node_id, str(high - n % 2))
    if prompt.kind in ("choice", "reflect") and prompt.choices:
        if prompt.kind == "reflect" and n % 4 == 3:
            return engine.text(f"in my own words {n}")
        return engine.pick(prompt.node_id, prompt.choices[n % len(prompt.choices)][0])
    if prompt.kind == "multi" and prompt.choices:
        if prompt.picked and n % 2:
            return engine.pick(prompt.node_id, "done")
        return engine.pick(prompt.node_id, prompt.choices[n % len(prompt.choices)][0])
    if prompt.kind == "yes_no":
        return engine.text(("yes", "no", "Yes please", "nope")[n % 4])
    if prompt.kind == "list":
        return engine.text("that's all" if prompt.current and n % 2 else f"My neighbour number {n}")
    if prompt.kind == "date":
        return engine.text(("next Tuesday", "tomorrow", "3 March 2027", "in two weeks")[n % 4])
    return engine.text(f"Getting out to the park, answer {n}")


def prompts_of(turn: Turn) -> list[Prompt]:
    return [r.prompt for r in turn.replies if r.prompt is not None]


def followups_of(flow: Flow, scale_id: str) -> set[str]:
    return {n.id for n in flow.nodes.values()
            if isinstance(n, AskNode) and n.followup is not None and n.followup.of == scale_id}


class Ledger:
    """What the engine promised to store, replayed: it must always equal the live answers."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.answers: dict[str, Answer] = {}

    def apply(self, turn: Turn) -> None:
        for record in turn.records:
            before = self.answers.get(record.node_id)
            if before is not None and before.value != record.answer.value:
                for followup in followups_of(self.flow, record.node_id):  # "a 6 and not lower" is now wrong
                    self.answers.pop(followup, None)
            self.answers[record.node_id] = record.answer

    def check(self, state: SessionState, what: str) -> None:
        assert state.answers == self.answers, (
            f"after {what}: live answers differ from the Records emitted\n"
            f"lost or changed: {sorted(k for k in self.answers if state.answers.get(k) != self.answers[k])}\n"
            f"never recorded: {sorted(k for k in state.answers if k not in self.answers)}")


ENGINE_ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("text"), JUNK),
    st.tuples(st.just("command"), st.sampled_from(["back", "skip", "pause", "resume", "why", "repeat", "dance", ""])),
    st.tuples(st.just("edit"), st.integers(0, 99)),
    st.tuples(st.just("tap"), st.integers(0, 10_000)),
    st.tuples(st.just("again"), st.just(0)),
    st.tuples(st.just("restart"), st.just(0)),
), min_size=10, max_size=80)


def run_engine(flow: Flow, actions: list[tuple[str, Any]]) -> None:
    turn = engine.begin(flow)
    state = turn.state
    ledger = Ledger(flow)
    ledger.apply(turn)
    ledger.check(state, "begin")
    seen: list[Prompt] = prompts_of(turn)
    current = seen[-1] if seen else None
    for step, (kind, arg) in enumerate(actions):
        what = f"step {step} {kind} {arg!r:.60}"
        if kind == "restart":
            turn = engine.begin(flow)
            ledger = Ledger(flow)
        elif kind == "again":
            turn = engine.ask_again(flow, state)
        else:
            if kind == "answer":
                prompt = current or next(iter(prompts_of(engine.ask_again(flow, state))), None)
                event = sensible(prompt, arg) if prompt is not None else engine.text("hello")
            elif kind == "text":
                event = engine.text(arg)
            elif kind == "command":
                event = engine.command(arg)
            elif kind == "edit":
                keys = sorted(state.answers) + ["no-such-step"]
                event = engine.edit(keys[arg % len(keys)])
            else:  # a tap on any button any earlier prompt showed (stale, current, or a control)
                if not seen:
                    continue
                old = seen[arg % len(seen)]
                values = [v for v, _ in old.choices] + ["done", "other", "yes", "no", "~back"]
                if old.scale:
                    values += [str(old.scale[0]), str(old.scale[1]), str(old.scale[1] + 1)]
                event = engine.pick(old.node_id, values[(arg // 7) % len(values)])
            before = state
            turn = engine.handle(flow, state, event, today=TODAY)
            if (kind == "answer" and before.status == ACTIVE and turn.records and before.node is not None
                    and turn.state.status == ACTIVE and turn.state.node not in (None, before.node)
                    and turn.state.path == [*before.path, before.node]):
                back = engine.handle(flow, turn.state, engine.command("back"), today=TODAY)
                assert back.state.node == before.node, f"{what}: back after forward went to {back.state.node}"
                assert not back.records and back.state.answers == turn.state.answers
                assert prompts_of(back) and prompts_of(back)[-1].node_id == before.node
        ledger.apply(turn)
        state = turn.state
        ledger.check(state, what)
        assert state.status in (ACTIVE, "paused", FINISHED)
        assert state.status == FINISHED or state.node in flow.nodes, f"{what}: at unknown step {state.node}"
        # the coach adds the end-of-flow check, so only finishing a flow may be silent here
        assert turn.replies or state.status == FINISHED, f"{what}: the engine said nothing"
        new = prompts_of(turn)
        seen += new
        current = new[-1] if new else None
    SessionState.from_dict(state.to_dict())  # the state still round-trips for storage


@pytest.mark.parametrize("flow_id", FLOW_IDS)
@settings(max_examples=60, deadline=None, derandomize=True, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ENGINE_ACTIONS)
def test_engine_never_raises_never_loses_an_answer_and_back_returns(flow_id: str,
                                                                    actions: list[tuple[str, Any]]) -> None:
    run_engine(shipped().flows[flow_id], actions)


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_flow_can_be_walked_to_its_end_with_sensible_answers(content: Content, flow_id: str) -> None:
    """The generator above is only useful if sensible answers really get through each flow."""
    flow = content.flows[flow_id]
    turn = engine.begin(flow)
    ledger = Ledger(flow)
    for n in range(2_000):
        if turn.state.status == FINISHED:
            break
        prompt = (prompts_of(turn) or prompts_of(engine.ask_again(flow, turn.state)))[-1]
        turn = engine.handle(flow, turn.state, sensible(prompt, n), today=TODAY)
        ledger.apply(turn)
        ledger.check(turn.state, f"turn {n}")
    assert turn.state.status == FINISHED


def test_a_tap_that_fits_no_choice_of_a_multi_question_still_gets_a_reply(coach: Coach) -> None:
    """Found by the property above: on a multi-choice question, a button value that is not one of
    its choices (an old keyboard after the flow changed, or a forged callback) got no reply at all."""
    coach.handle("p", Incoming("command", command="start"))
    coach.handle("p", Incoming("tap", data="f:where_now"))
    flow = coach.content.flows["where_now"]
    for _ in range(50):
        found = current_session(coach, "p")
        assert found is not None
        session_id, _, state = found
        node = flow.nodes[state.node or ""]
        if isinstance(node, AskNode) and node.question.type == "multi":
            break
        prompt = prompts_of(engine.ask_again(flow, state))[-1]
        event = sensible(prompt, 0)
        data = f"a:{session_id}:{buttons.node_tag(prompt.node_id)}:{event.value}" if event.kind == "pick" else ""
        coach.handle("p", Incoming("tap", data=data) if data else Incoming("text", text=event.text))
    else:
        raise AssertionError("never reached a multi-choice question")
    response = coach.handle("p", Incoming("tap", data=f"a:{session_id}:{buttons.node_tag(node.id)}:gone"))
    assert response.messages, "a tap on a multi-choice question with an unknown value got no reply"
    direct = engine.handle(flow, state, engine.pick(node.id, "gone"), today=TODAY)
    assert direct.replies, "engine: _Run.tapped says nothing for a multi question and an unknown value"


@pytest.mark.parametrize("said", ["²", "³", "¹", "①", "⑵", "٣", "7²"])
def test_unicode_digits_typed_to_a_choice_question_are_not_a_crash(said: str) -> None:
    """Found by the property above: "²".isdigit() is True but int("²") raises ValueError, so
    answer_parsing.parse_choice crashed the engine (and with it the whole turn)."""
    flow = shipped().flows["example"]
    turn = engine.begin(flow)
    prompt = prompts_of(turn)[-1]
    assert prompt.kind == "choice"
    after = engine.handle(flow, turn.state, engine.text(said), today=TODAY)
    assert after.replies


def test_unicode_digits_typed_to_the_coach_are_not_a_crash(coach: Coach) -> None:
    coach.handle("p", Incoming("command", command="start"))
    coach.handle("p", Incoming("tap", data="f:example"))
    assert coach.handle("p", Incoming("text", text="²")).messages  # the first question is a choice


def test_a_review_page_button_with_a_unicode_digit_is_not_a_crash(coach: Coach) -> None:
    """review.tap: `arg.isdigit()` then `int(arg)`; callback data can be anything a client sends."""
    coach.handle("p", Incoming("command", command="start"))
    coach.handle("p", Incoming("tap", data="f:example"))
    coach.handle("p", Incoming("text", text="1"))
    assert coach.handle("p", Incoming("tap", data="r:p:²")).messages


def test_unicode_digits_typed_in_the_terminal_are_not_a_crash(coach: Coach) -> None:
    from bot.channels.console import Console

    said = iter(["²", "/quit"])  # typed while the menu's buttons are numbered
    out: list[str] = []
    console = Console(coach, "cli:p", read=lambda _: next(said, None), write=out.append)
    assert console.tappable == []
    assert console.run("") == 0
    assert out[-1].startswith("Goodbye")


# ----- the whole coach -----


COACH_COMMANDS = ["back", "skip", "pause", "resume", "why", "restart", "review", "summary", "card", "menu", "help",
                  "start", "privacy", "repeat", "nonsense"]
COACH_ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("answer"), st.integers(0, 99)),
    st.tuples(st.just("text"), JUNK),
    st.tuples(st.just("command"), st.sampled_from(COACH_COMMANDS)),
    st.tuples(st.just("tap"), st.integers(0, 10_000)),
    st.tuples(st.just("change"), st.integers(0, 99)),
    st.tuples(st.just("edit"), JUNK),
    st.tuples(st.just("sticker"), st.just("sticker")),
), min_size=10, max_size=40)


def check_saved_state_matches_answers(coach: Coach, person: str, what: str) -> None:
    """Every answer in each saved session state is the latest stored version of that answer."""
    stored = {(a.session_id, a.node_id): a.answer for a in coach.storage.answers(person)}
    for row in coach.storage.sessions(person):
        found = coach.storage.session(row["id"])
        assert found is not None
        for node_id, answer in found[1].answers.items():
            assert stored.get((row["id"], node_id)) == answer, f"after {what}: {node_id} in the state is not stored"


def question_buttons(response: Response) -> list[str]:
    return [b.data for m in response.messages for row in m.buttons for b in row]


def run_coach(content: Content, flow_id: str, actions: list[tuple[str, Any]], tmp: Path) -> None:
    storage = Storage(tmp / "coach.db")
    coach = Coach(content, storage)
    person = "fuzz:1"
    try:
        coach.handle(person, Incoming("command", command="start"))
        response = coach.handle(person, Incoming("tap", data=f"f:{flow_id}"))
        assert any(m.is_question for m in response.messages)
        taps = question_buttons(response)
        last_question = [m for m in response.messages if m.is_question]
        refs = 0
        for step, (kind, arg) in enumerate(actions):
            what = f"step {step} {kind} {arg!r:.60}"
            if kind == "answer":
                current = [b.data for row in last_question[-1].buttons for b in row] if last_question else []
                answers = [d for d in current if not d.rsplit(":", 1)[-1].startswith("~")]
                if answers and arg % 3:
                    incoming = Incoming("tap", data=answers[arg % len(answers)])
                else:
                    refs += 1
                    words = ("7", "yes", "that's all", "next Tuesday", f"Seeing my friends {arg}")[arg % 5]
                    incoming = Incoming("text", text=words, ref=str(refs))
            elif kind == "text":
                refs += 1
                incoming = Incoming("text", text=arg, ref=str(refs))
            elif kind == "command":
                incoming = Incoming("command", command=arg, arg=flow_id if arg == "start" else "")
            elif kind == "tap":
                if not taps:
                    continue
                incoming = Incoming("tap", data=taps[arg % len(taps)])
            elif kind == "change":
                ids = [a.id for a in storage.answers(person)] + [999_999]
                incoming = Incoming("tap", data=f"r:c:{ids[arg % len(ids)]}")
            elif kind == "edit":
                incoming = Incoming("edit", text=arg, ref=str(max(refs, 1)))
            else:
                incoming = Incoming("other", text="sticker")
            response = coach.handle(person, incoming)
            assert response.messages or response.ack, f"{what}: no reply at all"
            assert all(m.text or m.html or m.attachment for m in response.messages), f"{what}: an empty message"
            taps += question_buttons(response)
            questions = [m for m in response.messages if m.is_question]
            if questions:
                last_question = questions
            check_saved_state_matches_answers(coach, person, what)
        data = drafts.read_person(storage, person)
        profile = drafts.person_profile(data, coach.content, coach.clock())
        assert render_text(profile).strip()
        assert drafts.draft_messages(profile)
        assert drafts.card_messages(profile)
        for fmt in ("md", "json", "png"):
            for attachment in drafts.draft_files(data, coach.content, coach.clock(), fmt):
                assert attachment.content
    finally:
        storage.close()


@pytest.mark.parametrize("flow_id", [f for f in FLOW_IDS if f != "ending"])
@settings(max_examples=15, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(actions=COACH_ACTIONS)
def test_coach_always_replies_keeps_state_and_answers_together_and_the_profile_renders(
        flow_id: str, actions: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run_coach(shipped(), flow_id, actions, Path(tmp))


def test_the_profile_renders_as_pdf_after_a_random_run(content: Content, tmp_path: Path) -> None:
    rng = random.Random(8)
    actions = [("answer", rng.randrange(100)) if rng.random() < 0.7 else ("text", rng.choice(NASTY))
               for _ in range(60)]
    run_coach(content, "meeting", actions, tmp_path)
    storage = Storage(tmp_path / "coach.db")
    try:
        files = drafts.draft_files(drafts.read_person(storage, "fuzz:1"), content, now_utc(), "pdf")
        assert files and files[0].content.startswith(b"%PDF")
    finally:
        storage.close()


def test_a_stale_more_answers_button_does_not_show_an_impossible_page(coach: Coach) -> None:
    """A "More answers" button (r:p:N) from an older /review, tapped after answers were deleted
    (or a restart of the list), showed "Your answers (19–18 of 1)" with no answers in it."""
    coach.handle("p", Incoming("command", command="start"))
    coach.handle("p", Incoming("tap", data="f:example"))
    coach.handle("p", Incoming("text", text="1"))
    coach.handle("p", Incoming("text", text="Sam"))
    response = coach.handle("p", Incoming("tap", data="r:p:3"))
    assert response.messages
    for message in response.messages:
        for start, end in re.findall(r"\((\d+)–(\d+) of \d+\)", message.text):
            assert int(start) <= int(end), f"an impossible page: {message.text!r}"


# ----- the loader -----


def _copy_content(tmp: Path) -> tuple[Path, Path]:
    banks, flows = tmp / "question_banks", tmp / "flows"
    shutil.copytree(ROOT / "question_banks", banks)
    flows.mkdir()
    return banks, flows


def assert_problems_point_into(error: ContentError, files: list[Path]) -> None:
    assert error.problems, "a ContentError with no problems"
    lines = {str(f): max(1, len(f.read_text(encoding="utf-8", errors="replace").splitlines())) for f in files}
    for problem in error.problems:
        assert problem.file, f"a problem with no file: {problem}"
        assert isinstance(problem.line, int) and problem.line >= 1, f"a problem with no line: {problem!r}"
        assert problem.message.strip(), f"a problem with no message: {problem!r}"
        if problem.file in lines:
            assert problem.line <= lines[problem.file] + 1, f"line past the end of the file: {problem!r}"


def load_with(tmp: Path, name: str, text: str | bytes, *, bank: bool = False) -> None:
    banks, flows = tmp / "question_banks", tmp / "flows"
    target = (banks if bank else flows) / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    try:
        load_content(banks, flows, limits=CONTENT)
    except ContentError as error:
        assert_problems_point_into(error, [target, *banks.glob("*.yaml")])
    finally:
        target.unlink()


YAML_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 12), st.text(max_size=20),
                         st.sampled_from(["{{ name }}", "{% if x %}", "{{", "ask", "end", "scale", "example.name"]))
YAML_KEYS = st.sampled_from(["id", "title", "steps", "questions", "ask", "say", "next", "if", "then", "type", "text",
                             "choices", "min", "max", "intro", "closing", "audience", "when", "repeat", "set",
                             "goto", "end", "question", "bank", "for_each", "followup", "minutes", "x", ""])
YAML_TREES = st.recursive(YAML_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(YAML_KEYS, inner, max_size=5)), max_leaves=25)


@pytest.fixture(scope="module")
def loader_dir() -> Any:
    """The shipped banks and an empty flows folder (for mutating shipped files)."""
    with tempfile.TemporaryDirectory() as tmp:
        _copy_content(Path(tmp))
        yield Path(tmp)


@pytest.fixture(scope="module")
def small_loader_dir() -> Any:
    """One small bank and an empty flows folder: random files load fast against it."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "question_banks").mkdir()
        (Path(tmp) / "flows").mkdir()
        shutil.copy(ROOT / "question_banks" / "example.yaml", Path(tmp) / "question_banks" / "example.yaml")
        yield Path(tmp)


@settings(max_examples=150, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tree=YAML_TREES, as_bank=st.booleans())
def test_random_yaml_structures_give_problems_with_file_and_line(small_loader_dir: Path, tree: Any,
                                                                as_bank: bool) -> None:
    load_with(small_loader_dir, "fuzzed.yaml", yaml.safe_dump(tree, allow_unicode=True), bank=as_bank)


@settings(max_examples=150, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=200),
                      st.text(alphabet=":-[]{}#&*!|>'\"%@` \n\tabc12", max_size=200)))
def test_random_text_as_yaml_gives_problems_with_file_and_line(small_loader_dir: Path, text: str | bytes) -> None:
    load_with(small_loader_dir, "fuzzed.yaml", text)


SHIPPED = sorted([*(ROOT / "flows").glob("*.yaml"), *(ROOT / "flows" / "sequences").glob("*.yaml"),
                  *(ROOT / "question_banks").glob("*.yaml")])


@pytest.mark.parametrize("text", ["[" * 400 + "]" * 400, "{a: " * 1000 + "1" + "}" * 1000,
                                  "".join(f"{'  ' * i}k{i}:\n" for i in range(900)) + "  " * 900 + "x: 1\n"],
                         ids=["nested-lists", "nested-flow-maps", "nested-block-maps"])
@pytest.mark.parametrize("as_bank", [False, True])
def test_deeply_nested_yaml_is_a_problem_not_a_recursion_error(small_loader_dir: Path, text: str,
                                                               as_bank: bool) -> None:
    """Found by fuzzing: a few hundred levels of nesting (a 1 KB file) made yaml_source.load_yaml
    raise RecursionError, which loader._parse does not catch, so `coach validate` showed a traceback."""
    load_with(small_loader_dir, "deep.yaml", text, bank=as_bank)


@settings(max_examples=30, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(which=st.integers(0, len(SHIPPED) - 1), edits=st.lists(st.tuples(
    st.sampled_from(["delete_line", "duplicate_line", "indent", "dedent", "swap", "truncate", "insert", "replace"]),
    st.integers(0, 10_000), st.sampled_from([": :", "- ", "{{ x", "{%", "\t", "'", '"', "&a", "*a", "!!python/none",
                                              "next: nowhere", "type: scale", "min: 9", "max: 1", "id: ", "#", "",
                                              "ask: example.nope", "if: answer >", "{{ 7*7 }}", "%"])),
    min_size=1, max_size=4))
def test_mutated_shipped_files_give_problems_with_file_and_line(loader_dir: Path, which: int,
                                                                edits: list[tuple[str, int, str]]) -> None:
    source = SHIPPED[which]
    lines = source.read_text(encoding="utf-8").splitlines()
    for action, at, piece in edits:
        i = at % max(len(lines), 1)
        if not lines:
            lines = [piece]
        elif action == "delete_line":
            del lines[i]
        elif action == "duplicate_line":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "swap":
            j = (at // 3) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: len(lines[-1]) // 2]
        elif action == "insert":
            lines.insert(i, piece)
        else:
            line = lines[i]
            cut = (at // 5) % (len(line) + 1)
            lines[i] = line[:cut] + piece + line[cut:]
    is_bank = source.parent.name == "question_banks"
    text = "\n".join(lines) + "\n"
    if is_bank:  # replace the shipped bank of the same name
        original = (loader_dir / "question_banks" / source.name).read_text(encoding="utf-8")
        try:
            load_with(loader_dir, source.name, text, bank=True)
        finally:
            (loader_dir / "question_banks" / source.name).write_text(original, encoding="utf-8")
    else:
        load_with(loader_dir, source.name, text)


# ----- the Telegram channel -----


def telegram_texts() -> list[str]:
    rng = random.Random(20261123)
    pool = ("\x00\x07\x08\x0b\x0c\x1b\x7f\u200b\u200d\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff"
            "<>&\"'{}%#\\/*_`~[]()|" "🙂😀👍🏽🇬🇧👨‍👩‍👧\U0001f9d1\u0301 abcXYZ 123 مرحبا שלום 你好 ")
    texts = [t for t in NASTY if t.strip() and not t.startswith("/")]
    texts += ["<b>not bold</b>", "&lt;b&gt;", "<pre>", "</i>", "<a href=\"tg://user?id=1\">x</a>",
              "{{ 7*7 }}", "{% raw %}{{ x }}{% endraw %}", "${7*7}", "#{7*7}", "*bold* _it_ `code` [l](http://x)",
              "\u202e" + "x" * 4095, "é" * 4096, "😀" * 2049, "a\n" * 3000]
    for _ in range(8):
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 200))))
    return texts


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def test_nasty_text_through_telegram_always_gets_a_reply_and_no_api_error(server: FakeTelegram,
                                                                               content: Content,
                                                                               tmp_path: Path) -> None:
    storage = Storage(tmp_path / "coach.db")
    try:
        async with running_bot(server, Coach(content, storage)):
            alex = server.user(1001)
            texts = telegram_texts()
            for number, words in enumerate(texts):
                if number in (0, len(texts) // 3):  # outside a conversation, then inside two flows
                    alex.send_text("/start" if number == 0 else "/menu")
                    await alex.wait_for_replies()
                    alex.tap(alex.last_keyboard(), "f:example" if number == 0 else "f:about_me")
                    await alex.wait_for_replies()
                    if number:  # "Who are we thinking about?" needs a tap; then free-text questions
                        alex.tap(alex.last_keyboard(), "Me")
                        await alex.wait_for_replies()
                alex.send_text(words)
                replies = await alex.wait_for_replies()
                assert replies, f"no reply to text #{number} {words[:40]!r}\n{server.dump()}"
                assert server.errors() == [], f"Bot API errors after text #{number} {words[:40]!r}"
            for words in ("{{ 7*7 }} <b>\u202e", "😀" * 3_000, "x" * 10_000):  # edited messages too
                alex.edit(alex.send_text("My neighbour"), words)
                assert await alex.wait_for_replies(), f"no reply to an edit to {words[:20]!r}"
                assert server.errors() == [], f"Bot API errors after an edit to {words[:20]!r}"
            saved = [a.answer.text for a in storage.answers("tg:1001")]
            assert any(text in saved for text in texts), "none of the texts was saved as an answer"
            for command in ("/summary", "/card", "/review", "/export md"):  # the junk, shown back as a draft
                alex.send_text(command)
                assert await alex.wait_for_replies(), f"no reply to {command}"
                assert server.errors() == [], f"Bot API errors after {command}"
            await server.settle()
    finally:
        storage.close()
    assert server.errors() == []
    sends = server.calls_to("sendMessage")
    assert sends and all(c.ok for c in sends)
