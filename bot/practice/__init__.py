"""Practice mode's knowledge, pure: for practitioners rehearsing good questions.

    checker    check_question: open or closed, issues explained kindly, rewrites that pass the check
    rules      the checker's rules, compiled from data/question_rules.yaml
    rehearsal  invented people (data/scenarios/) who answer as the question deserves; three columns
    cards      the bank's questions by technique

The practitioner's words are checked and answered, never stored. The conversation's glue is
`bot.conversation.practice_mode`.
"""

from __future__ import annotations

from bot.practice.cards import question_cards, technique_label
from bot.practice.checker import ISSUE_CODES, Issue, QuestionVerdict, check_question, format_verdict
from bot.practice.rehearsal import (
    RehearsalState,
    Scenario,
    load_scenarios,
    rehearsal_summary,
    rehearsal_turn,
    three_columns_feedback,
)
from bot.practice.rules import Rules, load_rules

__all__ = ["ISSUE_CODES", "Issue", "QuestionVerdict", "RehearsalState", "Rules", "Scenario", "check_question",
           "format_verdict", "load_rules", "load_scenarios", "question_cards", "rehearsal_summary", "rehearsal_turn",
           "technique_label", "three_columns_feedback"]
