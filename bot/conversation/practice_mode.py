"""Practice mode for practitioners, in any channel: check a question, rehearse, browse question cards.

`practice_extension` plugs into `Coach.extensions`. It handles /practice, /check, /rehearse,
/cards and /columns; /done and /stop while practising; taps whose data starts with "q:"; and
typed text while a practice mode is running. Its state lives in the person's settings under "practice" as plain
JSON. The questions a practitioner types are checked and answered, never stored or logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.content.model import TECHNIQUES, Question
from bot.conversation.chat import Button, Incoming, Response
from bot.practice.checker import check_question, format_verdict
from bot.practice.rehearsal import (
    RehearsalState,
    load_scenarios,
    rehearsal_summary,
    rehearsal_turn,
    three_columns_feedback,
)

if TYPE_CHECKING:
    from bot.conversation.coach import Coach

log = logging.getLogger(__name__)
KEY = "practice"
OURS = ("practice", "check", "rehearse", "cards", "columns")
OURS_WHILE_ACTIVE = ("done", "stop")
KEEP_STATE = ("help", "privacy")
TALLY_KEEP = 20
TALLY_WINDOW = 5

MENU_TEXT = ("Practice mode, for practitioners.\n\n"
             "• Check my question: type a question and I'll say what works and what to try instead.\n"
             "• Rehearse: ask an invented person questions and see how they answer.\n"
             "• Question cards: browse our questions by technique, with notes.\n"
             "• Three columns: get feedback on a worry statement and a goal.\n\n"
             "Type /stop at any time to leave practice mode.")
MENU_ROWS = (
    (Button("Check my question", "q:m:check"),),
    (Button("Rehearse with an invented person", "q:m:rehearse"),),
    (Button("Question cards", "q:m:cards"),),
    (Button("Three columns: worry and goal", "q:m:columns"),),
    (Button("Leave practice mode", "q:stop"),),
)
BACK = Button("Practice menu", "q:m")
CHECK_ASK = "Type the question you'd like me to look at. One question at a time works best."
STOPPED = "You've left practice mode. Type /practice to come back, or /menu for the conversations."


def practice_extension(coach: Coach, person: str, incoming: Incoming, response: Response) -> bool:
    """Handle anything that belongs to practice mode; return False to let the coach carry on."""
    state: dict[str, Any] = dict(coach.settings(person).get(KEY) or {})
    active = bool(state.get("mode"))
    if incoming.kind == "command":
        if incoming.command in OURS or (active and incoming.command in OURS_WHILE_ACTIVE):
            _command(coach, person, state, incoming.command, incoming.arg.strip(), response)
            return True
        if active and incoming.command not in KEEP_STATE:
            _save(coach, person, None)
        return False
    if incoming.kind == "tap":
        if incoming.data.startswith("q:"):
            _tap(coach, person, state, incoming.data.split(":")[1:], response)
            return True
        if active:
            _save(coach, person, None)
        return False
    if not active:
        return False
    if incoming.kind == "text":
        _typed(coach, person, state, incoming.text, response)
    else:
        response.say("In practice mode I can only read typed text. Type /stop to leave practice mode.")
    return True


# ----- commands and taps -----


def _command(coach: Coach, person: str, state: dict[str, Any], name: str, arg: str, response: Response) -> None:
    if name == "practice":
        _menu(coach, person, state, response)
    elif name == "check":
        _start_check(coach, person, state, response)
        if arg:
            _check(coach, person, state, arg, response)
    elif name == "rehearse":
        if arg in load_scenarios():
            _start_rehearsal(coach, person, state, arg, response)
        else:
            _pick_scenario(coach, person, state, response)
    elif name == "cards":
        _card(coach, person, state, arg, response)
    elif name == "columns":
        _start_columns(coach, person, state, response)
    elif name == "done":
        if state.get("mode") == "rehearse":
            _finish_rehearsal(coach, person, state, response)
        else:
            _stop(coach, person, response)
    elif name == "stop":
        _stop(coach, person, response)


def _tap(coach: Coach, person: str, state: dict[str, Any], parts: list[str], response: Response) -> None:
    what = parts[0] if parts else ""
    rest = parts[1] if len(parts) > 1 else ""
    if what == "m" and rest == "check":
        _start_check(coach, person, state, response)
    elif what == "m" and rest == "rehearse":
        _pick_scenario(coach, person, state, response)
    elif what == "m" and rest == "cards":
        _card(coach, person, state, "", response)
    elif what == "m" and rest == "columns":
        _start_columns(coach, person, state, response)
    elif what == "m":
        _menu(coach, person, state, response)
    elif what == "r" and rest in load_scenarios():
        _start_rehearsal(coach, person, state, rest, response)
    elif what == "c":
        _card(coach, person, state, ":".join(parts[1:]), response)
    elif what == "done":
        if state.get("mode") == "rehearse":
            _finish_rehearsal(coach, person, state, response)
        else:
            _menu(coach, person, state, response)
    elif what == "stop":
        _stop(coach, person, response)
    else:
        response.ack = "That button no longer works"
        _menu(coach, person, state, response)


def _save(coach: Coach, person: str, state: dict[str, Any] | None) -> None:
    coach.update_settings(person, **{KEY: state})


def _menu(coach: Coach, person: str, state: dict[str, Any], response: Response) -> None:
    state = {"mode": "menu", "tally": state.get("tally", [])}
    _save(coach, person, state)
    response.say(MENU_TEXT, *MENU_ROWS)


def _stop(coach: Coach, person: str, response: Response) -> None:
    _save(coach, person, None)
    response.say(STOPPED)


# ----- check my question -----


def _start_check(coach: Coach, person: str, state: dict[str, Any], response: Response) -> None:
    _save(coach, person, {"mode": "check", "tally": state.get("tally", [])})
    response.say(CHECK_ASK)


def _check(coach: Coach, person: str, state: dict[str, Any], text: str, response: Response) -> None:
    state = dict(coach.settings(person).get(KEY) or state)
    verdict = check_question(text)
    tally = [*list(state.get("tally", [])), verdict.open][-TALLY_KEEP:]
    _save(coach, person, {"mode": "check", "tally": tally})
    log.info("checked a practice question (open=%s, issues=%d)", verdict.open, len(verdict.issues))
    response.say(format_verdict(verdict) + "\n\n" + tally_line(tally) + "\n\nType another question to keep going.",
                 (Button("Rehearse instead", "q:m:rehearse"), BACK))


def tally_line(tally: list[bool]) -> str:
    """'4 of your last 5 questions were open.' (or, early on, 'so far')."""
    recent = tally[-TALLY_WINDOW:]
    opened = sum(1 for t in recent if t)
    if len(recent) == 1:
        return "That's your first question this session."
    noun = "were" if opened != 1 else "was"
    if len(tally) <= TALLY_WINDOW:
        return f"{opened} of your {len(recent)} questions so far {noun} open."
    return f"{opened} of your last {len(recent)} questions {noun} open."


# ----- rehearsal -----


def _pick_scenario(coach: Coach, person: str, state: dict[str, Any], response: Response) -> None:
    _save(coach, person, {"mode": "pick", "tally": state.get("tally", [])})
    rows = [(Button(s.button, f"q:r:{s.id}"),) for s in load_scenarios().values()]
    response.say("Who would you like to talk with? They are invented people; nothing you type is kept.",
                 *rows, (BACK,))


def _start_rehearsal(coach: Coach, person: str, state: dict[str, Any], scenario_id: str, response: Response) -> None:
    scenario = load_scenarios()[scenario_id]
    rehearsal = RehearsalState(scenario.id)
    _save(coach, person, {"mode": "rehearse", "tally": state.get("tally", []), "rehearsal": rehearsal.to_dict()})
    response.say(f"{scenario.title}\n\n{scenario.brief}\n\nAsk your questions one at a time. I'll answer as "
                 f"{scenario.name} and add a short note after each. Type /done to finish and see a summary.")
    response.say(f"{scenario.name}: {scenario.opening}")


def _rehearse(coach: Coach, person: str, state: dict[str, Any], text: str, response: Response) -> None:
    scenarios = load_scenarios()
    rehearsal = RehearsalState.from_dict(state["rehearsal"])
    scenario = scenarios.get(rehearsal.scenario)
    if scenario is None:
        response.say("That rehearsal is no longer available. Let's pick another.")
        _pick_scenario(coach, person, state, response)
        return
    rehearsal, reply, feedback = rehearsal_turn(scenario, rehearsal, text)
    state = {**state, "rehearsal": rehearsal.to_dict()}
    _save(coach, person, state)
    response.say(f"{scenario.name}: {reply}")
    response.say(f"Note: {feedback}", (Button("Finish and see a summary", "q:done"),))


def _finish_rehearsal(coach: Coach, person: str, state: dict[str, Any], response: Response) -> None:
    rehearsal = RehearsalState.from_dict(state["rehearsal"])
    scenario = load_scenarios().get(rehearsal.scenario)
    _save(coach, person, {"mode": "menu", "tally": state.get("tally", [])})
    if scenario is None:
        _menu(coach, person, state, response)
        return
    response.say(rehearsal_summary(scenario, rehearsal),
                 (Button("Rehearse again", "q:m:rehearse"), Button("Three columns", "q:m:columns")), (BACK,))


# ----- three columns -----


def _start_columns(coach: Coach, person: str, state: dict[str, Any], response: Response) -> None:
    _save(coach, person, {"mode": "columns_worry", "tally": state.get("tally", [])})
    response.say("Three columns: what are we worried about, what's working well, what needs to happen.\n\n"
                 "Think of the person you rehearsed with, or someone you work with. Write one plain sentence "
                 "about what you are worried about and what might happen if nothing changes.")


def _columns(coach: Coach, person: str, state: dict[str, Any], text: str, response: Response) -> None:
    if state["mode"] == "columns_worry":
        _save(coach, person, {"mode": "columns_goal", "tally": state.get("tally", []), "worry": text})
        response.say("Thank you. Now write one goal: what will be happening when things are better, and for how "
                     "long.")
        return
    worry = str(state.get("worry", ""))
    _save(coach, person, {"mode": "menu", "tally": state.get("tally", [])})
    response.say(three_columns_feedback(worry, text), (Button("Try another", "q:m:columns"), BACK))


# ----- question cards -----


def question_cards(questions: dict[str, Question] | Any) -> list[Question]:
    """Bank questions grouped by technique, in the model's technique order, then bank order."""
    order = {name: i for i, name in enumerate(TECHNIQUES)}
    listed = list(questions.values())
    return sorted(listed, key=lambda q: (order.get(q.technique, len(order)), listed.index(q)))


def _card(coach: Coach, person: str, state: dict[str, Any], wanted: str, response: Response) -> None:
    cards = question_cards(coach.content.questions)
    if not cards:
        response.say("There are no question cards yet.", (BACK,))
        return
    ids = [q.id for q in cards]
    if wanted.startswith("t="):
        technique = wanted[2:]
        index = next((i for i, q in enumerate(cards) if q.technique == technique), 0)
    else:
        index = ids.index(wanted) if wanted in ids else 0
    card = cards[index]
    _save(coach, person, {"mode": "cards", "tally": state.get("tally", []), "card": card.id})
    group = [q for q in cards if q.technique == card.technique]
    position = group.index(card) + 1
    techniques = list(dict.fromkeys(q.technique for q in cards))
    next_technique = techniques[(techniques.index(card.technique) + 1) % len(techniques)]
    text = (f"{_technique_label(card.technique)}: card {position} of {len(group)}\n\n"
            f"\u201c{card.text.source}\u201d\n\n"
            f"Why we ask it: {card.why}\n\n"
            f"Practice note: {' '.join(card.practice_note.split())}")
    rows = (
        (Button("‹ Previous", _fit(f"q:c:{ids[index - 1]}")),
         Button("Next ›", _fit(f"q:c:{ids[(index + 1) % len(ids)]}"))),
        (Button(f"Next technique: {_technique_label(next_technique)}", _fit(f"q:c:t={next_technique}")),),
        (Button("Check a question of my own", "q:m:check"), BACK),
    )
    response.say(text, *rows)


def _technique_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _fit(data: str) -> str:
    return data if len(data.encode()) <= 64 else "q:m:cards"


# ----- typed text -----


def _typed(coach: Coach, person: str, state: dict[str, Any], text: str, response: Response) -> None:
    mode = state.get("mode")
    if not text.strip():
        response.say("I didn't catch any words there. Try typing your question again.")
    elif mode == "check" and len(text.split()) < 2:
        response.say("That looks very short. Type the whole question you'd like me to look at.")
    elif mode == "check":
        _check(coach, person, state, text, response)
    elif mode == "rehearse" and state.get("rehearsal"):
        _rehearse(coach, person, state, text, response)
    elif mode in ("columns_worry", "columns_goal"):
        _columns(coach, person, state, text, response)
    else:
        response.say("You're in practice mode. Choose what you'd like to do, or type /stop to leave.", *MENU_ROWS)
