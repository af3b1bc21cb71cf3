"""Review, change, hide and delete answers; show the draft and the meeting card; export files."""

from __future__ import annotations

import bot.conversation.buttons as buttons
import bot.conversation.flows as flows
from bot import engine
from bot.conversation.chat import Button, Outgoing
from bot.conversation.context import Context
from bot.conversation.drafts import answers_in_use, card_messages, chart, draft_files, draft_messages, person_profile

PAGE = 6


def review(ctx: Context, arg: str = "", page: int = 0) -> None:
    """List answers a page at a time, each with a button to act on it."""
    answers = [a for a in answers_in_use(ctx.person_data()) if not engine.is_reflection(a.question_id)]
    if not answers:
        ctx.say("You haven't answered anything yet. Type /menu to start.")
        return
    page = min(max(page, 0), (len(answers) - 1) // PAGE)  # an old "More answers" button after deletions
    chunk = answers[page * PAGE : (page + 1) * PAGE]
    lines = [f"Your answers ({page * PAGE + 1}–{page * PAGE + len(chunk)} of {len(answers)}). "
             "Tap one to change, hide or delete it."]
    rows = []
    for index, stored in enumerate(chunk, start=page * PAGE + 1):
        hidden = " (hidden from your draft)" if stored.hidden else ""
        lines.append(f"\n{index}. {stored.asked}\n→ {stored.answer.display}{hidden}")
        rows.append((Button(f"{index}. {_short(stored.answer.display)}", buttons.review("v", stored.id)),))
    if (page + 1) * PAGE < len(answers):
        rows.append((Button("More answers", buttons.review("p", page + 1)),))
    ctx.say("\n".join(lines), *rows)


def summary(ctx: Context, arg: str = "") -> None:
    """The whole draft, from every conversation, with a chart of the scales if there are any."""
    profile = person_profile(ctx.person_data(), ctx.content, ctx.now)
    ctx.response.messages += draft_messages(profile)
    image = chart(profile)
    if image is not None:
        ctx.response.messages.append(Outgoing(attachment=image))
    ctx.say("To change anything, type /review. For a file to keep or share, type /export.")


def card(ctx: Context, arg: str = "") -> None:
    """The one-screen meeting card: what matters most, the hardest things, my questions."""
    ctx.response.messages += card_messages(person_profile(ctx.person_data(), ctx.content, ctx.now))


def export(ctx: Context, arg: str = "") -> None:
    files = draft_files(ctx.person_data(), ctx.content, ctx.now, arg or "pdf")
    if not files:
        ctx.say("There's nothing to export yet. Type /menu to start a conversation.")
        return
    ctx.response.messages += [Outgoing(attachment=attachment) for attachment in files]
    if not arg or arg == "pdf":
        ctx.say("Would you like it in other forms too?",
                (Button("As text (Markdown)", buttons.review("e", "md")),
                 Button("All my data (JSON)", buttons.review("e", "json"))))


def tap(ctx: Context, parts: tuple[str, ...]) -> None:
    """Buttons from /review: v(iew), c(hange), h(ide), x (delete), p(age), e(xport), ok."""
    action = parts[0] if parts else ""
    arg = parts[1] if len(parts) > 1 else ""
    if action == "p" and arg.isascii() and arg.isdigit():
        review(ctx, "", int(arg))
        return
    if action == "e":
        export(ctx, arg)
        return
    if action == "ok":
        ctx.say("Thank you. Type /menu for another conversation, or /export for a file.")
        return
    found = {str(a.id): a for a in ctx.answers()}.get(arg)
    if found is None:
        ctx.say("I couldn't find that answer. Type /review to see them all.")
        return
    if action == "v":
        hide = "Show in my draft" if found.hidden else "Hide from my draft"
        ctx.say(f"{found.asked}\n→ {found.answer.display}",
                (Button("Change it", buttons.review("c", found.id)), Button(hide, buttons.review("h", found.id))),
                (Button("Delete it", buttons.review("x", found.id)),
                 Button("Back to the list", buttons.review("p", 0))))
    elif action == "h":
        ctx.hide(found.id, not found.hidden)
        ctx.say("Shown in your draft again." if found.hidden else "Hidden. It stays saved but not in your draft.")
    elif action == "x":
        ctx.delete_answer(found.id)
        forget(ctx, found.session_id, found.node_id)
        ctx.say("Deleted. That answer and its history are gone.")
    elif action == "c":
        change(ctx, found.session_id, found.node_id)


def forget(ctx: Context, session_id: str, node_id: str) -> None:
    """Take a deleted answer out of its conversation's saved state too, so no copy is left."""
    state = ctx.session_state(session_id)
    if state is None or node_id not in state.answers:
        return
    state = state.copy()
    del state.answers[node_id]
    ctx.update_session(session_id, state)


def change(ctx: Context, session_id: str, node_id: str) -> None:
    """Go to an earlier answer (in any of the person's conversations) to change it."""
    found = ctx.session(session_id)
    if found is None:
        ctx.say("That conversation is no longer available, so I can't change this answer.")
        return
    ctx.switch(found)
    flows.step(ctx, engine.edit(node_id), handled=False)


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
