"""Practice mode's glue, for practitioners in either channel: check a question, rehearse with an
invented person, browse question cards, three columns.

Its commands are in the command registry; `typed` takes text while it is open; `tap` takes
buttons whose data starts "q:". Its state is `PersonState.practice`. The lines a practitioner
types are checked and answered, never logged; a rehearsal keeps them (encrypted, in its state)
only until it ends, so the end feedback can quote them back, and finishing or leaving drops them.
`answer_note` gives the practice_rehearsal flow a note on what was typed at each of its own steps.
"""

from __future__ import annotations

import logging

import bot.conversation.buttons as buttons
from bot.conversation.chat import Button
from bot.conversation.context import Context
from bot.conversation.person import PracticeState
from bot.practice import (
    ASKS_THE_COACH,
    RehearsalState,
    answer_note,
    asks_the_coach,
    check_question,
    format_verdict,
    load_scenarios,
    question_cards,
    rehearsal_summary,
    rehearsal_turn,
    technique_label,
    three_columns_feedback,
)

log = logging.getLogger(__name__)
TALLY_KEEP = 20
TALLY_WINDOW = 5

MENU_TEXT = ("Practice mode, for practitioners.\n\n"
             "• Check my question: type a question and I'll say what works and what to try instead.\n"
             "• Rehearse: ask an invented person questions and see how they answer.\n"
             "• Question cards: browse our questions by technique, with notes.\n"
             "• Three columns: get feedback on a worry statement and a goal.\n\n"
             "Type /stop at any time to leave practice mode.")
MENU_ROWS = (
    (Button("Check my question", buttons.practice("m", "check")),),
    (Button("Rehearse with an invented person", buttons.practice("m", "rehearse")),),
    (Button("Question cards", buttons.practice("m", "cards")),),
    (Button("Three columns: worry and goal", buttons.practice("m", "columns")),),
    (Button("Leave practice mode", buttons.practice("stop")),),
)
BACK = Button("Practice menu", buttons.practice("m"))
CHECK_ASK = "Type the question you'd like me to look at. One question at a time works best."
STOPPED = "You've left practice mode. Type /practice to come back, or /menu for the conversations."


def _state(ctx: Context) -> PracticeState:
    return ctx.state.practice or PracticeState()


def leave(ctx: Context) -> None:
    ctx.state.practice = None


# ----- commands (see the registry) -----


def practice(ctx: Context, arg: str = "") -> None:
    ctx.state.practice = _state(ctx).to("menu")
    ctx.say(MENU_TEXT, *MENU_ROWS)


def check(ctx: Context, arg: str = "") -> None:
    ctx.state.practice = _state(ctx).to("check")
    ctx.say(CHECK_ASK)
    if arg.strip():
        _check(ctx, arg.strip())


def rehearse(ctx: Context, arg: str = "") -> None:
    if arg.strip() in load_scenarios():
        _start_rehearsal(ctx, arg.strip())
    else:
        _pick_scenario(ctx)


def cards(ctx: Context, arg: str = "") -> None:
    _card(ctx, arg.strip())


def columns(ctx: Context, arg: str = "") -> None:
    ctx.state.practice = _state(ctx).to("columns_worry")
    ctx.say("Three columns: what are we worried about, what's working well, what needs to happen.\n\n"
            "Think of the person you rehearsed with, or someone you work with. Write one plain sentence "
            "about what you are worried about and what might happen if nothing changes.")


def done(ctx: Context, arg: str = "") -> None:
    if _state(ctx).mode == "rehearse":
        _finish_rehearsal(ctx)
    else:
        stop(ctx)


def stop(ctx: Context, arg: str = "") -> None:
    leave(ctx)
    ctx.say(STOPPED)


# ----- taps and typed text -----


def tap(ctx: Context, parts: tuple[str, ...]) -> None:
    what = parts[0] if parts else ""
    rest = parts[1] if len(parts) > 1 else ""
    opens = {"check": check, "rehearse": rehearse, "cards": cards, "columns": columns}
    if what == "m":
        opens.get(rest, practice)(ctx)
    elif what == "r" and rest in load_scenarios():
        _start_rehearsal(ctx, rest)
    elif what == "c":
        _card(ctx, ":".join(parts[1:]))
    elif what == "done":
        if _state(ctx).mode == "rehearse":
            _finish_rehearsal(ctx)
        else:
            practice(ctx)
    elif what == "stop":
        stop(ctx)
    else:
        ctx.response.ack = "That button no longer works"
        practice(ctx)


def typed(ctx: Context) -> None:
    """Anything but a command or a button while practice mode is open."""
    if ctx.incoming.kind != "text":
        ctx.say("In practice mode I can only read typed text. Type /stop to leave practice mode.")
        return
    text, mode = ctx.incoming.text, _state(ctx).mode
    if not text.strip():
        ctx.say("I didn't catch any words there. Try typing your question again.")
    elif mode == "check" and len(text.split()) < 2:
        ctx.say("That looks very short. Type the whole question you'd like me to look at.")
    elif mode == "check":
        _check(ctx, text)
    elif mode == "rehearse" and _state(ctx).rehearsal is not None:
        _rehearse(ctx, text)
    elif mode in ("columns_worry", "columns_goal"):
        _columns(ctx, text)
    else:
        ctx.say("You're in practice mode. Choose what you'd like to do, or type /stop to leave.", *MENU_ROWS)


# ----- check my question -----


def _check(ctx: Context, text: str) -> None:
    if asks_the_coach(text):  # "Someone says ... What do I do?" is not a line to review
        log.info("a practice line asked the coach for advice")
        ctx.say(ASKS_THE_COACH, (Button("Question cards", buttons.practice("m", "cards")), BACK))
        return
    verdict = check_question(text)
    tally = (*_state(ctx).tally, verdict.open or verdict.form in ("reflection", "summary"))[-TALLY_KEEP:]
    ctx.state.practice = PracticeState("check", tally)
    log.info("checked a practice line (form=%s, open=%s, issues=%d)", verdict.form, verdict.open, len(verdict.issues))
    ctx.say(format_verdict(verdict) + "\n\n" + tally_line(list(tally)) + "\n\nType another question to keep going.",
            (Button("Rehearse instead", buttons.practice("m", "rehearse")), BACK))


def tally_line(tally: list[bool]) -> str:
    """'4 of your last 5 questions were open.' (or, early on, 'so far'). A reflection or a summary counts as
    open here: it is not a question, but it leaves as much room."""
    recent = tally[-TALLY_WINDOW:]
    opened = sum(1 for t in recent if t)
    if len(recent) == 1:
        return "That's your first question this session."
    noun = "were" if opened != 1 else "was"
    if len(tally) <= TALLY_WINDOW:
        return f"{opened} of your {len(recent)} questions so far {noun} open."
    return f"{opened} of your last {len(recent)} questions {noun} open."


# ----- rehearsal -----


def _pick_scenario(ctx: Context) -> None:
    ctx.state.practice = _state(ctx).to("pick")
    rows = [(Button(s.button, buttons.practice("r", s.id)),) for s in load_scenarios().values()]
    ctx.say("Who would you like to talk with? They are invented people; nothing you type is kept.", *rows, (BACK,))


def _start_rehearsal(ctx: Context, scenario_id: str) -> None:
    scenario = load_scenarios()[scenario_id]
    ctx.state.practice = _state(ctx).to("rehearse", rehearsal=RehearsalState(scenario.id))
    ctx.say(f"{scenario.title}\n\n{scenario.brief}\n\nAsk questions, reflect or sum up, one at a time. I'll answer "
            f"as {scenario.name} and add a short note after each. Type /done to finish: the summary quotes your own "
            "lines, which I keep only until then. Please use no real names.")
    ctx.say(f"{scenario.name}: {scenario.opening}")


def _rehearse(ctx: Context, text: str) -> None:
    state = _state(ctx)
    assert state.rehearsal is not None
    scenario = load_scenarios().get(state.rehearsal.scenario)
    if scenario is None:
        ctx.say("That rehearsal is no longer available. Let's pick another.")
        _pick_scenario(ctx)
        return
    rehearsal, reply, feedback = rehearsal_turn(scenario, state.rehearsal, text)
    ctx.state.practice = state.to("rehearse", rehearsal=rehearsal)
    ctx.say(f"{scenario.name}: {reply}")
    ctx.say(f"Note: {feedback}", (Button("Finish and see a summary", buttons.practice("done")),))


def _finish_rehearsal(ctx: Context) -> None:
    state = _state(ctx)
    assert state.rehearsal is not None
    scenario = load_scenarios().get(state.rehearsal.scenario)
    ctx.state.practice = state.to("menu")
    if scenario is None:
        practice(ctx)
        return
    ctx.say(rehearsal_summary(scenario, state.rehearsal),
            (Button("Rehearse again", buttons.practice("m", "rehearse")),
             Button("Three columns", buttons.practice("m", "columns"))), (BACK,))


def flow_note(question_id: str, text: str) -> str:
    """A note on what a practitioner typed at one step of the practice_rehearsal flow ("" for other
    steps), for the flow glue to say after the answer is saved."""
    return answer_note(question_id, text)


# ----- three columns -----


def _columns(ctx: Context, text: str) -> None:
    state = _state(ctx)
    if state.mode == "columns_worry":
        ctx.state.practice = state.to("columns_goal", worry=text)
        ctx.say("Thank you. Now write one goal: what will be happening when things are better, and for how long.")
        return
    ctx.state.practice = state.to("menu")
    ctx.say(three_columns_feedback(state.worry, text), (Button("Try another", buttons.practice("m", "columns")), BACK))


# ----- question cards -----


def _card(ctx: Context, wanted: str) -> None:
    """One card: `wanted` is its place in the list (from a button), its question id, or t=<technique>."""
    listed = question_cards(ctx.content.questions)
    if not listed:
        ctx.say("There are no question cards yet.", (BACK,))
        return
    ids = [q.id for q in listed]
    if wanted.startswith("t="):
        index = next((i for i, q in enumerate(listed) if q.technique == wanted[2:]), 0)
    elif wanted.isascii() and wanted.isdigit():
        index = int(wanted) % len(listed)
    else:
        index = ids.index(wanted) if wanted in ids else 0
    card = listed[index]
    ctx.state.practice = _state(ctx).to("cards", card=card.id)
    group = [q for q in listed if q.technique == card.technique]
    techniques = list(dict.fromkeys(q.technique for q in listed))
    next_technique = techniques[(techniques.index(card.technique) + 1) % len(techniques)]
    text = (f"{technique_label(card.technique)}: card {group.index(card) + 1} of {len(group)}\n\n"
            f"\u201c{card.text.source}\u201d\n\n"
            f"Why we ask it: {card.why}\n\n"
            f"Practice note: {' '.join(card.practice_note.split())}")
    ctx.say(text,
            (Button("‹ Previous", buttons.practice("c", (index - 1) % len(listed))),
             Button("Next ›", buttons.practice("c", (index + 1) % len(listed)))),
            (Button(f"Next technique: {technique_label(next_technique)}",
                    buttons.practice("c", f"t={next_technique}")),),
            (Button("Check a question of my own", buttons.practice("m", "check")), BACK))
