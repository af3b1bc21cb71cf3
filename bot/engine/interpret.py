"""What a message means as an answer to one question: accept, re-ask (and why), or skip.

Re-ask messages are kind and specific: they say what kind of answer fits this question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import bot.engine.parsing as parsing
from bot.content.model import Question
from bot.engine.dates import describe_date, parse_date
from bot.engine.state import Answer


@dataclass(frozen=True)
class Outcome:
    """`answer` to store, or `reask` words, or `skip`; `more` keeps a list question open."""

    answer: Answer | None = None
    reask: str | None = None
    skip: bool = False
    more: bool = False


def scale_help(q: Question) -> str:
    low = f"{q.min} is {q.min_label}" if q.min_label else f"{q.min} is the lowest"
    high = f"{q.max} is {q.max_label}" if q.max_label else f"{q.max} is the highest"
    return f"Pick a number from {q.min} to {q.max}. {low}, {high}."


def interpret(q: Question, said: str, *, today: date, items: list[str] | None = None) -> Outcome:
    """Interpret typed text `said` as an answer to `q`."""
    said = said.strip()
    if not said:
        return Outcome(reask="I didn't catch anything there. Could you type your answer?")
    if said.startswith("/"):
        return Outcome(
            reask="That looks like a command I don't know. Type /help to see them, or just type your answer."
        )
    chat = parsing.chit_chat(said)
    if chat is not None:
        return Outcome(reask="Hello. Whenever you're ready, here is the question again." if chat == "greeting"
                       else "You're welcome. Whenever you're ready, here is the question again.")
    if parsing.is_skip(said) and q.type != "list":
        if q.skippable:
            return Outcome(skip=True)
        return Outcome(reask="This one I need an answer to, so I can word things right.")
    handler = _HANDLERS[q.type]
    return handler(q, said, today, items or [])


def _text(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    return Outcome(Answer(said, said, said))


def _scale(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    number = parsing.parse_number(said)
    if number is None:
        return Outcome(reask=scale_help(q))
    value = int(number + 0.5) if number >= 0 else int(number)
    if not q.min <= value <= q.max:
        return Outcome(reask=f"{value} is outside the scale. {scale_help(q)}")
    return Outcome(Answer(value, said, str(value)))


def _choice(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    choice = parsing.parse_choice(said, q.choices)
    if choice is not None:
        return Outcome(Answer(choice.id, said, choice.text))
    if q.other:
        return Outcome(Answer("other", said, said))
    options = "; ".join(f"{i}. {c.text}" for i, c in enumerate(q.choices, start=1))
    return Outcome(reask=f"I'm not sure which one you mean. Choose a button, or type its number: {options}")


def _multi(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    picked = parsing.parse_choices(said, q.choices)
    if picked:
        ids = [c.id for c in picked]
        return Outcome(Answer(ids, said, ", ".join(c.text for c in picked)))
    if q.other:
        return Outcome(Answer(["other"], said, said))
    options = "; ".join(f"{i}. {c.text}" for i, c in enumerate(q.choices, start=1))
    return Outcome(
        reask="I'm not sure which ones you mean. Choose from the buttons and then Done, or "
        f"type their numbers, like 1, 3: {options}"
    )


def _yes_no(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    value = parsing.parse_yes_no(said)
    if value is None:
        return Outcome(reask="Is that a yes or a no? You can tap a button, or type yes or no.")
    return Outcome(Answer(value, said, "Yes" if value else "No"))


def _list(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    if parsing.is_list_done(said) or (parsing.is_skip(said) and items):
        if not items:
            return Outcome(skip=True) if q.skippable else Outcome(reask="Could you tell me one thing?")
        return Outcome(Answer(list(items), "", "; ".join(items)))
    if parsing.is_skip(said):
        return Outcome(skip=True) if q.skippable else Outcome(reask="Could you tell me one thing?")
    new = [*items, said]
    answer = Answer(new, said, "; ".join(new))
    return Outcome(answer, more=len(new) < q.max_items)


def _date(q: Question, said: str, today: date, items: list[str]) -> Outcome:
    found = parse_date(said, today)
    if found is None:
        return Outcome(
            reask="I couldn't read that as a date. You could type something like "
            '"next Tuesday", "12 March" or "12/03/2027".'
        )
    if q.future_only and found < today:
        return Outcome(reask=f"{describe_date(found)} has already passed. Which date is coming up?")
    return Outcome(Answer(found.isoformat(), said, describe_date(found)))


_HANDLERS = {
    "text": _text,
    "scale": _scale,
    "choice": _choice,
    "multi": _multi,
    "yes_no": _yes_no,
    "list": _list,
    "date": _date,
}
