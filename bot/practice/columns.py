"""Feedback on a three-columns worry statement and goal: specific, plain, and a goal that says what
will be present, not what will stop."""

from __future__ import annotations

import re

from bot.practice.checker import check_question, load_rules


def _has(norm: str, phrase: str) -> bool:
    return re.search(r"(?<![a-z0-9'])" + re.escape(phrase) + r"(?![a-z0-9'])", norm) is not None


def three_columns_feedback(worry: str, goal: str) -> str:
    """Feedback on a worry statement and a goal: specific, plain, and a goal that says what will be present."""
    spec = load_rules().raw["three_columns"]
    worry_norm = " " + " ".join(worry.lower().replace("\u2019", "'").split()) + " "
    goal_norm = " " + " ".join(goal.lower().replace("\u2019", "'").split()) + " "
    lines = ["Your worry statement"]
    worry_points: list[str] = []
    labels = [w for w in spec["labels"] if _has(worry_norm, w)]
    if labels:
        worry_points.append(f'"{labels[0]}" is a label. Say what actually happened, in words the person would use.')
    if not any(_has(worry_norm, w) for w in spec["future_words"]):
        worry_points.append("Add what you fear could happen if nothing changes, so everyone knows what is at stake.")
    if len(worry_norm.split()) > spec["max_words"]:
        worry_points.append("It is long. One or two short sentences are easier for everyone to hold on to.")
    if check_question(worry).codes and "jargon" in check_question(worry).codes:
        worry_points.append("Some words are service language. Try the words the family would use.")
    if not worry.strip():
        worry_points = ["Write one plain sentence about what you are worried about and what might happen."]
    lines += [f"• {p}" for p in worry_points] or ["• Clear and specific: it says what is worrying and why."]
    lines += ["", "Your goal"]
    goal_points: list[str] = []
    absent = [w for w in spec["absence_words"] if _has(goal_norm, str(w))]
    if absent:
        goal_points.append(f'It says what will stop ("{absent[0]}"). Say what will be there instead, '
                           'for example "Ray will have calm evenings with Jean" rather than "Ray will not wander".')
    if not any(_has(goal_norm, w) for w in spec["time_words"]):
        goal_points.append("Say how often or for how long, so everyone will know when it has happened.")
    if "jargon" in check_question(goal).codes:
        goal_points.append("Some words are service language. Use the person's own words.")
    if not goal.strip():
        goal_points = ["Write one sentence about what will be happening when things are better."]
    lines += [f"• {p}" for p in goal_points] or ["• It says what will be present, and when. That is a goal "
                                                  "people can picture and work towards."]
    return "\n".join(lines)
