"""Understand answers the way people give them: numbers, choices, yes/no, skips and list ends."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from bot.content.model import Choice

NUMBER_WORDS = {
    "zero": 0,
    "nought": 0,
    "nil": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
SKIP_PHRASES = (
    "skip",
    "pass",
    "not now",
    "dont know",
    "don't know",
    "do not know",
    "dunno",
    "no idea",
    "not sure",
    "rather not say",
    "prefer not to say",
    "id rather not",
    "i'd rather not",
    "next question",
    "skip this",
    "skip it",
    "pass on this",
)
YES = (
    "yes",
    "y",
    "yeah",
    "yea",
    "yep",
    "yup",
    "sure",
    "ok",
    "okay",
    "correct",
    "right",
    "that's right",
    "thats right",
    "true",
    "definitely",
    "i do",
    "it is",
    "aye",
    "of course",
    "yes please",
    "yes it is",
    "thats it",
    "that's it",
    "exactly",
    "spot on",
)
NO = (
    "no",
    "n",
    "nope",
    "nah",
    "not really",
    "not quite",
    "wrong",
    "false",
    "i don't",
    "i dont",
    "never",
    "no thanks",
    "no it isn't",
    "no it isnt",
    "not at all",
)
LIST_DONE = (
    "that's all",
    "thats all",
    "that is all",
    "done",
    "no",
    "nothing else",
    "no more",
    "finished",
    "nope",
    "that's it",
    "thats it",
    "none",
    "nothing",
    "no thanks",
    "all done",
    "that's everything",
    "thats everything",
    "no that's all",
    "no thats all",
    "nah",
)


GREETINGS = ("hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "hi there",
             "hello there", "morning", "evening")
THANKS = ("thanks", "thank you", "ta", "cheers", "thanks very much", "thank you very much", "thanks a lot",
          "many thanks")


def chit_chat(text: str) -> str | None:
    """'greeting' or 'thanks' when that is all the message is, so it is not taken as an answer."""
    said = normalise(text)
    if said in GREETINGS:
        return "greeting"
    if said in THANKS:
        return "thanks"
    return None


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, trailing punctuation and extra spaces removed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower().strip()
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .!?,;:")


def is_skip(text: str) -> bool:
    return normalise(text) in SKIP_PHRASES


def parse_yes_no(text: str) -> bool | None:
    said = normalise(text)
    if said in YES:
        return True
    if said in NO:
        return False
    first = said.split(" ", 1)[0].strip(",")
    if first in ("yes", "yeah", "yep", "yup"):
        return True
    if first in ("no", "nope", "nah"):
        return False
    return None


NOTHING = ("nothing", "none", "no", "nope", "nah", "not really", "nothing really", "nothing much", "not much",
           "nothing at all", "none at all", "n/a", "na", "no worries", "all fine", "nothing to say")
# Words that say what should stop or go, not what should be there: "stop feeling like this",
# "not to be so tired", "no more falls", "less pain", "to get rid of the worry".
ABSENCE = re.compile(
    r"\b(stop|stopped|stopping|quit|avoid|without|less|fewer|no (more|longer)|any ?more|not|never|don't|dont"
    r"|do not|won't|can't|cannot|rid of|go away|goes away|end (the|my|this))\b"
)


def is_nothing(text: str) -> bool:
    """'Nothing', 'not really', 'none': an answer that shares nothing, so there is nothing to acknowledge."""
    return normalise(text) in NOTHING


UNSURE = re.compile(r"\b(don'?t know|do not know|not sure|no idea|can'?t think|cannot think|not really)\b")


def is_absence(text: str) -> bool:
    """Whether a hope is said as something stopping or going away, not as something being there
    ("I don't know really" is not: there is nothing to turn round)."""
    said = normalise(text)
    return bool(ABSENCE.search(said)) and not UNSURE.search(said) and not is_nothing(said)


def is_list_done(text: str) -> bool:
    """'that's all', and the same with a lead-in: 'No, that's all.', 'Nope, that's it'."""
    said = normalise(text)
    if said in LIST_DONE:
        return True
    first, _, rest = said.partition(",")
    return bool(rest) and first.strip() in LIST_DONE and normalise(rest) in LIST_DONE


def parse_number(text: str) -> float | None:
    """7, 7/10, seven, about 6, 'a 7', '7 out of 10', 'six or seven' -> the number meant.

    When two numbers are given as a range ("6 or 7", "6-7") the first is taken; any other
    text with several numbers is unclear and gives None.
    """
    said = normalise(text)
    if re.search(r"\b(hundred|thousand|million)\b", said):
        return None  # never part-read a big number: "one hundred" is not 1
    said = re.sub(r"(/|out of)\s*\d+\b", "", said).strip()
    numbers = re.findall(r"-?\d+(?:\.\d+)?", said)
    if not numbers:
        numbers = [str(NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", said) if w in NUMBER_WORDS]
        said = re.sub(r"[a-z]+", lambda m: str(NUMBER_WORDS.get(m.group(), m.group())), said)
    if len(numbers) == 1:
        return float(numbers[0])
    if len(numbers) == 2 and re.search(r"\d\s*(or|to|-)\s*\d", said):
        return float(numbers[0])
    return None


def parse_choice(text: str, choices: Sequence[Choice]) -> Choice | None:
    """A choice by its number in the list, its id, its text, or a close (fuzzy) match."""
    said = normalise(text)
    if said.isascii() and said.isdigit() and 1 <= int(said) <= len(choices):
        return choices[int(said) - 1]
    for choice in choices:
        if said in (choice.id, normalise(choice.text)):
            return choice
    starts = [c for c in choices if normalise(c.text).startswith(said) and len(said) >= 3]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        return None  # "a few times" could be either "a few times a week" or "... a month"
    labels = {normalise(c.text): c for c in choices}
    close = difflib.get_close_matches(said, list(labels), n=2, cutoff=0.75)
    if len(close) == 1 or (close and _ratio(said, close[0]) - _ratio(said, close[1]) > 0.1):
        return labels[close[0]]
    inside = [c for c in choices if normalise(c.text) in said and len(c.text) >= 3]
    if len(inside) == 1:
        return inside[0]
    part_of = [c for c in choices if len(said) >= 4 and said in normalise(c.text)]
    return part_of[0] if len(part_of) == 1 else None


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def parse_choices(text: str, choices: Sequence[Choice]) -> list[Choice] | None:
    """Several choices typed at once: '1, 3', 'food and washing'; None if any part is unclear."""
    parts = [p for p in re.split(r",|;|\band\b|&|\s+(?=\d)", normalise(text)) if p.strip()]
    picked: list[Choice] = []
    for part in parts:
        choice = parse_choice(part.strip(), choices)
        if choice is None:
            whole = parse_choice(text, choices)
            return [whole] if whole else None
        if choice not in picked:
            picked.append(choice)
    return picked or None
