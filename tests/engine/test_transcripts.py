"""The walked transcripts in docs/ are what the coach says today: regenerating them changes nothing.

If a flow changes, run `python -m benchmarks.walked_transcripts` and read the new transcripts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import walked_transcripts
from bot.content.loader import load_content
from bot.content.model import Content

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT / "question_banks", ROOT / "flows")


@pytest.mark.parametrize("person", walked_transcripts.PEOPLE, ids=lambda p: p.slug)
def test_each_transcript_in_docs_is_what_the_coach_says_now(
    content: Content, person: walked_transcripts.Person
) -> None:
    written = (ROOT / "docs" / f"transcript-{person.slug}.md").read_text(encoding="utf-8")
    assert written == walked_transcripts.transcript(person, content)


def test_the_transcripts_show_listening(content: Content) -> None:
    texts = {p.slug: walked_transcripts.transcript(p, content) for p in walked_transcripts.PEOPLE}
    margaret, denise, rhys = texts["older-person"], texts["carer"], texts["younger-person"]
    # Margaret's fall is acknowledged before the next question
    fall = margaret.split("I had a fall on the stairs in March", 1)[1]
    assert fall.split("> Question", 1)[0].count("> ") == 1
    # coping first at the bottom of a scale, after an acknowledgement; then one step up
    for text, coping in (
        (margaret, "What helps you get through, when home does not feel safe?"),
        (denise, "What keeps you going, even now?"),
        (rhys, "How are you managing to keep going?"),
    ):
        assert coping in text
        assert text.index(coping) < text.index("look like?", text.index(coping))
    # "stop feeling like this" asks what he would like instead, and that is what is reflected
    assert "If that went away, what would you like to be there instead?" in rhys
    assert "So what you'd like instead is: To have enough energy to see my mates" in rhys
    assert ".." not in rhys.replace("...", "")
    # summaries with buttons, and one put right
    for text in texts.values():
        assert "Have I got that right?" in text and "[Yes, that's right] · [Change something]" in text
    assert "Which part would you like to change? I'll ask it again." in margaret
    assert "Which part would you like to change? I'll ask it again." in denise
    # the carer: her own hopes first, willingness task by task, seen alone
    assert denise.index("your best hopes from this chat, for yourself") < denise.index("Who do you look after?")
    assert "Thinking about help at night, how do you feel about carrying on with it?" in denise
    assert "You can ask to be seen on your own" in denise


def test_a_script_that_no_longer_fits_its_flow_says_where(content: Content) -> None:
    person = walked_transcripts.Person("x", "X", "", (walked_transcripts.Visit("best_hopes", (("name", "X"),)),))
    with pytest.raises(ValueError, match="expected step 'name', the coach asks 'for_someone'"):
        walked_transcripts.transcript(person, content)
