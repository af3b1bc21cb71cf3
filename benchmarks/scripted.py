"""A scripted person who answers any question sensibly, so a whole flow can run unattended."""

from __future__ import annotations

from datetime import date

from bot import engine
from bot.content.model import Flow
from bot.engine.state import FINISHED, Prompt, SessionState, Turn

TODAY = date(2026, 11, 23)


def answer_for(prompt: Prompt, turn_number: int) -> engine.Event:
    if prompt.kind == "scale" and prompt.scale:
        low, high = prompt.scale
        return engine.text(str(low + (turn_number * 3) % (high - low + 1)))
    if prompt.kind in ("choice", "reflect"):
        return engine.pick(prompt.node_id, prompt.choices[turn_number % len(prompt.choices)][0])
    if prompt.kind == "multi":
        if prompt.picked:
            return engine.pick(prompt.node_id, "done")
        return engine.pick(prompt.node_id, prompt.choices[0][0])
    if prompt.kind == "yes_no":
        return engine.text("yes" if turn_number % 2 else "no")
    if prompt.kind == "list":
        return engine.text("that's all" if prompt.current else "My neighbour, who calls in most days")
    if prompt.kind == "date":
        return engine.text("next Tuesday")
    return engine.text("Getting out to the park with my daughter on Sundays")


def run_flow(flow: Flow, max_turns: int = 500) -> tuple[SessionState, int]:
    """Run a flow to its end; return the final state and the number of turns taken."""
    turn: Turn = engine.begin(flow)
    turns = 0
    while turn.state.status != FINISHED and turns < max_turns:
        prompts = [r.prompt for r in turn.replies if r.prompt is not None]
        if not prompts:
            turn = engine.ask_again(flow, turn.state)
            prompts = [r.prompt for r in turn.replies if r.prompt is not None]
        turn = engine.handle(flow, turn.state, answer_for(prompts[-1], turns), today=TODAY)
        turns += 1
    return turn.state, turns
