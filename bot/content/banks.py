"""Question bank files -> `Question`s, reporting every structural problem with its line."""

from __future__ import annotations

import re

from bot.content.builtin import acknowledgements, default_followups
from bot.content.model import CARD_PARTS, FOLLOWUPS, QUESTION_TYPES, SECTIONS, TECHNIQUES, Choice, Question, Text
from bot.content.report import Report, as_mapping, as_sequence, kind
from bot.content.text import TemplateSyntaxError, compile_text
from bot.content.yaml_lines import YamlList, YamlMap

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
COMMON_KEYS = (
    "id",
    "type",
    "text",
    "carer_text",
    "why",
    "hint",
    "practice_note",
    "technique",
    "section",
    "skippable",
    "reask",
    "max_reasks",
    "on_max_reasks",
    "card",
    "private",
    "acknowledge",
    "unused",
)
TYPE_KEYS = {
    "text": (),
    "scale": ("min", "max", "min_label", "max_label", "followups"),
    "choice": ("choices", "other"),
    "multi": ("choices", "other"),
    "yes_no": (),
    "list": ("more_text", "max_items"),
    "date": ("future_only",),
}
ALL_TYPE_KEYS = tuple(k for keys in TYPE_KEYS.values() for k in keys)
REQUIRED = ("id", "type", "text", "why", "practice_note", "technique", "section")


def slug(text: str) -> str:
    """An id made from text: 'Food and drink' -> 'food_and_drink'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "option"


def compile_or_report(source: str, line: int, where: str, report: Report) -> Text | None:
    try:
        return compile_text(source)
    except TemplateSyntaxError as exc:
        report.add(line + max(0, (exc.lineno or 1) - 1), where, f"template does not compile: {exc.message}")
        return None


def load_bank(bank_id: str, data: object, report: Report) -> list[Question]:
    """Read one bank's data; problems go to `report`."""
    top = as_mapping(data, 1, "", report)
    if top is None:
        return []
    report.check_keys(top, "", ("title", "description", "questions"), ("title", "questions"))
    items = as_sequence(top.get("questions"), top.line_of("questions"), "questions", report)
    if items is None:
        return []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(items):
        where = f"questions[{index}]"
        entry = as_mapping(raw, items.line_of(index), where, report)
        if entry is None:
            continue
        question = _question(bank_id, entry, where, report)
        if question is None:
            continue
        if question.id in seen:
            report.add(
                entry.line_of("id"),
                f"{where}.id",
                f"duplicate id '{question.id.split('.', 1)[1]}' (first on line {seen[question.id]})",
            )
            continue
        seen[question.id] = entry.line_of("id")
        questions.append(question)
    return questions


def _question(bank_id: str, entry: YamlMap, where: str, report: Report) -> Question | None:
    qtype = report.one_of(entry, "type", where, QUESTION_TYPES, None)
    allowed = COMMON_KEYS + (TYPE_KEYS[qtype] if qtype else ALL_TYPE_KEYS)
    for key in entry:
        if qtype and key in ALL_TYPE_KEYS and key not in TYPE_KEYS[qtype]:
            report.add(entry.line_of(key), where, f"'{key}' only applies to other question types, not '{qtype}'")
    report.check_keys(entry, where, tuple(k for k in allowed) + ALL_TYPE_KEYS, REQUIRED)
    qid = entry.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        if qid is not None:
            report.add(entry.line_of("id"), f"{where}.id", f"'{qid}' is not a valid id (use lower_case_words)")
        return None
    texts = {k: report.text(entry, k, where, required=True) for k in ("text", "why", "practice_note")}
    text = compile_or_report(texts["text"] or "", entry.line_of("text"), f"{where}.text", report)
    carer_source = report.text(entry, "carer_text", where)
    carer = (
        compile_or_report(carer_source, entry.line_of("carer_text"), f"{where}.carer_text", report)
        if carer_source
        else None
    )
    # every field is checked before giving up, so an unknown type never hides other mistakes
    common = dict(
        id=f"{bank_id}.{qid}",
        type=qtype,
        text=text,
        carer_text=carer,
        why=texts["why"] or "",
        practice_note=texts["practice_note"] or "",
        technique=report.one_of(entry, "technique", where, TECHNIQUES, "reflection") or "reflection",
        section=report.one_of(entry, "section", where, SECTIONS, "none") or "none",
        hint=report.text(entry, "hint", where),
        skippable=report.flag(entry, "skippable", where, True),
        reask=report.text(entry, "reask", where),
        max_reasks=report.integer(entry, "max_reasks", where, 2),
        on_max_reasks=report.one_of(entry, "on_max_reasks", where, ("skip", "keep_text"), "skip") or "skip",
        card=report.one_of(entry, "card", where, CARD_PARTS, None),
        private=report.flag(entry, "private", where, False),
        acknowledge=parse_acknowledge(entry, where, report, acknowledgements(qtype, entry.get("section"))),
        unused=report.text(entry, "unused", where),
    )
    if text is None or qtype is None:
        return None
    if qtype == "scale":
        return Question(**common, **_scale(entry, where, report))  # type: ignore[arg-type]
    if qtype in ("choice", "multi"):
        return Question(
            **common,  # type: ignore[arg-type]
            choices=_choices(entry, where, report),
            other=report.flag(entry, "other", where, False),
        )
    if qtype == "list":
        return Question(
            **common,  # type: ignore[arg-type]
            more_text=report.text(entry, "more_text", where),
            max_items=report.integer(entry, "max_items", where, 10),
        )
    if qtype == "date":
        return Question(**common, future_only=report.flag(entry, "future_only", where, False))  # type: ignore[arg-type]
    return Question(**common)  # type: ignore[arg-type]


def _scale(entry: YamlMap, where: str, report: Report) -> dict[str, object]:
    low = report.integer(entry, "min", where, 0)
    high = report.integer(entry, "max", where, 10)
    if low >= high:
        report.add(entry.line_of("max"), f"{where}.max", f"max ({high}) must be more than min ({low})")
    return dict(
        min=low,
        max=high,
        min_label=report.text(entry, "min_label", where),
        max_label=report.text(entry, "max_label", where),
        followups=parse_followups(entry, where, report, default=default_followups(entry.get("technique"))),
    )


def parse_followups(
    entry: YamlMap, where: str, report: Report, default: tuple[str, ...] | None
) -> tuple[tuple[str, Text | None], ...] | None:
    """`followups:` as a list of kinds or a mapping of kind -> own wording (None = absent)."""
    if "followups" not in entry:
        return None if default is None else tuple((k, None) for k in default)
    raw = entry["followups"]
    line = entry.line_of("followups")
    if raw is None or raw == []:
        return ()
    pairs: list[tuple[str, object]] = []
    if isinstance(raw, YamlList):
        pairs = [(str(k), None) for k in raw]
    elif isinstance(raw, YamlMap):
        pairs = list(raw.items())
    else:
        report.add(line, f"{where}.followups", f"must be a list or a mapping, not {kind(raw)}")
        return ()
    result: list[tuple[str, Text | None]] = []
    for name, wording in pairs:
        if name not in FOLLOWUPS:
            from bot.content.report import did_you_mean

            report.add(line, f"{where}.followups", f"unknown follow-up '{name}'{did_you_mean(name, FOLLOWUPS)}")
            continue
        text = compile_or_report(str(wording), line, f"{where}.followups.{name}", report) if wording else None
        result.append((name, text))
    return tuple(result)


def parse_acknowledge(
    entry: YamlMap, where: str, report: Report, own: tuple[Text, ...]
) -> tuple[Text, ...] | None:
    """`acknowledge:` as true (`own`: the section's lines), false (none), a line or a list of lines;
    None when it is not given (the compiler then decides by the section)."""
    if "acknowledge" not in entry:
        return None
    raw, line, at = entry["acknowledge"], entry.line_of("acknowledge"), f"{where}.acknowledge"
    if raw is True:
        return own
    if raw is False:
        return ()
    items = list(raw) if isinstance(raw, YamlList) else [raw]
    texts: list[Text] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            report.add(line, at, f"must be true, false, a line or a list of lines, not {kind(item)}")
            continue
        report.check_length(item, line, at)
        text = compile_or_report(item, line, at, report)
        if text is not None:
            texts.append(text)
    return tuple(texts)


def _choices(entry: YamlMap, where: str, report: Report) -> tuple[Choice, ...]:
    raw = entry.get("choices")
    items = as_sequence(raw, entry.line_of("choices"), f"{where}.choices", report) if "choices" in entry else None
    if items is None:
        if "choices" not in entry:
            report.add(entry.line, where, "missing required field 'choices'")
        return ()
    choices: list[Choice] = []
    for index, item in enumerate(items):
        at = f"{where}.choices[{index}]"
        line = items.line_of(index)
        if isinstance(item, YamlMap):
            report.check_keys(item, at, ("id", "text"), ("text",))
            text = str(item.get("text", ""))
            cid = str(item.get("id") or slug(text))
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            text, cid = str(item), slug(str(item))
        else:
            report.add(line, at, f"must be text or {{id, text}}, not {kind(item)}")
            continue
        if not ID_PATTERN.match(cid):
            report.add(line, at, f"choice id '{cid}' is not a valid id (use lower_case_words)")
        if any(c.id == cid for c in choices):
            report.add(line, at, f"duplicate choice id '{cid}'")
        report.check_choice_id(cid, line, at)
        choices.append(Choice(cid, text))
    if len(choices) < 2:
        report.add(entry.line_of("choices"), f"{where}.choices", "needs at least two choices")
    return tuple(choices)
