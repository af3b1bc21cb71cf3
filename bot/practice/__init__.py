"""Practice mode's knowledge, pure: for practitioners rehearsing good questions.

    checker    check_question: form, open or not, issues explained with better versions that keep the need
    rules      the checker's rules, compiled from data/question_rules.yaml
               (clauses, forms, issues and rewrites are the checker's parts)
    learned    per-code text models beside the rules (data/question_model.json, scored with bot.textmodel);
               train (`make train-questions`) fits them with scikit-learn, a test extra
    moves      what a practitioner's line did, read with the checker: reflection, summary, consent...
    matching   which of an invented person's facts a line is about (TF-IDF over the scenario)
    rehearsal  invented people (data/scenarios/) who answer what the practitioner did
    notes      a note after each rehearsal turn, and on each answer in the practice_rehearsal flow
    debrief    the end of a rehearsal, quoting the practitioner's own lines
    columns    feedback on a three-columns worry statement and goal
    cards      the bank's questions by technique

The practitioner's lines are checked and answered; a rehearsal keeps them only until it ends, to
quote them back. The conversation's glue is `bot.conversation.practice_mode`.
"""

from __future__ import annotations

from bot.practice.cards import question_cards, technique_label
from bot.practice.checker import (
    ASKS_THE_COACH,
    FORMS,
    ISSUE_CODES,
    Issue,
    QuestionVerdict,
    asks_the_coach,
    check_question,
    format_verdict,
)
from bot.practice.columns import three_columns_feedback
from bot.practice.debrief import rehearsal_summary
from bot.practice.notes import answer_note
from bot.practice.rehearsal import RehearsalState, Scenario, load_scenarios, rehearsal_turn
from bot.practice.rules import Rules, load_rules

__all__ = ["ASKS_THE_COACH", "FORMS", "ISSUE_CODES", "Issue", "QuestionVerdict", "RehearsalState", "Rules", "Scenario",
           "answer_note", "asks_the_coach", "check_question", "format_verdict", "load_rules", "load_scenarios",
           "question_cards", "rehearsal_summary", "rehearsal_turn", "technique_label", "three_columns_feedback"]
