"""Ordinary answers are not met with "Are you safe right now?".

The classifier once checked in on "Me", "my son" or "not really": its safe examples were nearly all
trigger-like (idioms, denials), so ordinary words were no evidence of safety. The sixteenth batch of
the labelled set added ordinary answers. These answers were written for this test, apart from that
batch, the blind batches and tests/data/profile_*.yaml, so they are a held-out check of the shipped model.
"""

from __future__ import annotations

import pytest
from safety_data import TRAINING_ITEMS

from bot.safety.risk import check_safety, classifier_text, load_safety_rules

ORDINARY = [
    "Us two and the cat",
    "My brother-in-law, Keith",
    "Fortnightly",
    "Wednesday mornings suit me best",
    "Around half past ten usually",
    "The 22nd of August",
    "I'd say a 7 today",
    "Tea with two sugars please",
    "I like a bit of gardening when it's dry",
    "My granddaughter is getting married in Spain next year",
    "We go to the Polish church on Sundays",
    "I still drive to Aldi once a week",
    "I've got a standing frame in the bedroom",
    "The occupational therapist is sorting a bath lift",
    "I'd like someone to help me sort the loft",
    "The letters from the DWP confuse me, my neighbour reads them with me",
    "My pension covers the bills and a bit over",
    "Mum likes her porridge with golden syrup",
    "Dad goes to the Legion on Friday nights",
    "I put his clothes out the night before so he can dress himself",
    "She needs a hand getting in and out of the car",
    "We've got a rota with my brothers for Sundays",
    "i help my nan with her shopping after school",
    "yeah my teacher lets me keep my phone on in case mum rings",
    "My review at the hearing clinic got moved to March",
    "My joints ache when it rains",
    "Hot flushes keep me up, but I nap in the day",
    "I get fed up of the same four walls in winter",
    "I miss dancing with my husband",
    "Chatting to the lady at the post office",
    "Doing the church flowers with my friend Maureen",
    "I'd like to try the swimming sessions for older people",
    "Being able to have a shower without waiting for anyone",
    "Keeping up with my Urdu classes",
    "My sister would say I'm the one who organises Christmas",
    "I fixed my neighbour's fence last summer",
    "Lunch club, then a nap, then Pointless on the telly",
    "I'd notice I'd had a proper night's sleep",
    "Can we do the rest of this tomorrow?",
    "How do I ask about someone's hobbies without it feeling like a test?",
]

SHORT = ["Me", "me", "7", "yes", "Yes", "my daughter", "My daughter.", "sometimes", "not really", "my son",
         "the garden"]


def test_ordinary_answers_here_are_not_in_training() -> None:
    rules = load_safety_rules()
    trained = {classifier_text(item.text, rules) for item in TRAINING_ITEMS}  # the blind batches too
    assert not [text for text in ORDINARY if classifier_text(text, rules) in trained]


def test_ordinary_everyday_answers_get_no_check_in_at_most_one_exception() -> None:
    flagged = [(text, check_safety(text).band) for text in ORDINARY if check_safety(text).band != "none"]
    assert len(flagged) <= 1, flagged


@pytest.mark.parametrize("text", SHORT)
def test_ordinary_short_answers_never_check_in(text: str) -> None:
    check = check_safety(text)
    assert (check.band, check.fired) == ("none", None)
