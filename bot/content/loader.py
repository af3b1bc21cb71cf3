"""Read question banks and flows from disk into `Content`, or fail with every problem at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.content.banks import compile_or_report, load_bank
from bot.content.checks import check_flow
from bot.content.compiler import CompiledFlow, compile_flow
from bot.content.model import Content, Flow, Question, Text
from bot.content.report import Limits, Report
from bot.content.steps import RawFlow, read_flow
from bot.content.yaml_lines import YamlMap, YamlSyntaxError, load_yaml
from bot.errors import ContentError, Problem

MAX_FILE_BYTES = 1_000_000


def load_content(
    banks_dir: Path, flows_dir: Path, extra: Iterable[Path] = (), *, limits: Limits | None = None
) -> Content:
    """Load every bank and flow; raise ContentError listing every problem found.

    `extra` files or folders replace shipped files of the same name. `limits` are those of the
    channel the content is shown on (its text length and button data); None checks neither.
    """
    missing = [Problem(str(folder), 0, "", f"no such folder; the coach looks for its {what} here "
                       f"(run it from the repository folder, or set {setting})")
               for folder, what, setting in ((banks_dir, "question banks", "COACH_BANKS_DIR"),
                                             (flows_dir, "flows", "COACH_FLOWS_DIR")) if not folder.is_dir()]
    if missing:
        raise ContentError(missing)
    bank_files = sorted(banks_dir.glob("*.yaml"))
    flow_files = [(p, True) for p in sorted(flows_dir.glob("*.yaml"))]
    flow_files += [(p, False) for p in sorted((flows_dir / "sequences").glob("*.yaml"))]
    for path in extra:
        for file in sorted(path.rglob("*.yaml")) if path.is_dir() else [path]:
            if _looks_like_bank(file):
                bank_files = [b for b in bank_files if b.stem != file.stem] + [file]
            else:
                flow_files = [(f, listed) for f, listed in flow_files if f.stem != file.stem]
                flow_files.append((file, file.parent.name != "sequences"))
    return _load(bank_files, flow_files, limits)


def _looks_like_bank(path: Path) -> bool:
    if path.parent.name == "question_banks":
        return True
    try:
        data = load_yaml(_read(path))
    except (YamlSyntaxError, OSError, UnicodeDecodeError):
        return False
    return isinstance(data, YamlMap) and "questions" in data


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise OSError(f"file is larger than {MAX_FILE_BYTES} bytes")
    return path.read_text(encoding="utf-8")


def _parse(path: Path, problems: list[Problem]) -> tuple[str, object] | None:
    try:
        text = _read(path)
        return text, load_yaml(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(str(path), exc.line, "", exc.message))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, "", f"cannot read the file: {exc}"))
    return None


def _load(bank_files: list[Path], flow_files: list[tuple[Path, bool]], limits: Limits | None) -> Content:
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    for path in bank_files:
        parsed = _parse(path, problems)
        if parsed is None:
            continue
        report = Report(str(path), limits=limits)
        for question in load_bank(path.stem, parsed[1], report):
            questions[question.id] = question
        problems.extend(report.problems)
    raw_flows: dict[str, RawFlow] = {}
    reports: dict[str, Report] = {}
    for path, listed in flow_files:
        parsed = _parse(path, problems)
        if parsed is None:
            continue
        report = Report(str(path), limits=limits)
        if path.stem in raw_flows:
            report.add(1, "", f"a flow or sequence called '{path.stem}' already exists in {raw_flows[path.stem].file}")
        raw = read_flow(path.stem, str(path), parsed[0], parsed[1], report, listed=listed)
        reports[path.stem] = report
        if raw is not None:
            raw_flows.setdefault(path.stem, raw)
    flows: dict[str, Flow] = {}
    for flow_id, raw in raw_flows.items():
        report = reports[flow_id]
        compiled = compile_flow(raw, questions, raw_flows, report)
        own_texts = _own_texts(raw, report)
        if compiled.nodes:
            check_flow(
                compiled.start,
                compiled.nodes,
                report,
                condition_lines=compiled.condition_lines,
                texts=[(raw.data.line_of(key), key, text) for key, text in own_texts.items() if text is not None],
                foreign=compiled.foreign,
            )
        flows[flow_id] = _flow(raw, compiled, own_texts)
    for report in reports.values():
        problems.extend(report.problems)
    if problems:
        raise ContentError(problems)
    return Content(questions, flows)


def _own_texts(raw: RawFlow, report: Report) -> dict[str, Text | None]:
    """The flow's intro and closing, compiled (problems go to `report`)."""
    texts: dict[str, Text | None] = {}
    for key in ("intro", "closing"):
        value = raw.data.get(key)
        ok = isinstance(value, str) and value.strip()
        texts[key] = compile_or_report(value, raw.data.line_of(key), key, report) if ok else None  # type: ignore[arg-type]
    return texts


def _flow(raw: RawFlow, compiled: CompiledFlow, texts: dict[str, Text | None]) -> Flow:
    data = raw.data
    minutes, order = data.get("minutes", 10), data.get("order", 0)
    return Flow(
        id=raw.id,
        title=str(data.get("title") or raw.id),
        audience=str(data.get("audience") or "person"),
        description=str(data.get("description") or ""),
        minutes=minutes if isinstance(minutes, int) else 10,
        intro=texts["intro"],
        closing=texts["closing"],
        start=compiled.start,
        nodes=compiled.nodes,
        content_hash=compiled.digest,
        offer_carer_wording=data.get("offer_carer_wording") is True,
        show_practice_notes=data.get("show_practice_notes") is True,
        listed=raw.listed,
        end_with_card=data.get("end_with_card") is True,
        order=order if isinstance(order, int) and not isinstance(order, bool) else 0,
    )
