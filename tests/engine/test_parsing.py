"""Unit tables for reading answers the way people give them: numbers, yes/no, skips, list ends, choices."""

from __future__ import annotations

import pytest

from bot.content.model import Choice
from bot.engine.parsing import is_list_done, is_skip, normalise, parse_choice, parse_choices, parse_number, parse_yes_no

OFTEN = (
    Choice("most_days", "Most days"),
    Choice("weekly", "A few times a week"),
    Choice("monthly", "A few times a month"),
    Choice("rarely", "Rarely"),
)
AREAS = (Choice("mornings", "Mornings"), Choice("meals", "Meals"), Choice("evenings", "Evenings"))


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("  Don\u2019t   Know!! ", "don't know"),
        ("\u2018Yes\u2019.", "'yes'"),
        ("That's ALL.", "that's all"),
        ("a\tb\nc", "a b c"),
        ("", ""),
    ],
)
def test_normalise(said: str, expected: str) -> None:
    assert normalise(said) == expected


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("7", 7.0),
        ("7/10", 7.0),
        ("7 / 10", 7.0),
        ("7 out of 10", 7.0),
        ("10/10", 10.0),
        ("seven", 7.0),
        ("Seven!", 7.0),
        ("about 6", 6.0),
        ("a 7", 7.0),
        ("I'd say 7", 7.0),
        ("six or seven", 6.0),
        ("6-7", 6.0),
        ("6 to 7", 6.0),
        ("2 or 3 out of 10", 2.0),
        ("0", 0.0),
        ("zero", 0.0),
        ("nought", 0.0),
        ("twelve", 12.0),
        ("6.5", 6.5),
        ("-1", -1.0),
        ("1000", 1000.0),
        # unclear: no number, or several numbers that are not a range
        ("lots", None),
        ("", None),
        ("3 and 8", None),
        ("7 10", None),
        ("7/10 maybe 8", None),
        ("fifteen", None),
    ],
)
def test_parse_number(said: str, number: float | None) -> None:
    assert parse_number(said) == number


@pytest.mark.parametrize("said", ["one hundred", "a hundred and one", "two thousand"])
def test_bug_parse_number_reads_only_the_first_word_of_a_big_number(said: str) -> None:
    """'one hundred' is not 1: a number the parser cannot read whole must be unclear (None)."""
    assert parse_number(said) is None


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("yes", True),
        ("Yes!", True),
        ("yeah", True),
        ("y", True),
        ("yep", True),
        ("of course", True),
        ("yes please", True),
        ("Yeah, a cat", True),
        ("That\u2019s right.", True),
        ("no", False),
        ("No.", False),
        ("nope", False),
        ("n", False),
        ("nah mate", False),
        ("no thanks", False),
        ("not quite", False),
        ("not really", False),
        ("maybe", None),
        ("I think so", None),
        ("", None),
        ("yesterday", None),
        ("nobody", None),
    ],
)
def test_parse_yes_no(said: str, answer: bool | None) -> None:
    assert parse_yes_no(said) is answer


@pytest.mark.parametrize(
    ("said", "skip"),
    [
        ("skip", True),
        ("Skip.", True),
        ("pass", True),
        ("not now", True),
        ("don't know", True),
        ("Don\u2019t know", True),
        ("DONT KNOW", True),
        ("dunno", True),
        ("no idea", True),
        ("rather not say", True),
        ("skipping the bus", False),
        ("pass me the salt", False),
        ("I don't know really what to say", False),
        ("", False),
        ("no", False),
    ],
)
def test_is_skip(said: str, skip: bool) -> None:
    assert is_skip(said) is skip


@pytest.mark.parametrize(
    ("said", "done"),
    [
        ("that's all", True),
        ("thats all", True),
        ("That\u2019s all.", True),
        ("done", True),
        ("All done!", True),
        ("no", True),
        ("Nope.", True),
        ("nothing else", True),
        ("No that's all", True),
        ("none", True),
        ("my dog", False),
        ("no one helps", False),
        ("", False),
    ],
)
def test_is_list_done(said: str, done: bool) -> None:
    assert is_list_done(said) is done


@pytest.mark.parametrize("said", ["No, that's all", "No, that's all.", "Nope, that's it", "No, nothing else"])
def test_bug_list_end_with_a_comma(said: str) -> None:
    """People write 'No, that's all.'; normalise keeps the comma, so it is taken as a list item."""
    assert is_list_done(said) is True


@pytest.mark.parametrize(
    ("said", "choice_id"),
    [
        ("1", "most_days"),
        ("4", "rarely"),
        ("most days", "most_days"),
        ("Most Days!", "most_days"),
        ("weekly", "weekly"),  # by id
        ("rarely", "rarely"),
        ("rarley", "rarely"),  # fuzzy
        ("a few times a weak", "weekly"),  # fuzzy
        ("few times a month", "monthly"),
        ("most", "most_days"),  # the start of one option
        ("I'd say rarely", "rarely"),  # an option inside the words
        ("5", None),
        ("0", None),
        ("ra", None),
        ("several days", None),
        ("", None),
    ],
)
def test_parse_choice(said: str, choice_id: str | None) -> None:
    found = parse_choice(said, OFTEN)
    assert (found.id if found else None) == choice_id


@pytest.mark.parametrize("said", ["a few times", "few times"])
def test_bug_parse_choice_picks_one_of_two_equally_close_options(said: str) -> None:
    """'a few times' fits 'A few times a week' and 'A few times a month' alike: it is unclear, not 'weekly'."""
    assert parse_choice(said, OFTEN) is None


@pytest.mark.parametrize(
    ("said", "ids"),
    [
        ("1, 3", ["mornings", "evenings"]),
        ("1,3", ["mornings", "evenings"]),
        ("1 3", ["mornings", "evenings"]),
        ("meals and evenings", ["meals", "evenings"]),
        ("mornings & meals", ["mornings", "meals"]),
        ("evenings; meals", ["evenings", "meals"]),
        ("2 and evenings", ["meals", "evenings"]),
        ("1, 1", ["mornings"]),
        ("Meals", ["meals"]),
        ("1, 9", None),
        ("all of them", None),
        ("", None),
    ],
)
def test_parse_choices(said: str, ids: list[str] | None) -> None:
    found = parse_choices(said, AREAS)
    assert ([c.id for c in found] if found else None) == ids
