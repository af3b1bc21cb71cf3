"""Lay out a question (`Prompt`) as one message: its words, then rows of buttons.

Both channels show the same buttons: Telegram as an inline keyboard, the terminal as numbers.
Typed answers always work too; the buttons are a shortcut.
"""

from __future__ import annotations

import bot.conversation.buttons as buttons
from bot.conversation.chat import Button, Outgoing
from bot.engine.state import Prompt

SCALE_ROW = 6


def question_message(prompt: Prompt, session_id: str) -> Outgoing:
    return Outgoing(text=question_text(prompt), buttons=question_buttons(prompt, session_id), is_question=True)


def question_text(prompt: Prompt) -> str:
    lines = [prompt.text]
    if prompt.scale and (prompt.min_label or prompt.max_label):
        low, high = prompt.scale
        lines.append(f"{low} = {prompt.min_label or 'lowest'}, {high} = {prompt.max_label or 'highest'}")
    if prompt.hint:
        lines.append(prompt.hint)
    if prompt.current:
        before = "So far" if prompt.kind == "list" else "Your answer before"
        lines.append(f"({before}: {prompt.current})")
    body = "\n".join(lines)
    return f"{prompt.progress}\n\n{body}" if prompt.progress else body


def question_buttons(prompt: Prompt, session_id: str) -> tuple[tuple[Button, ...], ...]:
    def tap(label: str, value: str) -> Button:
        return Button(label, buttons.answer(session_id, prompt.node_id, value))

    rows: list[tuple[Button, ...]] = []
    if prompt.kind == "scale" and prompt.scale:
        numbers = [tap(str(n), str(n)) for n in range(prompt.scale[0], prompt.scale[1] + 1)]
        per_row = SCALE_ROW if len(numbers) > SCALE_ROW else len(numbers)
        rows += [tuple(numbers[i : i + per_row]) for i in range(0, len(numbers), per_row)]
    elif prompt.kind == "yes_no":
        rows.append((tap("Yes", "yes"), tap("No", "no")))
    elif prompt.kind in ("choice", "reflect"):
        rows += [(tap(label, value),) for value, label in prompt.choices]
        if prompt.other:
            rows.append((tap("Something else", "other"),))
    elif prompt.kind == "multi":
        rows += [(tap(("✓ " if value in prompt.picked else "") + label, value),) for value, label in prompt.choices]
        if prompt.other:
            rows.append((tap("Something else", "other"),))
        rows.append((tap("Done", "done"),))
    elif prompt.kind == "list":
        rows.append((tap("That's all", "done"),))
    controls = []
    if prompt.can_back:
        controls.append(tap("Back", "~back"))
    if prompt.can_skip:
        controls.append(tap("Skip", "~skip"))
    if prompt.has_why:
        controls.append(tap("Why am I asked this?", "~why"))
    if controls:
        rows.append(tuple(controls))
    return tuple(rows)
