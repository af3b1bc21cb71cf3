"""One answer as the document shows it: the question without its instructions, and the person's words."""

from __future__ import annotations

from bot.profile.answers import ProfileAnswer
from bot.profile.structure import Entry


def question_label(asked: str) -> str:
    """The question as asked, up to its last question mark: "Which of these are true? Pick any
    that fit." -> "Which of these are true?" (hints and instructions are never headings)."""
    text = " ".join(asked.split())
    end = text.rfind("?")
    return text[: end + 1] if end >= 0 else text


def list_items(answer: ProfileAnswer) -> tuple[str, ...]:
    if answer.type == "list" and isinstance(answer.value, list | tuple):
        return tuple(str(v) for v in answer.value if str(v).strip())
    return ()


def entry_of(answer: ProfileAnswer, label: str | None = None) -> Entry:
    """`answer` as an entry, labelled with `label` (our words) or else its question as asked."""
    return Entry(
        answer.key,
        label or question_label(answer.question_text),
        answer.display,
        list_items(answer),
        answer.answered_at,
        answer.history,
    )


def short_id(answer: ProfileAnswer) -> str:
    """The question's id inside its bank: "people.who_helps" -> "who_helps"."""
    return answer.question_id.split(".", 1)[-1]
