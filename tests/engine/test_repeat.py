"""Repeats: one pass per picked option, and a step's own id means this pass's answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot import engine
from bot.content.loader import load_content

BANK = """
title: Test bank
questions:
  - id: areas
    type: multi
    text: Which parts of the day are hardest?
    why: So we talk about what matters to you.
    practice_note: Lets the person choose the areas.
    technique: strengths
    section: daily_life
    choices: [Food and drink, Washing]
  - id: hard
    type: scale
    text: How hard is {{ area }}, from 0 to 10?
    why: So you can show how hard it is.
    practice_note: A scale per area.
    technique: scaling
    section: daily_life
    followups: []
  - id: help
    type: text
    text: What would help with {{ area }}?
    why: So the help fits.
    practice_note: Asks about what would help.
    technique: needs_to_happen
    section: daily_life
"""
FLOW = """
title: Repeat test
audience: person
description: A test.
minutes: 2
steps:
  - ask: b.areas
  - repeat:
      for_each: areas
      as: area
      steps:
        - ask: b.hard
          next:
            - if: hard >= 7
              then: help
            - else: done
        - ask: b.help
        - say: "Thank you. You gave {{ area }} a {{ hard }}."
          id: done
"""


def test_conditions_and_text_inside_a_repeat_use_this_passes_answer(tmp_path: Path) -> None:
    (tmp_path / "banks").mkdir()
    (tmp_path / "flows").mkdir()
    (tmp_path / "banks" / "b.yaml").write_text(BANK)
    (tmp_path / "flows" / "r.yaml").write_text(FLOW)
    flow = load_content(tmp_path / "banks", tmp_path / "flows").flows["r"]
    today = date(2026, 11, 23)
    turn = engine.begin(flow)
    for value in ("food_and_drink", "washing", "done"):
        turn = engine.handle(flow, turn.state, engine.pick("areas", value), today=today)
    assert "How hard is food and drink" in turn.replies[-1].prompt.text  # type: ignore[union-attr]
    turn = engine.handle(flow, turn.state, engine.text("8"), today=today)
    assert "What would help with food and drink?" in turn.replies[-1].prompt.text  # type: ignore[union-attr]
    turn = engine.handle(flow, turn.state, engine.text("Meals on wheels"), today=today)
    said = [r.text for r in turn.replies]
    assert "Thank you. You gave food and drink a 8." in said
    assert "How hard is washing" in turn.replies[-1].prompt.text  # type: ignore[union-attr]
    turn = engine.handle(flow, turn.state, engine.text("3"), today=today)
    assert "Thank you. You gave washing a 3." in [r.text for r in turn.replies]
    assert "help.washing" not in turn.state.answers and turn.state.status == "finished"
